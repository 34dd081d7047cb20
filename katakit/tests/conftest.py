"""The harness tests' fixtures, once: the projects katakit/tests/projects.py builds."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import pytest

from katakit.paths import ROOT
from katakit.tests import projects

# The harness's tests read English, whatever the contributor's locale (a test that wants Chinese says so).
os.environ["KATAS_LANG"] = "en"

# The golden cases are submissions, some hostile (a conftest.py that passes every spec): data, never collected.
collect_ignore = ["scenarios"]


@pytest.fixture
def demo(tmp_path) -> Path:
    """A project with the kata `demo` only, committed to git (reset and compare read the history), and the
    notebook's jupytext.toml (how Jupytext saves a kata file)."""
    root = projects.build(tmp_path, ("demo",), git=True)
    shutil.copy2(ROOT / "jupytext.toml", root)
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project with the katas `alpha` and `beta`, for the grader and its platforms."""
    return projects.build(tmp_path_factory.mktemp("grading"), ("alpha", "beta"))


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict:
    """What a hostile kata reaches for: a project with the kata `gamma`, a git clone whose reference is in
    solutions/ and its history, beside a .venv; a home folder with a file to keep; a port listening on 127.0.0.1
    (`heard`: what reached it)."""
    base = tmp_path_factory.mktemp("attacks")
    project = projects.build(base, ("gamma",), git=True, venv=True)
    home = base / "home"
    home.mkdir()
    (home / "keep-me.txt").write_text("precious")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    heard: list[bytes] = []
    stop = threading.Event()

    def listen():
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            heard.append(connection.recv(100))
            connection.close()

    threading.Thread(target=listen, daemon=True).start()
    yield {"base": base, "project": project, "home": home, "port": listener.getsockname()[1], "heard": heard}
    stop.set()
    listener.close()
