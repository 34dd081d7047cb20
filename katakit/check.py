"""`make check`: prove that every kata in curriculum.toml is sound, in both directions.

  (a) its specs pass against the reference solution;
  (b) every single spec fails against the untouched stub;
  (c) isolation: with only that kata solved (reference copied over the stub in a scratch copy),
      its specs pass in learner mode;
  (d) stub and reference share public functions, signatures and docstrings, and every stub
      body is a TODO raising NotImplementedError that names its tutorial step.
Then the harness's own tests, the smoke tests of `make reproduce` (reproduce/tests) and the linter.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from katakit import manifest, structure, workspace
from katakit.paths import ROOT
from katakit.run import launch


def check_solution(kata) -> list[str]:
    run = launch.run([kata], solutions=True)
    tests = run.of(kata.name)
    if not tests:
        return ["no spec ran", run.output[-2000:]]
    bad = [f"{t.nodeid}: {t.kind}: {t.detail.strip()[:400]}" for t in tests if not t.passed]
    covered = {t.step for t in tests}
    return bad + [f"step {s.id!r} has no spec" for s in kata.steps if s.id not in covered]


def check_stubs(katas) -> list[str]:
    run = launch.run(katas)
    bad = [f"{t.nodeid} {t.kind} against the untouched stub: it tests nothing"
           for t in run.outcomes if t.passed or not t.counted]
    return bad + [f"{k.name}: no spec ran" for k in katas if not run.of(k.name)]


def check_isolation(kata) -> list[str]:
    root = workspace.make(ROOT / "katas")
    try:
        shutil.copy2(kata.solution(), kata.stub(root))
        run = launch.run([kata], learner=True, root=root)
        bad = [f"{t.nodeid}: {t.kind} with only {kata.name} solved: {t.detail.strip()[:400]}"
               for t in run.of(kata.name) if not t.passed]
        return bad if run.of(kata.name) else ["no spec ran", run.output[-2000:]]
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("katas", nargs="*", help="only these katas (default: all in curriculum.toml)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="pytest processes at once (default: one per core)")
    args = parser.parse_args(argv)
    katas = [manifest.kata(name) for name in args.katas] or list(manifest.katas())

    # Each job is one pytest process (or the linter); they share the cores and report in this order.
    stages = [
        ("(d)", "stub and reference share the surface", [(k.name, lambda k=k: structure.problems(k)) for k in katas]),
        ("(a)", "specs pass against the reference", [(k.name, lambda k=k: check_solution(k)) for k in katas]),
        ("(b)", "every spec fails against the untouched stub", [("all katas", lambda: check_stubs(katas))]),
        ("(c)", "isolation: that kata alone solved passes", [(k.name, lambda k=k: check_isolation(k)) for k in katas]),
    ]
    if not args.katas:
        own_tests = [(path, lambda path=path: run_tests(path)) for path in ("katakit/tests", "reproduce/tests")]
        stages += [("harness", "the harness's and make reproduce's own tests", own_tests),
                   ("lint", "ruff check . and actionlint", [("ruff", run_ruff), ("actionlint", run_actionlint)])]
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [[(name, pool.submit(_timed, job)) for name, job in jobs] for _, _, jobs in stages]
        failures, failed_jobs = [], 0
        for (code, title, _), jobs in zip(stages, futures, strict=True):
            print(f"{code} {title}", flush=True)
            for name, future in jobs:
                seconds, bad = future.result()
                failures += [f"{code} {name}: {line}" for line in bad]
                failed_jobs += bool(bad)
                mark = "ok" if not bad else f"FAILED ({len(bad)})"
                print(f"    {name:<30} {mark:<12} {seconds:6.1f} s", flush=True)
    checks = sum(len(jobs) for _, _, jobs in stages)
    print(f"\nmake check took {time.monotonic() - start:.0f} s for {len(katas)} kata(s)")
    if failures:
        print("make check FAILED:\n  " + "\n  ".join(failures))
    print(f"check: {checks - failed_jobs} passed, {failed_jobs} failed")
    return 1 if failures else 0


def _timed(job) -> tuple[float, list[str]]:
    start = time.monotonic()
    bad = job()
    return time.monotonic() - start, bad


def run_tests(folder: str) -> list[str]:
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", folder], cwd=ROOT,
                          capture_output=True, text=True)
    return [] if done.returncode == 0 else [done.stdout[-3000:] + done.stderr[-1000:]]


def run_ruff() -> list[str]:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    return [] if done.returncode == 0 else [done.stdout[-3000:]]


def run_actionlint(root=ROOT) -> list[str]:
    """actionlint on .github/workflows/*.yml, so a broken workflow fails here, where GitHub's runners cannot
    be reached. Without shellcheck and pyflakes, which it would use only where they happen to be installed."""
    actionlint = Path(sys.executable).with_name("actionlint")
    workflows = sorted(str(p.relative_to(root)) for p in (root / ".github" / "workflows").glob("*.yml"))
    if not actionlint.exists() or not workflows:
        return [f"{actionlint} is missing: requirements.txt pins it" if workflows else "no workflow to check"]
    done = subprocess.run([str(actionlint), "-no-color", "-shellcheck=", "-pyflakes=", *workflows], cwd=root,
                          capture_output=True, text=True)
    return [] if done.returncode == 0 else [done.stdout[-3000:] + done.stderr[-1000:]]

if __name__ == "__main__":
    sys.exit(main())
