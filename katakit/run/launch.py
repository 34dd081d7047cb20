"""A run's request, and the one place that builds a pytest command line and a run's environment.

Learner commands, `make check` and the grader describe a run with a Request; a runner (runners.py) starts
it, and follow.py follows its outcome stream to the end. `make check` runs the harness's own tests with
`tests_argv`, so that every pytest command line of the project is built here.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from katakit import env


@dataclass(frozen=True)
class Request:
    root: Path  # the project (or workspace copy) to run in
    targets: tuple[str, ...]  # spec files or node ids, relative to root
    outcomes: Path  # where the outcome stream goes
    output: Path  # where the process's stdout and stderr go
    solutions: bool = False
    learner: bool = False
    spec_timeout: float | None = None  # s per spec (pytest-timeout); None: no limit
    time_floor: float | None = None  # each spec's own limit from tests/spec_times.json, at least this (s)
    file_limit: int | None = None  # bytes: the largest file the process may write (its output included)
    guard: bool = False  # notice tampering in the specs' process (katakit/guard.py)
    seal: bytes | None = None  # the key that seals the outcome stream (grading); the runner hands it over
    grading_seed: int | None = None  # fresh Hypothesis examples from this seed, instead of the fixed ones
    extra: tuple[str, ...] = ()
    environ: dict[str, str] = field(default_factory=dict)


def request(root: Path, targets, folder: Path, **options) -> Request:
    """A Request whose stream and output files go into `folder` (the caller's scratch folder)."""
    return Request(Path(root), tuple(str(t) for t in targets), Path(folder) / "outcomes.jsonl",
                   Path(folder) / "output.txt", **options)


def pytest_args(request: Request, seal_fd: int | None = None) -> list[str]:
    """The arguments after `python -m pytest`; `seal_fd`: where the process reads the seal's key."""
    args = ["-q", "--tb=short", "-p", "no:cacheprovider", f"--outcomes={request.outcomes}"]
    if request.guard:
        args.append("--guard")
    if seal_fd is not None:
        args.append(f"--seal-fd={seal_fd}")
    if request.grading_seed is not None:
        args += [f"--grading-seed={request.grading_seed}", f"--hypothesis-seed={request.grading_seed}"]
    if request.learner:
        args += ["--learner", "--no-header", "-rN"]
    if request.solutions:
        args.append("--solutions")
    if request.spec_timeout:
        args += [f"--timeout={request.spec_timeout:g}", "--timeout-method=signal"]
    if request.time_floor is not None:
        args.append(f"--time-floor={request.time_floor:g}")
    return [*args, *request.extra, *request.targets]


def interpreter_args(request: Request, seal_fd: int | None = None) -> list[str]:
    """The arguments after `python` that run the request: `-m pytest ...`."""
    return ["-m", "pytest", *pytest_args(request, seal_fd)]


def tests_argv(target: str, *args: str) -> list[str]:
    """`python -m pytest -q TARGET ARGS`: the harness's own tests (make check), not a kata's specs."""
    return [sys.executable, "-m", "pytest", "-q", target, *args]


def environ(request: Request | None = None) -> dict[str, str]:
    """A run's environment: ours, the backend variables, the request's own, no bytecode files."""
    return {**os.environ, **env.variables(), "PYTHONDONTWRITEBYTECODE": "1", **(request.environ if request else {})}


def encode(request: Request) -> dict:
    """The request as JSON-ready fields (the warm runner sends it to its server), `decode`'s inverse."""
    return {**dataclasses.asdict(request), "seal": request.seal.hex() if request.seal else None}


def decode(fields: dict) -> Request:
    seal = bytes.fromhex(fields["seal"]) if fields["seal"] else None
    return Request(**{**fields, "root": Path(fields["root"]), "outcomes": Path(fields["outcomes"]),
                      "output": Path(fields["output"]), "targets": tuple(fields["targets"]),
                      "extra": tuple(fields["extra"]), "seal": seal})
