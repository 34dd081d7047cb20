"""What comes in from a submission (katakit/grading/intake.py): regular files only, never through a link,
within caps. First the intake on its own, then golden cases through the real grader on the `world` fixture's
fixture project (kata `gamma`, 3 specs, its reference in solutions/), each with the outcome it must have.
Each attack is first shown to work with the copy the grader made before (shutil.copytree, which follows
links): test_the_attacks_work_with_a_copy_that_follows_links.
"""

from __future__ import annotations

import csv
import importlib.machinery
import json
import os
import shutil
import subprocess
import sysconfig
import uuid
from pathlib import Path

import pytest

from katakit.grading import intake
from katakit.tests import projects
from katakit.tests.fixture_katas import SOLUTIONS, STUBS
from katakit.tests.projects import write

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]  # its golden cases grade through bubblewrap

REFERENCE, STUB = SOLUTIONS["gamma"], STUBS["gamma"]
WRONG = """
def total(values):
    return -1


def double(values):
    return [0 for v in values]
"""

# --- the intake on its own ------------------------------------------------------------------------------


def tree(tmp_path: Path) -> tuple[Path, Path]:
    """A submission's katas/ and a secret outside it."""
    secret = tmp_path / "private" / "secret.txt"
    write(secret, "the grader's secret")
    katas = tmp_path / "learner" / "katas"
    write(katas / "gamma" / "gamma.py", "def total(values):\n    return sum(values)\n")
    return katas, secret


def test_regular_files_are_copied_and_nothing_else(tmp_path):
    katas, secret = tree(tmp_path)
    write(katas / "gamma" / "notes" / "todo.txt", "mine")
    (katas / "gamma" / "loot").symlink_to(secret)
    (katas / "gamma" / "stash").symlink_to(secret.parent)
    (katas / "gamma" / "loop").symlink_to(katas / "gamma" / "loop")
    os.mkfifo(katas / "gamma" / "pipe")
    write(katas / "gamma" / "gamma.cpython-311-x86_64-linux-gnu.so", "ELF")
    write(katas / "gamma" / "evil.pth", "import os")
    write(katas / "gamma" / "__pycache__" / "gamma.cpython-311.pyc", "stale")
    os.link(secret, katas / "gamma" / "hard.txt")
    write(katas / "gamma" / "twin-a.txt", "twins")
    os.link(katas / "gamma" / "twin-a.txt", katas / "gamma" / "twin-b.txt")  # both names inside: a plain file
    taken = intake.take(katas, tmp_path / "copy")
    copied = sorted(str(p.relative_to(tmp_path / "copy")) for p in (tmp_path / "copy").rglob("*") if p.is_file())
    assert copied == ["gamma/gamma.py", "gamma/notes/todo.txt", "gamma/twin-a.txt", "gamma/twin-b.txt"]
    assert not any(p.is_symlink() for p in (tmp_path / "copy").rglob("*"))
    assert taken.refused == {
        "katas/gamma/evil.pth": "a .pth file (Python runs it at start-up)",
        "katas/gamma/gamma.cpython-311-x86_64-linux-gnu.so": "a compiled extension",
        "katas/gamma/hard.txt": "a hard link to a file outside the submission",
        "katas/gamma/loop": "a symbolic link",
        "katas/gamma/loot": "a symbolic link",
        "katas/gamma/pipe": "a FIFO (named pipe)",
        "katas/gamma/stash": "a symbolic link",
    }
    assert len(taken.notes) == 1
    assert taken.notes[0].startswith("not copied from katas/ (regular files only): ")


def test_the_verdict_of_a_kata_file_that_is_not_a_file(tmp_path):
    katas, secret = tree(tmp_path)
    (katas / "gamma" / "gamma.py").unlink()
    (katas / "gamma" / "gamma.py").symlink_to(secret)
    (katas / "delta").symlink_to(secret.parent)
    taken = intake.take(katas, tmp_path / "copy")
    assert taken.verdict("katas/gamma/gamma.py") == "katas/gamma/gamma.py is a symbolic link: submit the file itself"
    assert taken.verdict("katas/delta/delta.py") == "katas/delta is a symbolic link: submit the folder itself"
    assert taken.verdict("katas/epsilon/epsilon.py") == ""


def test_a_katas_folder_that_is_a_link_is_not_followed(tmp_path):
    katas, secret = tree(tmp_path)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "katas").symlink_to(katas)
    taken = intake.take(tmp_path / "other" / "katas", tmp_path / "copy")
    assert list((tmp_path / "copy").iterdir()) == []
    assert taken.verdict("katas/gamma/gamma.py") == "katas is a symbolic link: submit the folder itself"


