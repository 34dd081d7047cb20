"""The learner's screens (katakit/learner/screen.py) on hand-built outcome records of a curriculum kata: no
spec is run. test_learner.py shows the same screens from real runs of the demo kata."""

from __future__ import annotations

import time

from katakit import manifest
from katakit.learner import screen
from katakit.outcome import SpecOutcome

KATA = manifest.kata("first_network")
FIRST, SECOND = KATA.steps[0], KATA.steps[1]


def spec(step: manifest.Step, name: str, kind: str, message: str = "", notes: str = "") -> SpecOutcome:
    return SpecOutcome(nodeid=f"tests/test_{KATA.name}.py::{name}", kata=KATA.name, step=step.id, kind=kind,
                       message=message, notes=notes)


def every_step(kind: str) -> list[SpecOutcome]:
    return [spec(step, f"test_{step.id}", kind) for step in KATA.steps]


def test_a_kata_s_line_says_not_checked_pending_or_done_with_its_steps():
    steps = len(KATA.steps)
    assert screen.status_line(KATA, None) == "   1. first_network              · not checked yet"
    done = screen.status_line(KATA, every_step("passed"))
    assert done == f"   1. first_network              ✓ done     {steps}/{steps} steps"
    one = [spec(FIRST, "test_a", "passed"), *every_step("todo")[1:]]
    assert screen.status_line(KATA, one).endswith(f"✗ pending  1/{steps} steps")
    at = time.mktime((2026, 9, 1, 10, 5, 0, 0, 0, -1))
    assert screen.status_line(KATA, one, unchanged_since=at).endswith(f"1/{steps} steps  (unchanged since 10:05)")


def test_a_step_is_solved_only_when_every_one_of_its_specs_passed():
    half = [spec(FIRST, "test_a", "passed"), spec(FIRST, "test_b", "assertion", "no")]
    assert f"0/{len(KATA.steps)} steps" in screen.status_line(KATA, half)


def test_a_kata_without_a_current_verdict_names_its_make_test():
    assert screen.unchecked_line(KATA, changed=True) == (
        "   1. first_network              · changed since its last run: make test KATA=first_network")
    assert screen.unchecked_line(KATA, changed=False).endswith("· not checked yet: make test KATA=first_network")


def test_the_failure_shown_is_the_first_that_is_not_a_skip_or_not_run():
    tests = [spec(FIRST, "test_load", "passed"), spec(SECOND, "test_skipped", "skipped_by_specs", "no data"),
             spec(SECOND, "test_later", "not_run"),
             spec(SECOND, "test_shape", "assertion", "step 2: shape\n  got (8,)"),
             spec(SECOND, "test_other", "todo", "TODO elsewhere")]
    assert screen.failure_block(KATA, tests) == [
        f"first_network: step 2 of {len(KATA.steps)}, {SECOND.title}",
        "  spec: test_shape",
        "  step 2: shape",
        "    got (8,)",
        "  instructions: katas/first_network/README.md    hint: make hint KATA=first_network",
    ]
    assert screen.failure_block(KATA, every_step("passed")) == []


def test_make_test_s_screen_shows_one_failure_each_note_once_and_a_line_per_kata():
    framing = manifest.kata("lstm_framing")
    note = "a Keras 2 idiom: pass Input(shape) first"
    tests = [spec(FIRST, "test_load", "assertion", "step 1: X must be (n, 8)", notes=note),
             *[spec(step, f"test_{step.id}", "todo", "TODO", notes=note) for step in KATA.steps[1:]]]
    solved = [SpecOutcome(nodeid=f"tests/test_lstm_framing.py::test_{s.id}", kata="lstm_framing", step=s.id,
                          kind="passed") for s in framing.steps]
    lines = screen.learner_screen({"first_network": tests, "lstm_framing": solved})
    assert lines[:3] == ["", f"first_network: step 1 of {len(KATA.steps)}, {FIRST.title}", "  spec: test_load"]
    assert sum("spec:" in line for line in lines) == 1, "one failure to fix, not every one"
    assert lines.count(f"  first_network: {note}") == 1
    assert any(line.startswith("   1. first_network") and "✗ pending" in line for line in lines)
    assert any(line.startswith(f"  {framing.number:2}. lstm_framing") and "✓ done" in line for line in lines)
    assert lines[-1] == f"next: first_network — {KATA.title}"
