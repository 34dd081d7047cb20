"""What a grading finds: its limits, each kata's specs with their outcomes, and a learner's grade."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from katakit import manifest, timings
from katakit.grading import verdicts
from katakit.grading.integrity import Flag
from katakit.outcome import SpecOutcome

KATA_TIMEOUT = 600.0  # s per kata, all its specs and restarts together: the backstop
OUTPUT_LIMIT_MB = 1024  # largest file a kata's process may write (its captured output included)
MEMORY_LIMIT_GB = 4.0  # GB a kata's processes may hold together: the references peak at 1.9 (vgg16_classify)


@dataclass(frozen=True)
class Limits:
    spec: float | None = None  # s for every spec alike (--spec-timeout); None: each its own (spec_limit)
    kata: float = KATA_TIMEOUT
    output_mb: int = OUTPUT_LIMIT_MB
    total: float | None = None  # s for the whole grading of one submission (e.g. under Gradescope's timeout)
    memory_gb: float = MEMORY_LIMIT_GB

    def spec_limit(self, reference: float | None) -> float:
        """The time limit of a spec whose reference takes `reference` s (tests/spec_times.json; None: not
        measured): the flat one if set, else ten times the reference, at least timings.GRADING_FLOOR."""
        return self.spec or timings.limit(reference, timings.GRADING_FLOOR)

    def describe_spec(self) -> str:
        if self.spec:
            return f"{self.spec:g} s per spec"
        return f"each spec {timings.FACTOR:g}x its reference's time, at least {timings.GRADING_FLOOR:g} s"

    @staticmethod
    def grace(limit: float) -> float:
        """How long past its limit a spec may run before the grader kills its process (pytest-timeout
        stops it first when it can: not inside C code, nor inside Hypothesis, which swallows the stop)."""
        return 2.0 + 0.1 * limit


@dataclass
class KataResult:
    kata: manifest.Kata
    specs: list[SpecOutcome]  # as graded: each message is the verdict's text (verdicts.py)
    seconds: float
    note: str = ""  # what went wrong outside any spec (e.g. the spec file did not collect)
    unheld: float | None = None  # held for review: the score its specs gave, for the instructor (review.py)

    @property
    def counted(self) -> list[SpecOutcome]:
        return [s for s in self.specs if s.counted]

    @property
    def score(self) -> float:
        counted = self.counted
        return self.kata.points * sum(s.passed for s in counted) / len(counted) if counted else 0.0

    def spec_points(self) -> float:
        return self.kata.points / len(self.counted) if self.counted else 0.0

    def problems(self) -> str:
        counts: dict[str, int] = {}
        for spec in self.counted:
            word = verdicts.word(spec.kind)
            if word not in ("passed", "failed", verdicts.word("held")):  # held: the note says it
                counts[word] = counts.get(word, 0) + 1
        text = ", ".join(f"{n} {word}" for word, n in counts.items())
        return "; ".join(t for t in (text, self.note.splitlines()[0] if self.note else "") if t)


@dataclass
class Grade:
    learner: str
    submission: Path
    katas: list[KataResult]
    seconds: float
    notes: list[str] = field(default_factory=list)
    flags: dict[str, list[Flag]] = field(default_factory=dict)  # kata -> the static screen's flags (instructor)
    sandbox: str = ""  # what isolated the kata processes
    seed: int | None = None  # the Hypothesis seed of this grading: rerun with --seed to get the same draws
    limits: Limits = field(default_factory=Limits)

    @property
    def score(self) -> float:
        return round(sum(k.score for k in self.katas), 2)

    @property
    def max_score(self) -> float:
        return round(sum(k.kata.points for k in self.katas), 2)
