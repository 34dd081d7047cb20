"""The learner's screens: one clear failure per kata, progress, hints, reset, compare."""

import os
import subprocess
import sys

import pytest

from katakit.tests import projects

pytestmark = pytest.mark.slow


def solve(root, function):
    """Replace one TODO in the fake stub by its solution."""
    stub = root / "katas" / "demo" / "demo.py"
    text = stub.read_text()
    answer = {"double": "return 2 * x", "shout": "return text.upper()"}[function]
    todo = next(line for line in text.splitlines() if "NotImplementedError" in line and
                ("twice" if function == "double" else "upper") in line)
    stub.write_text(text.replace(todo.strip(), answer))


def test_make_test_and_progress_from_the_first_run_to_a_step_solved(demo):
    """One learner's way through the screens: progress before any run, the untouched stub, a verdict reused while
    the kata is unchanged, a change that progress names without running it, and the next step."""
    never = projects.katakit(demo, "progress").stdout
    assert "1. demo                       · not checked yet: make test KATA=demo" in never
    assert never.strip().splitlines()[-1] == "next: demo — A demo kata"
    assert not (demo / ".progress").exists(), "progress ran the specs"

    first = projects.katakit(demo, "test").stdout  # only the first step's TODO
    assert "demo: step 1 of 2, First things" in first
    assert "TODO katas/demo/demo.py:5 in double(): Step 1 (First things): return twice x" in first
    assert "Second things" not in first.split("demo: step 1")[1].split("instructions:")[0]
    assert "next: demo — A demo kata" in first
    assert "Traceback" not in first
    assert "unchanged since" not in first

    listed = projects.katakit(demo, "progress").stdout
    assert "1. demo" in listed
    assert "0/2 steps" in listed
    assert listed.strip().splitlines()[-1] == "next: demo — A demo kata"

    again = projects.katakit(demo, "test").stdout
    assert "✗ pending  0/2 steps  (unchanged since " in again
    assert "demo: step 1 of 2, First things" in again, "a reused verdict still shows the failure to fix"
    fresh = projects.katakit(demo, "test", "--fresh").stdout
    assert "unchanged since" not in fresh

    # make progress answers from the last runs: a kata changed since is named, not run (it took 65.8 s)
    saved = (demo / ".progress" / "results.json").read_bytes()
    imported = demo / "imported"
    stub = demo / "katas" / "demo" / "demo.py"
    stub.write_text(stub.read_text() + f"\nopen({str(imported)!r}, 'w').close()  # running a spec imports the stub\n")
    changed = projects.katakit(demo, "progress").stdout
    assert "1. demo                       · changed since its last run: make test KATA=demo" in changed, changed
    assert not imported.exists(), "progress ran the changed kata's specs"
    assert (demo / ".progress" / "results.json").read_bytes() == saved, "progress ran the specs"

    solve(demo, "double")  # the specs run in step order and stop at the first failure
    touched = projects.katakit(demo, "test").stdout
    assert "unchanged since" not in touched
    assert "demo: step 2 of 2, Second things" in touched
    assert "1/2 steps" in touched


def test_the_reference_is_offered_once_the_kata_is_solved_and_only_where_there_is_one(demo):
    early = projects.katakit(demo, "compare", "demo")
    assert early.returncode == 1
    assert "not solved yet" in early.stdout
    assert "return 2 * x" not in early.stdout
    solve(demo, "double")
    solve(demo, "shout")
    out = projects.katakit(demo, "test").stdout
    assert "✓ done     2/2 steps" in out
    assert "make compare KATA=demo" in out
    stub = demo / "katas" / "demo" / "demo.py"
    stub.write_text(stub.read_text().replace("return 2 * x", "return x + x"))
    compared = projects.katakit(demo, "compare", "demo").stdout
    assert "reference: solutions/demo/demo.py" in compared
    assert "-    return x + x\n+    return 2 * x" in compared
    (demo / "solutions" / "demo" / "demo.py").unlink()  # a copy without solutions
    done = projects.katakit(demo, "compare", "demo")
    assert done.returncode == 0
    assert "holds no reference solutions" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_missing_function_says_it_is_not_defined_yet(demo):
    stub = demo / "katas" / "demo" / "demo.py"
    stub.write_text(stub.read_text().split("\n\n# %% Step 2")[0].replace(
        'raise NotImplementedError("Step 1 (First things): return twice x")', "return 2 * x"))
    out = projects.katakit(demo, "test").stdout
    assert "You have not defined shout yet in katas/demo/demo.py (step 2 (Second things))." in out
    assert "ImportError" not in out
    assert "Traceback" not in out


def test_hint_gives_the_next_hint_for_the_first_failing_step(demo):
    first = projects.katakit(demo, "hint", "demo").stdout
    second = projects.katakit(demo, "hint", "demo").stdout
    assert "step 1 of 2 (First things): hint 1 of 2" in first
    assert "Multiply." in first
    assert "hint 2 of 2" in second
    assert "return 2 * x" in second


def test_reset_restores_the_stub_and_backs_up_the_learners_work(demo):
    solve(demo, "double")
    mine = (demo / "katas" / "demo" / "demo.py").read_text()
    out = projects.katakit(demo, "reset", "demo").stdout
    assert "is the untouched stub again" in out
    assert "NotImplementedError(\"Step 1" in (demo / "katas" / "demo" / "demo.py").read_text()
    backups = list((demo / ".katas-backup" / "demo").glob("*.py"))
    assert [b.read_text() for b in backups] == [mine]


def test_captured_output_is_capped(demo):
    stub = demo / "katas" / "demo" / "demo.py"
    stub.write_text(stub.read_text().replace(
        'raise NotImplementedError("Step 1 (First things): return twice x")', 'print("x" * 100000); return 3'))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "tests/test_demo.py", "-k", "doubles"],
        cwd=demo, capture_output=True, text=True, env=projects.environ(demo))
    assert "more characters cut" in done.stdout
    assert len(done.stdout) < 10000


def test_a_spec_past_its_time_limit_says_what_the_reference_needs(demo, monkeypatch):
    """The number of epochs in the message is the default of the step's function, in the kata's file."""
    projects.slow_demo(demo)
    monkeypatch.setenv("KATAS_SPEC_TIME_FLOOR", "1")
    out = projects.katakit(demo, "test").stdout
    assert ("step 1 (First things): this spec stopped after 1 s; the reference needs 0.0 s. Does double train "
            "with the tutorial's settings (e.g. epochs=5000) instead of the arguments it is given, or loop without "
            "end?") in out, out
    assert "it was at katas/demo/demo.py:" in out


def test_a_long_spec_shows_one_live_line_on_a_terminal_and_nothing_in_a_log(demo):
    stub = demo / "katas" / "demo" / "demo.py"
    stub.write_text(stub.read_text().replace('raise NotImplementedError("Step 1 (First things): return twice x")',
                                             "import time\n    time.sleep(4.5 if x == 2 else 0)\n    return 2 * x"))
    logged = projects.katakit(demo, "test", "demo").stdout
    assert "still running" not in logged
    controller, terminal = os.openpty()
    done = subprocess.run([sys.executable, "-m", "katakit", "test", "demo"], cwd=demo, stdout=terminal,
                          stderr=subprocess.STDOUT, env=projects.environ(demo), timeout=120)
    os.close(terminal)
    shown = b""
    while chunk := _read(controller):
        shown += chunk
    os.close(controller)
    assert done.returncode == 1
    assert "demo, step 1 (First things): test_double_doubles still running, 4 s" in shown.decode(), shown


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # the terminal's other end is closed: all is read
        return b""
