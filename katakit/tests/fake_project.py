"""A throwaway project with one fake, Keras-free kata, for testing the harness quickly."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from katakit import workspace
from katakit.paths import ROOT

MANIFEST = '''
[[kata]]
name = "demo"
title = "A demo kata"
tutorial = "none"
points = 10

  [[kata.steps]]
  id = "first"
  title = "First things"
  functions = ["double"]

  [[kata.steps]]
  id = "second"
  title = "Second things"
  functions = ["shout"]
'''

STUB = '''\
# %% Setup
# %% Step 1: First things
def double(x):
    """Step 1, first things: twice x."""
    raise NotImplementedError("Step 1 (First things): return twice x")


# %% Step 2: Second things
def shout(text):
    """Step 2, second things: text in capitals."""
    raise NotImplementedError("Step 2 (Second things): return text.upper()")
'''

SOLUTION = '''\
# %% Setup
# %% Step 1: First things
def double(x):
    """Step 1, first things: twice x."""
    return 2 * x


# %% Step 2: Second things
def shout(text):
    """Step 2, second things: text in capitals."""
    return text.upper()
'''

SPEC = '''
import pytest

from katakit.loader import kata

demo = kata("demo")


@pytest.mark.step("second")
def test_shout_capitalises():
    assert demo.shout("hi") == "HI", f"step 2: shout('hi') must be 'HI', got {demo.shout('hi')!r}"


@pytest.mark.step("first")
def test_double_doubles():
    assert demo.double(2) == 4, f"step 1: double(2) must be 4, got {demo.double(2)!r}"


@pytest.mark.step("first")
def test_double_handles_zero():
    assert demo.double(0) == 0
'''

HINTS = """# Hints

## first
Multiply.
---
`return 2 * x`

## second
A str method.
"""


def make(tmp_path: Path, stub: str = STUB) -> Path:
    """A project under tmp_path with the fake kata `demo` (and only it) in its manifest."""
    root = workspace.make(ROOT / "katas", where=tmp_path)
    (root / "curriculum.toml").write_text(MANIFEST, encoding="utf-8")
    for folder, text in (("katas", stub), ("solutions", SOLUTION)):
        (root / folder / "demo").mkdir(parents=True, exist_ok=True)
        (root / folder / "demo" / "demo.py").write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "katas" / "demo" / "HINTS.md").write_text(HINTS, encoding="utf-8")
    (root / "katas" / "demo" / "README.md").write_text("# demo", encoding="utf-8")
    for old in (root / "tests").glob("test_*.py"):
        old.unlink()
    (root / "tests" / "test_demo.py").write_text(SPEC, encoding="utf-8")
    return root


FAKE_KERAS = '''"""Stands in for keras in the harness's tests: the fake katas never touch it, and the warm server
then starts in a moment instead of importing TensorFlow."""
'''


def fakes(root: Path) -> str:
    """A folder, beside the fake project, whose stand-in keras goes first on PYTHONPATH."""
    folder = root.parent / "fakes"
    (folder / "keras").mkdir(parents=True, exist_ok=True)
    (folder / "keras" / "__init__.py").write_text(FAKE_KERAS, encoding="utf-8")
    return str(folder)


def katakit(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `python -m katakit ARGS` in the fake project."""
    env = {**os.environ, "KATAS_SEED_KERAS": "0", "PYTHONPATH": fakes(root)}
    return subprocess.run([sys.executable, "-m", "katakit", *args], cwd=root, capture_output=True,
                          text=True, env=env, timeout=120)


def processes_with(token: str) -> list[int]:
    """The processes whose environment carries KATAS_TEST_TOKEN=`token`: a test gives the token to what it
    starts (the grader and the watch pass it on to every process of theirs, sandboxed or not)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and f"KATAS_TEST_TOKEN={token}".encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found
