"""Held for review: a kata whose files raise a tampering flag scores 0 until the instructor releases it.

The checks inside the specs' process cannot see every kind of tampering (katakit/guard.py says why); the
static screen (katakit/grading/integrity.py) reads what the kata would do. A kata with a tampering flag is
still graded, but every spec of it scores 0 with the verdict `held for review: <flags>`; the score it would
have had goes to the instructor only (the hidden part of results.json). The instructor reads the flagged
lines and either leaves it at 0 or releases it by grading again with

    --release LEARNER:KATA   (repeatable; KATA alone releases that kata for every learner graded)
    --flagged score          (flags hold nothing: every kata scores what its specs give)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from katakit.grading.integrity import Flag
from katakit.grading.model import KataResult
from katakit.outcome import Kind, cap

HELD = "held for review"


@dataclass(frozen=True)
class Review:
    hold: bool = True  # --flagged hold (the default) or score
    released: frozenset[tuple[str, str]] = frozenset()  # (learner, kata); learner "" for every learner

    def holds(self, learner: str, kata: str) -> bool:
        return self.hold and not {(learner, kata), ("", kata)} & self.released


HOLD = Review()


def release(text: str, katas: set[str]) -> tuple[str, str]:
    """`alice:first_network` -> ("alice", "first_network"); `first_network` -> ("", "first_network");
    ValueError with one line when the kata is unknown."""
    learner, _, kata = text.rpartition(":")
    if kata not in katas:
        raise ValueError(f"--release {text}: no kata named {kata!r} (curriculum.toml lists {', '.join(sorted(katas))})")
    return learner, kata


def status(flags: list[Flag]) -> str:
    return f"{HELD}: " + "; ".join(str(flag) for flag in flags)


def hold(result: KataResult, flags: list[Flag]) -> KataResult:
    """`result` held: every spec that carries points scores 0 with the status; its own score kept aside.
    A kata the guard caught tampering keeps that verdict: it scores 0 whatever the instructor decides."""
    if any(spec.kind == Kind.TAMPERED for spec in result.specs):
        return result
    text = cap(status(flags))
    specs = [dataclasses.replace(s, kind=Kind.HELD, message=text) if s.counted else s for s in result.specs]
    return dataclasses.replace(result, specs=specs, note=text, unheld=result.score)
