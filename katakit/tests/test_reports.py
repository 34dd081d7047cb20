"""The grader's verdicts (katakit/grading/verdicts.py) and reports (katakit/grading/reports.py) on hand-built
outcome records: no kata is run. The scenario runner (test_scenarios.py) shows the same words in real runs."""

from __future__ import annotations

import csv
import signal
from pathlib import Path

import pytest

from katakit import manifest, outcome
from katakit.grading import reports, verdicts
from katakit.grading.integrity import Flag
from katakit.grading.model import Grade, KataResult, Limits
from katakit.outcome import SpecOutcome
from katakit.tests import projects

ALPHA, BETA = projects.records("alpha", "beta")


def spec(kata: manifest.Kata, step: str, name: str, kind: str, message: str = "", detail: str = "") -> SpecOutcome:
    return SpecOutcome(nodeid=f"tests/test_{kata.name}.py::{name}", kata=kata.name, step=step, kind=kind,
                       message=message, detail=detail, seconds=0.5)


def graded(kind: str, message: str = "why", detail: str = "") -> str:
    return verdicts.graded(spec(ALPHA, "add", "test_add", kind, message, detail), spec_limit=4, output_mb=5).message


# --- verdicts -------------------------------------------------------------------------------------------------

def test_each_kind_s_verdict_opens_with_what_happened():
    assert graded("passed") == ""
    assert graded("assertion", "step 1 (Add): add(2, 3) must be 5", "assert 4 == 5") == (
        "step 1 (Add): add(2, 3) must be 5\n\nassert 4 == 5")
    assert graded("assertion", "same", "same") == "same", "a detail that only repeats the message is not shown twice"
    assert graded("skipped_by_specs", "Skipped: no data") == "skipped by the specs, not counted: Skipped: no data"
    assert graded("skipped_by_kata", "not today").startswith(
        "skipped by the kata's own code (katas/alpha/alpha.py): a skip counts as failed.\nnot today")
    assert graded("timeout", "ignored", "at katas/alpha/alpha.py:3") == (
        f"{verdicts.timed_out(4)}\n\nat katas/alpha/alpha.py:3")
    assert verdicts.timed_out(4).startswith("timed out after 4 s: this spec ran longer than its time limit, so it was")
    assert "the grader stopped its process" in verdicts.timed_out(4, stopped=True)
    assert graded("exited", "SystemExit: 3").startswith(
        "exited: the kata's code called sys.exit() (SystemExit) during this spec. A kata's functions must return")
    assert graded("too_large", "spam").startswith(verdicts.flooded(5) + "\n\nspam")
    assert verdicts.flooded(5).startswith("flooded the output: this spec wrote more than 5 MB (the limit)")
    assert verdicts.over_memory(1.5).startswith("used more than 1.5 GB of memory")


def test_a_record_s_texts_are_capped_once_and_a_verdict_adds_no_second_cap():
    cut = "\n... [123 more characters cut]"
    assert outcome.cap("x" * (outcome.MESSAGE_CAP + 123)) == "x" * outcome.MESSAGE_CAP + cut
    assert outcome.cap("short") == "short"
    message, detail = outcome.cap("m" * 5000), outcome.cap("d" * 5000)
    assert graded("assertion", message, detail) == f"{message}\n\n{detail}", "the verdict prints what it got"


@pytest.mark.parametrize(("returncode", "kind", "start"), [
    (-signal.SIGSEGV, "crashed", "crashed: the process running this spec died of a segmentation fault (SIGSEGV)."),
    (-signal.SIGABRT, "crashed", "crashed: the process running this spec died of an abort (SIGABRT"),
    (-signal.SIGUSR1, "crashed", "crashed: the process running this spec died of SIGUSR1."),
    (-99, "crashed", "crashed: the process running this spec died of signal 99."),
    (-signal.SIGXFSZ, "too_large", "flooded the output: this spec wrote more than 5 MB"),
    (0, "exited", "exited: the process running this spec ended with exit status 0 before the spec finished."),
    (3, "exited", "exited: the process running this spec ended with exit status 3"),
])
def test_how_a_process_died_is_the_verdict(returncode, kind, start):
    found_kind, text = verdicts.death(returncode, output_mb=5)
    assert (found_kind, text[: len(start)]) == (kind, start)


def test_a_crash_shows_the_kata_s_frames_not_pytest_s(tmp_path):
    tail = (f"noise\nFatal Python error: Segmentation fault\n\nCurrent thread:\n"
            f'  File "{tmp_path}/katas/alpha/alpha.py", line 6 in add\n'
            f'  File "/venv/lib/python3.12/site-packages/_pytest/python.py", line 1 in call\n'
            f"Extension modules: numpy\n")
    assert verdicts.crash_context(tail, tmp_path) == (
        'Fatal Python error: Segmentation fault\n\nCurrent thread:\n  File "katas/alpha/alpha.py", line 6 in add')
    assert verdicts.crash_context("no crash here", tmp_path) == ""


def test_each_kind_has_its_word():
    assert {kind: verdicts.word(kind) for kind in ("passed", "todo", "assertion", "timeout", "crashed", "exited",
                                                   "too_large", "out_of_memory", "held", "skipped_by_specs")} == {
        "passed": "passed", "todo": "failed", "assertion": "failed", "timeout": "timed out", "crashed": "crashed",
        "exited": "exited", "too_large": "flooded", "out_of_memory": "over memory", "held": "held for review",
        "skipped_by_specs": "skipped"}


# --- reports --------------------------------------------------------------------------------------------------

