"""What the learner's commands print: one line per kata, the one failure to fix next, what comes after.
Every sentence in the learner's language (katakit/messages.py)."""

from __future__ import annotations

import time

from katakit import lang, manifest
from katakit.learner import progress
from katakit.messages import say
from katakit.outcome import SpecOutcome


def status_line(kata: manifest.Kata, tests: list[SpecOutcome] | None, unchanged_since: float | None = None) -> str:
    steps = say("status.steps", solved=progress.steps_solved(kata, tests or []), total=len(kata.steps))
    if tests is None:
        state = say("status.not_checked")
    elif progress.is_done(tests):
        state = say("status.done", steps=steps)
    else:
        state = say("status.pending", steps=steps)
    if tests is not None and unchanged_since is not None:
        state += say("status.unchanged_since", time=time.strftime('%H:%M', time.localtime(unchanged_since)))
    return f"  {kata.number:2}. {kata.name:<26} {state}"


def unchecked_line(kata: manifest.Kata, changed: bool) -> str:
    """A kata with no current verdict: its file or specs changed since its last run, or it never ran."""
    state = say("status.changed" if changed else "status.never", kata=kata.name)
    return f"  {kata.number:2}. {kata.name:<26} {state}"


def failure_block(kata: manifest.Kata, tests: list[SpecOutcome]) -> list[str]:
    """The one message a learner needs: the step, the spec, what it said, where to look."""
    failure = progress.first_failure(tests)
    if failure is None:
        return []
    step = kata.step(failure.step)
    lines = [say("failure.step", kata=kata.name, number=step.number, total=len(kata.steps),
                 title=step.title_in(lang.current())), say("failure.spec", name=failure.name)]
    lines += [f"  {line}" for line in failure.message.strip().splitlines()]
    lines.append(say("failure.where", kata=kata.name))
    return lines


def learner_screen(results: dict[str, list[SpecOutcome]], reused: dict[str, float] | None = None) -> list[str]:
    """What `make test` prints: the first unfinished kata's failure, then one line per kata.

    `results` holds the katas of this run in curriculum order; `reused` names those whose outcomes
    came from an earlier run (kata -> when), because nothing they depend on changed since.
    """
    reused = reused or {}
    upcoming = progress.next_kata(results)
    lines = [""]
    if upcoming:
        lines += failure_block(upcoming, results[upcoming.name]) + [""]
    notes = dict.fromkeys(f"  {name}: {note}" for name, tests in results.items() for t in tests or []
                          for note in t.notes.splitlines())
    lines += [*notes, ""] if notes else []
    lines += [status_line(manifest.kata(name), tests, reused.get(name)) for name, tests in results.items()]
    return lines + [""] + footer(results, upcoming)


def footer(results: dict[str, list[SpecOutcome] | None], upcoming: manifest.Kata | None) -> list[str]:
    done = [name for name, tests in results.items() if tests and progress.is_done(tests)]
    lines = []
    if len(results) == 1 and done and manifest.kata(done[0]).solution().exists():
        lines.append(say("footer.solved", kata=done[0]))
    upcoming = upcoming or next(  # the katas of this run are done: the next of the whole curriculum
        (k for k in manifest.katas() if k.name not in results and not progress.is_done(progress.cached(k) or [])),
        None)
    if upcoming:
        lines.append(say("footer.next", kata=upcoming.name, title=upcoming.title_in(lang.current())))
    elif results:
        lines.append(say("footer.all_done"))
    return lines
