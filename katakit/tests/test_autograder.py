"""The Gradescope autograder as built by `make autograder`: what the zip holds, and run_autograder from it.

The runs grade one kata (lstm_framing, among the quickest) to keep this file short; the grading path is
the same for all ten. What the grader makes of the stubs and the other golden cases is test_scenarios.py's
(on fixture katas); that the stubs fail their specs, make check's stage (b).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from katakit import manifest
from katakit.grading import package

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]  # grades through bubblewrap

KATA = "lstm_framing"
NEVER = ("solutions/", "reproduce/", "benchmarks/", "reports/", ".git/", "katakit/tests/", ".venv/", "results/")


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> Path:
    """An /autograder layout: source/ is the unpacked zip, as Gradescope lays it out."""
    folder = tmp_path_factory.mktemp("autograder")
    names = package.build(folder / "autograder.zip")
    with zipfile.ZipFile(folder / "autograder.zip") as archive:
        archive.extractall(folder / "source")
        for info in archive.infolist():  # extractall drops the executable bit
            os.chmod(folder / "source" / info.filename, (info.external_attr >> 16) & 0o777 or 0o644)
    (folder / "names.json").write_text(json.dumps(names))
    return folder


def test_the_zip_holds_what_grading_needs_and_never_a_reference(unpacked):
    names = json.loads((unpacked / "names.json").read_text())
    leaks = [n for n in names if n.startswith(NEVER) or "/solutions/" in n]
    assert leaks == [], f"the autograder zip must not hold {leaks}"
    assert {"setup.sh", "run_autograder", "conftest.py", "curriculum.toml", "requirements.txt",
            "requirements-grading.txt"} <= set(names)
    for kata in manifest.katas():
        assert f"katas/{kata.name}/{kata.name}.py" in names, f"the stub of {kata.name} is missing"
        assert f"tests/test_{kata.name}.py" in names, f"the specs of {kata.name} are missing"
    assert os.access(unpacked / "source" / "run_autograder", os.X_OK)


def run_autograder(unpacked: Path, submission: dict[str, str], *args: str, container: bool = False,
                   links: dict[str, Path] | None = None) -> dict:
    """Grade one submission ({kata: source}; `links`: {uploaded file: where it points}; `args`: more of the
    grader's options) with the unpacked zip's run_autograder; its results.json."""
    for folder in ("submission", "results"):
        shutil.rmtree(unpacked / folder, ignore_errors=True)
        (unpacked / folder).mkdir()
    for kata, source in submission.items():
        path = unpacked / "submission" / "katas" / kata / f"{kata}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    for name, target in (links or {}).items():
        (unpacked / "submission" / name).symlink_to(target)
    env = {**os.environ, "AUTOGRADER": str(unpacked), "VENV": sys.prefix}
    command = [str(unpacked / "source" / "run_autograder"), "--kata", KATA, *args]
    if container:
        env["KATAKIT_BWRAP"] = str(unpacked / "no-bubblewrap-here")
        command = in_a_container(command)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads((unpacked / "results" / "results.json").read_text())


def in_a_container(command: list[str]) -> list[str]:
    """The command in a private mount namespace where, as in Gradescope's image (setup.sh puts the venv in
    /opt), every user can run the interpreter and the venv: here the interpreter may live under /root,
    which no other user may enter, and the venv in a checkout under a private temporary folder."""
    script = "set -e; mount -t tmpfs -o mode=755 tmpfs /mnt; "  # in this mount namespace only: nothing left behind
    base = Path(sys.base_prefix).resolve()
    if base.is_relative_to("/root"):
        top = Path("/root", base.relative_to("/root").parts[0])
        script += (f"mkdir /mnt/hold; mount --bind {top} /mnt/hold; mount -t tmpfs -o mode=755 tmpfs /root; "
                   f"mkdir {top}; mount --move /mnt/hold {top}; ")
    script += f'mkdir /mnt/venv; mount --bind {Path(sys.prefix).resolve()} /mnt/venv; export VENV=/mnt/venv; exec "$@"'
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", *command]


def solved() -> dict[str, str]:
    return {KATA: manifest.kata(KATA).solution().read_text()}


def test_a_solved_submission_gets_full_marks_in_bubblewrap(unpacked):
    results = run_autograder(unpacked, solved())
    assert (results["score"], results["max_score"]) == (10.0, 10.0)
    assert results["extra_data"]["sandbox"].startswith("bubblewrap"), results["extra_data"]


@pytest.mark.skipif(os.geteuid() != 0, reason="the container path drops to an unprivileged user: it needs root")
def test_without_bubblewrap_the_container_is_the_sandbox_and_the_kata_runs_unprivileged(unpacked):
    """As root with bubblewrap unavailable (Gradescope's containers may forbid it): the katas run as
    `nobody`, who cannot read the autograder's source folder; a solved kata still gets full marks."""
    os.chmod(unpacked / "source", 0o700)  # as setup.sh leaves it
    probe = f"""
import os
if os.getuid() == 0 or os.access({str(unpacked / "source" / "curriculum.toml")!r}, os.R_OK):
    raise SystemExit("the kata runs with too many rights")
"""
    results = run_autograder(unpacked, {KATA: probe + solved()[KATA]}, container=True)
    assert results["extra_data"]["sandbox"].startswith("container: the kata runs as the unprivileged user 'nobody'")
    assert (results["score"], results["max_score"]) == (10.0, 10.0), results["output"]


def test_an_uploaded_kata_file_that_is_a_link_scores_zero(unpacked):
    """A Gradescope upload of loose files, one of them a link to the reference: it is not followed."""
    # --cold: no kata will run, so no warm server need import TensorFlow first
    results = run_autograder(unpacked, {}, "--cold", links={f"{KATA}.py": manifest.kata(KATA).solution()})
    assert (results["score"], results["max_score"]) == (0.0, 10.0)
    assert [t["output"] for t in results["tests"] if t.get("visibility") != "hidden"] == [
        f"{KATA}.py is a symbolic link: submit the file itself"]
