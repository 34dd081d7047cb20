"""The Classroom 50 autograder (`make classroom50`), run the way Classroom 50's runner.py runs it.

The runner (foundation50/classroom50, cli/gh-teacher/skeleton/dotgithub/scripts/runner.py) unpacks the
assignment's bundle into <runtime>/<assignment>/, then runs `python <runtime>/<assignment>/autograder.py` with
the learner's checkout as its working folder, no arguments, and its environment (run_entrypoint). A fake of
it here does the same with a bundle built from the `project` fixture (katakit/tests/projects.py: katas
`alpha`, 10 points over 4 specs, and `beta`, 6 points over 3 specs and one the specs skip; a stand-in keras):
a solved, a stub and a partial submission, each result.json checked against every rule the runner and the issue give.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from fractions import Fraction
from pathlib import Path

import pytest

from katakit import manifest, timings
from katakit.grading.model import Grade, KataResult
from katakit.grading.platforms import build, classroom50
from katakit.outcome import Kind, SpecOutcome
from katakit.paths import ROOT
from katakit.tests.fixture_katas import PARTIAL_ALPHA, SOLUTIONS, STUBS
from katakit.tests.projects import SCENARIOS, write

pytestmark = pytest.mark.slow

ASSIGNMENT, CLASSROOM = "keras-katas", "ml-2026"
MAX_FETCH_BYTES = 10 * 1024 * 1024  # runner.py's cap on a bundle it fetches


def validate(result, environ: dict[str, str]) -> list[str]:
    """What is wrong with result.json by the runner's rules (runner.py, validate_result) and the issue's."""
    def whole(value) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0

    if not isinstance(result, dict):
        return ["not a JSON object"]
    problems = []
    if result.get("schema") != "classroom50/result/v1":
        problems.append(f"schema is {result.get('schema')!r}")
    for field, variable in (("classroom", "CLASSROOM"), ("assignment", "ASSIGNMENT")):
        if result.get(field) != environ[variable]:
            problems.append(f"{field} is {result.get(field)!r}, the environment says {environ[variable]!r}")
    if not isinstance(result.get("submission"), str) or not result["submission"].startswith("submit/"):
        problems.append(f"submission {result.get('submission')!r} does not start with submit/")
    for field in ("commit", "release", "review", "datetime"):
        if not isinstance(result.get(field), str) or not result[field]:
            problems.append(f"{field} must be a non-empty string, got {result.get(field)!r}")
    if "owner" in result and (not isinstance(result["owner"], str) or not result["owner"]):
        problems.append("owner, when given, must be a non-empty string")
    if not whole(result.get("score")) or not whole(result.get("max-score")):
        problems.append(f"score and max-score must be whole numbers, got {result.get('score')!r}, "
                        f"{result.get('max-score')!r}")
    elif result["score"] > result["max-score"]:
        problems.append(f"score {result['score']} > max-score {result['max-score']}")
    tests = result.get("tests")
    if not isinstance(tests, list):
        return [*problems, "tests is not a list"]
    for i, test in enumerate(tests):
        if not isinstance(test, dict):
            problems.append(f"tests[{i}] is not an object")
            continue
        if not isinstance(test.get("test-name"), str) or not test["test-name"]:
            problems.append(f"tests[{i}].test-name must be a non-empty string")
        if not isinstance(test.get("passed"), bool):
            problems.append(f"tests[{i}].passed must be a boolean")
        if not whole(test.get("score")) or not whole(test.get("max-score")):
            problems.append(f"tests[{i}] score and max-score must be whole numbers")
        elif test["score"] > test["max-score"]:
            problems.append(f"tests[{i}].score > max-score")
    if not problems and result["score"] != sum(t["score"] for t in tests):
        problems.append("score is not the sum of the tests' scores")
    return problems


def test_the_validator_catches_every_rule():
    environ = {"CLASSROOM": CLASSROOM, "ASSIGNMENT": ASSIGNMENT}
    good = {"schema": "classroom50/result/v1", "classroom": CLASSROOM, "assignment": ASSIGNMENT,
            "submission": "submit/2026-09-01T10-00-00Z-abc1234", "commit": "c", "release": "r", "review": "v",
            "datetime": "2026-09-01T10:00:00Z", "score": 3, "max-score": 10,
            "tests": [{"test-name": "alpha", "passed": False, "score": 3, "max-score": 10}]}
    assert validate(good, environ) == []
    broken = [{"schema": "v1"}, {"classroom": "other"}, {"assignment": "other"}, {"submission": "v1"},
              {"commit": ""}, {"release": None}, {"review": ""}, {"datetime": ""}, {"score": 3.0},
              {"score": True}, {"max-score": 2}, {"owner": ""}, {"tests": {}},
              {"tests": [{"test-name": "", "passed": False, "score": 3, "max-score": 10}]},
              {"tests": [{"test-name": "alpha", "passed": 0, "score": 3, "max-score": 10}]},
              {"tests": [{"test-name": "alpha", "passed": False, "score": 2.5, "max-score": 10}]},
              {"tests": [{"test-name": "alpha", "passed": False, "score": 3, "max-score": 2}]},
              {"tests": [{"test-name": "alpha", "passed": False, "score": 2, "max-score": 10}]}]
    for change in broken:
        assert validate({**good, **change}, environ), f"{change} must be caught"


# --- the bundle -------------------------------------------------------------------------------------------

def test_the_bundle_holds_the_harness_and_never_a_reference(tmp_path):
    lines = build.classroom50(tmp_path / "bundle")
    files = sorted(str(p.relative_to(tmp_path / "bundle")) for p in (tmp_path / "bundle").rglob("*") if p.is_file())
    assert lines[0] == "autograder.py"
    assert (tmp_path / "bundle" / "autograder.py").read_text() == (ROOT / "autograder" / "classroom50.py").read_text()
    assert not [f for f in files if "solutions" in Path(f).parts or f.startswith(f"{build.HARNESS}/.git")]
    for kata in manifest.katas():
        assert f"{build.HARNESS}/tests/test_{kata.name}.py" in files
        assert f"{build.HARNESS}/katas/{kata.name}/{kata.name}.py" in files
    for name in ("curriculum.toml", "conftest.py", "requirements.txt", "requirements-grading.txt",
                 "katakit/grading/platforms/classroom50.py"):
        assert f"{build.HARNESS}/{name}" in files
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w:gz") as tar:
        tar.add(tmp_path / "bundle", arcname=ASSIGNMENT)
    assert len(packed.getvalue()) < MAX_FETCH_BYTES / 10, "the runner fetches at most 10 MB of bundle"


# --- a fake of runner.py ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def runtime(project, tmp_path_factory) -> Path:
    """The fixture project's bundle, packed as Classroom 50 publishes it and unpacked as runner.py unpacks it;
    the path of its autograder.py."""
    shutil.copytree(ROOT / "autograder", project / "autograder", dirs_exist_ok=True)
    bundle = tmp_path_factory.mktemp("bundle")
    build.classroom50(bundle, root=project)
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w:gz") as tar:
        tar.add(bundle, arcname=ASSIGNMENT)
    folder = tmp_path_factory.mktemp("classroom50-runtime")
    with tarfile.open(fileobj=io.BytesIO(packed.getvalue()), mode="r:gz") as tar:
        tar.extractall(folder, filter="data")
    return folder / ASSIGNMENT / "autograder.py"


def checkout(folder: Path, files: dict[str, str], others: dict[str, str] | None = None) -> str:
    """A learner's repository with these katas and other files, committed; its commit."""
    for kata, source in files.items():
        write(folder / "katas" / kata / f"{kata}.py", source)
    for path, text in (others or {}).items():
        write(folder / path, text)
    git = ["git", "-c", "user.name=learner", "-c", "user.email=l@example.org", "-C", str(folder)]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "my katas"]):
        subprocess.run([*git, *command], check=True, capture_output=True)
    return subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()


