"""Golden tests for the grader (katakit/grade.py), on a small fixture curriculum.

The fixture is a project of its own: this repository's harness (katakit/, conftest.py, pyproject.toml)
with two tiny katas, `alpha` (10 points, 4 specs) and `beta` (6 points, 3 specs and one the specs skip),
and a stand-in `keras` module, so no spec pays for TensorFlow. A class folder holds one learner per
situation the grader must survive; one `--all` run grades them all, and each test reads back the reports.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from katakit import timings
from katakit.grading.model import Limits
from katakit.paths import ROOT

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]  # grades through bubblewrap

SPEC_TIMEOUT = 2  # s: the fixture's specs take milliseconds

CURRICULUM = """
[[kata]]
name = "alpha"
title = "Alpha"
tutorial = "a fixture"
points = 10

  [[kata.steps]]
  id = "add"
  title = "Add"
  functions = ["add"]

  [[kata.steps]]
  id = "count"
  title = "Count"
  functions = ["count_to"]

[[kata]]
name = "beta"
title = "Beta"
tutorial = "a fixture"
points = 6

  [[kata.steps]]
  id = "words"
  title = "Words"
  functions = ["words"]
"""

SPECS = {
    "alpha": """
        import pytest
        from hypothesis import given
        from hypothesis import strategies as st

        from katakit.loader import kata

        alpha = kata("alpha")


        @pytest.mark.step("add")
        def test_add_small():
            assert alpha.add(2, 3) == 5, "step 1: add(2, 3) must be 5"


        @pytest.mark.step("add")
        @given(st.integers(0, 9), st.integers(0, 9))
        def test_add_any(a, b):
            assert alpha.add(a, b) == a + b, f"step 1: add({a}, {b}) must be {a + b}"


        @pytest.mark.step("count")
        def test_count_to_three():
            assert alpha.count_to(3) == [1, 2, 3], "step 2: count_to(3) must be [1, 2, 3]"


        @pytest.mark.step("count")
        def test_count_to_zero():
            assert alpha.count_to(0) == [], "step 2: count_to(0) must be []"
    """,
    "beta": """
        import pytest

        from katakit.loader import kata

        beta = kata("beta")


        @pytest.mark.step("words")
        def test_words_split():
            assert beta.words("a b") == ["a", "b"], "step 1: words('a b') must be ['a', 'b']"


        @pytest.mark.step("words")
        def test_words_empty():
            assert beta.words("") == [], "step 1: words('') must be []"


        @pytest.mark.step("words")
        def test_words_needs_data_not_shipped():
            pytest.skip("the data set for this spec is not shipped")


        @pytest.mark.step("words")
        def test_words_strips():
            assert beta.words(" a ") == ["a"], "step 1: words(' a ') must be ['a']"
    """,
}

STUBS = {
    "alpha": """
        def add(a, b):
            \"\"\"Step 1: a + b.\"\"\"
            raise NotImplementedError("Step 1 (Add): return a + b")


        def count_to(n):
            \"\"\"Step 2: [1, ..., n].\"\"\"
            raise NotImplementedError("Step 2 (Count): return [1, ..., n]")
    """,
    "beta": """
        def words(text):
            \"\"\"Step 1: the words of text.\"\"\"
            raise NotImplementedError("Step 1 (Words): split the text")
    """,
}

SOLUTIONS = {
    "alpha": """
        def add(a, b):
            \"\"\"Step 1: a + b.\"\"\"
            return a + b


        def count_to(n):
            \"\"\"Step 2: [1, ..., n].\"\"\"
            return list(range(1, n + 1))
    """,
    "beta": """
        def words(text):
            \"\"\"Step 1: the words of text.\"\"\"
            return text.split()
    """,
}

FAKE_KERAS = """
    \"\"\"Stands in for keras in the grader's tests: the harness only seeds each spec.\"\"\"
    from types import SimpleNamespace

    utils = SimpleNamespace(set_random_seed=lambda seed: None)
    config = SimpleNamespace(disable_interactive_logging=lambda: None)
"""

HANG = """
        import time


        def _forever():
            while True:
                time.sleep(0.05)
"""

def hog(gb: int) -> str:
    """Source that holds `gb` GB, every page written, 64 MB at a time."""
    return f"""
        chunks = [b"k" * 2**26 for _ in range({16 * gb})]
