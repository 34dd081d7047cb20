"""A warm runner: one server imports Keras (and TensorFlow with it), scikit-learn, scikeras, pytest and
Hypothesis once; every run is a child forked from it, which runs exactly what `python -m pytest` would.

The server never runs a TensorFlow op (TensorFlow is not fork-safe once its runtime has started): it
only imports. At start it forks one probe child that does run an op; if that fails, the server says
so and every run falls back to a cold process (cold.py), with one line on the screen. A child imports
the harness afresh from its own project (the server may serve scratch copies of the project), chdirs
there, takes the run's environment, limits and user, and exits with pytest's status. The server dies
with whoever started it, every child dies with the server, and what an ended run left behind (a daemon
in a session of its own) comes back to the server, which ends it.

Protocol, one JSON object per line on a unix socket, one connection per run:
    client -> {"request": {launch.Request fields}, "environ": {...}, "setup": {...}}
    server -> {"started": pid} (in the server's pid namespace) or {"error": "..."}; later {"exit": status}
              (negative: killed by that signal)
    client -> {"kill": true}, or closing the connection: the run's process group is killed
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import importlib
import inspect
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil

from katakit.run import cold, launch, tree
from katakit.run.confine import adopt_orphans, confine, die_with_parent
from katakit.run.sandbox import NONE, Sandbox

PRELOAD = ("keras", "sklearn", "scikeras.wrappers", "PIL.Image", "numpy", "pytest", "hypothesis", "pytest_timeout",
           "_hypothesis_pytestplugin", "watchfiles")
PROBE_ENV = "KATAKIT_WARM_PROBE"  # the probe child's code; a test sets one that fails, to prove the fallback
PROBE = "import tensorflow as tf; assert int(tf.constant(1) + 1) == 2"
READY_TIMEOUT = 180.0  # s for the server to import everything and probe a child
# Where a fork after importing TensorFlow is unsafe whatever the probe says, runs go cold from the start.
FORK_UNSAFE = {"darwin": "macOS cannot fork a process safely once TensorFlow is loaded (its Objective-C runtime), "
                         "so each run starts a fresh Python"}


class Unavailable(Exception):
    """The warm runner cannot serve here; the message is the one line to show."""


# --- the client side ------------------------------------------------------------------------------

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
        argv = [sys.executable, "-c", "from katakit.run.warm import serve; serve()", str(self.socket)]
        self.process = subprocess.Popen(sandbox.wrap(argv, root, [self.folder], environ), cwd=root,
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        env=environ, start_new_session=True, text=True)
        self.problem = self._wait_ready()
        self.address = _reachable(self.socket)
        cold.LIVE.add(self)

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

    def start(self, request: launch.Request) -> Run:
        """Fork the run from the server; Unavailable if it cannot (the caller falls back to a cold process)."""
        if self.problem:
            raise Unavailable(self.problem)
        environ, _ = cold.prepare(request, self.sandbox)
        message = {"request": {**dataclasses.asdict(request), "seal": request.seal.hex() if request.seal else None},
                   "environ": environ, "setup": self.sandbox.setup()}
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            connection.connect(self.address)
            connection.sendall((json.dumps(message, default=str) + "\n").encode())
            reply = _read_line(connection, timeout=60)
        except OSError as error:
            connection.close()
            raise Unavailable(f"the warm server did not answer ({error})") from None
        if not reply or "started" not in reply:
            connection.close()
            raise Unavailable((reply or {}).get("error", "the warm server closed the connection"))
        return Run(connection, self.process.pid, reply["started"])

    def close(self) -> None:
        """Stop the server, and every run forked from it."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()
        cold.LIVE.discard(self)

    kill = close  # for cold.stop_all

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


class Run:
    """One forked run, seen from the client: a launch.Handle."""

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


class Runner:
    """Starts each run warm when it can, and cold when it cannot, saying so once: a runner for launch.run."""

    def __init__(self, server: Server | None, sandbox: Sandbox = NONE, say=print):
        self.server, self.sandbox, self.say, self.said = server, sandbox, say, False

    def start(self, request: launch.Request) -> launch.Handle:
        if self.server is not None:
            try:
                return self.server.start(request)
            except Unavailable as error:
                if not self.said:
                    self.say(f"warm runner unavailable ({error}): running cold processes instead")
                    self.said = True
        return cold.start(request, self.sandbox)


def _read_line(connection: socket.socket, timeout: float) -> dict | None:
    connection.settimeout(timeout)
    data = b""
    while b"\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            return None
        data += chunk
    return json.loads(data.split(b"\n", 1)[0])


def _reachable(path: Path) -> str:
    """A name for the socket that fits a unix socket address (108 bytes), however deep the project is:
    through /proc/self/fd and an open handle on its folder when the path itself is too long."""
    if len(os.fsencode(path)) < 100:
        return str(path)
    folder = os.open(path.parent, os.O_PATH)  # kept open as long as the process lives: it names the folder
    return f"/proc/self/fd/{folder}/{path.name}"


