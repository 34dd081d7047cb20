"""The cold runner: each run in a fresh Python process, `python -m pytest ...` preceded by a few lines of set-up.

The set-up runs in the new process before pytest (processes.confine: death with its parent, so that no run
outlives whoever started it, and the limits and user of the sandbox); then it execs pytest in the same process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from katakit.run import launch, processes
from katakit.run.sandbox import NONE, Sandbox

SETUP = """import json, os, signal, sys
from katakit.run.processes import confine, die_with_parent
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


def command(request: launch.Request, setup: dict | None = None, seal_fd: int | None = None) -> list[str]:
    """The set-up, then pytest with the request's arguments."""
    options = {**(setup or {}), **({"fsize": request.file_limit} if request.file_limit else {})}
    return [sys.executable, "-c", SETUP, json.dumps(options), *launch.interpreter_args(request, seal_fd)]


class Runner:
    """Starts each run in a fresh process inside `sandbox`."""

    def __init__(self, sandbox: Sandbox = NONE):
        self.sandbox = sandbox

    def start(self, request: launch.Request) -> processes.Process:
        environ, writable = processes.prepare(request, self.sandbox)
        status = request.outcomes.parent / "status" if self.sandbox.kind == "bubblewrap" else None
        setup = {**self.sandbox.setup(), **({"status": str(status)} if status else {})}
        key_fd = processes.key_pipe(request.seal) if request.seal else None
        argv = self.sandbox.wrap(command(request, setup, key_fd), request.root, writable, environ)
        try:
            with request.output.open("wb") as sink:
                popen = subprocess.Popen(argv, cwd=request.root, stdin=subprocess.DEVNULL, stdout=sink,
                                         stderr=subprocess.STDOUT, env=environ, start_new_session=True,
                                         pass_fds=(key_fd,) if key_fd is not None else ())
        finally:
            if key_fd is not None:
                os.close(key_fd)
        return processes.Process(popen, status)
