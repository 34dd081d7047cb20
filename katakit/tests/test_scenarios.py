"""The grader's golden cases: katakit/tests/scenarios/<class>/<case>/, a submission and its expected.json.

Each class folder is graded in one `--all` run (its class.toml names the project fixture and the grader's
options); each case's results.json is then compared with its expected.json, field by field. scenarios/README.md
says how to add a case and how to refresh an expected file. What a whole class must show (the gradebook, the
class report, a machine left untouched) is tested below the runner.
"""

from __future__ import annotations

import csv
import json
import os
import time
import tomllib
import uuid
import xml.etree.ElementTree as ET

import pytest

from katakit.grading import classroom
from katakit.tests import projects

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]  # grades through bubblewrap

SCENARIOS = projects.SCENARIOS
REFRESH = "KATAKIT_REFRESH_SCENARIOS"  # =1: write each expected.json's generated fields from this run
CLASSES = sorted(folder.name for folder in SCENARIOS.iterdir() if (folder / "class.toml").is_file())
CASES = [(klass, case.name) for klass in CLASSES for case in sorted((SCENARIOS / klass).iterdir()) if case.is_dir()]
GENERATED = ("score", "max_score", "tests", "flags", "held")  # what a refresh writes; the rest is written by hand
OUTPUT_CAP = 4100  # characters of one spec's output in results.json


@pytest.fixture(scope="module")
def classes(request) -> dict:
    """Each class graded once, when a test first asks for it: {class: its run}."""
    runs: dict[str, dict] = {}

    def run(klass: str) -> dict:
        if klass not in runs:
            runs[klass] = grade_class(klass, request.getfixturevalue(settings(klass)["project"]))
        return runs[klass]

    return run


def settings(klass: str) -> dict:
    return tomllib.loads((SCENARIOS / klass / "class.toml").read_text(encoding="utf-8"))


def grade_class(klass: str, fixture) -> dict:
    """Copy the class's cases (placeholders filled in) and grade them in one `--all` run; wait until no process
    of the run is left (a forging daemon writes a second after the reports: waiting for it proves it gone)."""
    world = fixture if isinstance(fixture, dict) else {"project": fixture}
    project = world["project"]
    folder, out = project.parent / f"scenarios-{klass}", project.parent / f"scenarios-{klass}-out"
    places = projects.placeholders(world, out)
    for case in sorted((SCENARIOS / klass).iterdir()):
        if case.is_dir():
            projects.place(case, folder, places)
    token = uuid.uuid4().hex
    done = projects.grader(project, "--all", str(folder), "--out", str(out), *settings(klass)["args"],
                           spec_timeout=None, KATAS_TEST_TOKEN=token)
    assert done.returncode == 0, done.stdout + done.stderr
    deadline = time.monotonic() + 10
    while projects.processes_with(token) and time.monotonic() < deadline:
        time.sleep(0.1)
    results = {p.name: json.loads((p / "results.json").read_text()) for p in out.iterdir() if p.is_dir()}
    return {"world": world, "out": out, "stdout": done.stdout, "results": results, "places": places,
            "leftovers": projects.processes_with(token)}


def visible(results: dict) -> list[dict]:
    """The tests a learner sees (Gradescope never shows a hidden one: the integrity screen's)."""
    return [t for t in results["tests"] if t.get("visibility") != "hidden"]


def generated(results: dict) -> dict:
    """The fields of results.json a case's expected.json states, as expected.json states them."""
    extra = results.get("extra_data", {})
    found = {"score": results["score"], "max_score": results["max_score"],
             "tests": {t["name"]: [t["score"], t["max_score"], t["status"], t["output"].splitlines()[0]]
                       for t in visible(results)},
             "flags": {kata: flags for kata, flags in extra.get("flags", {}).items() if flags},
             "held": extra.get("held", {})}
    return {field: value for field, value in found.items() if value != {}}