def tampering() -> dict[str, str]:
    """The files around katas/ of the scenario `tamper`: specs that pass anything, a conftest.py that passes
    every spec, 1000 points a kata and a harness that ends the process."""
    case = SCENARIOS / "grade" / "tamper"
    return {str(path.relative_to(case)): path.read_text() for path in case.rglob("*")
            if path.is_file() and path.relative_to(case).parts[0] != "katas" and path.name != "expected.json"}


def run_like_the_runner(entrypoint: Path, folder: Path, sha: str, fakes: Path | None, *args: str,
                        **changes) -> tuple:
    """runner.py's environment for the entrypoint, and its call: (exit status, output, environment). `fakes`:
    a folder put first on PYTHONPATH (the fixture's stand-in keras); `args`, for the grader (runner.py gives none)."""
    server, repository = "https://github.com", f"school/{CLASSROOM}-{ASSIGNMENT}-learner"
    tag = f"submit/2026-09-01T10-00-00Z-{sha[:7]}"
    environ = {name: value for name, value in os.environ.items()
               if name not in ("GITHUB_ACTIONS", "RUNNER_ENVIRONMENT", "RUNNER_TEMP")}
    environ.update({
        "PAGES_BASE_URL": "https://school.github.io/classroom50", "CLASSROOM": CLASSROOM, "ASSIGNMENT": ASSIGNMENT,
        "SUBMISSION_TAG": tag, "GITHUB_REPOSITORY": repository, "GITHUB_SHA": sha, "GITHUB_SERVER_URL": server,
        "GITHUB_ACTOR": "learner", "GITHUB_OUTPUT": str(folder.parent / f"{folder.name}-output"), "MODE": "",
        "CLASSROOM50_BUNDLE_DIR": str(entrypoint.parent), "USERNAME": "learner", "OWNER": "learner",
        "ASSIGNMENT_TYPE": "individual", "COMMIT_URL": f"{server}/{repository}/commit/{sha}",
        "RELEASE_URL": f"{server}/{repository}/releases/tag/submit%2F{tag[7:]}",
        "REVIEW_URL": f"{server}/{repository}/commit/{sha}",
        "KATAKIT_VENV": sys.prefix,  # not the runner's: this venv instead of a new one
    })
    if fakes:
        environ["PYTHONPATH"] = str(fakes)
    for name, value in changes.items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    done = subprocess.run([sys.executable, str(entrypoint), *args], cwd=folder, env=environ, capture_output=True,
                          text=True, timeout=600)
    return done.returncode, done.stdout + done.stderr, environ


