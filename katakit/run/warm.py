"""The warm runner, as its callers hold it: a server that has imported TensorFlow, Keras, pytest and the
rest once (warm_server.py) forks a child per run. `Server.start` raises Unavailable when the server cannot
serve; runners.py then starts the run cold, saying so once.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from katakit.run import launch, processes, tree
from katakit.run.sandbox import NONE, Sandbox
from katakit.run.warm_server import reachable, read_line

READY_TIMEOUT = 180.0  # s for the server to import everything and probe a child
# Where a fork after importing TensorFlow is unsafe whatever the probe says, runs go cold from the start.
FORK_UNSAFE = {"darwin": "macOS cannot fork a process safely once TensorFlow is loaded (its Objective-C runtime), "
                         "so each run starts a fresh Python"}


class Unavailable(Exception):
    """The warm runner cannot serve here; the message is the one line to show."""


class Server:
    """A warm server in `folder` (its socket lives there), started inside `sandbox`; a context manager."""

    def __init__(self, folder: Path, sandbox: Sandbox = NONE, root: Path | None = None, platform: str = sys.platform):
        self.folder, self.sandbox = Path(folder), sandbox
        self.process, self.problem = None, FORK_UNSAFE.get(platform, "")
        if self.problem:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self.socket = self.folder / "warm.sock"
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()  # left by a server that was killed
        root = Path(root or os.getcwd())
        environ = sandbox.environ(launch.environ())
        argv = [sys.executable, "-c", "from katakit.run.warm_server import serve; serve()", str(self.socket)]
        self.process = subprocess.Popen(sandbox.wrap(argv, root, [self.folder], environ), cwd=root,
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        env=environ, start_new_session=True, text=True)
        self.problem = self._wait_ready()
        self.address = reachable(self.socket)
        processes.LIVE.add(self)

    def _wait_ready(self) -> str:
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if selector.select(timeout=0.5):
                line = self.process.stdout.readline().strip()
                if line == "ready":
                    return ""
                if line or self.process.poll() is not None:
                    return line or f"the warm server ended with status {self.process.poll()}"
        return f"the warm server was not ready after {READY_TIMEOUT:g} s"

    def start(self, request: launch.Request) -> Child:
        """Fork the run from the server; Unavailable if it cannot (runners.py falls back to a cold process)."""
        if self.problem:
            raise Unavailable(self.problem)
        environ, _ = processes.prepare(request, self.sandbox)
        message = {"request": launch.encode(request), "environ": environ, "setup": self.sandbox.setup()}
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            connection.connect(self.address)
            connection.sendall((json.dumps(message, default=str) + "\n").encode())
            reply = read_line(connection, timeout=60)
        except OSError as error:
            connection.close()
            raise Unavailable(f"the warm server did not answer ({error})") from None
        if not reply or "started" not in reply:
            connection.close()
            raise Unavailable((reply or {}).get("error", "the warm server closed the connection"))
        return Child(connection, self.process.pid, reply["started"])

    def close(self) -> None:
        """Stop the server, and every run forked from it."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()
        processes.LIVE.discard(self)

    kill = close  # for processes.stop_all

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


class Child:
    """One run forked from the server, seen from the client: a follow.Handle."""

    def __init__(self, connection: socket.socket, server: int, inner: int):
        self.connection, self.status, self.buffer = connection, None, b""
        self.server, self.inner, self.found = server, inner, None
        connection.setblocking(False)

    @property
    def pid(self) -> int | None:
        """The forked process's pid as this process sees it (the server's own may be another namespace's)."""
        if self.found is None:
            self.found = tree.host_pid(self.server, self.inner)
        return self.found

    def poll(self) -> int | None:
        if self.status is None:
            self._read()
        return self.status

    def _read(self) -> None:
        try:
            data = self.connection.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the server is gone, and its children with it
            self.status = -signal.SIGKILL
            return
        self.buffer += data
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            with contextlib.suppress(ValueError, TypeError):
                self.status = int(json.loads(line)["exit"])

    def kill(self) -> None:
        if self.status is None:
            with contextlib.suppress(OSError):
                self.connection.sendall(b'{"kill": true}\n')
            deadline = time.monotonic() + 10
            while self.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
        self.connection.close()