"""


# alpha's reference, once it has taken 2 GB at import: without a memory limit it scores full marks.
HOG_AT_IMPORT = hog(2) + SOLUTIONS["alpha"]

# add, the first time it is called in a process, leaves a daemon behind (a process in its own session, as
# os.fork and setsid make it) that takes 2 GB, and waits for it to grow; count_to is the reference's.
HOG_IN_A_DAEMON = """
        import os
        import time

        forked = []


        def add(a, b):
            if not forked:
                forked.append(True)
                if os.fork() == 0:
                    os.setsid()
                    if os.fork() == 0:
""" + textwrap.indent(hog(2), " " * 16) + """
                        time.sleep(60)
                    os._exit(0)
                time.sleep(5)
            return a + b


        def count_to(n):
            return list(range(1, n + 1))
"""

# Each spec's time against its reference (tests/spec_times.json): the time limits when no --spec-timeout is given.
REFERENCE_TIMES = {"tests/test_alpha.py::test_add_small": 0.01, "tests/test_alpha.py::test_add_any": 0.05,
                   "tests/test_alpha.py::test_count_to_three": 0.4, "tests/test_alpha.py::test_count_to_zero": 0.01}

# One learner per situation: {learner: {kata: source of katas/<kata>/<kata>.py}}.
LEARNERS = {
    "reference": SOLUTIONS,
    "stubs": STUBS,
    # add hangs on every input but (2, 3): the Hypothesis spec hangs (pytest-timeout cannot stop it there,
    # the grader stops the process); count_to always hangs (pytest-timeout stops it).
    "hangs": {"alpha": HANG + """
        def add(a, b):
            if (a, b) != (2, 3):
                _forever()
            return a + b


        def count_to(n):
            _forever()
    """, "beta": SOLUTIONS["beta"]},
    # add segfaults: each spec of it crashes the process, the grader restarts it for the next spec;
    # count_to floods the output (past the 5 MB limit of these tests).
    "crashes": {"alpha": """
        import os
        import signal


        def add(a, b):
            os.kill(os.getpid(), signal.SIGSEGV)


        def count_to(n):
            while True:
                print("spam " * 1000)
    """, "beta": SOLUTIONS["beta"]},
    # count_to ends the process with os._exit; beta calls sys.exit when it is imported.
    "exits": {"alpha": """
        import os


        def add(a, b):
            return a + b


        def count_to(n):
            os._exit(0)
    """, "beta": """
        import sys

        sys.exit(3)


        def words(text):
            return text.split()
    """},
    # the untouched stubs, with the specs, conftest.py and curriculum.toml edited to pass everything
    "tamper": STUBS,
}

# Learners past the memory limit, graded in a class of their own: with the limit of 1 GB and time enough
# to take 2 GB on a busy machine. alpha takes 2 GB when it is imported; add leaves a daemon behind that does.
HOGS = {"memory_at_import": {"alpha": HOG_AT_IMPORT, "beta": SOLUTIONS["beta"]},
        "memory_in_a_daemon": {"alpha": HOG_IN_A_DAEMON, "beta": SOLUTIONS["beta"]}}
MEMORY_LIMIT_GB = 1  # the fixture's katas hold a few MB
HOG_SPEC_TIMEOUT = 60

# A Gradescope-style upload: loose files, no katas/ folder. Its alpha.py skips every spec itself (through
# unittest: importing pytest would hold the kata for review).
LOOSE = {
    "alpha.py": """
        import unittest


        def add(a, b):
            raise unittest.SkipTest("not today")


        def count_to(n):
            raise unittest.SkipTest("not today")
    """,
    "beta.py": SOLUTIONS["beta"],
    "notes/README.txt": "my notes",
}

TAMPERING = {
    "tests/test_alpha.py": "def test_nothing():\n    pass\n",
    "tests/test_beta.py": "def test_nothing():\n    pass\n",
    "conftest.py": textwrap.dedent("""
        import pytest


        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_makereport(item, call):
            outcome = yield
            report = outcome.get_result()
            report.outcome, report.longrepr = "passed", None
    """),
    "curriculum.toml": CURRICULUM.replace("points = 10", "points = 1000"),
    "katakit/plugin/__init__.py": "raise SystemExit('tampered')\n",
}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of this harness with the fixture curriculum, specs, stubs and references."""
    root = tmp_path_factory.mktemp("grading") / "project"
    shutil.copytree(ROOT / "katakit", root / "katakit",
                    ignore=shutil.ignore_patterns("tests", "__pycache__", "*.pyc"))
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy2(ROOT / name, root / name)
    write(root / "curriculum.toml", CURRICULUM)
    for kata in ("alpha", "beta"):
        write(root / "tests" / f"test_{kata}.py", SPECS[kata])
        write(root / "katas" / kata / f"{kata}.py", STUBS[kata])
        write(root / "solutions" / kata / f"{kata}.py", SOLUTIONS[kata])
    write(root / "tests" / "spec_times.json", json.dumps(REFERENCE_TIMES))
    write(root.parent / "fakes" / "keras" / "__init__.py", FAKE_KERAS)
    return root