@pytest.fixture(scope="module")
def graded(runtime, project, tmp_path_factory) -> dict:
    """Each learner graded by the fake runner: {learner: (result.json, release-body.md, output, environment)}."""
    found = {}
    learners = {"solved": {kata: SOLUTIONS[kata] for kata in ("alpha", "beta")},
                "stubs": {kata: STUBS[kata] for kata in ("alpha", "beta")},
                "partial": {"alpha": PARTIAL_ALPHA, "beta": STUBS["beta"]}}
    for learner, files in learners.items():
        folder = tmp_path_factory.mktemp(learner)
        # the stubs' repository also holds specs that pass anything, a conftest.py that passes every spec,
        # 1000 points a kata and a harness that ends the process
        sha = checkout(folder, files, tampering() if learner == "stubs" else None)
        status, output, environ = run_like_the_runner(runtime, folder, sha, project.parent / "fakes")
        assert status == 0, f"{learner}: the autograder must exit 0 when it graded:\n{output}"
        found[learner] = (json.loads((folder / classroom50.RESULT).read_text()),
                          (folder / classroom50.BODY).read_text(), output, environ)
    return found


@pytest.mark.sandbox
@pytest.mark.parametrize("learner", ["solved", "stubs", "partial"])
def test_result_json_follows_every_rule(graded, learner):
    result, _, output, environ = graded[learner]
    assert validate(result, environ) == [], output
    assert result["submission"] == environ["SUBMISSION_TAG"]
    assert (result["commit"], result["release"], result["review"]) == (
        environ["COMMIT_URL"], environ["RELEASE_URL"], environ["REVIEW_URL"])
    assert [t["test-name"] for t in result["tests"]] == ["alpha", "beta"], "one test per kata, in curriculum order"
    assert [t["max-score"] for t in result["tests"]] == [10, 6]
    assert result["max-score"] == 16, "the curriculum's total"


@pytest.mark.sandbox
def test_the_points_are_the_grader_s_in_whole_points(graded):
    scores = {learner: [(t["score"], t["passed"]) for t in graded[learner][0]["tests"]] for learner in graded}
    assert scores == {"solved": [(10, True), (6, True)], "stubs": [(0, False), (0, False)],
                      # alpha passes 3 of its 4 specs: 7.5, rounded half up
                      "partial": [(8, False), (0, False)]}
    assert [graded[learner][0]["score"] for learner in ("solved", "stubs", "partial")] == [16, 0, 8]