def matches(expected, actual) -> bool:
    """Equal, where a string of expected.json that ends with "…" is a beginning."""
    if isinstance(expected, str) and expected.endswith("…"):
        return isinstance(actual, str) and actual.startswith(expected[:-1])
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(map(matches, expected, actual))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(matches(expected[k], actual[k]) for k in expected)
    return expected == actual


def differences(expected: dict, results: dict, line: str) -> list[str]:
    """What differs between a case's expected.json and its results.json: one sentence per field."""
    actual = generated(results)
    problems = []
    for field in GENERATED:
        want, got = expected.get(field, {}), actual.get(field, {})
        if field == "tests" and isinstance(want, dict):
            for name in sorted(want.keys() | got.keys()):
                if not matches(want.get(name), got.get(name)):
                    problems.append(f"tests[{name!r}]: expected {want.get(name)!r}, got {got.get(name)!r}")
        elif not matches(want, got):
            problems.append(f"{field}: expected {want!r}, got {got!r}")
    for fragment in expected.get("output_has", []):
        if fragment not in results["output"]:
            problems.append(f"output_has: {fragment!r} is not in the output:\n{results['output']}")
    tests = {t["name"]: t["output"] for t in results["tests"]}
    for name, fragments in expected.get("test_output_has", {}).items():
        for fragment in fragments:
            if fragment not in tests.get(name, ""):
                problems.append(f"test_output_has[{name!r}]: {fragment!r} is not in:\n{tests.get(name)}")
    for key, want in expected.get("extra_data", {}).items():
        if results.get("extra_data", {}).get(key) != want:
            problems.append(f"extra_data[{key!r}]: expected {want!r}, got {results.get('extra_data', {}).get(key)!r}")
    if "line_ends" in expected and not line.endswith(expected["line_ends"]):
        problems.append(f"line_ends: the grader's line must end with {expected['line_ends']!r}, got {line!r}")
    return problems


def normalised(results: dict, places: dict[str, str], case: str) -> dict:
    """results.json with the paths of this run written as their placeholders (not the port: its digits may be
    any number's)."""
    text = json.dumps(results)
    paths = {mark: value for mark, value in places.items() if mark != "@PORT@"}
    for mark, value in sorted(paths.items(), key=lambda item: -len(item[1])):
        text = text.replace(json.dumps(value.replace("@CASE@", case))[1:-1], mark)
    return json.loads(text)