def run_grader(project: Path, *args: str, spec_timeout: float | None = SPEC_TIMEOUT) -> subprocess.CompletedProcess:
    """The grader on the fixture project; `spec_timeout` None: each spec's own limit, from its reference's time."""
    env = {**os.environ, "PYTHONPATH": str(project.parent / "fakes")}
    flat = [f"--spec-timeout={spec_timeout}"] if spec_timeout else []
    return subprocess.run([sys.executable, "-m", "katakit.grade", *flat, "--output-limit-mb=5", *args], cwd=project,
                          env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def graded(project) -> dict:
    """Grade the whole class in one `--all` run; each learner's reports, and the run's stdout."""
    klass = write_class(project.parent / "class", LEARNERS)
    for path, text in TAMPERING.items():
        write(klass / "tamper" / path, text)
    write(klass / "tamper" / "katas" / "conftest.py", TAMPERING["conftest.py"])
    for path, text in LOOSE.items():
        write(klass / "loose" / path, text)
    return grade_class(project, klass, project.parent / "out")


@pytest.fixture(scope="module")
def hogs(project) -> dict:
    """Grade the learners past the memory limit in one `--all` run."""
    return grade_class(project, write_class(project.parent / "hogs", HOGS), project.parent / "out-hogs",
                       f"--memory-limit-gb={MEMORY_LIMIT_GB}", f"--spec-timeout={HOG_SPEC_TIMEOUT}")


def write_class(klass: Path, learners: dict) -> Path:
    """A class folder: each learner's katas/<kata>/<kata>.py from {learner: {kata: source}}."""
    for learner, files in learners.items():
        for kata, source in files.items():
            write(klass / learner / "katas" / kata / f"{kata}.py", source)
    return klass


def grade_class(project: Path, klass: Path, out: Path, *args: str) -> dict:
    """One `--all` run over `klass`; each learner's reports, and the run's stdout."""
    done = run_grader(project, "--all", str(klass), "--out", str(out), *args)
    assert done.returncode == 0, done.stdout + done.stderr
    results = {p.name: json.loads((p / "results.json").read_text()) for p in out.iterdir() if p.is_dir()}
    return {"out": out, "stdout": done.stdout, "results": results}


def learner_tests(results: dict) -> list[dict]:
    """The tests a learner sees (Gradescope never shows a hidden one: the integrity screen's)."""
    return [t for t in results["tests"] if t.get("visibility") != "hidden"]


def summary(results: dict) -> dict[str, tuple]:
    """name -> (score, max_score, status, the output's first line)."""
    return {t["name"]: (t["score"], t["max_score"], t["status"], t["output"].splitlines()[0])
            for t in learner_tests(results)}


def kata_scores(results: dict) -> dict[str, float]:
    scores: dict[str, float] = {}
    for test in learner_tests(results):
        kata = test["name"].split(":")[0]
        scores[kata] = round(scores.get(kata, 0.0) + test["score"], 6)
    return scores


A = "alpha: step 1 (Add): "
C = "alpha: step 2 (Count): "
W = "beta: step 1 (Words): "
SKIPPED = (0.0, 0.0, "passed", "skipped by the specs, not counted: Skipped: the data set for this spec is not shipped")


def test_references_give_full_marks(graded):
    results = graded["results"]["reference"]
    assert (results["score"], results["max_score"]) == (16.0, 16.0)
    assert summary(results) == {
        A + "test_add_small": (2.5, 2.5, "passed", "passed"),
        A + "test_add_any": (2.5, 2.5, "passed", "passed"),
        C + "test_count_to_three": (2.5, 2.5, "passed", "passed"),
        C + "test_count_to_zero": (2.5, 2.5, "passed", "passed"),
        W + "test_words_split": (2.0, 2.0, "passed", "passed"),
        W + "test_words_empty": (2.0, 2.0, "passed", "passed"),
        W + "test_words_needs_data_not_shipped": SKIPPED,
        W + "test_words_strips": (2.0, 2.0, "passed", "passed"),
    }
    assert set(results) >= {"score", "max_score", "execution_time", "output", "tests"}


def test_untouched_stubs_give_zero_with_every_kata_listed(graded):
    results = graded["results"]["stubs"]
    assert (results["score"], results["max_score"]) == (0.0, 16.0)
    assert kata_scores(results) == {"alpha": 0.0, "beta": 0.0}
    tests = summary(results)
    assert tests[A + "test_add_small"] == (
        0.0, 2.5, "failed", "TODO katas/alpha/alpha.py:3 in add(): Step 1 (Add): return a + b")
    assert tests[W + "test_words_split"] == (
        0.0, 2.0, "failed", "TODO katas/beta/beta.py:3 in words(): Step 1 (Words): split the text")
    assert [t for t in tests.values() if t[2] == "passed"] == [SKIPPED]
    for kata in ("alpha", "beta"):
        assert any(line.split()[1:2] == [kata] for line in results["output"].splitlines()), results["output"]


def test_a_hanging_kata_costs_only_the_specs_that_hang(graded):
    results = graded["results"]["hangs"]
    timed_out = f"timed out after {SPEC_TIMEOUT} s: this spec ran longer than its time limit, so "
    assert summary(results) == {
        A + "test_add_small": (2.5, 2.5, "passed", "passed"),
        # inside Hypothesis, pytest-timeout's stop is swallowed: the grader stops the process
        A + "test_add_any": (0.0, 2.5, "failed", timed_out + "the grader stopped its process. "
                             "Does the code loop forever, or wait for something that never comes?"),
        C + "test_count_to_three": (0.0, 2.5, "failed", timed_out + "it was stopped. "
                                    "Does the code loop forever, or wait for something that never comes?"),
        C + "test_count_to_zero": (0.0, 2.5, "failed", timed_out + "it was stopped. "
                                   "Does the code loop forever, or wait for something that never comes?"),
        W + "test_words_split": (2.0, 2.0, "passed", "passed"),
        W + "test_words_empty": (2.0, 2.0, "passed", "passed"),
        W + "test_words_needs_data_not_shipped": SKIPPED,
        W + "test_words_strips": (2.0, 2.0, "passed", "passed"),
    }
    assert results["score"] == 8.5
    where = next(t["output"] for t in results["tests"] if t["name"].endswith("test_count_to_three"))
    assert "katas/alpha/alpha.py" in where, "a timed-out spec shows where the code was"


def test_without_a_flat_limit_each_spec_may_take_ten_times_its_reference_with_a_floor(project, graded):
    out = project.parent / "hangs-own-limits"
    started = time.monotonic()
    done = run_grader(project, "--submission", str(project.parent / "class" / "hangs"), "--out", str(out),
                      "--kata=alpha", spec_timeout=None)
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stdout + done.stderr
    floor = timings.GRADING_FLOOR
    assert f"each spec 10x its reference's time, at least {floor:g} s" in done.stdout.splitlines()[0]
    tests = summary(json.loads((out / "results.json").read_text()))
    assert {name: tests[name][3].split(":")[0] for name in tests} == {
        A + "test_add_small": "passed",
        A + "test_add_any": f"timed out after {floor:g} s",  # 10 x 0.05 s is under the floor
        C + "test_count_to_three": "timed out after 4 s",  # 10 x 0.4 s
        C + "test_count_to_zero": f"timed out after {floor:g} s",
    }
    # the three hangs cost their limits (and the grace before the grader stops a Hypothesis spec's process),
    # where --spec-timeout's old default of 60 s each would have cost three minutes
    assert seconds < 2 * floor + 4 + Limits.grace(floor) + 30, seconds


def test_crashes_and_floods_cost_only_their_specs(graded):
    results = graded["results"]["crashes"]
    tests = summary(results)
    crashed = (0.0, 2.5, "failed", "crashed: the process running this spec died of a segmentation fault (SIGSEGV).")
    flooded = (0.0, 2.5, "failed", "flooded the output: this spec wrote more than 5 MB (the limit), so it was "
               "stopped. Is there a print() in a loop that never ends?")
    assert {name: tests[name] for name in tests if name.startswith("alpha")} == {
        A + "test_add_small": crashed,
        A + "test_add_any": crashed,  # run in a new process after the first crash
        C + "test_count_to_three": flooded,
        C + "test_count_to_zero": flooded,
    }
    assert kata_scores(results) == {"alpha": 0.0, "beta": 6.0}
    output = next(t["output"] for t in results["tests"] if t["name"].endswith("add_small"))
    assert "Fatal Python error: Segmentation fault" in output, "a crash shows where it happened"
    assert "katas/alpha/alpha.py" in output
    assert all(len(t["output"]) <= 4100 for t in results["tests"]), "outputs are capped at a few KB"


def test_exits_cost_only_their_specs(graded):
    results = graded["results"]["exits"]
    tests = summary(results)
    exited = ("exited: the process running this spec ended with exit status 0 before the spec finished. "
              "Does the kata call os._exit() or sys.exit()? A kata's functions must return (or raise), "
              "never end the program.")
    assert {name: tests[name] for name in tests if name.startswith("alpha")} == {
        A + "test_add_small": (2.5, 2.5, "passed", "passed"),
        A + "test_add_any": (2.5, 2.5, "passed", "passed"),
        C + "test_count_to_three": (0.0, 2.5, "failed", exited),
        C + "test_count_to_zero": (0.0, 2.5, "failed", exited),  # run in a new process after the first exit
    }
    for name in ("split", "empty", "strips"):
        assert tests[W + f"test_words_{name}"] == (
            0.0, 2.0, "failed", "exited: the kata's code called sys.exit() (SystemExit) during this spec. "
            "A kata's functions must return (or raise), never end the program.")
    assert kata_scores(results) == {"alpha": 5.0, "beta": 0.0}


def over_memory(gb: float) -> str:
    return (f"used more than {gb:g} GB of memory: the kata's processes together held more than the limit, so the "
            "grader stopped them. Does the code load or build something far larger than the tutorial does, or "
            "keep every result of a loop?")


def test_a_kata_past_the_memory_limit_is_stopped_and_costs_only_its_own_specs(hogs):
    results = hogs["results"]["memory_at_import"]
    tests = summary(results)
    stopped = (0.0, 2.5, "failed", over_memory(MEMORY_LIMIT_GB))
    assert {name: tests[name] for name in tests if name.startswith("alpha")} == {  # each in a new process
        A + "test_add_small": stopped, A + "test_add_any": stopped,
        C + "test_count_to_three": stopped, C + "test_count_to_zero": stopped,
    }
    assert kata_scores(results) == {"alpha": 0.0, "beta": 6.0}
    assert results["extra_data"]["memory_limit"] == {
        "gb": MEMORY_LIMIT_GB, "enforced_by": "polling: every 0.05 s the grader sums the anonymous and shared memory "
                                              "in RAM (RssAnon + RssShmem) of the kata's processes"}
    line = next(line for line in hogs["stdout"].splitlines() if " memory_at_import " in line)
    assert line.endswith("alpha: 4 over memory"), line


def test_memory_held_by_a_daemon_the_kata_left_behind_counts(hogs):
    tests = summary(hogs["results"]["memory_in_a_daemon"])
    stopped, passed = (0.0, 2.5, "failed", over_memory(MEMORY_LIMIT_GB)), (2.5, 2.5, "passed", "passed")
    assert {name: tests[name] for name in tests if name.startswith("alpha")} == {
        A + "test_add_small": stopped, A + "test_add_any": stopped,
        C + "test_count_to_three": passed, C + "test_count_to_zero": passed,
    }


def test_the_memory_hog_scores_full_marks_without_the_limit(project, hogs):
    """The control: with a limit above what it takes, the kata that takes 2 GB at import is the reference."""
    out = project.parent / "memory-unlimited"
    done = run_grader(project, "--submission", str(project.parent / "hogs" / "memory_at_import"), "--out", str(out),
                      "--kata=alpha", "--memory-limit-gb=64", f"--spec-timeout={HOG_SPEC_TIMEOUT}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert kata_scores(json.loads((out / "results.json").read_text())) == {"alpha": 10.0}


def test_the_default_memory_limit_is_4_gb(project, tmp_path):
    write(tmp_path / "hog" / "katas" / "alpha" / "alpha.py", hog(6) + SOLUTIONS["alpha"])
    done = run_grader(project, "--submission", str(tmp_path / "hog"), "--out", str(tmp_path / "out"), "--kata=alpha",
                      f"--spec-timeout={HOG_SPEC_TIMEOUT}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 GB of memory" in done.stdout.splitlines()[0], done.stdout
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert {t[3] for t in summary(results).values()} == {over_memory(4)}
    assert results["extra_data"]["memory_limit"]["gb"] == 4


def test_tampering_with_tests_or_conftest_changes_nothing(graded):
    """Only katas/ is graded; the conftest.py planted in it is held for review (it imports pytest)."""
    tamper, untouched = graded["results"]["tamper"], graded["results"]["stubs"]
    assert (tamper["score"], tamper["max_score"]) == (untouched["score"], untouched["max_score"]) == (0.0, 16.0)
    assert [(t["name"], t["score"]) for t in learner_tests(tamper)] == [
        (t["name"], t["score"]) for t in learner_tests(untouched)]
    held = {t["output"] for t in learner_tests(tamper) if t["max_score"]}
    assert held == {"held for review: katas/conftest.py line 1: imports pytest"}, held


def test_loose_files_are_graded_over_the_stubs_and_a_skip_from_the_kata_fails(graded):
    results = graded["results"]["loose"]
    assert kata_scores(results) == {"alpha": 0.0, "beta": 6.0}
    assert "no katas/ folder: graded its loose kata files (alpha.py, beta.py) over the stubs" in results["output"]
    tests = summary(results)
    assert tests[A + "test_add_small"][:3] == (0.0, 2.5, "failed")
    assert tests[A + "test_add_small"][3].startswith("skipped by the kata's own code (katas/alpha/alpha.py)")
    assert tests[W + "test_words_needs_data_not_shipped"] == SKIPPED


def test_gradebook_has_a_row_per_learner_and_a_column_per_kata(graded):
    with (graded["out"] / "gradebook.csv").open(newline="") as file:
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


def test_the_class_report_beside_the_gradebook(graded):
    """What `--all` adds for the whole class (katakit/grading/class_report.py; test_class_report.py tests it
    on hand-built grades): the share of learners passing each step, and the page."""
    with (graded["out"] / "steps.csv").open(newline="") as file:
        rows = {(row["kata"], row["step"]): (row["learners"], row["passed"], row["share"])
                for row in csv.DictReader(file)}
    assert rows == {  # add: reference and exits; count: reference; words: reference, hangs, crashes, loose
        ("alpha", "add"): ("7", "2", "0.286"), ("alpha", "count"): ("7", "1", "0.143"),
        ("beta", "words"): ("7", "4", "0.571")}
    page = (graded["out"] / "class.html").read_text(encoding="utf-8")
    assert "The class: 7 learners, 2 katas" in page
    for verdict in ("timed out", "crashed", "flooded", "exited"):
        assert f"<td>{verdict}</td>" in page, verdict


def test_junit_xml_beside_the_results(graded):
    tree = ET.parse(graded["out"] / "hangs" / "junit.xml")
    suites = {s.get("name"): s for s in tree.getroot()}
    assert list(suites) == ["alpha", "beta"]
    assert (suites["alpha"].get("tests"), suites["alpha"].get("failures")) == ("4", "3")
    assert (suites["beta"].get("tests"), suites["beta"].get("skipped")) == ("4", "1")
    failure = suites["alpha"].find("testcase[@name='test_count_to_zero']/failure")
    assert failure.get("type") == "timed out"


def test_one_submission_prints_a_line_per_kata(project, graded):
    out = project.parent / "one"
    done = run_grader(project, "--submission", str(project.parent / "class" / "reference"), "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.split()[:4] == ["1", "alpha", "4/4", "10.00"] for line in lines), done.stdout
    assert any(line.split()[:4] == ["2", "beta", "3/3", "6.00"] for line in lines), done.stdout
    again = json.loads((out / "results.json").read_text())
    assert learner_tests(again) == learner_tests(graded["results"]["reference"])
    assert (out / "junit.xml").is_file()


def test_a_total_time_limit_still_lists_every_kata(project, graded):
    """Under Gradescope's timeout nothing would be reported at all: the grader stops first, and says so."""
    out = project.parent / "total"
    done = run_grader(project, "--submission", str(project.parent / "class" / "reference"), "--out", str(out),
                      "--total-timeout=0.001")
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((out / "results.json").read_text())
    assert (results["score"], results["max_score"]) == (0.0, 16.0)
    assert [(t["name"], t["max_score"], t["output"]) for t in learner_tests(results)] == [
        (f"{kata}: no spec ran", points, "not run: the time limit of the whole grading (0.001 s) ran out first.")
        for kata, points in (("alpha", 10.0), ("beta", 6.0))]