@pytest.mark.sandbox
def test_the_release_notes_give_each_failing_spec_and_its_message(graded):
    body = graded["stubs"][1]
    assert body.startswith("### keras-katas: 0/16\n")
    assert classroom50.FEEDBACK in body
    assert "| 1. alpha: Alpha | 0/4 | 0 / 10 |" in body
    for name in ("test_add_small", "test_add_any", "test_count_to_three", "test_count_to_zero",
                 "test_words_split", "test_words_empty", "test_words_strips"):
        assert f": {name}**" in body, name
    assert "TODO katas/alpha/alpha.py:3 in add(): Step 1 (Add): return a + b" in body
    assert "test_words_needs_data_not_shipped" not in body, "a skip of the specs' own is no failure"
    partial = graded["partial"][1]
    assert "**step 2 (Count): test_count_to_three**" in partial
    assert "test_add_small" not in partial, "a passing spec is not listed"
    assert "<summary>" not in graded["solved"][1]


@pytest.mark.sandbox
def test_the_specs_and_harness_are_the_bundle_s_never_the_checkout_s(graded):
    """Only katas/ comes from the repository: its own specs, conftest.py, curriculum.toml and harness change
    nothing (the stubs' repository carries the tampering of scenarios/grade/tamper)."""
    result = graded["stubs"][0]
    assert (result["score"], result["max-score"]) == (0, 16)
    assert [t["specs"] for t in result["tests"]] == [4, 3]


@pytest.mark.sandbox
def test_the_real_bundle_grades_a_real_kata(tmp_path):
    """`make classroom50`'s own bundle, TensorFlow and all, on one kata (lstm_framing, among the quickest)."""
    bundle = tmp_path / "runtime" / ASSIGNMENT
    build.classroom50(bundle)
    folder = tmp_path / "checkout"
    sha = checkout(folder, {"lstm_framing": manifest.kata("lstm_framing").solution().read_text()})
    status, output, environ = run_like_the_runner(bundle / "autograder.py", folder, sha, None, "--kata", "lstm_framing")
    assert status == 0, output
    result = json.loads((folder / classroom50.RESULT).read_text())
    assert validate(result, environ) == []
    specs = sum(name.startswith("tests/test_lstm_framing.py::") for name in timings.load())  # every spec, listed
    assert result["tests"] == [{"test-name": "lstm_framing", "passed": True, "score": 10, "max-score": 10,
                                "specs-passed": specs, "specs": specs}]
    assert "sandbox: bubblewrap" in (folder / classroom50.BODY).read_text()


def test_without_the_runner_s_environment_nothing_is_graded_and_the_exit_says_so(runtime, project, tmp_path):
    sha = checkout(tmp_path, SOLUTIONS)
    status, output, _ = run_like_the_runner(runtime, tmp_path, sha, project.parent / "fakes", SUBMISSION_TAG=None,
                                            COMMIT_URL="")
    assert status == 1, "an infrastructure error, for the runner to report"
    assert "::error::keras-katas autograder: the environment lacks SUBMISSION_TAG, COMMIT_URL" in output
    assert not (tmp_path / classroom50.RESULT).exists()


def test_a_python_tensorflow_has_no_wheels_for_is_refused_in_one_line(runtime, tmp_path):
    """Classroom 50's runtime defaults to Python 3.14: autograder.py says what to set instead of failing in pip."""
    code = ("import sys, runpy; sys.version_info = (3, 14, 0, 'final', 0); sys.version = '3.14.0'; "
            f"runpy.run_path({str(runtime)!r}, run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "KATAKIT_VENV": ""})
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "::error::keras-katas autograder: this runs on Python 3.14.0, and TensorFlow 2.21 needs 3.11 to 3.13: give "
        'the assignment the runtime {"python": "3.12"} (README.md, "Classroom 50")']
    assert list(tmp_path.iterdir()) == [], "nothing installed, nothing written"


# --- whole points, on made-up results ---------------------------------------------------------------------

def result(points: float, passed: int, specs: int, number: int = 1) -> KataResult:
    steps = (manifest.Step(1, "s", "S", ()),)
    outcomes = [SpecOutcome(f"tests/test_k.py::test_{i}", "k", "s", Kind.PASSED if i < passed else Kind.ASSERTION)
                for i in range(specs)]
    return KataResult(manifest.Kata(number, f"k{number}", "K", "t", points, steps), outcomes, 0.0)


