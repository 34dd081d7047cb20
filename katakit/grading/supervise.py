"""One kata process, watched until it ends or is stopped: each spec's time limit (with a grace period past
pytest-timeout's own stop), the time left for the kata, the memory of its processes, and how it ended.

The memory limit is enforced by polling: every follow.POLL seconds the grader sums the memory that the kata's
process tree holds in RAM (katakit/run/tree.py) and kills the whole tree once it is past the limit. A
process can go past the limit by what it allocates in one poll before it is stopped. Not a cgroup: it
needs the memory controller of cgroups v2 delegated to the grader, which a container or an unprivileged
user seldom has (the machine this was built on keeps it on a v1 hierarchy). Not RLIMIT_AS: TensorFlow
reserves far more address space than it uses (2.3 GB to hold 0.3 GB at start).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from katakit import manifest, timings
from katakit.grading import verdicts
from katakit.grading.model import Limits
from katakit.outcome import Kind, Reader, SpecOutcome
from katakit.run import follow, launch, runners, tree

MECHANISM = (f"polling: every {follow.POLL:g} s the grader sums the anonymous and shared memory in RAM "
             "(RssAnon + RssShmem) of the kata's processes")


@dataclass
class Attempt:
    collected: list[dict] | None = None
    ended: dict[str, SpecOutcome] = field(default_factory=dict)
    finished: bool = False
    running: str | None = None  # the spec running when the process ended or was stopped
    kind: Kind | None = None  # what happened to `running` (None when nothing did)
    text: str = ""
    out_of_time: bool = False  # the kata's own time limit (or the grading's) stopped it
    returncode: int | None = None
    tail: str = ""
    forged: bool = False  # the outcome stream held lines the harness did not write


def attempt(kata: manifest.Kata, root: Path, nodeids: list[str] | None, limits: Limits, budget: float,
            which: str, scratch: Path, runner: runners.Runner, environ: dict | None = None,
            seed: int | None = None) -> Attempt:
    """One pytest process over `nodeids` (None: the whole spec file) of the workspace `root`, started by `runner`."""
    folder = Path(scratch) / f"attempt-{time.monotonic_ns()}"
    folder.mkdir()
    folder.chmod(0o755)
    targets = nodeids if nodeids is not None else [str(kata.spec(root).relative_to(root))]
    request = launch.request(root, targets, folder, spec_timeout=limits.spec,
                             time_floor=None if limits.spec else timings.GRADING_FLOOR, guard=True,
                             seal=os.urandom(32), grading_seed=seed, file_limit=limits.output_mb * 1024 * 1024,
                             environ=environ or {})
    times = timings.load(root)
    memory = int(limits.memory_gb * 2**30)
    result = Attempt()
    handle = runner.start(request)
    started = since = time.monotonic()
    running, limit = None, 0.0

    def watchdog(reader: Reader) -> bool:
        """True once it has stopped the run: over its memory, a spec over its time, or the kata out of time."""
        nonlocal running, since, limit
        if reader.running != running:
            running, since = reader.running, time.monotonic()
            limit = limits.spec_limit(times.get(running))
        now = time.monotonic()
        if handle.pid and tree.held(handle.pid) > memory:
            tree.kill(handle.pid)  # all of it: a process that left the group holds memory too
            handle.kill()
            result.kind = Kind.OUT_OF_MEMORY
            result.text = verdicts.over_memory(limits.memory_gb)
            return True
        if running and now - since > limit + limits.grace(limit):
            handle.kill()
            result.running, result.kind = running, Kind.TIMEOUT
            result.text = verdicts.timed_out(limit, stopped=True)
            return True
        if now - started > budget:
            handle.kill()
            result.out_of_time = True
            if running:
                result.running, result.kind = running, Kind.TIMEOUT
                result.text = f"timed out: {which} ran out while this spec ran, so the grader stopped it."
            return True
        return False

    reader = follow.follow(request, handle, watchdog)  # it kills whatever the kata left running
    if result.kind == Kind.OUT_OF_MEMORY:
        result.running = reader.running  # None: between specs, or before the first
    result.returncode = handle.poll()
    result.tail = follow.tail(request.output)
    if not result.kind and reader.running:  # it died (or pytest stopped) in the middle of a spec
        result.running = reader.running
        result.kind, result.text = verdicts.death(result.returncode, limits.output_mb)
        context = verdicts.crash_context(result.tail, root)
        if context:
            result.text += f"\n\n{context}"
    result.collected, result.ended, result.finished = reader.collected, reader.outcomes, reader.finished
    result.forged = reader.forged
    return result
