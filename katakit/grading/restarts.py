"""Every spec of one kata, in as many processes as it takes: after a crash, an exit or a hang that the
grader had to stop, the kata's remaining specs run in a new process, so a broken spec costs only itself."""

from __future__ import annotations

import dataclasses
import shutil
import time
from pathlib import Path

from katakit import manifest, timings
from katakit.grading import supervise, verdicts
from katakit.grading.model import KataResult, Limits
from katakit.outcome import Kind, SpecOutcome, cap
from katakit.run import runners

MAX_FRUITLESS = 5  # restarts in a row whose process died before any spec finished: then give up


def run_kata(kata: manifest.Kata, root: Path, limits: Limits, runs: Path, runner: runners.Runner = runners.COLD,
             deadline: float | None = None, seed: int | None = None, environ: dict | None = None) -> KataResult:
    """Every spec of `kata` against the katas/ of the workspace `root`, restarting after a death; each
    process started by `runner` (runners.make; default: cold, no sandbox), its files in a new folder in
    `runs`. `deadline` (time.monotonic()) ends the kata early if the submission's total time limit comes first."""
    started = time.monotonic()
    scratch = runs / kata.name
    scratch.mkdir()
    scratch.chmod(0o755)  # as open as `runs`: an unprivileged kata process must reach its files
    options = {"environ": environ, "seed": seed, "runner": runner}
    collected: list[dict] | None = None
    ended: dict[str, SpecOutcome] = {}
    lost: dict[str, tuple[str, str]] = {}  # nodeid -> (kind, text) of the specs whose process died
    left_out = ""  # why the specs still pending were not run
    note = ""
    fruitless = 0
    forged = False
    try:
        pending: list[str] | None = None
        while True:
            budget = limits.kata - (time.monotonic() - started)
            which = f"the kata's time limit ({limits.kata:g} s for all its specs)"
            if deadline is not None and deadline - time.monotonic() < budget:
                budget = deadline - time.monotonic()
                which = f"the time limit of the whole grading ({limits.total:g} s)"
            if budget <= 0:
                left_out = f"not run: {which} ran out first."
                break
            attempt = supervise.attempt(kata, root, pending, limits, budget, which, scratch, **options)
            if collected is None:
                collected = attempt.collected
            ended.update(attempt.ended)
            forged = forged or attempt.forged
            if attempt.running and attempt.kind:
                lost[attempt.running] = (attempt.kind, attempt.text)
            if collected is None:  # the spec file never collected: nothing to split the points over
                note = _no_specs(attempt)
                break
            pending = [s["nodeid"] for s in collected if s["nodeid"] not in ended and s["nodeid"] not in lost]
            if not pending:
                break
            if attempt.out_of_time:
                left_out = f"not run: {which} ran out first."
                break
            if attempt.running is None and not attempt.kind:
                # pytest ended between specs without running them all (e.g. pytest.exit() from the kata)
                _, text = verdicts.death(attempt.returncode or 0, limits.output_mb)
                left_out = f"not run: the process stopped between specs ({text})"
                break
            if attempt.ended:
                fruitless = 0
            elif attempt.kind != Kind.TIMEOUT:  # a hang costs its own time limit; a death costs a restart
                fruitless += 1
            if fruitless >= MAX_FRUITLESS:
                word = verdicts.word(lost[attempt.running][0]) if attempt.running in lost else "crashed"
                left_out = (f"not run: {MAX_FRUITLESS} processes of the kata in a row ended ({word}) before "
                            "any spec finished (at import time?); see the specs above for what happened.")
                break
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    times = timings.load(root)
    if collected is None and not note:
        note = left_out or "no spec ran."
    specs = []
    for item in collected or []:
        nodeid = item["nodeid"]
        if nodeid in ended:
            spec = verdicts.graded(ended[nodeid], limits.spec_limit(times.get(nodeid)), limits.output_mb)
        else:
            kind, text = lost.get(nodeid, (Kind.NOT_RUN, left_out or "not run."))
            spec = SpecOutcome(nodeid, kata.name, item["step"], kind, cap(text))
        specs.append(spec)
    tampered = next((s.message for s in specs if s.kind == Kind.TAMPERED), "")
    if forged:
        tampered = "tampered: wrote lines of its own into the grader's outcome stream"
    if tampered:  # the whole kata scores 0: no outcome of that process can be trusted
        specs = [s if not s.counted else dataclasses.replace(s, kind=Kind.TAMPERED, message=tampered) for s in specs]
        note = tampered
    return KataResult(kata, specs, time.monotonic() - started, note)


def _no_specs(attempt: supervise.Attempt) -> str:
    how = ""
    if attempt.out_of_time:
        how = " (it ran out of time)"
    elif attempt.kind == Kind.OUT_OF_MEMORY:
        how = f" ({attempt.text.split(':', 1)[0]})"
    elif attempt.returncode is not None and attempt.returncode < 0:
        how = f" (the process died of {verdicts.signal_name(-attempt.returncode)})"
    return cap(f"no spec ran: the spec file did not collect{how}.\n{attempt.tail.strip()}")
