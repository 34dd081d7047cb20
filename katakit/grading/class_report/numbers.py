"""The numbers of the class report, from the graded records only: each step's share of learners passing it,
the specs most often failed, the katas to review, the specs the grader stopped, each kata's grading times.

A spec's kind is read by what it is, not by a fixed list: the kinds the supervisor decides
(outcome.PROCESS_KINDS) and `not_run` are "stopped"; a spec that ran to its verdict is "answered"; any other
kind (`tampered`, and whatever the grader adds to hold a kata for review) lists its kata among those to review.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from katakit import manifest
from katakit.grading import verdicts
from katakit.grading.model import Grade, KataResult
from katakit.outcome import PROCESS_KINDS, Kind

STOPPED = (*PROCESS_KINDS, Kind.NOT_RUN)  # the grader stopped the spec, or never ran it
ANSWERED = (Kind.PASSED, Kind.TODO, Kind.ASSERTION, Kind.ERROR, Kind.SKIPPED_BY_KATA, Kind.SKIPPED_BY_SPECS)
FAILING_SHOWN = 5  # specs per kata in "most often failed"
LINE_CAP = 240  # characters of a message's first line on the page
PY_LINE = re.compile(r"\.py:\d+")


@dataclass(frozen=True)
class StepShare:
    kata: manifest.Kata
    step: manifest.Step
    learners: int  # learners with a verdict on this step
    passed: int  # of them, those who passed every spec of it

    @property
    def share(self) -> float | None:
        return self.passed / self.learners if self.learners else None


@dataclass(frozen=True)
class Failing:
    name: str
    step: str  # its label, e.g. "step 2 (Define the model)"
    failed: int
    learners: int
    message: str  # the most common first line among those who failed it
    same: int  # how many of them got that line


@dataclass(frozen=True)
class Stopped:
    learner: str
    kata: manifest.Kata
    verdict: str
    specs: int
    message: str


def step_passed(result: KataResult, step: str) -> bool | None:
    """Whether every spec of `step` that carries points passed; None if none does (the specs skipped them all).
    A kata whose spec file never collected has no spec at all: it passes no step."""
    if not result.specs:
        return False
    counted = [s for s in result.counted if s.step == step]
    return all(s.passed for s in counted) if counted else None


def step_shares(grades: list[Grade], katas: tuple[manifest.Kata, ...]) -> list[StepShare]:
    rows = []
    for kata in katas:
        results = [r for g in grades for r in g.katas if r.kata.name == kata.name]
        for step in kata.steps:
            known = [v for v in (step_passed(r, step.id) for r in results) if v is not None]
            rows.append(StepShare(kata, step, len(known), sum(known)))
    return rows


def failing(grades: list[Grade], kata: manifest.Kata) -> list[Failing]:
    """The specs of `kata` most learners failed, most failed first (ties in the specs' order)."""
    results = [r for g in grades for r in g.katas if r.kata.name == kata.name]
    order: dict[str, str] = {}  # name -> step label, in the order the specs ran
    lines: dict[str, list[str]] = {}
    for result in results:
        for spec in result.counted:
            order.setdefault(spec.name, kata.step(spec.step).label if spec.step else "step ?")
            if not spec.passed:
                lines.setdefault(spec.name, []).append(first_line(spec.message) or verdicts.word(spec.kind))
    found = []
    for name, failed in lines.items():
        message, same = commonest(failed)
        found.append(Failing(name, order[name], len(failed), len(results), message, same))
    ranked = sorted(found, key=lambda f: (-f.failed, list(order).index(f.name)))
    return ranked[:FAILING_SHOWN]


def to_review(grades: list[Grade]) -> list[tuple[Grade, KataResult, list[str]]]:
    """(grade, kata result, its flags) of every kata held for review, tampered with or flagged."""
    rows = []
    for grade in sorted(grades, key=lambda g: g.learner):
        for result in grade.katas:
            flags = [_flag_text(f) for f in grade.flags.get(result.kata.name, [])]
            if flags or any(s.kind not in ANSWERED + STOPPED for s in result.specs):
                rows.append((grade, result, flags))
    return rows


def _flag_text(flag) -> str:
    # a flag that knows its kind (tampering or note) says it; a plain one is its own text
    return flag.labelled() if hasattr(flag, "labelled") else str(flag)


def stopped(grades: list[Grade]) -> list[Stopped]:
    """Per learner and kata, each kind of stop (a limit, a crash, an exit, not run) with its commonest line,
    and each kata where no spec ran at all, with the note that says why."""
    rows = []
    for grade in sorted(grades, key=lambda g: g.learner):
        for result in grade.katas:
            if not result.specs:
                rows.append(Stopped(grade.learner, result.kata, "no spec ran", 0, first_line(result.note)))
            by_kind: dict[Kind, list[str]] = {}
            for spec in result.counted:
                if spec.kind in STOPPED:
                    by_kind.setdefault(spec.kind, []).append(first_line(spec.message))
            for kind, lines in by_kind.items():
                rows.append(Stopped(grade.learner, result.kata, verdicts.word(kind), len(lines), commonest(lines)[0]))
    return rows


def kata_times(grades: list[Grade], katas: tuple[manifest.Kata, ...]) -> list[tuple[manifest.Kata, list]]:
    """Each kata with the (seconds, learner) of every learner, longest first; the slowest kata (by median) first."""
    rows = []
    for kata in katas:
        times = sorted(((r.seconds, g.learner) for g in grades for r in g.katas if r.kata.name == kata.name),
                       reverse=True)
        if times:
            rows.append((kata, times))
    return sorted(rows, key=lambda row: -statistics.median(t for t, _ in row[1]))


def commonest(lines: list[str]) -> tuple[str, int]:
    """The most common of `lines` and how many there are, counting as one the lines that differ only in a
    line number of the kata file (`lstm_framing.py:94`): a learner's added code moves the stub's TODOs."""
    key, same = Counter(PY_LINE.sub(".py", line) for line in lines).most_common(1)[0]
    return next(line for line in lines if PY_LINE.sub(".py", line) == key), same


def first_line(text: str) -> str:
    line = text.strip().split("\n", 1)[0].strip() if text else ""
    return line if len(line) <= LINE_CAP else line[:LINE_CAP] + " [...]"
