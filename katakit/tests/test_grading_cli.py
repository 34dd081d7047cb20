"""The grader's command line with bad input: one line, exit status 2, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from katakit.tests import test_grade
from katakit.tests.test_grade import SOLUTIONS, STUBS, run_grader, write

pytestmark = pytest.mark.sandbox  # grades through bubblewrap

project = test_grade.project  # the fixture project of the grader's golden tests


def grader(*args: str, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "katakit.grade", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd, timeout=300)


def one_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_a_submission_that_is_not_a_folder(tmp_path):
    line = one_line(grader("--submission", str(tmp_path / "nothing-here")))
    assert "nothing-here is not a folder" in line


def test_a_class_that_is_not_a_folder(tmp_path):
    (tmp_path / "a-file").write_text("x")
    assert "a-file is not a folder" in one_line(grader("--all", str(tmp_path / "a-file")))


def test_an_unknown_kata(tmp_path):
    assert "no kata named 'nope'" in one_line(grader("--kata", "nope"))


def test_a_sandbox_that_cannot_start_names_the_package_and_the_way_out(tmp_path):
    line = one_line(grader("--submission", str(tmp_path), env={"KATAKIT_BWRAP": str(tmp_path / "no-bwrap")}))
    assert "bubblewrap" in line
    assert "--no-sandbox" in line


def test_a_submission_without_a_kata_file_says_so_in_one_line(project, tmp_path):
    (tmp_path / "empty" / "notes").mkdir(parents=True)
    done = run_grader(project, "--submission", str(tmp_path / "empty"), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stdout.splitlines() if "no kata file" in line]
    assert said == [f"{tmp_path / 'empty'} has no katas/ folder and no kata file: graded as the untouched stubs."]
    assert json.loads((tmp_path / "out" / "results.json").read_text())["score"] == 0.0


def test_a_kata_file_that_does_not_parse_gets_a_verdict_naming_the_line(project, tmp_path):
    write(tmp_path / "broken" / "katas" / "alpha" / "alpha.py", textwrap.dedent(STUBS["alpha"]) + "\ndef oops(:\n")
    write(tmp_path / "broken" / "katas" / "beta" / "beta.py", STUBS["beta"])
    done = run_grader(project, "--submission", str(tmp_path / "broken"), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if line.split()[1:2] == ["alpha"])
    assert "katas/alpha/alpha.py does not parse (line 10)" in row, row


def test_the_hypothesis_seed_is_recorded_and_reruns_the_same_draws(project, tmp_path):
    write(tmp_path / "someone" / "katas" / "alpha" / "alpha.py", STUBS["alpha"])
    write(tmp_path / "someone" / "katas" / "beta" / "beta.py", STUBS["beta"])
    seeds = []
    for run in ("first", "second"):
        out = tmp_path / run
        done = run_grader(project, "--submission", str(tmp_path / "someone"), "--out", str(out), "--seed", "1234")
        assert done.returncode == 0, done.stderr
        seeds.append(json.loads((out / "results.json").read_text())["extra_data"]["hypothesis_seed"])
    assert seeds == [1234, 1234]
    done = run_grader(project, "--submission", str(tmp_path / "someone"), "--out", str(tmp_path / "third"))
    assert isinstance(json.loads((tmp_path / "third" / "results.json").read_text())["extra_data"]["hypothesis_seed"],
                      int)


def test_a_submission_folder_that_is_a_link_grades_the_folder_it_points_to(project, tmp_path):
    """The instructor named the link: it is followed (links inside the submission never are)."""
    for kata in ("alpha", "beta"):
        write(tmp_path / "real" / "katas" / kata / f"{kata}.py", SOLUTIONS[kata])
    (tmp_path / "named").symlink_to(tmp_path / "real")
    done = run_grader(project, "--submission", str(tmp_path / "named"), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "out" / "results.json").read_text())["score"] == 16.0


def test_a_link_loop(tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    line = one_line(grader("--submission", str(tmp_path / "loop")))
    assert line.endswith("loop is a symbolic link that leads to no folder (a loop, or a missing target): give the "
                         "folder that holds the learner's katas/ (or their <kata>.py files)"), line


def test_a_path_of_4000_characters(tmp_path):
    line = one_line(grader("--all", str(tmp_path / ("d" * 4000))))
    assert "...(4,0" in line
    assert "cannot be read (File name too long)" in line


def test_a_release_of_an_unknown_kata_or_learner(tmp_path):
    (tmp_path / "class" / "alice").mkdir(parents=True)
    assert "--release alice:nope: no kata named 'nope'" in one_line(
        grader("--all", str(tmp_path / "class"), "--release", "alice:nope"))
    assert "--release: no learner folder bob in" in one_line(
        grader("--all", str(tmp_path / "class"), "--release", "bob:first_network"))
    assert "--release: the submission is alice, not bob" in one_line(
        grader("--submission", str(tmp_path / "class" / "alice"), "--release", "bob:first_network"))


def test_grading_one_kata_holds_it_only_for_its_own_files(project, tmp_path):
    """beta's file imports gc: grading alpha alone must not count beta's folder as shared with alpha."""
    write(tmp_path / "someone" / "katas" / "alpha" / "alpha.py", SOLUTIONS["alpha"])
    write(tmp_path / "someone" / "katas" / "beta" / "beta.py", "import gc\n" + textwrap.dedent(SOLUTIONS["beta"]))
    done = run_grader(project, "--submission", str(tmp_path / "someone"), "--out", str(tmp_path / "out"),
                      "--kata", "alpha")
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert (results["score"], results["extra_data"]["flags"], results["extra_data"]["held"]) == (10.0, {}, {})
