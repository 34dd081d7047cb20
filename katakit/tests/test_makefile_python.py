"""The Makefile builds .venv only with a Python that TensorFlow 2.21 has wheels for (katakit/python.sh), and
otherwise says so in one line; on Windows outside WSL it says where to run it. Fake interpreters print a
version, as `python3 --version` does; the venv is never built here (make -n, or make stops first)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from katakit.paths import ROOT

TOOLS = ("sh", "sed", "cksum", "cut", "cat", "dirname", "rm", "make")


@pytest.fixture
def makefile(tmp_path):
    """A copy of what the Makefile reads, and a PATH of the few tools it uses plus fake Pythons."""
    root = tmp_path / "project"
    (root / "katakit").mkdir(parents=True)
    for name in ("Makefile", "requirements.txt", "requirements-notebook.txt", "requirements-grading.txt",
                 "requirements-dev.txt"):
        shutil.copy(ROOT / name, root / name)
    shutil.copy(ROOT / "katakit" / "python.sh", root / "katakit" / "python.sh")
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in TOOLS:
        (tools / tool).symlink_to(shutil.which(tool))
    return root


def fake_python(root: Path, name: str, version: str) -> None:
    path = root.parent / "bin" / name
    path.write_text(f'#!/bin/sh\necho "Python {version}"\n')
    path.chmod(0o755)


def make(root: Path, *args: str, **environ: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", *args], cwd=root, capture_output=True, text=True,
                          env={"PATH": str(root.parent / "bin"), **environ})


def test_a_python3_too_new_with_no_other_stops_in_one_line_naming_the_versions_and_the_way_out(makefile):
    fake_python(makefile, "python3", "3.14.0")
    done = make(makefile, "test")
    assert done.returncode != 0
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    for said in ("python3 is Python 3.14.0", "Python 3.11 to 3.13", "PYTHON=python3.12 make test",
                 "uv python install 3.12"):
        assert said in line
    assert not (makefile / ".venv").exists()


def test_a_python_set_by_the_user_is_refused_not_replaced(makefile):
    fake_python(makefile, "py310", "3.10.12")
    fake_python(makefile, "python3.12", "3.12.9")
    done = make(makefile, "test", PYTHON="py310")
    (line,) = done.stderr.splitlines()
    assert done.returncode != 0
    assert "PYTHON=py310 is Python 3.10.12" in line


def test_a_python3_too_new_gives_way_to_the_newest_supported_one_and_says_so(makefile):
    fake_python(makefile, "python3", "3.14.0")
    fake_python(makefile, "python3.11", "3.11.9")
    fake_python(makefile, "python3.12", "3.12.9")
    done = make(makefile, "-n", "test")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == ["python3 is Python 3.14.0, which TensorFlow 2.21 has no wheel for: "
                                        "using python3.12 (Python 3.12.9)"]
    assert "python3.12 -m venv .venv" in done.stdout


def test_a_supported_python3_is_used_as_it_is(makefile):
    fake_python(makefile, "python3", "3.13.1")
    done = make(makefile, "-n", "test")
    assert done.returncode == 0
    assert done.stderr == ""
    assert "python3 -m venv .venv" in done.stdout


def test_from_git_bash_or_powershell_make_says_to_use_wsl_in_one_line(makefile):
    done = make(makefile, "test", OS="Windows_NT")
    (line,) = done.stderr.splitlines()
    assert done.returncode != 0
    assert "WSL 2" in line
