"""One kata process, watched until it ends or is stopped: the spec time limit (with a grace period past
pytest-timeout's own stop), the time left for the kata, and how the process ended."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from katakit import manifest
from katakit.grading import verdicts
from katakit.grading.model import Limits
from katakit.outcome import Reader, SpecOutcome
from katakit.run import cold, launch

POLL = 0.1  # s between looks at a running process


@dataclass
class Attempt:
    collected: list[dict] | None = None
    ended: dict[str, SpecOutcome] = field(default_factory=dict)
    finished: bool = False
    running: str | None = None  # the spec running when the process ended or was stopped
    kind: str = ""  # what happened to `running` ("" when nothing did)
    text: str = ""
    out_of_time: bool = False  # the kata's own time limit (or the grading's) stopped it
    returncode: int | None = None
    tail: str = ""
    forged: bool = False  # the outcome stream held lines the harness did not write


Starter = Callable[[launch.Request], launch.Handle]


def attempt(kata: manifest.Kata, root: Path, nodeids: list[str] | None, limits: Limits, budget: float,
            which: str, scratch: Path, start: Starter = cold.start, environ: dict | None = None,
            seed: int | None = None) -> Attempt:
    """One pytest process over `nodeids` (None: the whole spec file) of the workspace `root`."""
    folder = Path(scratch) / f"attempt-{time.monotonic_ns()}"
    folder.mkdir()
    folder.chmod(0o755)
    targets = nodeids if nodeids is not None else [str(kata.spec(root).relative_to(root))]
    request = launch.request(root, targets, folder, spec_timeout=limits.spec, guard=True, seal=os.urandom(32),
                             grading_seed=seed, file_limit=limits.output_mb * 1024 * 1024, environ=environ or {})
    result = Attempt()
    reader = Reader(request.outcomes, request.seal)
    handle = start(request)
    try:
        started = since = time.monotonic()
        running = None
        while handle.poll() is None:
            time.sleep(POLL)
            if reader.update().running != running:
                running, since = reader.running, time.monotonic()
            now = time.monotonic()
            if running and now - since > limits.spec + limits.grace:
                handle.kill()
                result.running, result.kind = running, "timeout"
                result.text = verdicts.timed_out(limits.spec, stopped=True)
                break
            if now - started > budget:
                handle.kill()
                result.out_of_time = True
                if running:
                    result.running, result.kind = running, "timeout"
                    result.text = f"timed out: {which} ran out while this spec ran, so the grader stopped it."
                break
        reader.update()
        result.returncode = handle.poll()
        result.tail = launch.tail(request.output)
        if not result.kind and reader.running:  # it died (or pytest stopped) in the middle of a spec
            result.running = reader.running
            result.kind, result.text = verdicts.death(result.returncode, limits.output_mb)
            context = verdicts.crash_context(result.tail, root)
            if context:
                result.text += f"\n\n{context}"
    finally:
        handle.kill()  # whatever the kata left running
    result.collected, result.ended, result.finished = reader.collected, reader.outcomes, reader.finished
    result.forged = reader.forged
    return result
