"""Grading one submission for a platform, as `make grade` does: the same grader, limits and sandbox.

A platform's job runs where the instructor cannot choose the sandbox: bubblewrap where it starts (a GitHub
runner), else, as root in a container that forbids the user namespaces bubblewrap needs (PrairieLearn's,
Gradescope's), the container itself, with each kata process run as the unprivileged user `nobody`
(autograder/run_autograder makes the same choice).
"""

from __future__ import annotations

import os
from pathlib import Path

from katakit import manifest
from katakit.grading.model import Grade, Limits
from katakit.grading.submissions import grade
from katakit.run import sandbox


def pick_sandbox() -> sandbox.Sandbox:
    """bubblewrap if it starts here, else the container as root; else sandbox.Unavailable, saying why."""
    try:
        return sandbox.bubblewrap()
    except sandbox.Unavailable:
        if os.geteuid() != 0:
            raise
    return sandbox.container()


def grade_submission(submission: Path, katas: tuple[manifest.Kata, ...], *, total: float, jobs: int,
                     box: sandbox.Sandbox) -> Grade:
    """Every kata of `katas` in `submission`, within `total` seconds, one line per kata as it ends."""
    return grade(submission, katas=katas, limits=Limits(total=total), jobs=jobs, sandbox=box,
                 on_kata=lambda r: print(f"  {r.kata.name}: {r.score:.2f} / {r.kata.points:g}", flush=True))