def test_the_scores_add_up_to_the_exact_total_to_the_nearest_point():
    # three katas a third done: 3.33 each, 10 in all; the spare point goes to the first on the tie
    assert classroom50.whole_points([result(10, 1, 3, n) for n in (1, 2, 3)]) == [(4, 10), (3, 10), (3, 10)]
    # 2.5 + 6.67 + 2.4 = 11.57: 12, the two largest remainders (0.67, then 0.5) rounded up, not 0.4
    assert classroom50.whole_points([result(10, 1, 4, 1), result(10, 2, 3, 2), result(3, 4, 5, 3)]) == [
        (3, 10), (7, 10), (2, 3)]


def test_a_kata_with_a_failing_spec_never_gets_full_points():
    # 2.5 + 6.67 + 0.8 = 9.97: 10; the 0.8 would make the 1-point kata whole, so its point goes on to the next
    assert classroom50.whole_points([result(10, 1, 4, 1), result(10, 2, 3, 2), result(1, 4, 5, 3)]) == [
        (3, 10), (7, 10), (0, 1)]
    assert classroom50.whole_points([result(10, 19, 20)]) == [(9, 10)], "9.5 of 10 with a spec failing"
    assert classroom50.whole_points([result(10, 20, 20)]) == [(10, 10)]
    assert classroom50.whole_points([result(1, 1, 2), result(1, 1, 2)]) == [(0, 1), (0, 1)], (
        "half of 1 point is 0 or 1; 1 would be full points for a kata with a failing spec")


def test_points_that_are_not_whole_add_up_to_the_curriculum_s_total():
    results = [result(2.5, 4, 4, 1), result(2.5, 0, 4, 2), result(5, 2, 4, 3)]
    assert [top for _, top in classroom50.whole_points(results)] == [3, 2, 5]
    # scores on those whole max-scores: 3 (solved) + 0 + 2.5 (half of 5) = 5.5, so 6
    assert [score for score, _ in classroom50.whole_points(results)] == [3, 0, 3]


@pytest.mark.parametrize("seed", range(20))
def test_on_the_real_curriculum_the_total_is_always_the_exact_one_rounded(seed):
    import random

    draw = random.Random(seed)
    results = [result(k.points, draw.randint(0, n), n, k.number)
               for k in manifest.katas() for n in [draw.randint(1, 44)]]
    points = classroom50.whole_points(results)
    assert sum(top for _, top in points) == sum(k.points for k in manifest.katas())
    exact = [Fraction(r.kata.points) * sum(s.passed for s in r.specs) / len(r.specs) for r in results]
    total = sum(score for score, _ in points)
    held_back = sum(1 for (score, top), e in zip(points, exact, strict=True) if score == top - 1 and e > score)
    assert int(sum(exact) + Fraction(1, 2)) - held_back <= total <= int(sum(exact) + Fraction(1, 2))
    for (score, top), r, e in zip(points, results, exact, strict=True):
        assert abs(score - e) < 1, "each kata is its exact score rounded down or up"
        assert score < top or all(s.passed for s in r.specs), "full points only with every spec passed"


def test_the_release_notes_stay_within_github_s_limit_and_a_message_cannot_break_out():
    """GitHub refuses release notes past 125,000 characters; a learner's output holding a fence must not end
    the block it is shown in (and run on as Markdown of its own)."""
    tricky = "got ```\n# I am a heading now\n````"
    outcomes = [SpecOutcome(f"tests/test_k.py::test_{i}", "k1", "s", Kind.ASSERTION,
                            f"wrong {i}\n{tricky}" + "x" * 3000) for i in range(300)]
    grade = Grade("learner", Path("."), [KataResult(result(10, 0, 1).kata, outcomes, 1.0)], 1.0, [], {}, "none", 1)
    body = classroom50.release_body(grade, classroom50.result_json(grade, {
        "CLASSROOM": CLASSROOM, "ASSIGNMENT": ASSIGNMENT, "SUBMISSION_TAG": "submit/x", "COMMIT_URL": "c",
        "RELEASE_URL": "r"}))
    assert len(body) < 125_000
    shown = body.count("**step 1 (S): test_")
    assert 0 < shown < 300
    assert f"_{300 - shown} more failing spec(s) are left out here: `make test` shows them all._" in body
    assert "\n`````\nwrong 0\n" in body, "a fence longer than the four backticks inside"
