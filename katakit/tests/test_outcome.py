"""One outcome record per spec: its kind decided from the exception, streamed, read back defensively."""

import json
import subprocess
import sys
import textwrap

import pytest

from katakit.outcome import Reader, SpecOutcome, read
from katakit.run import follow, launch, runners
from katakit.tests import projects

# One spec per kind; double() is the kata's function under test in each.
KINDS_SPEC = '''
import errno
import os

import pytest

from katakit.loader import kata

demo = kata("demo")


@pytest.mark.step("first")
def test_passes():
    assert demo.double(2) == 4


@pytest.mark.step("first")
def test_asserts():
    assert demo.double(2) == 5, "double(2) must be 5"


@pytest.mark.step("first")
def test_errors():
    demo.double(None)


@pytest.mark.step("first")
def test_is_a_todo():
    demo.shout("hi")


@pytest.mark.step("first")
def test_times_out():
    demo.double("sleep")


@pytest.mark.step("first")
def test_exits():
    demo.double("exit")


@pytest.mark.step("first")
def test_too_large():
    demo.double("big")


@pytest.mark.step("first")
def test_skipped_by_kata():
    demo.double("skip")


@pytest.mark.step("first")
def test_skipped_by_specs():
    pytest.skip("the data for this spec is not shipped")


@pytest.mark.step("first")
def test_warns_like_keras_2():
    demo.double("warn")


@pytest.mark.step("first")
def test_fails_two_ways():
    raise ExceptionGroup("Hypothesis found 2 distinct failures.", [
        KeyError("a"), AssertionError("double(2) must be 4, got 5")])
'''

KATA = '''
import errno
import sys
import time

import pytest


def double(x):
    """Step 1, first things: twice x."""
    if x == "sleep":
        time.sleep(30)
    if x == "exit":
        sys.exit(3)
    if x == "big":
        raise OSError(errno.EFBIG, "File too large")
    if x == "skip":
        pytest.skip("not today")
    if x == "warn":
        import warnings

        warnings.warn("Do not pass an `input_shape`/`input_dim` argument to a layer. When using Sequential "
                      "models, prefer using an `Input(shape)` object as the first layer in the model instead.",
                      UserWarning, stacklevel=2)
        return 0
    return 2 * x


def shout(text):
    """Step 2, second things: text in capitals."""
    raise NotImplementedError("Step 2 (Second things): return text.upper()")
'''


@pytest.fixture
def kinds(demo):
    """The demo project with a spec for each kind of outcome, and a kata file that gives each."""
    (demo / "tests" / "test_demo.py").write_text(KINDS_SPEC, encoding="utf-8")
    (demo / "katas" / "demo" / "demo.py").write_text(textwrap.dedent(KATA), encoding="utf-8")
    return demo


def test_each_kind_is_decided_from_the_exception(kinds, tmp_path):
    request = launch.request(kinds, ["tests/test_demo.py"], tmp_path, spec_timeout=2,
                             environ={"KATAS_SEED_KERAS": "0"})
    run = follow.finish(request, runners.COLD.start(request), timeout=120)
    kinds = {o.name: o.kind for o in run.outcomes}
    assert kinds == {
        "test_passes": "passed", "test_asserts": "assertion", "test_errors": "error", "test_is_a_todo": "todo",
        "test_times_out": "timeout", "test_exits": "exited", "test_too_large": "too_large",
        "test_skipped_by_kata": "skipped_by_kata", "test_skipped_by_specs": "skipped_by_specs",
        "test_warns_like_keras_2": "passed", "test_fails_two_ways": "assertion",
    }, run.output
    notes = {o.name: o.notes for o in run.outcomes if o.notes}
    assert notes == {"test_warns_like_keras_2": "note: `input_shape=`/`input_dim=` is the Keras 2 way; use "
                                                "`keras.Input(shape=...)` as the first layer"}
    messages = {o.name: o.message for o in run.outcomes}
    assert messages["test_asserts"] == "step 1 (First things): double(2) must be 5"
    assert messages["test_is_a_todo"].startswith("TODO katas/demo/demo.py:")
    assert "TypeError" in messages["test_errors"]
    assert "raised at katas/demo/demo.py" in messages["test_errors"]
    assert messages["test_fails_two_ways"] == (
        "step 1 (First things): double(2) must be 4, got 5\n  (one of 2 different failures Hypothesis found "
        "with other examples: fix it and run again)")
    assert [c["kata"] for c in run.collected or []] == ["demo"] * 11


