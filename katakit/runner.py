"""Run the specs in a separate pytest process and read back what happened to each one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from katakit import manifest
from katakit.paths import ROOT


@dataclass
class Run:
    returncode: int
    seconds: float
    tests: list[dict]
    output: str = field(repr=False)

    def of(self, kata: str) -> list[dict]:
        return [t for t in self.tests if t["kata"] == kata]


def run_specs(katas: list[manifest.Kata], *, solutions=False, learner=False, root: Path = ROOT,
              extra: tuple[str, ...] = (), timeout: float | None = None, env=None) -> Run:
    """Run the spec files of `katas` under `root`; every spec's outcome comes back in Run.tests."""
    with tempfile.TemporaryDirectory(prefix="katas-report-") as tmp:
        report = Path(tmp) / "report.json"
        command = [sys.executable, "-m", "pytest", "-q", "--tb=short",
                   f"--report-json={report}", *extra]
        command += ["--solutions"] if solutions else []
        command += ["--learner"] if learner else []
        command += [str(k.spec(root).relative_to(root)) for k in katas]
        completed = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=timeout,
                                   env={**os.environ, **(env or {})})
        output = completed.stdout + completed.stderr
        if not report.exists():
            return Run(completed.returncode, 0.0, [], output)
        data = json.loads(report.read_text(encoding="utf-8"))
        return Run(completed.returncode, data["seconds"], data["tests"], output)
