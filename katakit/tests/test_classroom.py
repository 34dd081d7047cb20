"""GitHub Classroom's payloads (katakit/grading/classroom.py), read back the way its reporter reads them.

The grades of three learners on the fixture katas `alpha` (10 points over 4 specs) and `beta` (6 points over 3
specs and one the specs skip), built by hand as the grader records them: the references, the untouched stubs,
and one with 3 of alpha's 4 specs passing. Their payloads go through the workflow's path (classroom.json ->
$GITHUB_ENV and $GITHUB_OUTPUT) and then through `reporter`, a model of what the action computes from them.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
from types import SimpleNamespace

import pytest

from katakit import manifest
from katakit.grading import classroom
from katakit.grading.model import Grade, KataResult
from katakit.outcome import SpecOutcome
from katakit.tests import projects
from katakit.tests.fixture_katas import SOLUTIONS
from katakit.tests.projects import write

ALPHA, BETA = projects.records("alpha", "beta")
TODO = {"add": "TODO katas/alpha/alpha.py:3 in add(): Step 1 (Add): return a + b",
        "count": "TODO katas/alpha/alpha.py:8 in count_to(): Step 2 (Count): return [1, ..., n]",
        "words": "TODO katas/beta/beta.py:3 in words(): Step 1 (Words): split the text"}


def graded_kata(kata: manifest.Kata, kinds: list[str]) -> KataResult:
    """`kata` with a spec of each kind in `kinds`, in its steps' order, as the grader records them."""
    names = {"alpha": [("add", "test_add_small"), ("add", "test_add_any"), ("count", "test_count_to_three"),
                       ("count", "test_count_to_zero")],
             "beta": [("words", "test_words_split"), ("words", "test_words_empty"),
                      ("words", "test_words_needs_data_not_shipped"), ("words", "test_words_strips")]}[kata.name]
    specs = [SpecOutcome(nodeid=f"tests/test_{kata.name}.py::{name}", kata=kata.name, step=step, kind=kind,
                         message={"todo": TODO[step], "assertion": f"step 2 (Count): {name} failed",
                                  "skipped_by_specs": "skipped by the specs, not counted: no data"}.get(kind, ""))
             for (step, name), kind in zip(names, kinds, strict=True)]
    return KataResult(kata, specs, 1.0)


SKIP = "skipped_by_specs"
# What the grader gives the references, the untouched stubs, and a learner with 3 of alpha's 4 specs passing
# (count_to is right only for 0) and beta's stub (test_scenarios.py grades the first two for real).
GRADES = {
    "reference": [graded_kata(ALPHA, ["passed"] * 4), graded_kata(BETA, ["passed", "passed", SKIP, "passed"])],
    "stubs": [graded_kata(ALPHA, ["todo"] * 4), graded_kata(BETA, ["todo", "todo", SKIP, "todo"])],
    "partial": [graded_kata(ALPHA, ["passed", "passed", "assertion", "passed"]),
                graded_kata(BETA, ["todo", "todo", SKIP, "todo"])],
}


def reporter(env: dict[str, str], runners: str) -> dict:
    """What autograding-grading-reporter@v1 makes of the payloads (src/main.js, src/notify-classroom.js,
    src/helpers/test-helpers.js): Classroom's points, each runner's line in the log, and whether the job fails."""
    parsed = {}
    for runner in filter(None, re.split(r"[\s,]", runners)):
        text = base64.b64decode(env[f"{runner.strip().upper()}_RESULTS"]).decode("utf-8")
        parsed[runner] = json.loads(text)
    total = maximum = 0
    for results in parsed.values():
        if results["max_score"]:
            maximum += results["max_score"]
            for test in results["tests"]:
                total += test["score"]
    logged = {runner: sum(t["status"] == "pass" for t in r["tests"]) / len(r["tests"]) * r["max_score"]
              for runner, r in parsed.items()}
    failed = any(r["status"] in ("fail", "error") for r in parsed.values())
    return {"points": (total, maximum), "logged": logged, "failed": failed, "results": parsed}