# --- the server side ------------------------------------------------------------------------------

def serve() -> None:
    """The server's main loop (run as `python -c ...serve()` SOCKET)."""
    from katakit import env

    die_with_parent()
    adopt_orphans()  # what an ended run left behind comes back here, to be ended (_end_leftovers)
    env.apply()
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    inspect.getmodule(serve.__code__)  # fills inspect's file -> module cache once: tracebacks walk it
    gc.freeze()  # what is imported stays: no child's collection walks it (and no page of it is copied)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(_reachable(Path(sys.argv[1])))
    os.chmod(sys.argv[1], 0o600)  # only the server's own user may ask it to run anything
    listener.listen(16)
    problem = _probe()
    print(f"the warm runner cannot fork a working TensorFlow here ({problem})" if problem else "ready", flush=True)
    if problem:
        return
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    children: dict[int, socket.socket] = {}  # pid -> its client's connection
    while True:
        for key, _ in selector.select(timeout=0.05):
            if key.fileobj is listener:
                connection = listener.accept()[0]
                pid = _start(connection)
                if pid:
                    children[pid] = connection
                    selector.register(connection, selectors.EVENT_READ, pid)
                else:
                    connection.close()
            else:  # a kill request, or the client went away: either way the run ends now
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(key.data, signal.SIGKILL)
                selector.unregister(key.fileobj)
        for pid in list(children):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                connection = children.pop(pid)
                code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
                with contextlib.suppress(OSError):
                    connection.sendall((json.dumps({"exit": code}) + "\n").encode())
                with contextlib.suppress(KeyError, ValueError):
                    selector.unregister(connection)
                connection.close()
                _end_leftovers(children)


def _end_leftovers(runs: dict[int, socket.socket]) -> None:
    """Kill every child of the server that is not a run: each was left behind by a run that has ended
    (a daemon that left its process group, say), and adopted by the server, their subreaper."""
    for _ in range(100):  # a leftover's own children come back to the server in turn
        leftovers = [child for child in psutil.Process().children() if child.pid not in runs]
        if not leftovers:
            return
        for child in leftovers:
            with contextlib.suppress(psutil.Error):
                child.kill()
            with contextlib.suppress(ChildProcessError):
                os.waitpid(child.pid, 0)


def _probe() -> str:
    """'' when a forked child can run a TensorFlow op, else why not."""
    try:
        pid = os.fork()
    except OSError as error:
        return f"fork failed: {error}"
    if pid == 0:
        try:
            if "tensorflow" in sys.modules or PROBE_ENV in os.environ:
                exec(os.environ.get(PROBE_ENV, PROBE), {})  # noqa: S102 -- our constant, or a test's
            os._exit(0)
        except BaseException:
            os._exit(1)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return "" if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else "a TensorFlow op failed in a child"
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return "a TensorFlow op hung in a child"


def _start(connection: socket.socket) -> int:
    """Read one request and fork its child; the child's pid, or 0 when the request was refused."""
    try:
        message = _read_line(connection, timeout=30)
        fields = message["request"]
        request = launch.Request(**{**fields, "root": Path(fields["root"]), "outcomes": Path(fields["outcomes"]),
                                    "output": Path(fields["output"]), "targets": tuple(fields["targets"]),
                                    "extra": tuple(fields["extra"]),
                                    "seal": bytes.fromhex(fields["seal"]) if fields["seal"] else None})
        pid = os.fork()
    except (OSError, ValueError, KeyError, TypeError) as error:
        with contextlib.suppress(OSError):
            connection.sendall((json.dumps({"error": f"the warm server refused the run: {error}"}) + "\n").encode())
        return 0
    if pid == 0:
        _child(request, message["environ"], message["setup"])  # never returns
    connection.sendall((json.dumps({"started": pid}) + "\n").encode())
    return pid


def _child(request: launch.Request, environ: dict, setup: dict) -> None:
    """In the forked child: become the process `python -m pytest ...` would be, then run pytest."""
    code = 70
    try:
        os.setsid()
        output = os.open(request.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.chdir(request.root)
        os.environ.clear()
        os.environ.update(environ)
        confine(setup, request.file_limit)
        seal_fd = None
        if request.seal:
            seal_fd, write = os.pipe()
            os.write(write, request.seal)
            os.close(write)
        args = launch.pytest_args(request, seal_fd)
        for name in [m for m in sys.modules if m == "katakit" or m.startswith("katakit.")]:
            del sys.modules[name]  # the harness of the run's own project, as a cold run would import it
        sys.path[:] = [str(request.root), *[p for p in sys.path[1:] if p]]
        sys.argv = ["pytest", *args]
        import pytest

        code = int(pytest.main(args))
    except BaseException as error:  # anything that escapes: say it where a cold run's traceback would go
        print(f"the warm runner's child failed: {error!r}", file=sys.stderr)
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
