"""`make check` itself: it passes a sound kata and catches a spec that cannot fail."""

import pytest

from katakit.check import schedule, tools
from katakit.tests import projects

pytestmark = pytest.mark.slow


def test_check_passes_a_sound_kata(demo):
    done = projects.katakit(demo, "check", "demo")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check: 6 passed, 0 failed" in done.stdout


def test_check_catches_a_spec_that_passes_against_the_stub_and_a_failing_reference(demo):
    """Two defects in one kata, each named by its stage."""
    spec = demo / "tests" / "test_demo.py"
    spec.write_text(spec.read_text() + '''

@pytest.mark.step("first")
def test_that_tests_nothing():
    assert demo is not None
''')
    solution = demo / "solutions" / "demo" / "demo.py"
    solution.write_text(solution.read_text().replace("return text.upper()", "return text"))
    done = projects.katakit(demo, "check", "demo")
    assert done.returncode == 1
    assert "test_that_tests_nothing passed against the untouched stub: it tests nothing" in done.stdout, done.stdout
    assert "(a) demo: tests/test_demo.py::test_shout_capitalises: assertion" in done.stdout, done.stdout


def test_a_check_that_cannot_run_here_is_counted_apart_with_its_reason_and_fails_nothing(capsys):
    def cannot():
        raise schedule.NotRun("no sandbox here: bwrap not found")

    listed = [("x", "three jobs", [("fine", lambda: [], 1), ("broken", lambda: ["wrong"], 1), ("absent", cannot, 1)])]
    failures, failed_jobs, jobs, not_run = schedule.run_stages(listed, jobs=2)
    assert (failures, failed_jobs, jobs, not_run) == (["x broken: wrong"], 1, 3, ["no sandbox here: bwrap not found"])
    assert "absent                         not run (no sandbox here: bwrap not found)" in capsys.readouterr().out


def test_the_sandboxs_tests_are_not_run_without_a_working_bwrap_but_under_ci_on_linux_they_run(tmp_path,
                                                                                               monkeypatch):
    spec = tmp_path / "test_graded.py"
    spec.write_text("import pytest\n\n@pytest.mark.sandbox\ndef test_graded():\n    assert False\n\n"
                    "def test_plain():\n    assert True\n")
    monkeypatch.setattr(tools, "sandbox_problem", lambda: "no sandbox here: bwrap not found")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(schedule.NotRun, match="bwrap not found"):  # the plain spec ran and passed
        tools.run_harness_tests(spec)
    spec.write_text(spec.read_text().replace("assert True", "assert 1 == 2"))
    assert tools.run_harness_tests(spec), "a failing spec beside the sandbox's must still fail the job"
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(tools.sys, "platform", "linux")
    assert "test_graded" in tools.run_harness_tests(spec)[0], "under CI on Linux the sandbox's specs run"
    only_graded = tmp_path / "test_only_graded.py"
    only_graded.write_text("import pytest\n\npytestmark = pytest.mark.sandbox\n\n"
                           "def test_graded():\n    assert False\n")
    with pytest.raises(schedule.NotRun, match="learner side only"):
        tools.run_harness_tests(only_graded, learner_side=True)
