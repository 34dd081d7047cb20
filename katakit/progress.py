"""Where a learner stands: which katas are done, how many steps of each are solved, what is next."""

from __future__ import annotations

from collections.abc import Iterable

from katakit import manifest


def steps_solved(kata: manifest.Kata, outcomes: list[dict]) -> int:
    """A step is solved when it has specs and every one of them passed."""
    solved = 0
    for step in kata.steps:
        results = [o["outcome"] for o in outcomes if o["step"] == step.id]
        if results and all(r == "passed" for r in results):
            solved += 1
    return solved


def kata_status(kata: manifest.Kata, outcomes: list[dict]) -> tuple[bool, int]:
    """(done, steps solved) for one kata's spec outcomes."""
    done = bool(outcomes) and all(o["outcome"] == "passed" for o in outcomes)
    return done, steps_solved(kata, outcomes)


def summary_lines(outcomes: Iterable[dict]) -> list[str]:
    by_kata: dict[str, list[dict]] = {}
    for outcome in outcomes:
        by_kata.setdefault(outcome["kata"], []).append(outcome)
    lines, next_kata = [], None
    for kata in manifest.katas():
        if kata.name not in by_kata:
            continue
        done, solved = kata_status(kata, by_kata[kata.name])
        mark = "done   " if done else "pending"
        lines.append(f"  {kata.number:2}. {kata.name:<26} {mark} {solved}/{len(kata.steps)} steps")
        if not done and next_kata is None:
            next_kata = kata
    if next_kata:
        lines.append(f"next: {next_kata.name} — {next_kata.title}")
    elif lines:
        lines.append("every kata you ran is done")
    return lines