def exported(path, tmp_path, monkeypatch) -> tuple[dict[str, str], str]:
    """Run the workflow's step on classroom.json: the variables it sets, and the reporter's `runners` input."""
    env_file, output_file = tmp_path / "github_env", tmp_path / "github_output"
    env_file.touch()
    output_file.touch()
    monkeypatch.setenv("GITHUB_ENV", str(env_file))
    monkeypatch.setenv("GITHUB_OUTPUT", str(output_file))
    assert classroom.main([str(path)]) == 0
    env = dict(line.split("=", 1) for line in env_file.read_text().splitlines())
    outputs = dict(line.split("=", 1) for line in output_file.read_text().splitlines())
    return env, outputs["runners"]


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    """Each learner's classroom.json as the grader writes it, its payloads, and the grader's kata scores."""
    folder = tmp_path_factory.mktemp("classroom")
    found = {}
    for name, katas in GRADES.items():
        grade = Grade(name, folder / name, katas, 2.0)
        classroom.write(grade, folder / name)
        found[name] = {"payloads": classroom.payloads(grade), "katas": {k.kata.name: k.score for k in grade.katas},
                       "file": folder / name / classroom.FILE}
    return found


def test_a_solved_submission_gets_every_point_exactly(graded, tmp_path, monkeypatch):
    env, runners = exported(graded["reference"]["file"], tmp_path, monkeypatch)
    assert runners == "alpha,beta"
    seen = reporter(env, runners)
    assert seen["points"] == (16.0, 16.0)
    assert seen["logged"] == {"alpha": 10.0, "beta": 6.0}
    assert not seen["failed"]
    alpha, beta = seen["results"]["alpha"], seen["results"]["beta"]
    assert (alpha["status"], alpha["max_score"], beta["max_score"]) == ("pass", 10.0, 6.0)
    assert [(t["name"], t["status"], t["score"]) for t in alpha["tests"]] == [
        ("step 1 (Add): test_add_small", "pass", 2.5),
        ("step 1 (Add): test_add_any", "pass", 2.5),
        ("step 2 (Count): test_count_to_three", "pass", 2.5),
        ("step 2 (Count): test_count_to_zero", "pass", 2.5),
    ]
    # the spec that the specs skip carries no points, so it is not a test the log would count as passed
    assert [t["name"] for t in beta["tests"]] == [
        "step 1 (Words): test_words_split", "step 1 (Words): test_words_empty", "step 1 (Words): test_words_strips"]


def test_the_untouched_stubs_get_zero_and_say_why(graded, tmp_path, monkeypatch):
    env, runners = exported(graded["stubs"]["file"], tmp_path, monkeypatch)
    seen = reporter(env, runners)
    assert seen["points"] == (0.0, 16.0)
    assert seen["logged"] == {"alpha": 0.0, "beta": 0.0}
    assert seen["failed"]
    first = seen["results"]["alpha"]["tests"][0]
    assert (first["status"], first["score"]) == ("fail", 0.0)
    assert first["message"].startswith("TODO katas/alpha/alpha.py:3 in add(): Step 1 (Add): return a + b")


def test_partial_credit_is_per_spec(graded, tmp_path, monkeypatch):
    env, runners = exported(graded["partial"]["file"], tmp_path, monkeypatch)
    seen = reporter(env, runners)
    assert seen["points"] == (7.5, 16.0)
    assert seen["logged"] == {"alpha": 7.5, "beta": 0.0}
    assert [t["status"] for t in seen["results"]["alpha"]["tests"]] == ["pass", "pass", "fail", "pass"]
    assert seen["results"]["alpha"]["status"] == "fail"


def test_the_file_and_payloads_agree_with_the_grader(graded):
    """The workflow's payloads (from classroom.json) are the bytes payloads(grade) gives, and the points are
    the grader's own scores (results.json, gradebook.csv)."""
    for scores in graded.values():
        runners = json.loads(scores["file"].read_text())
        assert {name: classroom.encode(result) for name, result in runners.items()} == scores["payloads"]
        for kata, score in scores["katas"].items():
            assert sum(t["score"] for t in runners[kata]["tests"]) == pytest.approx(score, abs=1e-5)


# --- without grading: the edges, on duck-typed results ---------------------------------------------------

def spec(name: str, passed: bool, output: str = "") -> SpecOutcome:
    return SpecOutcome(f"tests/test_big.py::{name}", "big", "load", "passed" if passed else "assertion", output)


def kata(name: str, points: float, specs: list, note: str = "") -> KataResult:
    steps = (manifest.Step(1, "load", "Load the data", ()),)
    return KataResult(manifest.Kata(1, name, name.title(), "a fixture", points, steps), specs, 0.0, note)


