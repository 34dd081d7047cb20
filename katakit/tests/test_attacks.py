"""Hostile kata files where the protection is off: each attack of katakit/tests/scenarios/attacks/ shown to work
without the sandbox, or without the guard and the seal, so that none of the scenarios could pass with the attack
simply broken; and no kata process outliving the grader, however it is stopped.

The scenario runner (test_scenarios.py) grades the attacks in bubblewrap, against the `world` fixture: the kata
`gamma` in a git clone whose reference is in solutions/ and its history, beside a .venv.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid

import pytest

from katakit.tests import projects
from katakit.tests.projects import SCENARIOS, write

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]  # grades through bubblewrap

ATTACKS = SCENARIOS / "attacks"
# What each in-process attack makes of gamma's three specs where nothing guards them.
FORGED = {
    "forcing_hook": ["passed", "passed", "passed"],
    "patched_assertions": ["error", "passed", "passed"],  # a plain assert still raises
    "forged_stream": ["passed", "passed", "passed"],
    "patched_pytest_class": ["passed", "passed", "passed"],
    "swapped_spec_code": ["assertion", "passed", "passed"],  # the spec already running keeps its code
}
OUT_OF_PROCESS = ("reference_beside_the_interpreter", "reference_in_a_parent_folder", "reference_from_git",
                  "forged_report", "harm_outside")


def test_out_of_process_attacks_work_without_the_sandbox(world):
    """The control: with --no-sandbox (and flags holding nothing) each of these attacks does what it set out to do
    (--cold: a warm server ends what a run leaves behind, sandbox or not)."""
    folder, out = world["base"] / "class-trusted", world["base"] / "out-trusted"
    places = projects.placeholders(world, out)
    for attack in OUT_OF_PROCESS:
        projects.place(ATTACKS / attack, folder, places)
    token = uuid.uuid4().hex
    done = projects.grader(world["project"], "--all", str(folder), "--out", str(out), "--spec-timeout=5",
                           "--no-sandbox", "--cold", "--flagged=score", KATAS_TEST_TOKEN=token)
    assert done.returncode == 0, done.stdout + done.stderr
    deadline = time.monotonic() + 30  # the forging daemon writes a second after the grader's report, then ends
    while projects.processes_with(token) and time.monotonic() < deadline:
        time.sleep(0.1)
    results = {p.name: json.loads((p / "results.json").read_text()) for p in out.iterdir() if p.is_dir()}
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


def test_in_process_attacks_work_without_the_guard_and_the_seal(tmp_path):
    """The control: the same kata files, run without --guard and with an unsealed stream, score."""
    roots = {}
    for attack in FORGED:
        roots[attack] = projects.build(tmp_path / attack, ("gamma",))
        shutil.copy2(ATTACKS / attack / "katas" / "gamma" / "gamma.py", roots[attack] / "katas" / "gamma")
    outcomes = projects.unguarded(roots, "gamma", tmp_path / "runs")
    assert {attack: [o.kind for o in found] for attack, found in outcomes.items()} == FORGED

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
    env = projects.environ(project, KATAS_TEST_TOKEN=token)
    grader = subprocess.Popen([sys.executable, "-m", "katakit.grade", "--submission", str(tmp_path / "hangs"),
                               "--out", str(tmp_path / "out"), "--spec-timeout=60", *limit], cwd=project, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not projects.processes_with(token) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert projects.processes_with(token), "the kata process never started"
        if how != "total time limit":
            time.sleep(1)
            grader.send_signal(getattr(signal, how))
        _, stderr = grader.communicate(timeout=60)
        deadline = time.monotonic() + 5
        while projects.processes_with(token) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert projects.processes_with(token) == [], f"kata processes outlived the grader stopped by {how}"
        if how in ("SIGINT", "SIGTERM"):
            assert stderr.strip().splitlines() == [
                f"grading stopped by {how}: every kata process it started is stopped"], stderr
    finally:
        grader.kill()
        for pid in projects.processes_with(token):
            os.kill(pid, signal.SIGKILL)
