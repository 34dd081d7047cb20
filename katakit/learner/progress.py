"""Where a learner stands: which katas are done, how many steps of each are solved, what is next.

Every learner run saves its outcomes in .progress/results.json under the fingerprint each kata had
when the run STARTED (its file, its spec file and the shared spec modules), so a save during a run
can never make that run's results look current; `make progress`, `make hint` and `make test` reuse
the outcomes of every kata whose fingerprint still matches.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from pathlib import Path

from katakit import lang, manifest
from katakit.outcome import Kind, SpecOutcome
from katakit.paths import ROOT

CACHE = ROOT / ".progress" / "results.json"


def fingerprint(kata: manifest.Kata) -> str:
    """The stub, the spec file and the spec modules the spec files share (tests/ files not named test_*)."""
    digest = hashlib.sha256()
    shared = sorted(p for p in kata.spec().parent.glob("*.py") if not p.name.startswith("test_"))
    for path in (kata.stub(), kata.spec(), *shared):
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()


def by_kata(outcomes: Iterable[SpecOutcome]) -> dict[str, list[SpecOutcome]]:
    grouped: dict[str, list[SpecOutcome]] = {}
    for outcome in outcomes:
        grouped.setdefault(outcome.kata, []).append(outcome)
    return grouped


def save(outcomes: Iterable[SpecOutcome], fingerprints: dict[str, str], cache: Path = CACHE) -> None:
    """Remember the outcomes of each kata that ran, under the fingerprint taken before the run."""
    grouped = by_kata(outcomes)
    if not grouped:
        return
    saved = _load(cache)
    for name, tests in grouped.items():
        if name in fingerprints:
            saved[name] = {"fingerprint": fingerprints[name], "time": time.time(), "lang": lang.current(),
                           "tests": [t.to_json() for t in tests]}
    cache.parent.mkdir(exist_ok=True)
    cache.write_text(json.dumps(saved, indent=1), encoding="utf-8")


def cached(kata: manifest.Kata, cache: Path = CACHE) -> list[SpecOutcome] | None:
    """The saved outcomes of `kata`, or None when its file or specs changed since (or it never ran)."""
    entry = _load(cache).get(kata.name)
    if not entry or entry.get("fingerprint") != fingerprint(kata):
        return None
    try:
        return [SpecOutcome.from_json(t) for t in entry["tests"]]
    except (KeyError, TypeError, ValueError):
        return None


def checked_at(kata: manifest.Kata, cache: Path = CACHE) -> float | None:
    """When the saved outcomes of `kata` were taken (time.time())."""
    entry = _load(cache).get(kata.name) or {}
    value = entry.get("time")
    return value if isinstance(value, float) else None


def language_of(kata: manifest.Kata, cache: Path = CACHE) -> str:
    """The language the saved messages of `kata` are in (a run composes them in the learner's language)."""
    return (_load(cache).get(kata.name) or {}).get("lang", lang.ENGLISH)


def _load(cache: Path) -> dict:
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def steps_solved(kata: manifest.Kata, tests: list[SpecOutcome]) -> int:
    """A step is solved when it has specs and every one of them passed."""
    solved = 0
    for step in kata.steps:
        results = [t.passed for t in tests if t.step == step.id]
        if results and all(results):
            solved += 1
    return solved


def is_done(tests: list[SpecOutcome]) -> bool:
    return any(t.passed for t in tests) and all(t.passed or not t.counted for t in tests)


def first_failure(tests: list[SpecOutcome]) -> SpecOutcome | None:
    return next((t for t in tests if not t.passed and t.kind not in (Kind.NOT_RUN, Kind.SKIPPED_BY_SPECS)), None)


def next_kata(results: dict[str, list[SpecOutcome] | None]) -> manifest.Kata | None:
    return next((k for k in manifest.katas() if k.name in results and not is_done(results[k.name] or [])), None)
