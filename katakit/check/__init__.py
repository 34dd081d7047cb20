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

    katas.py     the kata stages (a) to (f)
    tools.py     the harness's tests, reproduce's, the linters, the wheels
    schedule.py  the jobs, run on every core, heaviest first
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time
from pathlib import Path

from katakit import manifest, timings, wheels
from katakit.check import tools
from katakit.check.katas import (
    Seen,
    check_isolation,
    check_solutions,
    check_stubs,
    check_timings,
    check_warm_equals_cold,
    surface_problems,
)
from katakit.check.schedule import run_stages
from katakit.run import runners, warm


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
              f"(ready after {time.monotonic() - start:.0f} s); sandbox: {tools.sandbox_line()}", flush=True)
        failures, failed_jobs, checks, not_run = run_stages(stages(katas, runner, args), args.jobs)
    print(f"\nmake check took {time.monotonic() - start:.0f} s for {len(katas)} kata(s)")
    if failures:
        print("make check FAILED:\n  " + "\n  ".join(failures))
    reasons = "; ".join(dict.fromkeys(not_run))
    print(f"check: {checks - failed_jobs - len(not_run)} passed, {failed_jobs} failed"
          + (f", {len(not_run)} not run ({reasons})" if not_run else ""))
    return 1 if failures else 0


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
        with_rows = [k for k in katas if (tools.VARIANTS_FOLDER / f"{k.name}.py").is_file()]
        if with_rows:  # whoever changes a kata's specs or reference wants its variants' verdicts
            rows = tools.variants_environ(args.jobs, with_rows)
            listed.append(("variants", "the variant rows of katakit/tests/variants/", [(_named(with_rows), lambda: (
                tools.run_harness_tests(tools.VARIANTS_FILE, args.learner_side, rows)), tools.VARIANTS_WEIGHT)]))
    else:
        listed.append(("(f)", f"{timings.FILE} times every spec (the learner's time limits)",
                       [("timings", lambda: check_timings(katas, seen, args.refresh_timings), 0)]))
        harness = tools.harness_jobs(args.jobs, args.learner_side)
        listed += [("harness", "the harness's own tests, a file at a time (the variant rows a core each at once)",
                    harness),
                   ("reproduce", "make reproduce's smoke tests", [("reproduce/tests", lambda: tools.run_tests(
                       "reproduce/tests"), 15)]),
                   ("lint", "ruff check ., actionlint and hadolint", [("ruff", tools.run_ruff, 1),
                                                                      ("actionlint", tools.run_actionlint, 1),
                                                                      ("hadolint", tools.run_hadolint, 1)]),
                   ("wheels", "every pin has a wheel on every platform and Python README.md promises",
                    [(f"{p.name}, Python {v}", lambda p=p, v=v: tools.check_wheels(p, v), 6)
                     for p in wheels.PLATFORMS for v in wheels.PYTHONS])]
    return listed


def _named(katas) -> str:
    return ", ".join(k.name for k in katas) if len(katas) <= 2 else f"all {len(katas)} katas"
