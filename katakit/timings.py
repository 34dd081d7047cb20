"""How long each spec takes against its reference, and the time limit that gives it in learner mode.

tests/spec_times.json is generated: `python -m katakit check --refresh-timings` writes it from the
reference runs of `make check`, and every `make check` verifies that it names exactly the specs there
are. In `make test` and `make watch` a spec may run ten times its reference's time, and at least 30 s
(a learner's machine may be slow, or busy). The grader gives the same ten times with a floor of its own
(GRADING_FLOOR), low enough that a kata that hangs in every spec costs about ten times its reference run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from katakit.paths import ROOT

FILE = Path("tests") / "spec_times.json"
FACTOR = 10.0
FLOOR = 30.0  # s; KATAS_SPEC_TIME_FLOOR sets another (a slow machine may want more, a test less)
GRADING_FLOOR = 2.0  # s: no spec it applies to took over 0.65 s in gradings of the references on a busy machine
UNKNOWN = 60.0  # s for a spec the file does not name yet


def load(root: Path = ROOT) -> dict[str, float]:
    try:
        data = json.loads((root / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: float(v) for k, v in data.items() if isinstance(v, (int, float))} if isinstance(data, dict) else {}


def limit(seconds: float | None, floor: float | None = None) -> float:
    """The time limit of a spec whose reference takes `seconds` (None: not measured), at least `floor`
    (None: the learner's)."""
    if floor is None:
        floor = float(os.environ.get("KATAS_SPEC_TIME_FLOOR", FLOOR))
    return max(UNKNOWN, floor) if seconds is None else max(floor, FACTOR * seconds)


def save(times: dict[str, float], root: Path = ROOT) -> None:
    text = json.dumps({k: round(times[k], 2) for k in sorted(times)}, indent=1)
    (root / FILE).write_text(text + "\n", encoding="utf-8")


def problems(times: dict[str, float], root: Path = ROOT) -> list[str]:
    """What is wrong with the file, given the specs the reference runs just timed."""
    known = load(root)
    missing, stale = sorted(set(times) - set(known)), sorted(set(known) - set(times))
    if not missing and not stale:
        return []
    how = "run `.venv/bin/python -m katakit check --refresh-timings` and commit it"
    return [f"{FILE} has no time for {len(missing)} spec(s) (e.g. {missing[:1]}) and {len(stale)} spec(s) that "
            f"no longer exist (e.g. {stale[:1]}): {how}"]