@pytest.mark.parametrize("points", [10, 7.5, 16, 100])
def test_shares_add_up_to_the_points_exactly(points):
    for n in range(1, 60):
        parts = classroom.shares(points, n)
        total = 0.0
        for part in parts:  # one by one, as the reporter adds them
            total += part
        assert total == points, (points, n)
        assert max(parts) - min(parts) <= 1 / classroom.GRID
        assert sum(parts[: n // 2]) == pytest.approx(points * (n // 2) / n, abs=1e-5)


def test_a_kata_where_no_spec_ran_is_one_error_that_says_why():
    grade = SimpleNamespace(katas=[kata("first_network", 10, [], note="no spec ran: the spec file did not collect.")])
    result = classroom.results(grade)["first_network"]
    assert result["status"] == "error"
    assert result["tests"] == [{"name": "no spec ran", "status": "error", "score": 0.0,
                                "message": "no spec ran: the spec file did not collect.", "test_code": "",
                                "filename": "tests/test_first_network.py", "line_no": 0}]
    assert reporter({"FIRST_NETWORK_RESULTS": classroom.payloads(grade)["first_network"]}, "first_network")[
        "points"] == (0.0, 10)


def test_a_payload_fits_in_one_environment_variable():
    grade = SimpleNamespace(katas=[kata("big", 10, [spec(f"test_{i}", False, "why\n" + "x" * 5000)
                                                    for i in range(200)])])
    payload = classroom.payloads(grade)["big"]
    assert len(payload) <= classroom.ENV_LIMIT
    tests = json.loads(base64.b64decode(payload))["tests"]
    assert len(tests) == 200
    assert {t["message"] for t in tests} == {"why"}


def test_the_log_shows_every_failure_and_no_line_of_it_is_a_workflow_command():
    grade = SimpleNamespace(katas=[kata("first_network", 10, [
        spec("test_ok", True), spec("test_shape", False, "X must be (25, 1, 1), got (25, 1)\n::error::pwned")])])
    lines = classroom.summary(classroom.results(grade))
    assert lines[0] == "first_network: 5.00 / 10 (1/2 specs passed)"
    assert "  x step 1 (Load the data): test_shape" in lines
    assert "    | X must be (25, 1, 1), got (25, 1)" in lines
    assert not any(line.lstrip().startswith("::") for line in lines)


def test_a_runner_id_that_cannot_name_a_variable_is_refused(tmp_path):
    with pytest.raises(ValueError, match="only letters, digits and _"):
        classroom.export({"bad-name=x": {}}, tmp_path / "env", None)


def test_without_a_results_file_the_step_says_what_to_do(tmp_path, capsys):
    assert classroom.main([str(tmp_path / "classroom.json")]) == 1
    assert "is missing: grade first" in capsys.readouterr().err


@pytest.mark.sandbox
def test_a_kata_file_committed_as_a_link_scores_zero_through_the_workflows_archive(project, tmp_path):
    """The workflow's path: git keeps a link to the reference, `git archive | tar -x` restores it, the grader
    refuses it."""
    repository = tmp_path / "repository"
    write(repository / "katas" / "beta" / "beta.py", SOLUTIONS["beta"])
    (repository / "katas" / "alpha").mkdir(parents=True)
    (repository / "katas" / "alpha" / "alpha.py").symlink_to(project / "solutions" / "alpha" / "alpha.py")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(repository)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "katas"], check=True)
    subprocess.run([*git, "commit", "-qm", "solved?"], check=True)
    (tmp_path / "submission").mkdir()
    subprocess.run(f'git -C "{repository}" archive HEAD katas | tar -x -C "{tmp_path / "submission"}"', shell=True,
                   check=True)
    assert (tmp_path / "submission" / "katas" / "alpha" / "alpha.py").is_symlink()
    done = projects.grader(project, "--submission", str(tmp_path / "submission"), "--out", str(tmp_path / "results"))
    assert done.returncode == 0, done.stdout + done.stderr
    runners = json.loads((tmp_path / "results" / classroom.FILE).read_text())
    assert [(t["status"], t["message"]) for t in runners["alpha"]["tests"]] == [
        ("error", "katas/alpha/alpha.py is a symbolic link: submit the file itself")]
    assert sum(t["score"] for t in runners["beta"]["tests"]) == 6.0