def test_a_file_swapped_for_a_link_after_the_walk_is_not_followed(tmp_path, monkeypatch):
    """The race: the walk saw a regular file, a link stands there when it is copied (O_NOFOLLOW, fstat)."""
    katas, secret = tree(tmp_path)
    walk = intake._Walk.run

    def then_swap(self, top):
        files = walk(self, top)
        (katas / "gamma" / "gamma.py").unlink()
        (katas / "gamma" / "gamma.py").symlink_to(secret)
        return files

    monkeypatch.setattr(intake._Walk, "run", then_swap)
    taken = intake.take(katas, tmp_path / "copy")
    assert not (tmp_path / "copy" / "gamma" / "gamma.py").exists()
    assert taken.refused == {"katas/gamma/gamma.py": "a symbolic link"}


def test_the_caps_copy_the_kata_files_first_and_nothing_past_the_cap(tmp_path):
    katas, _ = tree(tmp_path)
    for index in range(5):
        write(katas / "alpha" / f"data{index}.txt", "x" * 400_000)
    taken = intake.take(katas, tmp_path / "copy", caps=intake.Caps(mb=1.0), first=["katas/gamma/gamma.py"])
    assert (tmp_path / "copy" / "gamma" / "gamma.py").is_file()
    assert sorted(p.name for p in (tmp_path / "copy" / "alpha").iterdir()) == ["data0.txt", "data1.txt"]
    assert taken.notes == ["katas/ holds more than 1 MB (the cap, --max-mb): 3 file(s) from katas/alpha/data2.txt "
                           "on were not copied"]
    taken = intake.take(katas, tmp_path / "copy2", caps=intake.Caps(files=4))
    assert taken.notes == ["katas/ holds more than 4 files and folders (the cap, --max-files): nothing from "
                           "katas/alpha/data3.txt on was copied"]


def test_a_tree_too_deep_or_too_long_is_cut_in_one_line(tmp_path):
    katas, _ = tree(tmp_path)
    folder = os.open(katas / "gamma", os.O_RDONLY)
    for _ in range(20):  # 20 folders of 200 characters: a path of 4,000 characters, made one folder at a time
        os.mkdir("d" * 200, dir_fd=folder)
        inner = os.open("d" * 200, os.O_RDONLY, dir_fd=folder)
        os.close(folder)
        folder = inner
    os.close(folder)
    taken = intake.take(katas, tmp_path / "copy")
    assert (tmp_path / "copy" / "gamma" / "gamma.py").is_file()
    assert list(taken.refused.values()) == [f"a path longer than {intake.MAX_PATH:,} characters"]
    assert len(taken.notes) == 1


# --- golden cases through the grader --------------------------------------------------------------------

LEAK = '''
from pathlib import Path

raise RuntimeError("found: " + (Path(__file__).parent / "@WHAT@").read_text())
'''

# A second module of the kata that tampers: it swaps the spec module's numpy and pytest for no-ops.
HELPER = '''
import sys
import types

for name, module in list(sys.modules.items()):
    if name.endswith("test_gamma"):
        module.np = types.SimpleNamespace(testing=types.SimpleNamespace(assert_array_equal=lambda *a, **k: None))
        module.pytest = types.SimpleNamespace(fail=lambda *a, **k: None, mark=module.pytest.mark)
'''

EXTENSION = r'''
#include <Python.h>
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "gamma", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_gamma(void) {
    PyObject *module = PyModule_Create(&def), *names = PyModule_GetDict(module);
    PyDict_SetItemString(names, "__builtins__", PyEval_GetBuiltins());
    PyObject *done = PyRun_String("@REFERENCE@", Py_file_input, names, names);
    if (done == NULL) return NULL;
    Py_DECREF(done);
    return module;
}
'''


def compiled(folder: Path) -> Path | None:
    """The reference, compiled into an extension module `gamma` in `folder`; None without a C compiler."""
    compiler, include = shutil.which("cc") or shutil.which("gcc"), sysconfig.get_paths()["include"]
    if not compiler or not (Path(include) / "Python.h").exists():
        return None
    source = folder / "gamma.c"
    reference = REFERENCE.strip().replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    source.write_text(EXTENSION.replace("@REFERENCE@", reference))
    target = folder / f"gamma{importlib.machinery.EXTENSION_SUFFIXES[0]}"
    subprocess.run([compiler, "-shared", "-fPIC", f"-I{include}", str(source), "-o", str(target)], check=True)
    source.unlink()
    return target


