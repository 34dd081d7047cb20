"""The GitHub workflows (.github/workflows): `make check` lints them with actionlint, because no GitHub runner
can be reached from here, and that lint must be able to fail."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from katakit.check.tools import run_actionlint
from katakit.paths import ROOT

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="actionlint's wheel is for Linux here "
                                                                                "(make check reports it as not run)")

GOOD = """
    name: t
    on: push
    jobs:
      t:
        runs-on: ubuntu-latest
        steps:
          - id: python
            uses: actions/setup-python@v6
            with:
              python-version: "3.12"
          - run: echo "${{ steps.python.outputs.python-version }}"
"""

# One mistake each, of the kinds that only show on GitHub, after a push.
BROKEN = {
    "unknown key": ("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"),
    "undefined output": ("outputs.python-version }}", "outputs.pyhton-version }}"),
    "unknown input": ("python-version: \"3.12\"", "python: \"3.12\""),
    "undefined step": ("steps.python.outputs", "steps.setup.outputs"),
    "retired runtime": ("actions/setup-python@v6", "actions/setup-python@v5"),
    "bad indentation": ("      - run: echo", "    - run: echo"),
}


def workflow(tmp_path, text: str):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "t.yml").write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return tmp_path


def test_the_repository_s_workflows_pass_actionlint():
    assert run_actionlint() == []


def test_a_sound_workflow_passes(tmp_path):
    assert run_actionlint(workflow(tmp_path, GOOD)) == []


@pytest.mark.parametrize("mistake", BROKEN)
def test_a_broken_workflow_fails(tmp_path, mistake):
    old, new = BROKEN[mistake]
    assert old in GOOD
    problems = run_actionlint(workflow(tmp_path, GOOD.replace(old, new)))
    assert len(problems) == 1
    assert ".github/workflows/t.yml:" in problems[0]


def test_no_workflow_is_a_failure_not_a_pass(tmp_path):
    assert run_actionlint(tmp_path) == ["no workflow to check"]


def test_the_grading_workflow_grades_katas_of_the_push_with_the_template_s_specs():
    """For courses on plain GitHub Actions: the specs come from the template's commit, which is not graded itself,
    and the runners from the grader's payload writer (GitHub Classroom, which read a workflow of a fixed name,
    closed on 2026-08-28)."""
    text = (ROOT / ".github" / "workflows" / "classroom.yml").read_text(encoding="utf-8")
    assert "\nname: Grade katas\n" in text
    assert "github-classroom[bot]" not in text
    assert "git rev-list --max-parents=0 HEAD" in text
    assert 'if [ "$(git rev-parse HEAD)" = "$roots" ]; then' in text
    # keras-katas' own first commit, which tells this repository (and its forks) from a course's copy
    root = subprocess.run(["git", "rev-list", "--max-parents=0", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    assert f"PROJECT_ROOT: {root.stdout.strip()}\n" in text
    assert "make grade SUBMISSION=" in text
    assert ".venv/bin/python -m katakit.grading.classroom results/classroom.json" in text
    assert "uses: classroom-resources/autograding-grading-reporter@v1" in text
    assert "runners: ${{ steps.grade.outputs.runners }}" in text
    assert "timeout-minutes:" in text