def grade(learner: str = "ada") -> Grade:
    """alpha: 2 of 4 specs passed, one timed out, one crashed; beta: held for review (its specs gave 6),
    with a skip of the specs' own; a flag on beta."""
    alpha = KataResult(ALPHA, [
        spec(ALPHA, "add", "test_add_small", "passed"),
        spec(ALPHA, "add", "test_add_any", "timeout", verdicts.timed_out(2)),
        spec(ALPHA, "count", "test_count_to_three", "crashed", "crashed: the process died"),
        spec(ALPHA, "count", "test_count_to_zero", "passed"),
    ], 3.0)
    held = "held for review: katas/beta/beta.py line 1: imports gc"
    beta = KataResult(BETA, [
        spec(BETA, "words", "test_words_split", "held", held),
        spec(BETA, "words", "test_words_skip", "skipped_by_specs", "skipped by the specs, not counted: no data"),
    ], 1.0, note=held, unheld=6.0)
    flags = {"beta": [Flag("katas/beta/beta.py", 1, "imports gc", tampering=True)]}
    return Grade(learner, Path(learner), [alpha, beta], 4.0, notes=["a note"], flags=flags, sandbox="bubblewrap",
                 seed=7, limits=Limits(spec=2.0))


def test_results_json_splits_a_kata_s_points_over_its_counted_specs():
    results = reports.gradescope(grade())
    assert set(results) >= {"score", "max_score", "execution_time", "output", "tests"}
    assert (results["score"], results["max_score"]) == (5.0, 16.0)
    tests = [(t["name"], t["score"], t["max_score"], t["status"], t["output"].splitlines()[0])
             for t in results["tests"] if t.get("visibility") != "hidden"]
    assert tests == [
        ("alpha: step 1 (Add): test_add_small", 2.5, 2.5, "passed", "passed"),
        ("alpha: step 1 (Add): test_add_any", 0.0, 2.5, "failed", "timed out after 2 s: this spec ran longer than "
         "its time limit, so it was stopped. Does the code loop forever, or wait for something that never comes?"),
        ("alpha: step 2 (Count): test_count_to_three", 0.0, 2.5, "failed", "crashed: the process died"),
        ("alpha: step 2 (Count): test_count_to_zero", 2.5, 2.5, "passed", "passed"),
        ("beta: step 1 (Words): test_words_split", 0.0, 6.0, "failed", "held for review: katas/beta/beta.py line 1: "
         "imports gc"),
        ("beta: step 1 (Words): test_words_skip", 0.0, 0.0, "passed", "skipped by the specs, not counted: no data"),
    ]
    assert results["output"].startswith("a note\n\n #  kata")
    assert results["output"].endswith("Run `make test` to see the same specs step by step.")
    assert results["extra_data"]["flags"] == {"beta": ["tampering: katas/beta/beta.py line 1: imports gc"]}
    assert results["extra_data"]["held"] == {"beta": 6.0}
    assert (results["extra_data"]["hypothesis_seed"], results["extra_data"]["spec_time_limit"]) == (7, "2 s per spec")
    hidden = next(t["output"] for t in results["tests"] if t.get("visibility") == "hidden")
    assert "beta: held for review; its specs gave 6.00 / 6 (release: --release ada:beta)" in hidden
    assert "beta: tampering: katas/beta/beta.py line 1: imports gc" in hidden


def test_a_kata_where_no_spec_ran_is_one_failed_test_with_its_note():
    empty = Grade("bob", Path("bob"), [KataResult(ALPHA, [], 0.0, note="not run: the time ran out.")], 0.0)
    assert [(t["name"], t["max_score"], t["output"]) for t in reports.gradescope(empty)["tests"][:-1]] == [
        ("alpha: no spec ran", 10, "not run: the time ran out.")]
    suite = reports.junit(empty).getroot()[0]
    assert (suite.get("tests"), suite.get("failures")) == ("1", "1")


def test_the_table_has_a_line_per_kata_with_what_went_wrong():
    lines = reports.table(grade())
    assert lines[1].split()[:6] == ["1", "alpha", "2/4", "5.00", "/", "10"]
    assert lines[1].endswith("1 timed out, 1 crashed"), lines[1]
    assert lines[2].endswith("held for review: katas/beta/beta.py line 1: imports gc; "
                             "1 flag(s): katas/beta/beta.py line 1: imports gc"), lines[2]
    assert lines[3].split()[:4] == ["total", "5.00", "/", "16"]


def test_junit_counts_failures_and_skips_per_kata():
    suites = {s.get("name"): s for s in reports.junit(grade()).getroot()}
    assert [(name, s.get("tests"), s.get("failures"), s.get("skipped")) for name, s in suites.items()] == [
        ("alpha", "4", "2", "0"), ("beta", "2", "1", "1")]
    failure = suites["alpha"].find("testcase[@name='test_add_any']/failure")
    assert (failure.get("type"), failure.get("message")) == ("timed out", verdicts.timed_out(2))
    assert suites["alpha"].find("testcase[@name='test_add_any']").get("classname") == "alpha.add"


def test_the_gradebook_has_a_row_per_learner_and_says_what_is_held(tmp_path):
    reports.gradebook([grade("cy"), grade("ada")], (ALPHA, BETA), tmp_path / "gradebook.csv")
    with (tmp_path / "gradebook.csv").open(newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["learner", "alpha", "beta", "total", "status", "flags"]
    assert [row[:4] for row in rows[1:]] == [["ada", "5.00", "0.00", "5.00"], ["cy", "5.00", "0.00", "5.00"]]
    assert rows[1][4:] == ["beta held for review: katas/beta/beta.py line 1: imports gc (its specs gave 6.00)",
                           "beta tampering: katas/beta/beta.py line 1: imports gc"]
