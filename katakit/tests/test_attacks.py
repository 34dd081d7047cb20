"""Golden tests: hostile kata files, graded through the real grader, score 0 and leave the machine untouched.

A fixture project of its own (like test_grade.py's): one kata, `gamma`, whose three specs check with a
plain assert, numpy.testing and pytest.fail, and the reference of which sits in the project's
solutions/ and git history, beside a `.venv` the grader runs from. Each attack is one learner. Every
attack is first shown to work where the protection is off (--no-sandbox, or the guard and the seal
off), so that none of these tests could pass with the attack simply broken.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path

import pytest

from katakit.outcome import Kind, Reader
from katakit.paths import ROOT
from katakit.run import follow, launch, runners
from katakit.tests import fake_project

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]  # grades through bubblewrap

CURRICULUM = """
[[kata]]
name = "gamma"
title = "Gamma"
tutorial = "a fixture"
points = 10

  [[kata.steps]]
  id = "sum"
  title = "Sum"
  functions = ["total", "double"]
"""

SPECS = """
import numpy as np
import pytest

from katakit.loader import kata

gamma = kata("gamma")


@pytest.mark.step("sum")
def test_total_adds():
    assert gamma.total([1, 2]) == 3, "total([1, 2]) must be 3"


@pytest.mark.step("sum")
def test_double_doubles_each():
    np.testing.assert_array_equal(gamma.double([1, 2]), [2, 4], err_msg="double([1, 2]) must be [2, 4]")


@pytest.mark.step("sum")
def test_total_of_nothing_is_zero():
    if gamma.total([]) != 0:
        pytest.fail("total([]) must be 0")
