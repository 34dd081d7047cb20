"""The kata stages of `make check`, one job each: (a) the references pass, in one cold process; (b) every spec
fails against the untouched stub; (c) a kata alone solved passes, in a scratch copy; (d) stub and reference
share their surface; (e) warm runs equal cold runs; (f) the timings name every spec. Each job returns what
is wrong; Seen hands the runs of (a), (b) and (c) to (e) and (f)."""

from __future__ import annotations

import re
import shutil
import threading

from katakit import structure, timings, workspace
from katakit.paths import ROOT
from katakit.run import follow, runners


class Seen:
    """What the warm runs found, for stage (e); its comparisons wait until those runs are in."""

    def __init__(self):
        self.found: dict[str, list] = {}
        self.changed = threading.Condition()

    def put(self, key: str, outcomes: list) -> None:
        with self.changed:
            self.found[key] = outcomes
            self.changed.notify_all()

    def wait(self, keys: list[str]) -> list:
        with self.changed:
            self.changed.wait_for(lambda: all(k in self.found for k in keys))
            return [o for k in keys for o in self.found[k]]


AST_LOCK = threading.Lock()  # CPython 3.11's ast.parse can fail in two threads at once (python/cpython#106905)


def surface_problems(kata) -> list[str]:
    with AST_LOCK:
        return structure.problems(kata)


def check_solutions(katas, seen: Seen) -> list[str]:
    """Every kata's specs against the references in one cold process: its one TensorFlow import is the
    cold side of stage (e), which (c)'s warm runs of the same references are compared with."""
    run = follow.NOT_STARTED
    try:
        run = runners.run_katas(katas, solutions=True)
    finally:
        seen.put("cold references", run.outcomes)
    bad = []
    for kata in katas:
        tests = run.of(kata.name)
        if not tests:
            bad += [f"{kata.name}: no spec ran", run.output[-2000:]]
            continue
        bad += [f"{t.nodeid}: {t.kind}: {t.detail.strip()[:400]}" for t in tests if not t.passed]
        covered = {t.step for t in tests}
        bad += [f"{kata.name}: step {s.id!r} has no spec" for s in kata.steps if s.id not in covered]
    return bad


def check_stubs(katas, runner, seen: Seen) -> list[str]:
    run = follow.NOT_STARTED
    try:
        run = runners.run_katas(katas, runner=runner)
    finally:
        seen.put("stubs", run.outcomes)
    bad = [f"{t.nodeid} {t.kind} against the untouched stub: it tests nothing"
           for t in run.outcomes if t.passed or not t.counted]
    return bad + [f"{k.name}: no spec ran" for k in katas if not run.of(k.name)]


def check_isolation(kata, runner, seen: Seen) -> list[str]:
    """Forked from the warm server: stage (e) compares it with stage (a)'s cold run of the same reference,
    and stage (f) takes the learner's time limits from it."""
    root = workspace.make(ROOT / "katas")
    run = follow.NOT_STARTED
    try:
        shutil.copy2(kata.solution(), kata.stub(root))
        run = runners.run_katas([kata], learner=True, root=root, runner=runner)
        bad = [f"{t.nodeid}: {t.kind} with only {kata.name} solved: {t.detail.strip()[:400]}"
               for t in run.of(kata.name) if not t.passed]
        return bad if run.of(kata.name) else ["no spec ran", run.output[-2000:]]
    finally:
        seen.put(kata.name, run.of(kata.name))
        shutil.rmtree(root.parent, ignore_errors=True)


def check_warm_equals_cold(katas, solutions: bool, seen: Seen) -> list[str]:
    """Spec by spec, the kind and learner message of a warm run equal a cold run's: for the references,
    stage (c)'s warm runs against stage (a)'s cold one; for the stubs, stage (b) against a cold run here."""
    cold = seen.wait(["cold references"]) if solutions else runners.run_katas(katas).outcomes
    warm_outcomes = seen.wait([k.name for k in katas] if solutions else ["stubs"])
    theirs = {o.nodeid: (o.kind, _same_place(o.message)) for o in warm_outcomes}
    ours = {o.nodeid: (o.kind, _same_place(o.message)) for o in cold}
    if not ours:
        return ["the cold run ran no spec"]
    return [f"{nodeid}: cold {ours.get(nodeid)}, warm {theirs.get(nodeid)}"
            for nodeid in sorted(set(ours) | set(theirs)) if ours.get(nodeid) != theirs.get(nodeid)]


def _same_place(message: str) -> str:
    """A message with each run's own temporary folders named alike."""
    return re.sub(r"/tmp/(pytest-of-[^/]+/pytest-\d+|katas-[\w-]+)", "<tmp>", message)


def check_timings(katas, seen: Seen, refresh: bool) -> list[str]:
    """tests/spec_times.json names exactly the specs the warm reference runs of (c) timed (or is rewritten from
    them): forked per kata in learner mode, as the learner's own runs are."""
    times = {o.nodeid: o.seconds for o in seen.wait([k.name for k in katas])}
    if refresh:
        timings.save(times)
        return []
    return timings.problems(times)