def link_to_the_reference(gamma: Path, setting: dict) -> None:
    (gamma / "gamma.py").symlink_to(setting["project"] / "solutions" / "gamma" / "gamma.py")


def link_to_a_file_outside(gamma: Path, setting: dict) -> None:
    write(gamma / "gamma.py", LEAK.replace("@WHAT@", "loot"))
    (gamma / "loot").symlink_to(setting["secret"])


def link_to_a_folder(gamma: Path, setting: dict) -> None:
    write(gamma / "gamma.py", LEAK.replace("@WHAT@", "stash/secret.txt"))
    (gamma / "stash").symlink_to(setting["secret"].parent)


def fifo(gamma: Path, setting: dict) -> None:
    write(gamma / "gamma.py", WRONG)
    os.mkfifo(gamma / "pipe")


def compiled_extension(gamma: Path, setting: dict) -> None:
    write(gamma / "gamma.py", STUB)
    if compiled(gamma) is None:
        pytest.skip("no C compiler or Python.h here to build the extension")


def tampering_helper(gamma: Path, setting: dict) -> None:
    write(gamma / "helper.py", HELPER)
    write(gamma / "gamma.py", "from . import helper  # noqa: F401\n" + WRONG)


def sixty_mb(gamma: Path, setting: dict) -> None:
    write(gamma / "gamma.py", REFERENCE + ("#" * 1023 + "\n") * 60 * 1024)


def collects_garbage(gamma: Path, setting: dict) -> None:
    """Honest, but it imports gc: held for review until released."""
    write(gamma / "gamma.py", "import gc\n\ngc.collect()\n" + REFERENCE)


def solved(gamma: Path, setting: dict) -> None:
    write(gamma / "gamma.py", REFERENCE)


ATTACKS = (link_to_the_reference, link_to_a_file_outside, link_to_a_folder, fifo, compiled_extension,
           tampering_helper, sixty_mb)
HELD = "held for review: "
SO = f"katas/gamma/gamma{importlib.machinery.EXTENSION_SUFFIXES[0]}"

# learner -> (score, the first line of each spec's verdict, words every flag list must hold)
EXPECTED = {
    "link_to_the_reference": (0.0, ["katas/gamma/gamma.py is a symbolic link: submit the file itself"], []),
    "link_to_a_file_outside": (0.0, ["step 1 (Sum): importing katas/gamma/gamma.py failed:"] * 3,
                               ["note: katas/gamma/loot: a symbolic link: not copied"]),
    "link_to_a_folder": (0.0, ["step 1 (Sum): importing katas/gamma/gamma.py failed:"] * 3,
                         ["note: katas/gamma/stash: a symbolic link: not copied"]),
    "fifo": (0.0, None, ["note: katas/gamma/pipe: a FIFO (named pipe): not copied"]),
    "compiled_extension": (0.0, [f"{HELD}{SO}: a compiled extension: not copied"] * 3,
                           [f"tampering: {SO}: a compiled extension: not copied"]),
    "tampering_helper": (0.0, ["tampered: replaced or deleted "] * 3,
                         ["tampering: katas/gamma/helper.py line 4: uses sys.modules"]),
    "sixty_mb": (0.0, ["katas/gamma/gamma.py was not copied: past the cap of 50 MB for katas/"], []),
    "collects_garbage": (0.0, [f"{HELD}katas/gamma/gamma.py line 1: imports gc"] * 3,
                         ["tampering: katas/gamma/gamma.py line 1: imports gc"]),
    "solved": (10.0, ["passed"] * 3, []),
}


def learner(folder: Path, build, setting: dict) -> None:
    gamma = folder / build.__name__ / "katas" / "gamma"
    gamma.mkdir(parents=True)
    build(gamma, setting)


def run(setting: dict, *args: str) -> subprocess.CompletedProcess:
    return projects.grader(setting["project"], *args, spec_timeout=5)


@pytest.fixture(scope="module")
def secret(world) -> str:
    token = f"secret-{uuid.uuid4().hex}"
    world["secret"] = world["base"] / "private" / "secret.txt"
    write(world["secret"], token)
    return token


