"""The commands a user types, run as from a plain shell: none of the TensorFlow variables that make sets.

Each entry point is run with `--help` and with a bad argument. Checked: the exit status, no traceback, no
TensorFlow start-up logging on stderr, and no TensorFlow imported at all (`python -X importtime` lists every
import on stderr): help and a mistyped argument are answered at once, not after the seconds TensorFlow
takes to import.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from katakit import env
from katakit.paths import ROOT

# Every module a user runs with `python -m` (the lead adds katakit.grading's entry point here if it moves).
MODULES = ["katakit", "katakit.grade", "katakit.grading.package", "katakit.grading.classroom",
           "katakit.grading.platforms.build", "katakit.grading.platforms.classroom50",
           "katakit.grading.platforms.prairielearn", "katakit.translations", "reproduce",
           "solutions.vgg16_classify.vgg16_classify"]

# Bad arguments, each to be rejected with exit status 2 before any work is done.
BAD_ARGUMENTS = [
    pytest.param("katakit", ["test", "no-such-kata"], id="katakit-kata"),
    pytest.param("katakit.grade", ["--kata", "no-such-kata"], id="grade-kata"),
    pytest.param("katakit.grade", ["--jobs", "0"], id="grade-jobs"),
    pytest.param("katakit.translations", ["--stamp", "README.md"], id="translations-stamp-not-a-translation"),
    pytest.param("katakit.grade", ["--out", "README.md"], id="grade-out-is-a-file"),
    pytest.param("katakit.grade", ["--submission", "no-such-folder"], id="grade-submission"),
    pytest.param("katakit.grading.package", ["README.md/autograder.zip"], id="package-out"),
    pytest.param("katakit.grading.platforms.build", ["prairielearn", "README.md"], id="build-out-is-a-file"),
    pytest.param("katakit.grading.platforms.build", ["moodle", "out"], id="build-platform"),
    pytest.param("katakit.grading.platforms.classroom50", ["--kata", "no-such-kata"], id="classroom50-kata"),
    pytest.param("katakit.grading.platforms.prairielearn", [], id="prairielearn-no-kata"),
    pytest.param("reproduce", ["--only", "no-such-experiment"], id="reproduce-only"),
    pytest.param("reproduce", ["--out", "README.md", "--only", "first_network"], id="reproduce-out-is-a-file"),
    pytest.param("solutions.vgg16_classify.vgg16_classify", ["no-such-photo.jpg"], id="vgg16-missing-photo"),
    pytest.param("solutions.vgg16_classify.vgg16_classify", ["README.md"], id="vgg16-not-an-image"),
    pytest.param("solutions.vgg16_classify.vgg16_classify", ["README.md", "--top", "0"], id="vgg16-top"),
]

# TensorFlow's start-up logging: absl/glog lines ("I0000 00:00:1796047258.874701 8391 port.cc:153] oneDNN
# custom operations are on..."), absl's own warning, and the CPU-instructions notice's second line.
TENSORFLOW_LOG = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d|absl::|oneDNN|To enable the following instructions")


def run(module: str, args: list[str]) -> tuple[subprocess.CompletedProcess, list[str], set[str]]:
    """`python -m module args` from the project folder without the TensorFlow variables: the process, its
    stderr lines (without -X importtime's) and the top-level packages it imported."""
    plain = {name: value for name, value in os.environ.items() if name not in {*env.BACKEND, *env.QUIET}}
    command = [sys.executable, "-X", "importtime", "-m", module, *args]
    done = subprocess.run(command, cwd=ROOT, env=plain, capture_output=True, text=True, timeout=300)
    lines = done.stderr.splitlines()
    imported = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in lines if line.startswith("import time:")}
    return done, [line for line in lines if not line.startswith("import time:")], imported


def check_quiet_and_quick(command: str, stderr: list[str], imported: set[str]) -> None:
    shown = "\n  stderr:\n" + "\n".join(stderr[-30:])
    assert not any("Traceback" in line for line in stderr), f"{command} must not end in a traceback{shown}"
    noise = [line for line in stderr if TENSORFLOW_LOG.search(line)]
    assert not noise, f"{command} left TensorFlow's start-up logging on stderr{shown}"
    heavy = sorted(imported & {"tensorflow", "keras"})
    assert not heavy, f"{command} imported {', '.join(heavy)}: seconds spent before it could answer{shown}"


@pytest.mark.parametrize("module", MODULES)
def test_help_answers_at_once_on_stdout(module):
    done, stderr, imported = run(module, ["--help"])
    command = f"python -m {module} --help"
    assert done.returncode == 0, f"{command} must exit with status 0, got {done.returncode}:\n{done.stderr[-2000:]}"
    assert "usage:" in done.stdout, f"{command} must print the usage on stdout, got:\n{done.stdout}"
    check_quiet_and_quick(command, stderr, imported)
    assert stderr == [], f"{command} must leave stderr empty, got:\n" + "\n".join(stderr)


@pytest.mark.parametrize(("module", "bad"), BAD_ARGUMENTS)
def test_a_bad_argument_gets_status_2_and_a_message(module, bad):
    done, stderr, imported = run(module, bad)
    command = f"python -m {module} {' '.join(bad)}"
    check_quiet_and_quick(command, stderr, imported)
    assert done.returncode == 2, (
        f"{command} must exit with status 2 (a usage error), got {done.returncode}:\n" + "\n".join(stderr[-30:]))
    assert stderr, f"{command} must say what is wrong on stderr, and said nothing"