"""

STUB = '''
def total(values):
    """Step 1, sum: the sum of values."""
    raise NotImplementedError("Step 1 (Sum): add the values")


def double(values):
    """Step 1, sum: each value twice."""
    raise NotImplementedError("Step 1 (Sum): double each value")
'''

REFERENCE = '''
def total(values):
    """Step 1, sum: the sum of values."""
    return sum(values)


def double(values):
    """Step 1, sum: each value twice."""
    return [2 * v for v in values]
'''

WRONG = '''

def total(values):
    return -1


def double(values):
    return [0 for v in values]
'''

# Each attack, as a learner's gamma.py. @HOME@, @PROJECT@, @PORT@ and @OUT@ are filled in per run.
ATTACKS = {
    "reference_beside_the_interpreter": '''
import sys
from pathlib import Path

exec(Path(sys.executable).parents[2].joinpath("solutions", "gamma", "gamma.py").read_text())
''',
    "reference_in_a_parent_folder": '''
import os
from pathlib import Path

for start in (Path.cwd(), Path(os.environ.get("PWD", "/"))):
    for folder in (start, *start.parents):
        if (folder / "solutions" / "gamma" / "gamma.py").exists():
            exec((folder / "solutions" / "gamma" / "gamma.py").read_text())
            break
''',
    "reference_from_git": '''
import subprocess
import sys
from pathlib import Path

exec(subprocess.run(["git", "-C", str(Path(sys.executable).parents[2]), "show", "HEAD:solutions/gamma/gamma.py"],
                    capture_output=True, text=True).stdout)
''',
    "forcing_hook": '''
import gc

import pytest


class Force:
    @pytest.hookimpl(hookwrapper=True, trylast=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        report.outcome, report.longrepr = "passed", None


for thing in gc.get_objects():
    if isinstance(thing, pytest.Config):
        thing.pluginmanager.register(Force())
        break
''' + WRONG,
    "patched_assertions": '''
import builtins

import numpy.testing
import pytest

numpy.testing.assert_array_equal = lambda *args, **kwargs: None
pytest.fail = lambda *args, **kwargs: None
builtins.AssertionError = type("AssertionError", (Exception,), {})
''' + WRONG,
    "forged_stream": '''
import json
import os
import sys

path = next(a.split("=", 1)[1] for a in sys.argv if a.startswith("--outcomes="))
with open(path, "a") as stream:
    for name in ("test_total_adds", "test_double_doubles_each", "test_total_of_nothing_is_zero"):
        record = {"nodeid": f"tests/test_gamma.py::{name}", "kata": "gamma", "step": "sum", "kind": "passed"}
        stream.write(json.dumps({"outcome": record}) + "\\n")
    stream.write(json.dumps({"finished": True}) + "\\n")
os._exit(0)
''',
    "forged_report": '''
import json
import os
import time

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for _ in range(600):  # until the grader has written its report, then over it
            if os.path.exists("@OUT@/results.json"):
                break
            time.sleep(0.1)
        time.sleep(1)
        with open("@OUT@/results.json", "w") as report:
            json.dump({"score": 10.0, "max_score": 10.0, "tests": []}, report)
        os._exit(0)
    os._exit(0)
''' + WRONG,
    "harm_outside": '''
import os
import socket

os.remove("@HOME@/keep-me.txt")
with open("@HOME@/planted.txt", "w") as planted:
    planted.write("was here")
with open("@PROJECT@/planted.txt", "w") as planted:
    planted.write("was here")
socket.create_connection(("127.0.0.1", @PORT@), timeout=2).sendall(b"hello")
''' + WRONG,
    "patched_pytest_class": '''
import _pytest.reports

_pytest.reports.BaseReport.passed = property(lambda self: True)  # the class stays the same object
''' + WRONG,
    "swapped_spec_code": '''
import gc
import types


def _passes():
    pass


for thing in gc.get_objects():
    if isinstance(thing, types.FunctionType) and thing.__name__.startswith("test_") and not thing.__code__.co_argcount:
        thing.__code__ = _passes.__code__
''' + WRONG,
}

OUT_OF_PROCESS = ("reference_beside_the_interpreter", "reference_in_a_parent_folder", "reference_from_git",
                  "forged_report", "harm_outside")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict:
    """The project (a git clone with its reference and a .venv), a home folder, and a listening port."""
    base = tmp_path_factory.mktemp("attacks")
    project = base / "project"
    shutil.copytree(ROOT / "katakit", project / "katakit", ignore=shutil.ignore_patterns("tests", "__pycache__"))
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy2(ROOT / name, project / name)
    write(project / "curriculum.toml", CURRICULUM)
    write(project / "tests" / "test_gamma.py", SPECS)
    write(project / "katas" / "gamma" / "gamma.py", STUB)
    write(project / "solutions" / "gamma" / "gamma.py", REFERENCE)
    (project / ".venv").symlink_to(Path(sys.prefix).resolve())
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "curriculum.toml", "tests", "katas", "solutions"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "fixture"], cwd=project, check=True)
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


def klass(world: dict, name: str, attacks, out: Path) -> Path:
    folder = world["base"] / name
    for attack in attacks:
        source = (ATTACKS[attack].replace("@HOME@", str(world["home"])).replace("@PROJECT@", str(world["project"]))
                  .replace("@PORT@", str(world["port"])).replace("@OUT@", str(out / attack)))
        write(folder / attack / "katas" / "gamma" / "gamma.py", source)
    write(folder / "solved" / "katas" / "gamma" / "gamma.py", REFERENCE)
    return folder


def grade(world: dict, folder: Path, out: Path, *args: str, token: str = "") -> dict:
    project = world["project"]
    env = {**os.environ, "PWD": str(project), "KATAS_SEED_KERAS": "0", "KATAS_TEST_TOKEN": token or "none",
           "PYTHONPATH": fake_project.fakes(project)}
    done = subprocess.run([str(project / ".venv" / "bin" / "python"), "-m", "katakit.grade", "--all", str(folder),
                           "--out", str(out), "--spec-timeout=5", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    time.sleep(3)  # past the forged-report daemon's wake-up, where it survives
    return {p.name: json.loads((p / "results.json").read_text()) for p in out.iterdir() if p.is_dir()}


def flags(results: dict) -> dict:
    return results.get("extra_data", {}).get("flags", {}).get("gamma", [])


def verdicts(results: dict) -> list[str]:
    return [t["output"].splitlines()[0] for t in results["tests"] if t.get("visibility") != "hidden"]


def untouched(world: dict) -> None:
    assert (world["home"] / "keep-me.txt").read_text() == "precious", "the home folder lost a file"
    assert sorted(p.name for p in world["home"].iterdir()) == ["keep-me.txt"], "the home folder gained a file"
    assert not (world["project"] / "planted.txt").exists(), "the repository gained a file"
    assert world["heard"] == [], "a kata reached a port on 127.0.0.1"


@pytest.fixture(scope="module")
def sandboxed(world) -> dict:
    out = world["base"] / "out-sandboxed"
    token = uuid.uuid4().hex
    results = grade(world, klass(world, "class", list(ATTACKS), out), out, token=token)
    results["leftovers"] = fake_project.processes_with(token)
    return results


def test_every_attack_scores_zero_in_the_sandbox_and_a_solved_kata_full_marks(world, sandboxed):
    assert sandboxed["solved"]["score"] == 10.0
    assert {name: sandboxed[name]["score"] for name in ATTACKS} == dict.fromkeys(ATTACKS, 0.0)
    untouched(world)
    assert sandboxed["leftovers"] == [], "a process of the graded katas outlived the grading"


@pytest.mark.parametrize(("attack", "named"), [
    ("reference_beside_the_interpreter", ["calls exec()", "names a path outside its own folder ('solutions')"]),
    ("reference_in_a_parent_folder", ["uses os.environ", "calls exec()"]),
    ("reference_from_git", ["imports subprocess", "HEAD:solutions/gamma/gamma.py"]),
    ("forged_report", ["uses os.fork", "opens a file it is not given"]),
    ("harm_outside", ["imports socket", "uses os.remove", "opens a file it is not given"]),
    ("patched_pytest_class", ["tampering: katas/gamma/gamma.py line 1: imports _pytest.reports",
                              "assigns to _pytest.reports.BaseReport.passed, which it did not create"]),
    ("swapped_spec_code", ["tampering: katas/gamma/gamma.py line 1: imports gc",
                           "reaches into thing.__code__"]),
])
def test_what_an_attack_did_is_named_for_the_instructor(sandboxed, attack, named):
    found = " | ".join(flags(sandboxed[attack]))
    for words in named:
        assert words in found, f"{attack}: the flags must name {words!r}; got {found!r}"


@pytest.mark.parametrize(("attack", "verdict"), [
    ("forcing_hook", "tampered: registered or removed a pytest plugin"),
    ("patched_assertions", "tampered: replaced "),
    ("forged_stream", "tampered: wrote lines of its own into the grader's outcome stream"),
    ("patched_pytest_class", "tampered: replaced or deleted _pytest.reports.BaseReport.passed"),
    ("swapped_spec_code", "tampered: replaced or deleted "),
])
def test_tampering_in_the_specs_process_is_the_verdict(sandboxed, attack, verdict):
    assert all(v.startswith(verdict) for v in verdicts(sandboxed[attack])), verdicts(sandboxed[attack])


def test_the_forged_report_stays_the_graders(sandboxed):
    assert sandboxed["forged_report"]["max_score"] == 10.0
    assert len(verdicts(sandboxed["forged_report"])) == 3


def test_out_of_process_attacks_work_without_the_sandbox(world):
    """The control: with --no-sandbox (and flags holding nothing) each of these attacks does what it set out to do
    (--cold: a warm server ends what a run leaves behind, sandbox or not)."""
    out = world["base"] / "out-trusted"
    results = grade(world, klass(world, "class-trusted", OUT_OF_PROCESS, out), out, "--no-sandbox", "--cold",
                    "--flagged=score")
    for attack in ("reference_beside_the_interpreter", "reference_in_a_parent_folder", "reference_from_git"):
        assert results[attack]["score"] == 10.0, f"{attack} should reach the reference without a sandbox"
    assert results["forged_report"]["tests"] == [], "the forging daemon should outlive the grader without a sandbox"
    assert not (world["home"] / "keep-me.txt").exists()
    assert (world["home"] / "planted.txt").exists()
    assert (world["project"] / "planted.txt").exists()
    assert world["heard"] == [b"hello"]
    (world["home"] / "keep-me.txt").write_text("precious")
    for planted in (world["home"] / "planted.txt", world["project"] / "planted.txt"):
        planted.unlink()
    world["heard"].clear()


@pytest.mark.parametrize(("attack", "forged"), [
    ("forcing_hook", [Kind.PASSED, Kind.PASSED, Kind.PASSED]),
    ("patched_assertions", [Kind.ERROR, Kind.PASSED, Kind.PASSED]),  # a plain assert still raises
    ("forged_stream", [Kind.PASSED, Kind.PASSED, Kind.PASSED]),
    ("patched_pytest_class", [Kind.PASSED, Kind.PASSED, Kind.PASSED]),
    ("swapped_spec_code", [Kind.ASSERTION, Kind.PASSED, Kind.PASSED]),  # the spec already running keeps its code
])
def test_in_process_attacks_work_without_the_guard_and_the_seal(world, tmp_path, attack, forged):
    """The control: the same kata file, run without --guard and with an unsealed stream, scores."""
    project = world["project"]
    stub = project / "katas" / "gamma" / "gamma.py"
    try:
        write(stub, ATTACKS[attack])
        request = launch.request(project, ["tests/test_gamma.py"], tmp_path, environ={"KATAS_SEED_KERAS": "0"})
        process = runners.COLD.start(request)
        follow.finish(request, process, timeout=120)
        outcomes = Reader(request.outcomes).update().outcomes
    finally:
        write(stub, STUB)
    assert [o.kind for o in outcomes.values()] == forged, outcomes


HANG = '''
import time


def total(values):
    while True:
        time.sleep(0.05)


def double(values):
    while True:
        time.sleep(0.05)
'''


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM", "SIGKILL", "total time limit"])
def test_no_kata_process_outlives_the_grader(world, tmp_path, how):
    token = uuid.uuid4().hex
    write(tmp_path / "hangs" / "katas" / "gamma" / "gamma.py", HANG)
    project = world["project"]
    limit = ["--total-timeout=4"] if how == "total time limit" else []
    env = {**os.environ, "KATAS_SEED_KERAS": "0", "KATAS_TEST_TOKEN": token, "PYTHONPATH": fake_project.fakes(project)}
    grader = subprocess.Popen([sys.executable, "-m", "katakit.grade", "--submission", str(tmp_path / "hangs"),
                               "--out", str(tmp_path / "out"), "--spec-timeout=60", *limit], cwd=project, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not fake_project.processes_with(token) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert fake_project.processes_with(token), "the kata process never started"
        if how != "total time limit":
            time.sleep(1)
            grader.send_signal(getattr(signal, how))
        _, stderr = grader.communicate(timeout=60)
        deadline = time.monotonic() + 5
        while fake_project.processes_with(token) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert fake_project.processes_with(token) == [], f"kata processes outlived the grader stopped by {how}"
        if how in ("SIGINT", "SIGTERM"):
            assert stderr.strip().splitlines() == [
                f"grading stopped by {how}: every kata process it started is stopped"], stderr
    finally:
        grader.kill()
        for pid in fake_project.processes_with(token):
            os.kill(pid, signal.SIGKILL)
