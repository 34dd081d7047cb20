"""A run in a fresh Python process: `python -m pytest ...`, preceded by a few lines of set-up.

The set-up runs in the new process before pytest (katakit/run/confine.py: death with its parent, so that
no run outlives whoever started it, and the limits and user of the sandbox); then it execs pytest in the
same process.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from katakit.run import launch
from katakit.run.sandbox import NONE, Sandbox

SETUP = """import json, os, signal, sys
from katakit.run.confine import confine, die_with_parent
options = json.loads(sys.argv[1])
confine(options, options.get("fsize"))
if "status" in options:  # a sandbox hides how the process ended: wait for it here, and write it down
    child = os.fork()
    if child:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        status = os.waitpid(child, 0)[1]
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        with open(options["status"], "w") as file:
            file.write(str(code))
        os._exit(code if code >= 0 else 128 - code)
    die_with_parent()
os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
"""


LIVE: set = set()  # every run (and warm server) started and not yet killed: `stop_all` ends them


class Process:
    """A run in a process of its own, leading its own process group."""

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
    """Kill every run and warm server still going (e.g. from a signal handler, before the program ends)."""
    for process in list(LIVE):
        process.kill()


def command(request: launch.Request, setup: dict | None = None, seal_fd: int | None = None) -> list[str]:
    """The set-up, then pytest with the request's arguments."""
    options = {**(setup or {}), **({"fsize": request.file_limit} if request.file_limit else {})}
    return [sys.executable, "-c", SETUP, json.dumps(options), "-m", "pytest",
            *launch.pytest_args(request, seal_fd)]


def prepare(request: launch.Request, sandbox: Sandbox) -> tuple[dict[str, str], list[Path]]:
    """The run's environment inside `sandbox`, and its writable folders, made ready for whoever runs there."""
    writable = [request.outcomes.parent]
    request.outcomes.touch()
    request.output.touch()
    sandbox.prepare(writable)
    return sandbox.environ(launch.environ(request)), writable


def start(request: launch.Request, sandbox: Sandbox = NONE) -> Process:
    """Start the run, inside `sandbox`."""
    environ, writable = prepare(request, sandbox)
    status = request.outcomes.parent / "status" if sandbox.kind == "bubblewrap" else None
    setup = {**sandbox.setup(), **({"status": str(status)} if status else {})}
    key_fd = _key_pipe(request.seal) if request.seal else None
    argv = sandbox.wrap(command(request, setup, key_fd), request.root, writable, environ)
    try:
        with request.output.open("wb") as sink:
            popen = subprocess.Popen(argv, cwd=request.root, stdin=subprocess.DEVNULL, stdout=sink,
                                     stderr=subprocess.STDOUT, env=environ, start_new_session=True,
                                     pass_fds=(key_fd,) if key_fd is not None else ())
    finally:
        if key_fd is not None:
            os.close(key_fd)
    return Process(popen, status)


def _key_pipe(key: bytes) -> int:
    """The read end of a pipe that holds `key` and then ends: the process reads the key once."""
    read, write = os.pipe()
    os.write(write, key)
    os.close(write)
    return read


def run(request: launch.Request, **finish) -> launch.Run:
    """Start the run and follow it to its end (see launch.finish for the keywords)."""
    return launch.finish(request, start(request), **finish)
