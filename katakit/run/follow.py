"""Following a started run: its outcome stream read as it grows, until the process ends or is stopped.

One follower for everyone: the learner's screens and `make check` (`finish`, which may bound the run's time)
and the grader, whose watchdog (katakit/grading/supervise.py) looks at every tick for a spec over its time
or a process tree over its memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from katakit.outcome import Reader, SpecOutcome
from katakit.run import launch

POLL = 0.05  # s between looks at a running process: its stream, and whatever the watchdog checks


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


Watchdog = Callable[[Reader], bool | None]  # sees the stream after each look; True: stop following


def follow(request: launch.Request, handle: Handle, watchdog: Watchdog | None = None) -> Reader:
    """Read the stream of the run `handle` until it ends, or until `watchdog` says to stop
    (it kills what it must first); then kill whatever the run left behind. Ctrl-C stops the run too. The
    reader, having read everything."""
    reader = Reader(request.outcomes, request.seal)
    try:
        while handle.poll() is None:
            time.sleep(POLL)
            if watchdog and watchdog(reader.update()):
                break
    finally:
        handle.kill()  # whatever the run left behind; a no-op once it has ended
    reader.update()
    return reader


@dataclass(frozen=True)
class Finished:
    """What a run found, once it has ended."""

    returncode: int
    seconds: float
    collected: list[dict] | None
    outcomes: list[SpecOutcome]
    output: str  # the end of what the process printed

    def of(self, kata: str) -> list[SpecOutcome]:
        return [o for o in self.outcomes if o.kata == kata]


NOT_STARTED = Finished(1, 0.0, None, [], "the run did not start")


def finish(request: launch.Request, handle: Handle, on_tick: Callable[[Reader], None] | None = None,
           timeout: float | None = None) -> Finished:
    """Follow the run to its end (or until `timeout` s pass: then stop it); `on_tick` sees the stream as it
    grows (it may raise to stop the run)."""
    started = time.monotonic()

    def tick(reader: Reader) -> bool:
        if on_tick:
            on_tick(reader)
        return timeout is not None and time.monotonic() - started > timeout

    reader = follow(request, handle, tick)
    return Finished(handle.poll(), time.monotonic() - started, reader.collected, list(reader.outcomes.values()),
                    tail(request.output))


def tail(path: Path, chars: int = 20000) -> str:
    """The end of a run's output file ('' when there is none)."""
    try:
        with path.open("rb") as file:
            file.seek(max(0, path.stat().st_size - chars))
            return file.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
