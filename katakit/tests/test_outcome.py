"""One outcome record per spec: its kind decided from the exception, streamed, read back defensively."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from katakit.outcome import Kind, Reader, SpecOutcome, read
from katakit.paths import ROOT
from katakit.run import follow, launch, runners
from katakit.tests import fake_project

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
def project(tmp_path):
    root = fake_project.make(tmp_path)
    (root / "tests" / "test_demo.py").write_text(KINDS_SPEC, encoding="utf-8")
    (root / "katas" / "demo" / "demo.py").write_text(textwrap.dedent(KATA), encoding="utf-8")
    return root


def test_each_kind_is_decided_from_the_exception(project, tmp_path):
    request = launch.request(project, ["tests/test_demo.py"], tmp_path, spec_timeout=2,
                             environ={"KATAS_SEED_KERAS": "0"})
    run = follow.finish(request, runners.COLD.start(request), timeout=120)
    kinds = {o.name: o.kind for o in run.outcomes}
    assert kinds == {
        "test_passes": Kind.PASSED, "test_asserts": Kind.ASSERTION, "test_errors": Kind.ERROR,
        "test_is_a_todo": Kind.TODO,
        "test_times_out": Kind.TIMEOUT, "test_exits": Kind.EXITED, "test_too_large": Kind.TOO_LARGE,
        "test_skipped_by_kata": Kind.SKIPPED_BY_KATA, "test_skipped_by_specs": Kind.SKIPPED_BY_SPECS,
        "test_warns_like_keras_2": Kind.PASSED, "test_fails_two_ways": Kind.ASSERTION,
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


def test_learner_mode_marks_the_specs_after_a_failure_not_run(project, tmp_path):
    request = launch.request(project, ["tests/test_demo.py"], tmp_path, learner=True,
                             environ={"KATAS_SEED_KERAS": "0"})
    run = follow.finish(request, runners.COLD.start(request), timeout=120)
    assert [o.kind for o in run.outcomes][:3] == [Kind.PASSED, Kind.ASSERTION, Kind.NOT_RUN]
    assert {o.kind for o in run.outcomes[2:]} == {Kind.NOT_RUN}


def test_the_reader_ignores_what_does_not_parse(tmp_path):
    good = SpecOutcome("tests/test_demo.py::test_a", "demo", "first", Kind.PASSED, seconds=0.5)
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


def test_the_record_is_data_only_and_its_kind_is_a_plain_string_on_the_wire():
    """The trusted parents read the kata's stream with katakit.outcome: it must not import pytest."""
    code = "import sys, katakit.outcome; print('pytest' in sys.modules, '_pytest' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "False"], done.stdout + done.stderr
    record = SpecOutcome("tests/test_demo.py::test_a", "demo", "first", "not_run")
    assert record.kind is Kind.NOT_RUN
    assert json.dumps(record.to_json()).startswith(
        '{"nodeid": "tests/test_demo.py::test_a", "kata": "demo", "step": "first", "kind": "not_run", ')


def test_a_missing_stream_reads_as_nothing(tmp_path):
    stream = Reader(tmp_path / "never-written.jsonl").update()
    assert (stream.collected, stream.outcomes, stream.finished) == (None, {}, False)


def test_progress_keeps_the_fingerprint_taken_before_the_run(tmp_path):
    """A save during a run must not make that run's results look current."""
    root = fake_project.make(tmp_path)
    done = fake_project.katakit(root, "test")
    assert "0/2 steps" in done.stdout
    stub = root / "katas" / "demo" / "demo.py"
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(root)!r})
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
    done = fake_project.subprocess.run([fake_project.sys.executable, "-c", script], cwd=root, capture_output=True,
                                       text=True, env={**os.environ, "KATAS_SEED_KERAS": "0"}, timeout=120)
    assert "cached after the run: None" in done.stdout, done.stdout + done.stderr


def test_a_note_shows_once_under_the_verdict():
    from katakit.learner import screen

    note = "note: `input_shape=`/`input_dim=` is the Keras 2 way; use `keras.Input(shape=...)` as the first layer"
    tests = [SpecOutcome(f"tests/test_first_network.py::test_{i}", "first_network", "define", Kind.PASSED, notes=note)
             for i in range(3)]
    lines = screen.learner_screen({"first_network": tests})
    assert lines.count(f"  first_network: {note}") == 1, lines
