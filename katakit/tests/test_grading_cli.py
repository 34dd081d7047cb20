"""The grader's command line: one submission's screen and options, and bad input (one line, exit status 2,
never a traceback). The grader's golden cases are katakit/tests/scenarios/ (test_scenarios.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from katakit import timings
from katakit.tests.fixture_katas import SOLUTIONS, STUBS
from katakit.tests.projects import SCENARIOS, write
from katakit.tests.projects import grader as run_grader

pytestmark = pytest.mark.sandbox  # grades through bubblewrap


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
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert results["score"] == 0.0
    assert isinstance(results["extra_data"]["hypothesis_seed"], int), "without --seed, a fresh seed is recorded"


def test_a_kata_file_that_does_not_parse_gets_a_verdict_naming_the_line(project, tmp_path):
    write(tmp_path / "broken" / "katas" / "alpha" / "alpha.py", STUBS["alpha"] + "\ndef oops(:\n")
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


def test_one_submission_prints_a_line_per_kata_and_may_be_a_link(project, tmp_path):
    """The instructor named a link: it is followed (links inside the submission never are). Without a flat limit
    each spec has its own, as the first line says; the reports are those of the same learner in a class."""
    (tmp_path / "named").symlink_to(SCENARIOS / "grade" / "reference")
    done = run_grader(project, "--submission", str(tmp_path / "named"), "--out", str(tmp_path / "out"),
                      spec_timeout=None)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    floor = timings.GRADING_FLOOR
    assert f"each spec 10x its reference's time, at least {floor:g} s" in lines[0], lines[0]
    assert any(line.split()[:4] == ["1", "alpha", "4/4", "10.00"] for line in lines), done.stdout
    assert any(line.split()[:4] == ["2", "beta", "3/3", "6.00"] for line in lines), done.stdout
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    expected = json.loads((SCENARIOS / "grade" / "reference" / "expected.json").read_text())
    assert {t["name"]: [t["score"], t["max_score"], t["status"], t["output"].splitlines()[0]]
            for t in results["tests"] if t.get("visibility") != "hidden"} == expected["tests"]
    assert (tmp_path / "out" / "junit.xml").is_file()


def test_a_total_time_limit_still_lists_every_kata(project, tmp_path):
    """Under Gradescope's timeout nothing would be reported at all: the grader stops first, and says so."""
    done = run_grader(project, "--submission", str(SCENARIOS / "grade" / "reference"), "--out", str(tmp_path),
                      "--total-timeout=0.001")
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((tmp_path / "results.json").read_text())
    assert (results["score"], results["max_score"]) == (0.0, 16.0)
    assert [(t["name"], t["max_score"], t["output"]) for t in results["tests"] if t.get("visibility") != "hidden"] == [
        (f"{kata}: no spec ran", points, "not run: the time limit of the whole grading (0.001 s) ran out first.")
        for kata, points in (("alpha", 10.0), ("beta", 6.0))]


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
    write(tmp_path / "someone" / "katas" / "beta" / "beta.py", "import gc\n" + SOLUTIONS["beta"])
    done = run_grader(project, "--submission", str(tmp_path / "someone"), "--out", str(tmp_path / "out"),
                      "--kata", "alpha")
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert (results["score"], results["extra_data"]["flags"], results["extra_data"]["held"]) == (10.0, {}, {})
