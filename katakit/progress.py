"""Where a learner stands: which katas are done, how many steps of each are solved, what is next.

Every learner run (`make test`) saves its outcomes in .progress/results.json, keyed by the content of
each kata's file and spec, so `make progress` and `make hint` rerun only the katas that changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from katakit import manifest
from katakit.paths import ROOT

CACHE = ROOT / ".progress" / "results.json"


def fingerprint(kata: manifest.Kata) -> str:
    """The stub, the spec file and the spec modules the spec files share (tests/ files not named test_*)."""
    digest = hashlib.sha256()
    shared = sorted(p for p in kata.spec().parent.glob("*.py") if not p.name.startswith("test_"))
    for path in (kata.stub(), kata.spec(), *shared):
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()


def by_kata(outcomes: Iterable[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for outcome in outcomes:
        grouped.setdefault(outcome["kata"], []).append(outcome)
    return grouped


def save(outcomes: Iterable[dict], cache: Path = CACHE) -> None:
    """Remember this run's outcomes of each kata that ran, with the fingerprint they belong to."""
    grouped = by_kata(outcomes)
    if not grouped:
        return
    saved = _load(cache)
    for name, tests in grouped.items():
        saved[name] = {"fingerprint": fingerprint(manifest.kata(name)), "tests": tests}
    cache.parent.mkdir(exist_ok=True)
    cache.write_text(json.dumps(saved, indent=1), encoding="utf-8")


def cached(kata: manifest.Kata, cache: Path = CACHE) -> list[dict] | None:
    """The saved outcomes of `kata`, or None when its file or spec changed since."""
    entry = _load(cache).get(kata.name)
    if entry and entry["fingerprint"] == fingerprint(kata):
        return entry["tests"]
    return None


def _load(cache: Path) -> dict:
    try:
        return json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def steps_solved(kata: manifest.Kata, tests: list[dict]) -> int:
    """A step is solved when it has specs and every one of them passed."""
    solved = 0
    for step in kata.steps:
        results = [t["outcome"] for t in tests if t["step"] == step.id]
        if results and all(r == "passed" for r in results):
            solved += 1
    return solved


def is_done(tests: list[dict]) -> bool:
    return bool(tests) and all(t["outcome"] == "passed" for t in tests)


def first_failure(tests: list[dict]) -> dict | None:
    return next((t for t in tests if t["outcome"] == "failed"), None)


def status_line(kata: manifest.Kata, tests: list[dict] | None) -> str:
    if tests is None:
        state = "· not run yet"
    elif is_done(tests):
        state = f"✓ done     {steps_solved(kata, tests)}/{len(kata.steps)} steps"
    else:
        state = f"✗ pending  {steps_solved(kata, tests)}/{len(kata.steps)} steps"
    return f"  {kata.number:2}. {kata.name:<26} {state}"


def next_kata(results: dict[str, list[dict] | None]) -> manifest.Kata | None:
    return next((k for k in manifest.katas() if k.name in results and not is_done(results[k.name] or [])), None)


def failure_block(kata: manifest.Kata, tests: list[dict]) -> list[str]:
    """The one message a learner needs: the step, the spec, what it said, where to look."""
    failure = first_failure(tests)
    if failure is None:
        return []
    step = kata.step(failure["step"])
    spec = failure["nodeid"].split("::", 1)[-1]
    message = failure.get("learner_message") or failure["message"]
    lines = [f"{kata.name}: step {step.number} of {len(kata.steps)}, {step.title}", f"  spec: {spec}"]
    lines += [f"  {line}" for line in message.strip().splitlines()]
    lines.append(f"  instructions: katas/{kata.name}/README.md    hint: make hint KATA={kata.name}")
    return lines


def learner_screen(outcomes: Iterable[dict]) -> list[str]:
    """What `make test` prints: the first unfinished kata's failure, then one line per kata."""
    grouped = by_kata(outcomes)
    results = {k.name: grouped.get(k.name) for k in manifest.katas() if k.name in grouped}
    upcoming = next_kata(results)
    lines = [""]
    if upcoming:
        lines += failure_block(upcoming, results[upcoming.name]) + [""]
    lines += [status_line(manifest.kata(name), tests) for name, tests in results.items()]
    lines += [""] + footer(results, upcoming)
    return lines


def footer(results: dict[str, list[dict] | None], upcoming: manifest.Kata | None) -> list[str]:
    done = [name for name, tests in results.items() if tests and is_done(tests)]
    lines = [f"solved: compare with the reference: make compare KATA={name}" for name in done[-1:]]
    upcoming = upcoming or next(  # the katas of this run are done: the next of the whole curriculum
        (k for k in manifest.katas() if k.name not in results and not is_done(cached(k) or [])), None)
    if upcoming:
        lines.append(f"next: {upcoming.name} — {upcoming.title}")
    elif results:
        lines.append("every kata is done: well played")
    return lines
