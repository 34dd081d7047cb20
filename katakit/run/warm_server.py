"""The warm runner's server: one process imports Keras (and TensorFlow with it), scikit-learn, scikeras,
pytest and Hypothesis once; every run is a child forked from it, which runs exactly what
`python -m pytest` would. Its client, the runner the callers hold, is warm.py.

The server never runs a TensorFlow op (TensorFlow is not fork-safe once its runtime has started): it
only imports. At start it forks one probe child that does run an op; if that fails, the server says
so and every run falls back to a cold process, with one line on the screen. A child imports the harness
afresh from its own project (the server may serve scratch copies of the project), chdirs there, takes
the run's environment, limits and user, and exits with pytest's status. The server dies with whoever
started it, every child dies with the server, and what an ended run left behind (a daemon in a session
of its own) comes back to the server, which ends it.

Protocol, one JSON object per line on a unix socket, one connection per run:
    client -> {"request": launch.encode(request), "environ": {...}, "setup": {...}}
    server -> {"started": pid} (in the server's pid namespace) or {"error": "..."}; later {"exit": status}
              (negative: killed by that signal)
    client -> {"kill": true}, or closing the connection: the run's process group is killed
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import inspect
import json
import os
import selectors
import signal
import socket
import sys
import time
from pathlib import Path

import psutil

from katakit import env
from katakit.run import launch
from katakit.run.processes import adopt_orphans, confine, die_with_parent, key_pipe

PRELOAD = ("keras", "sklearn", "scikeras.wrappers", "PIL.Image", "numpy", "pytest", "hypothesis", "pytest_timeout",
           "_hypothesis_pytestplugin", "watchfiles")
PROBE_ENV = "KATAKIT_WARM_PROBE"  # the probe child's code; a test sets one that fails, to prove the fallback
PROBE = "import tensorflow as tf; assert int(tf.constant(1) + 1) == 2"


def read_line(connection: socket.socket, timeout: float) -> dict | None:
    """One message of the protocol (None: the other side closed the connection first)."""
    connection.settimeout(timeout)
    data = b""
    while b"\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            return None
        data += chunk
    return json.loads(data.split(b"\n", 1)[0])


def reachable(path: Path) -> str:
    """A name for the socket that fits a unix socket address (108 bytes), however deep the project is:
    through /proc/self/fd and an open handle on its folder when the path itself is too long."""
    if len(os.fsencode(path)) < 100:
        return str(path)
    folder = os.open(path.parent, os.O_PATH)  # kept open as long as the process lives: it names the folder
    return f"/proc/self/fd/{folder}/{path.name}"


def serve() -> None:
    """The server's main loop (run as `python -c ...serve()` SOCKET)."""
    die_with_parent()
    adopt_orphans()  # what an ended run left behind comes back here, to be ended (_end_leftovers)
    env.apply()
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    inspect.getmodule(serve.__code__)  # fills inspect's file -> module cache once: tracebacks walk it
    gc.freeze()  # what is imported stays: no child's collection walks it (and no page of it is copied)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(reachable(Path(sys.argv[1])))
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
        message = read_line(connection, timeout=30)
        request = launch.decode(message["request"])
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
        seal_fd = key_pipe(request.seal) if request.seal else None
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
