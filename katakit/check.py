"""`make check`: prove that every kata in curriculum.toml is sound, in both directions.

  (a) its specs pass against the reference solution;
  (b) every single spec fails against the untouched stub;
  (c) isolation: with only that kata solved (reference copied over the stub in a scratch copy),
      its specs pass in learner mode;
  (d) stub and reference share public functions, signatures and docstrings, and every stub
      body is a TODO raising NotImplementedError that names its tutorial step.
Then the harness's own tests and the linter.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time

from katakit import manifest, runner, structure, workspace
from katakit.paths import ROOT


def check_solutions(katas) -> dict[str, list[str]]:
    run = runner.run_specs(katas, solutions=True)
    found = {}
    for kata in katas:
        tests = run.of(kata.name)
        bad = [f"{t['nodeid']}: {t['outcome']}: {t['message'].strip()[:400]}"
               for t in tests if t["outcome"] != "passed"]
        covered = {t["step"] for t in tests}
        bad += [f"step {s.id!r} has no spec" for s in kata.steps if s.id not in covered]
        found[kata.name] = bad if tests else ["no spec ran", run.output[-2000:]]
    return found


def check_stubs(katas) -> dict[str, list[str]]:
    run = runner.run_specs(katas, solutions=False)
    return {
        kata.name: [f"{t['nodeid']} {t['outcome']} against the untouched stub: it tests nothing"
                    for t in run.of(kata.name) if t["outcome"] != "failed"]
        or ([] if run.of(kata.name) else ["no spec ran"])
        for kata in katas
    }


def check_isolation(kata) -> list[str]:
    root = workspace.make(ROOT / "katas")
    try:
        shutil.copy2(kata.solution(), kata.stub(root))
        run = runner.run_specs([kata], learner=True, root=root)
        bad = [f"{t['nodeid']}: {t['outcome']} with only {kata.name} solved: {t['message'].strip()[:400]}"
               for t in run.of(kata.name) if t["outcome"] != "passed"]
        return bad if run.of(kata.name) else ["no spec ran", run.output[-2000:]]
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("katas", nargs="*", help="only these katas (default: all in curriculum.toml)")
    args = parser.parse_args(argv)
    katas = [manifest.kata(name) for name in args.katas] or list(manifest.katas())
    failures: list[str] = []

    def stage(title, work):
        start = time.monotonic()
        result = work()
        print(f"{title:<58} {time.monotonic() - start:6.1f} s", flush=True)
        for kata_name, bad in result.items():
            failures.extend(f"{title.split(' ')[0]} {kata_name}: {line}" for line in bad)
            mark = "ok" if not bad else f"FAILED ({len(bad)})"
            print(f"    {kata_name:<30} {mark}", flush=True)

    stage("(d) stub and reference share the surface", lambda: {k.name: structure.problems(k) for k in katas})
    stage("(a) specs pass against the references", lambda: check_solutions(katas))
    stage("(b) every spec fails against the untouched stubs", lambda: check_stubs(katas))
    stage("(c) isolation: one kata solved turns exactly it green", lambda: {k.name: check_isolation(k) for k in katas})
    if not args.katas:
        stage("harness tests (katakit/tests)", run_harness_tests)
        stage("ruff", run_ruff)
    if failures:
        print("\nmake check FAILED:\n  " + "\n  ".join(failures))
        return 1
    print(f"\nmake check passed: {len(katas)} kata(s) sound in both directions")
    return 0


def run_harness_tests() -> dict[str, list[str]]:
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "katakit/tests"], cwd=ROOT,
                          capture_output=True, text=True)
    print(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:])
    return {"katakit": [] if done.returncode == 0 else [done.stdout[-3000:]]}


def run_ruff() -> dict[str, list[str]]:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    return {"ruff check .": [] if done.returncode == 0 else [done.stdout[-3000:]]}


if __name__ == "__main__":
    sys.exit(main())
