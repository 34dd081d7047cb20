"""keras-katas' autograder for Classroom 50: the bundle's autograder.py (`make classroom50` copies it there).

Classroom 50's runner.py runs this file with the Python of the assignment's runtime, the learner's checkout as
the working folder and no arguments. It sets up the pinned stack of the bundle's harness (keras-katas/ beside
this file) in a venv, lets bubblewrap create user namespaces on a GitHub-hosted runner, then grades the
checkout's katas/ with that harness (katakit/grading/platforms/classroom50.py), which writes ./result.json
and ./release-body.md. Standard library only: it runs before the venv exists.

KATAKIT_VENV=DIR grades with an existing venv instead (a self-hosted runner, the harness's own tests);
arguments are passed on to the grader (e.g. --kata first_network).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HARNESS = Path(__file__).resolve().parent / "keras-katas"
PYTHONS = ((3, 11), (3, 13))  # TensorFlow 2.21 has wheels for these and the ones between
JOB_LIMIT = 15 * 60  # s: Classroom 50's grading job, its setup and its release included
RESERVED = 120  # s of that job for its steps before and after this script (checkout, Python, runner, release)
USERNS = "kernel.apparmor_restrict_unprivileged_userns"


def main() -> int:
    started = time.monotonic()
    if not PYTHONS[0] <= sys.version_info[:2] <= PYTHONS[1]:
        return refuse(f"this runs on Python {sys.version.split()[0]}, and TensorFlow 2.21 needs 3.11 to 3.13: "
                      'give the assignment the runtime {"python": "3.12"} (README.md, "Classroom 50")')
    python = venv()
    if python is None:
        return 1
    allow_user_namespaces()
    budget = JOB_LIMIT - RESERVED - (time.monotonic() - started)
    command = [str(python), "-m", "katakit.grading.platforms.classroom50", "--checkout", str(Path.cwd()),
               "--total-timeout", f"{budget:.0f}", *sys.argv[1:]]
    return subprocess.run(command, cwd=HARNESS).returncode


def venv() -> Path | None:
    """The venv's Python: KATAKIT_VENV's, else a new venv in the runner's temporary folder with the harness's
    requirements.txt and requirements-grading.txt; None (said why) if pip fails."""
    if os.environ.get("KATAKIT_VENV"):
        given = Path(os.environ["KATAKIT_VENV"]) / "bin" / "python"
        if not given.exists():
            refuse(f"KATAKIT_VENV names no venv: {given} is missing")
            return None
        return given
    folder = Path(os.environ.get("RUNNER_TEMP") or tempfile.mkdtemp()) / "keras-katas-venv"
    python = folder / "bin" / "python"
    started = time.monotonic()
    print(f"installing the pinned stack into {folder} (requirements.txt, requirements-grading.txt)...", flush=True)
    for step in ([sys.executable, "-m", "venv", str(folder)],
                 [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                  "-r", "requirements.txt", "-r", "requirements-grading.txt"]):
        if subprocess.run(step, cwd=HARNESS).returncode != 0:
            refuse(f"could not install the pinned stack: {' '.join(step[2:4])} failed (its output is above)")
            return None
    print(f"installed in {time.monotonic() - started:.0f} s", flush=True)
    return python


def allow_user_namespaces() -> None:
    """Ubuntu 24.04 lets AppArmor refuse user namespaces to every program without a profile, the wheel's bwrap
    among them. A GitHub-hosted runner is a throwaway machine: lift that (.github/allow-user-namespaces.sh)."""
    hosted = os.environ.get("GITHUB_ACTIONS") == "true" and os.environ.get("RUNNER_ENVIRONMENT") == "github-hosted"
    try:
        restricted = Path("/proc/sys", *USERNS.split(".")).read_text().strip() == "1"
    except OSError:
        restricted = False
    if hosted and restricted:
        subprocess.run(["sudo", "-n", "sysctl", "-w", f"{USERNS}=0"])


def refuse(line: str) -> int:
    """Not graded: one line in the workflow's log, and the exit status the runner reports as an error."""
    print(f"::error::keras-katas autograder: {line}", file=sys.stderr, flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