@pytest.fixture(scope="module")
def graded(world, secret) -> dict:
    folder, out = world["base"] / "intake-class", world["base"] / "intake-out"
    for build in (*ATTACKS, collects_garbage, solved):
        learner(folder, build, world)
    done = run(world, "--all", str(folder), "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    results = {p.name: json.loads((p / "results.json").read_text()) for p in out.iterdir() if p.is_dir()}
    return {"results": results, "out": out, "stdout": done.stdout, "folder": folder}


def verdicts(results: dict) -> list[str]:
    return [t["output"].splitlines()[0] for t in results["tests"] if t.get("visibility") != "hidden"]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_submission_gets_its_outcome(graded, name):
    results = graded["results"][name]
    score, first_lines, flagged = EXPECTED[name]
    assert results["score"] == score, verdicts(results)
    if first_lines is not None:
        assert [line[: len(want)] for line, want in zip(verdicts(results), first_lines, strict=True)] == first_lines
    flags = " | ".join(results["extra_data"]["flags"].get("gamma", []))
    for words in flagged:
        assert words in flags, flags


def test_no_byte_of_a_file_outside_reaches_a_report(graded, secret):
    for path in graded["out"].rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(errors="replace"), f"{path} holds the secret"
    assert secret not in graded["stdout"]


def test_the_caps_and_what_was_not_copied_are_said_in_one_line(graded):
    output = graded["results"]["sixty_mb"]["output"]
    assert ("katas/ holds more than 50 MB (the cap, --max-mb): 1 file(s) from katas/gamma/gamma.py on were not "
            "copied") in output.splitlines()
    assert "not copied from katas/ (regular files only): katas/gamma/pipe (a FIFO (named pipe))" in \
        graded["results"]["fifo"]["output"].splitlines()


def test_held_katas_say_so_in_the_gradebook_and_the_hidden_report(graded):
    with (graded["out"] / "gradebook.csv").open(newline="") as file:
        rows = {row["learner"]: row for row in csv.DictReader(file)}
    assert rows["collects_garbage"]["gamma"] == "0.00"
    assert rows["collects_garbage"]["status"] == (
        "gamma held for review: katas/gamma/gamma.py line 1: imports gc (its specs gave 10.00)")
    assert rows["solved"]["status"] == ""
    hidden = next(t["output"] for t in graded["results"]["collects_garbage"]["tests"] if t.get("visibility"))
    assert "gamma: held for review; its specs gave 10.00 / 10 (release: --release collects_garbage:gamma)" in hidden
    assert graded["results"]["collects_garbage"]["extra_data"]["held"] == {"gamma": 10.0}


@pytest.mark.parametrize("how", [["--release", "collects_garbage:gamma"], ["--release", "gamma"],
                                 ["--flagged", "score"]])
def test_a_held_kata_is_released_by_one_command(world, graded, tmp_path, how):
    done = run(world, "--submission", str(graded["folder"] / "collects_garbage"), "--out", str(tmp_path), *how)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["score"] == 10.0, verdicts(results)
    assert "tampering: katas/gamma/gamma.py line 1: imports gc" in results["extra_data"]["flags"]["gamma"]


def test_the_attacks_work_with_a_copy_that_follows_links(world, secret, tmp_path):
    """The control: the katas/ of each attack copied as the grader copied it before (shutil.copytree, following
    links), and its specs run with neither the guard nor the seal: each attack does what it set out to do."""
    roots = {}
    for build in ATTACKS:
        learner(tmp_path / "class", build, world)
        if build is fifo:
            with pytest.raises(shutil.Error, match="named pipe"):
                shutil.copytree(tmp_path / "class" / "fifo" / "katas", tmp_path / "fifo-copy")
            continue
        roots[build.__name__] = projects.build(tmp_path / build.__name__, ("gamma",))
        shutil.rmtree(roots[build.__name__] / "katas")
        shutil.copytree(tmp_path / "class" / build.__name__ / "katas", roots[build.__name__] / "katas")
    outcomes = projects.unguarded(roots, "gamma", tmp_path / "runs")
    passed = ["passed"] * 3
    assert [o.kind for o in outcomes["link_to_the_reference"]] == passed
    assert [o.kind for o in outcomes["compiled_extension"]] == passed
    assert [o.kind for o in outcomes["sixty_mb"]] == passed
    assert [o.kind for o in outcomes["tampering_helper"]] == ["assertion", "passed", "passed"]
    for leak in ("link_to_a_file_outside", "link_to_a_folder"):
        assert all(secret in o.message for o in outcomes[leak]), outcomes[leak]