def test_learner_mode_marks_the_specs_after_a_failure_not_run(kinds, tmp_path):
    request = launch.request(kinds, ["tests/test_demo.py"], tmp_path, learner=True,
                             environ={"KATAS_SEED_KERAS": "0"})
    run = follow.finish(request, runners.COLD.start(request), timeout=120)
    assert [o.kind for o in run.outcomes][:3] == ["passed", "assertion", "not_run"]
    assert {o.kind for o in run.outcomes[2:]} == {"not_run"}


def test_the_reader_ignores_what_does_not_parse(tmp_path):
    good = SpecOutcome("tests/test_demo.py::test_a", "demo", "first", "passed", seconds=0.5)
    lines = [
        json.dumps({"collected": [{"nodeid": good.nodeid, "kata": "demo", "step": "first"}]}),
        "not json at all",
        json.dumps(["a", "list"]),
        json.dumps({"start": good.nodeid}),
        json.dumps({"outcome": {**good.to_json(), "kind": "perfect"}}),  # no such kind
        json.dumps({"outcome": {**good.to_json(), "seconds": "fast"}}),  # a field of the wrong type
        json.dumps({"outcome": "passed"}),
        json.dumps({"collected": []}),  # only the first collection counts
    ]
    path = tmp_path / "stream.jsonl"
    path.write_text("\n".join(lines) + "\n")
    stream = read(path)
    assert stream.collected == [{"nodeid": good.nodeid, "kata": "demo", "step": "first"}]
    assert stream.outcomes == {}
    assert stream.running == good.nodeid
    with path.open("a") as file:
        file.write(json.dumps({"outcome": good.to_json()}) + "\n" + json.dumps({"finished": True}))
    stream.update()
    assert stream.outcomes == {good.nodeid: good}
    assert stream.running is None
    assert not stream.finished, "a line without its newline is not read yet"
    with path.open("a") as file:
        file.write("\n")
    assert stream.update().finished


def test_a_missing_stream_reads_as_nothing(tmp_path):
    stream = Reader(tmp_path / "never-written.jsonl").update()
    assert (stream.collected, stream.outcomes, stream.finished) == (None, {}, False)


def test_progress_keeps_the_fingerprint_taken_before_the_run(demo):
    """A save during a run must not make that run's results look current."""
    done = projects.katakit(demo, "test")
    assert "0/2 steps" in done.stdout
    stub = demo / "katas" / "demo" / "demo.py"
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(demo)!r})
        from pathlib import Path
        from katakit import manifest
        from katakit.learner import progress, specs

        kata = manifest.kata("demo")
        stub = Path({str(stub)!r})
        edited = []

        def save_during_the_run(reader):
            if not edited:
                stub.write_text(stub.read_text().replace(
                    'raise NotImplementedError("Step 1 (First things): return twice x")', "return 2 * x"))
                edited.append(True)

        specs.run([kata], live=False, on_tick=save_during_the_run)
        print("cached after the run:", progress.cached(kata))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=demo, capture_output=True, text=True,
                          env=projects.environ(demo), timeout=120)
    assert "cached after the run: None" in done.stdout, done.stdout + done.stderr


def test_a_note_shows_once_under_the_verdict():
    from katakit.learner import screen

    note = "note: `input_shape=`/`input_dim=` is the Keras 2 way; use `keras.Input(shape=...)` as the first layer"
    tests = [SpecOutcome(f"tests/test_first_network.py::test_{i}", "first_network", "define", "passed", notes=note)
             for i in range(3)]
    lines = screen.learner_screen({"first_network": tests})
    assert lines.count(f"  first_network: {note}") == 1, lines
