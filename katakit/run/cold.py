"""A run in a fresh Python process: `python -m pytest ...`, preceded by a few lines of set-up.

The set-up runs in the new process before pytest: no core dumps, an optional limit on the size of any
file it writes (its captured output included), and death with its parent (PR_SET_PDEATHSIG), so that
no run outlives whoever started it; then it execs pytest in the same process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable

from katakit.run import launch

SETUP = """import ctypes, os, resource, signal, sys
try:
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
except (OSError, AttributeError):
    pass
limits = [(resource.RLIMIT_CORE, 0)] + ([(resource.RLIMIT_FSIZE, int(sys.argv[1]))] if sys.argv[1] else [])
for which, value in limits:
    try:
        resource.setrlimit(which, (value, value))
    except (OSError, ValueError):
        pass
os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
"""


class Process:
    """A run in a process of its own, leading its own process group."""

    def __init__(self, popen: subprocess.Popen):
        self.popen = popen

    @property
    def pid(self) -> int:
        return self.popen.pid

    def poll(self) -> int | None:
        return self.popen.poll()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()


def command(request: launch.Request) -> list[str]:
    """The set-up, then pytest with the request's arguments."""
    limit = str(request.file_limit) if request.file_limit else ""
    return [sys.executable, "-c", SETUP, limit, "-m", "pytest", *launch.pytest_args(request)]


def start(request: launch.Request, wrap: Callable[[list[str]], list[str]] | None = None) -> Process:
    """Start the run; `wrap` may put the command inside something (the sandbox)."""
    argv = command(request)
    with request.output.open("wb") as sink:
        popen = subprocess.Popen(wrap(argv) if wrap else argv, cwd=request.root, stdin=subprocess.DEVNULL,
                                 stdout=sink, stderr=subprocess.STDOUT, env=launch.environ(request),
                                 start_new_session=True)
    return Process(popen)


def run(request: launch.Request, **finish) -> launch.Run:
    """Start the run and follow it to its end (see launch.finish for the keywords)."""
    return launch.finish(request, start(request), **finish)
