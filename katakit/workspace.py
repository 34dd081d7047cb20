"""Scratch copies of the project, for isolation checks and grading.

A workspace holds the repository's harness and specs, with `katas/` taken from wherever the
caller says, so nothing a learner wrote outside `katas/` can change how the specs run. `katas/`
comes in through the intake (katakit/grading/intake.py): regular files only, never through a link.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from katakit.grading import intake
from katakit.paths import ROOT

HARNESS = ("katakit", "tests", "data", "conftest.py", "pyproject.toml", "curriculum.toml")
IGNORE = shutil.ignore_patterns(*intake.QUIET)


def harness(where: Path | None = None) -> Path:
    """A fresh project copy under `where` (a new temporary folder by default), without katas/."""
    root = Path(where or tempfile.mkdtemp(prefix="katas-ws-")) / "project"
    root.mkdir(parents=True)
    for name in HARNESS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=IGNORE)
        elif source.exists():
            shutil.copy2(source, root / name)
    return root


def make(katas_from: Path, where: Path | None = None) -> Path:
    """A fresh project copy under `where` (a new temporary folder by default) with `katas_from` as katas/."""
    root = harness(where)
    intake.take(katas_from, root / "katas")
    return root
