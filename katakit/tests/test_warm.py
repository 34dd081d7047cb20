"""The warm runner: `make watch` on it, as a learner runs it, and the fall back to cold processes.

The `demo` fixture (katakit/tests/projects.py), with a stand-in keras, so that the server starts in a moment.
That a warm run gives the same outcomes and messages as a cold one, for all ten katas, is stage (e) of
`make check`, which runs both anyway.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

from katakit.run import follow, launch, runners, sandbox, tree, warm, warm_server
from katakit.tests import projects

pytestmark = pytest.mark.slow


class Watch:
    """`python -m katakit watch demo` in the fake project, read as its screen fills."""

    def __init__(self, root: Path, *args: str, env: dict | None = None):
        self.token = uuid.uuid4().hex
        environ = projects.environ(root, PYTHONUNBUFFERED="1", KATAS_TEST_TOKEN=self.token, **(env or {}))
        self.process = subprocess.Popen([sys.executable, "-m", "katakit", "watch", *args], cwd=root,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environ)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ)
        self.seen = b""

    def until(self, text: str, timeout: float = 60) -> str:
        """Everything printed up to `text` (which must appear within `timeout` s)."""
        deadline = time.monotonic() + timeout
        while text.encode() not in self.seen:
            assert time.monotonic() < deadline, f"no {text!r} on the screen; it shows:\n{self.seen.decode()}"
            if self.selector.select(timeout=0.1):
                chunk = os.read(self.process.stdout.fileno(), 65536)
                assert chunk, f"the watch ended before {text!r}:\n{self.seen.decode()}"
                self.seen += chunk
        shown, self.seen = self.seen.split(text.encode(), 1)
        return shown.decode() + text

    def stop(self) -> str:
        self.process.send_signal(signal.SIGINT)
        rest, _ = self.process.communicate(timeout=30)
        return (self.seen + rest).decode()


def save(root: Path, text: str) -> None:
    time.sleep(0.3)  # one save, one event
    (root / "katas" / "demo" / "demo.py").write_text(text)


def test_watch_reruns_on_save_shows_a_syntax_error_cancels_a_run_saved_over_and_leaves_nothing_behind(demo):
    stub = (demo / "katas" / "demo" / "demo.py").read_text()
    todo = 'raise NotImplementedError("Step 1 (First things): return twice x")'
    slow = stub.replace(todo, "import time\n    time.sleep(20)\n    return 2 * x")
    watch = Watch(demo, "demo")
    try:
        assert "demo: step 1 of 2, First things" in watch.until("next:")
        save(demo, stub.replace(todo, "return 2 * x"))
        assert "demo: step 2 of 2, Second things" in watch.until("next:")
        save(demo, stub + "\ndef broken(:\n")
        shown = watch.until("next:")
        assert "katas/demo/demo.py does not parse (line 13)" in shown, shown
        assert "Traceback" not in shown
        assert (demo / ".progress" / "warm" / "warm.sock").exists()
        save(demo, slow)
        watch.until("watching katas/demo/")  # this save's run has started
        save(demo, slow.replace("time.sleep(20)", "time.sleep(0)") + "\n# second save\n")
        shown = watch.until("next:", timeout=60)
        # Had the first run gone on to its end, its screen would come first, with no header before it.
        assert shown.count("watching katas/demo/") == 1, "the second save must cancel the run and start again"
    finally:
        said = watch.stop()
    assert watch.process.returncode == 0
    assert said.rstrip().endswith("stopped watching")
    assert projects.processes_with(watch.token) == [], "the warm server or a run outlived the watch"
    assert not (demo / ".progress" / "warm" / "warm.sock").exists()


def test_a_server_killed_mid_watch_falls_back_and_the_next_watch_starts_cleanly(demo):
    watch = Watch(demo, "demo")
    try:
        watch.until("next:")
        server = next(pid for pid in projects.processes_with(watch.token) if pid != watch.process.pid)
        os.kill(server, signal.SIGKILL)
        save(demo, (demo / "katas" / "demo" / "demo.py").read_text() + "\n# again\n")
        shown = watch.until("next:")
        assert "running cold processes instead" in shown, shown
    finally:
        watch.stop()
    again = Watch(demo, "demo")
    try:
        shown = again.until("next:")
        assert "cold processes" not in shown, "a stale socket must not stop the next watch"
    finally:
        again.stop()


def test_watch_of_an_unknown_kata_lists_the_katas(demo):
    done = projects.katakit(demo, "watch", "nope")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["no kata named 'nope' in curriculum.toml (katas: demo)"]


def cold_fallback(demo, monkeypatch, **server) -> tuple[list[str], list[str]]:
    """One run of the demo kata's first spec through a warm runner whose server is `server`'s: its kinds, and
    what the runner said."""
    for name, value in projects.environ(demo).items():
        monkeypatch.setenv(name, value)
    said: list[str] = []
    with warm.Server(demo.parent / "server", root=demo, **server) as server_:
        if server.get("platform") == "darwin":
            assert server_.process is None, "no server may fork after TensorFlow on macOS"
        else:
            assert "cannot fork a working TensorFlow" in server_.problem
        run = runners.run_katas(projects.records("demo"), root=demo, runner=runners.make(server_, say=said.append),
                         extra=("-k", "test_double_doubles"))
    return [o.kind for o in run.outcomes], said


def test_when_a_child_cannot_run_tensorflow_the_runs_go_cold_with_one_line(demo, monkeypatch):
    monkeypatch.setenv(warm_server.PROBE_ENV, "raise SystemExit(1)")
    kinds, said = cold_fallback(demo, monkeypatch)
    assert kinds == ["todo"]
    assert len(said) == 1
    assert said[0].startswith("warm runner unavailable (the warm runner cannot fork a working TensorFlow here")


def test_on_macos_no_server_starts_and_the_runs_go_cold_with_one_line_that_says_why(demo, monkeypatch):
    kinds, said = cold_fallback(demo, monkeypatch, platform="darwin")
    assert kinds == ["todo"]
    assert said == ["warm runner unavailable (macOS cannot fork a process safely once TensorFlow is loaded "
                    "(its Objective-C runtime), so each run starts a fresh Python): running cold processes instead"]


DAEMON = projects.SOLUTIONS["demo"].replace('    return 2 * x', '''    import os
    import time

    if os.fork() == 0:
        os.setsid()  # out of the run's process group and session: a kill of those misses it
        if os.fork() == 0:
            time.sleep(60)
        os._exit(0)
    return 2 * x''')


@pytest.mark.parametrize("sandboxed", [False, True], ids=["no sandbox", "bubblewrap"])
def test_a_run_is_found_by_its_pid_and_what_it_leaves_behind_ends_with_it(tmp_path, monkeypatch, sandboxed):
    root = projects.build(tmp_path, ("demo",))
    projects.write(root / "katas" / "demo" / "demo.py", DAEMON)
    token = uuid.uuid4().hex
    for name, value in (("KATAS_SEED_KERAS", "0"), ("PYTHONPATH", projects.fakes(root)),
                        ("KATAS_TEST_TOKEN", token)):
        monkeypatch.setenv(name, value)
    box = sandbox.bubblewrap() if sandboxed else sandbox.NONE
    runs = tmp_path / "runs"
    with warm.Server(runs, box, root=root) as server:
        assert not server.problem, server.problem
        own = {process.pid for process in tree.members(server.process.pid)}  # the server, and bubblewrap's
        request = launch.request(root, ["tests/test_demo.py"], runs, extra=("-k", "double_doubles"))
        handle = server.start(request)
        assert psutil.Process(handle.pid).ppid() in own, "the run's pid as this process sees it"
        outcomes = follow.finish(request, handle).outcomes
        assert [o.kind for o in outcomes] == ["passed"]
        deadline = time.monotonic() + 5
        while set(projects.processes_with(token)) - own:
            assert time.monotonic() < deadline, "the run's daemon outlived it while the server goes on"
            time.sleep(0.1)