def dumped(expected: dict) -> str:
    """expected.json's text: a field a line, and in `tests` a spec a line."""
    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = []
    for field, value in expected.items():
        if isinstance(value, dict) and value:
            inner = ",\n".join(f"    {one(key)}: {one(item)}" for key, item in value.items())
            lines.append(f"  {one(field)}: {{\n{inner}\n  }}")
        else:
            lines.append(f"  {one(field)}: {one(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


@pytest.mark.parametrize(("klass", "case"), CASES, ids=[f"{k}/{c}" for k, c in CASES])
def test_each_case_gets_its_expected_report(classes, klass, case):
    run = classes(klass)
    assert case in run["results"], f"{klass}/{case}: the grader wrote no report; it printed:\n{run['stdout']}"
    results = normalised(run["results"][case], run["places"], case)
    line = next((line for line in run["stdout"].splitlines() if f" {case} " in f" {line} "), "")
    path = SCENARIOS / klass / case / "expected.json"
    expected = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if os.environ.get(REFRESH) == "1":
        fresh = generated(results)
        kept = {f: expected[f] for f in GENERATED if f in expected and matches(expected[f], fresh.get(f, {}))}
        expected = {**{f: v for f, v in expected.items() if f not in GENERATED}, **fresh, **kept}
        path.write_text(dumped(expected), encoding="utf-8")
    problems = differences(expected, results, line)
    assert not problems, f"scenario {klass}/{case} ({path.relative_to(SCENARIOS.parent)}):\n  " + "\n  ".join(problems)
    assert all(len(t["output"]) <= OUTPUT_CAP for t in results["tests"]), f"{klass}/{case}: outputs are capped"


# --- what a whole class shows ---------------------------------------------------------------------------------

def test_the_default_memory_limit_is_4_gb(classes):
    """The grade class gives no --memory-limit-gb (the memory class shows a limit enforced as it is said)."""
    run = classes("grade")
    assert "4 GB of memory per kata" in run["stdout"].splitlines()[0], run["stdout"]
    assert run["results"]["reference"]["extra_data"]["memory_limit"]["gb"] == 4


def test_gradebook_has_a_row_per_learner_and_a_column_per_kata(classes):
    with (classes("grade")["out"] / "gradebook.csv").open(newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["learner", "alpha", "beta", "total", "status", "flags"]
    status = {row[0]: row[4] for row in rows[1:] if row[4]}
    held = "held for review: katas/conftest.py line 1: imports pytest (its specs gave 0.00)"
    assert status == {"tamper": f"alpha {held}; beta {held}"}
    assert {row[0]: row[1:4] for row in rows[1:]} == {
        "crashes": ["0.00", "6.00", "6.00"],
        "exits": ["5.00", "0.00", "5.00"],
        "hangs": ["2.50", "6.00", "8.50"],
        "loose": ["0.00", "6.00", "6.00"],
        "reference": ["10.00", "6.00", "16.00"],
        "stubs": ["0.00", "0.00", "0.00"],
        "tamper": ["0.00", "0.00", "0.00"],
    }


def test_the_class_report_beside_the_gradebook(classes):
    """What `--all` adds for the whole class (katakit/grading/class_report/; test_class_report.py tests it
    on hand-built grades): the share of learners passing each step, and the page."""
    out = classes("grade")["out"]
    with (out / "steps.csv").open(newline="") as file:
        rows = {(row["kata"], row["step"]): (row["learners"], row["passed"], row["share"])
                for row in csv.DictReader(file)}
    assert rows == {  # add: reference and exits; count: reference; words: reference, hangs, crashes, loose
        ("alpha", "add"): ("7", "2", "0.286"), ("alpha", "count"): ("7", "1", "0.143"),
        ("beta", "words"): ("7", "4", "0.571")}
    page = (out / "class.html").read_text(encoding="utf-8")
    assert "The class: 7 learners, 2 katas" in page
    for verdict in ("timed out", "crashed", "flooded", "exited"):
        assert f"<td>{verdict}</td>" in page, verdict


def test_junit_xml_beside_the_results(classes):
    tree = ET.parse(classes("grade")["out"] / "hangs" / "junit.xml")
    suites = {s.get("name"): s for s in tree.getroot()}
    assert list(suites) == ["alpha", "beta"]
    assert (suites["alpha"].get("tests"), suites["alpha"].get("failures")) == ("4", "3")
    assert (suites["beta"].get("tests"), suites["beta"].get("skipped")) == ("4", "1")
    failure = suites["alpha"].find("testcase[@name='test_count_to_zero']/failure")
    assert failure.get("type") == "timed out"


def test_the_attacks_leave_the_machine_as_it_was(classes):
    run = classes("attacks")
    world = run["world"]
    assert (world["home"] / "keep-me.txt").read_text() == "precious", "the home folder lost a file"
    assert sorted(p.name for p in world["home"].iterdir()) == ["keep-me.txt"], "the home folder gained a file"
    assert not (world["project"] / "planted.txt").exists(), "the repository gained a file"
    assert world["heard"] == [], "a kata reached a port on 127.0.0.1"
    assert run["leftovers"] == [], "a process of the graded katas outlived the grading"



def test_the_classroom_file_gives_each_kata_the_grader_s_score(classes):
    """GitHub Classroom's classroom.json beside each results.json (test_classroom.py reads it as the workflow
    does, on hand-built grades): its points are the grader's own."""
    run = classes("grade")
    for learner, results in run["results"].items():
        runners = json.loads((run["out"] / learner / classroom.FILE).read_text())
        for kata in ("alpha", "beta"):
            score = sum(t["score"] for t in visible(results) if t["name"].startswith(f"{kata}:"))
            assert sum(t["score"] for t in runners[kata]["tests"]) == pytest.approx(score, abs=1e-5), (learner, kata)
