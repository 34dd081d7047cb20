"""The processes that runs are made of: the registry of those still live, a run's preparation before it
starts, and the confinement a kata's process puts itself under before pytest runs.

Registry: every process this one started for runs (a cold run, a warm server) is in LIVE until it is
killed; `stop_all` ends them (e.g. from a signal handler, before the program ends).

Confinement, whether the process was started afresh (cold.py) or forked from the warm server
(warm_server.py): die with its parent, so that no run outlives whoever started it; adopt its orphans;
no core dumps; an optional limit on the size of any file it writes; and in a container sandbox no
network and an unprivileged user. The kata's process imports this module for `confine` before it execs
pytest, and would pay for every import here on every cold run: so only the light standard library at
the top, and launch.py (50 modules with dataclasses and pathlib) where `prepare` needs it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import sys

TYPE_CHECKING = False  # typing's, without importing typing (and re with it): see above
if TYPE_CHECKING:
    import subprocess
    from pathlib import Path

    from katakit.run.launch import Request
    from katakit.run.sandbox import Sandbox

CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

LIVE: set = set()  # every run (and warm server) started and not yet killed: each has `kill()`


class Process:
    """A run in a process of its own, leading its own process group: a follow.Handle. `status`: the file
    where a sandboxed process writes how it ended (the sandbox's own status hides it)."""

    def __init__(self, popen: subprocess.Popen, status: Path | None = None):
        self.popen, self.status = popen, status
        LIVE.add(self)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def poll(self) -> int | None:
        returncode = self.popen.poll()
        if returncode is not None and self.status:
            try:
                return int(self.status.read_text())
            except (OSError, ValueError):
                pass  # killed before it could write: the sandbox's own status is all there is
        return returncode

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()
        LIVE.discard(self)


def stop_all() -> None:
    """Kill every run and warm server still going."""
    for process in list(LIVE):
        process.kill()


def prepare(request: Request, sandbox: Sandbox) -> tuple[dict[str, str], list[Path]]:
    """The run's environment inside `sandbox`, and its writable folders, made ready for whoever runs there."""
    from katakit.run import launch  # here, not at the top: see above

    writable = [request.outcomes.parent]
    request.outcomes.touch()
    request.output.touch()
    sandbox.prepare(writable)
    return sandbox.environ(launch.environ(request)), writable


def key_pipe(key: bytes) -> int:
    """The read end of a pipe that holds `key` and then ends: the run's process reads the seal's key once."""
    read, write = os.pipe()
    os.write(write, key)
    os.close(write)
    return read


def die_with_parent() -> None:
    """Linux only: elsewhere (a learner's Mac) a run is ended by its process group instead."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def adopt_orphans() -> None:
    """A process that a descendant of this one leaves behind becomes this one's child, not init's: it stays
    in this process's tree, whose memory the grader limits and which it kills (katakit/run/tree.py)."""
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1)


def confine(setup: dict, file_limit: int | None) -> None:
    """`setup` is the sandbox's (sandbox.Sandbox.setup): uid, gid, home, unshare_net."""
    die_with_parent()
    adopt_orphans()
    limits = [(resource.RLIMIT_CORE, 0)] + ([(resource.RLIMIT_FSIZE, file_limit)] if file_limit else [])
    for which, value in limits:
        with contextlib.suppress(OSError, ValueError):
            resource.setrlimit(which, (value, value))
    if setup.get("unshare_net") and ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWNET) != 0:
        print("katakit: no network namespace here: the kata keeps the container's network", file=sys.stderr)
    if "uid" in setup:
        os.setgroups([])
        os.setgid(setup["gid"])
        os.setuid(setup["uid"])
        os.environ["HOME"] = setup["home"]
        die_with_parent()  # a change of user clears the death signal: set it again
