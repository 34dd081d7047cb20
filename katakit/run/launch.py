"""The one place that builds a pytest run: its arguments, its environment, and how to wait for it.

Learner commands, `make check` and the grader describe a run with a Request; a runner (cold.py or
warm.py) starts it and returns a Handle; `finish` follows the outcome stream until the run ends.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from katakit import env
from katakit.outcome import Reader, SpecOutcome
from katakit.paths import ROOT

POLL = 0.05  # s between looks at a running process


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


def environ(request: Request | None = None) -> dict[str, str]:
    """A run's environment: ours, the backend variables, the request's own, no bytecode files."""
    return {**os.environ, **env.variables(), "PYTHONDONTWRITEBYTECODE": "1", **(request.environ if request else {})}


def request(root: Path, targets, folder: Path, **options) -> Request:
    """A Request whose stream and output files go into `folder` (the caller's scratch folder)."""
    return Request(Path(root), tuple(str(t) for t in targets), Path(folder) / "outcomes.jsonl",
                   Path(folder) / "output.txt", **options)


class Handle(Protocol):
    """A started run, whichever runner started it."""

    @property
    def pid(self) -> int | None:
        """The pid of the run's first process, as the caller sees it (None while it cannot be found):
        the root of its process tree (katakit/run/tree.py)."""

    def poll(self) -> int | None:
        """The exit status once it has ended (negative: killed by that signal), else None."""

    def kill(self) -> None:
        """Stop the run and everything it started."""


@dataclass
class Run:
    returncode: int
    seconds: float
    collected: list[dict] | None
    outcomes: list[SpecOutcome]
    output: str  # the end of what the process printed

    def of(self, kata: str) -> list[SpecOutcome]:
        return [o for o in self.outcomes if o.kata == kata]


def finish(request: Request, handle: Handle, on_tick: Callable[[Reader], None] | None = None,
           timeout: float | None = None) -> Run:
    """Follow the stream until the run ends (or `timeout` s pass: then stop it); Ctrl-C stops it too."""
    reader = Reader(request.outcomes, request.seal)
    started = time.monotonic()
    try:
        while handle.poll() is None:
            time.sleep(POLL)
            if on_tick:
                on_tick(reader.update())
            if timeout is not None and time.monotonic() - started > timeout:
                handle.kill()
    finally:
        handle.kill()  # whatever the run left behind; a no-op once it has ended
    reader.update()
    return Run(handle.poll(), time.monotonic() - started, reader.collected, list(reader.outcomes.values()),
               tail(request.output))


def run(katas, *, root: Path = ROOT, runner=None, on_tick: Callable[[Reader], None] | None = None,
        **options) -> Run:
    """The spec files of `katas` under `root`, through `runner` (a module with `start`; cold by default),
    with the stream and output in a scratch folder. `options` are the Request's (learner, solutions, ...)."""
    if runner is None:
        from katakit.run import cold as runner
    with tempfile.TemporaryDirectory(prefix="katas-run-") as folder:
        req = request(root, [k.spec(root).relative_to(root) for k in katas], Path(folder), **options)
        return finish(req, runner.start(req), on_tick=on_tick)


def tail(path: Path, chars: int = 20000) -> str:
    try:
        with path.open("rb") as file:
            file.seek(max(0, path.stat().st_size - chars))
            return file.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
