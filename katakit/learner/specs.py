"""Run katas' specs in learner mode and save what they found: the one path of test, watch and hint
(`specs.run`), with a line on the screen while a spec runs long."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from katakit import manifest
from katakit.learner import progress
from katakit.messages import say, step_label
from katakit.outcome import Reader, SpecOutcome
from katakit.run import runners

LIVE_AFTER = 3.0  # s a spec runs before the screen shows that it is still running


class NoOutcomes(Exception):
    """The specs of some katas did not run at all (e.g. a spec file that does not collect)."""

    def __init__(self, katas: list[str], output: str):
        super().__init__(say("run.no_outcomes", katas=", ".join(katas)))
        self.output = output


def run(katas: list[manifest.Kata], *, live: bool | None = None, runner: runners.Runner = runners.COLD,
        on_tick: Callable[[Reader], None] | None = None) -> dict[str, list[SpecOutcome]]:
    """Every spec of `katas` against katas/, each kata stopping at its first failure; the outcomes are
    saved under the fingerprints taken before the run. `live`: show a line while a spec runs long
    (default: when stdout is a terminal); `runner`: a warm one (default: a cold process each time). Ctrl-C
    stops the run (KeyboardInterrupt goes on up)."""
    fingerprints = {k.name: progress.fingerprint(k) for k in katas}
    live = sys.stdout.isatty() if live is None else live
    line = LiveLine() if live else None

    def tick(reader: Reader) -> None:
        if line:
            line.show(reader)
        if on_tick:
            on_tick(reader)

    try:
        finished = runners.run_katas(katas, learner=True, on_tick=tick, runner=runner)
    finally:
        if line:
            line.clear()
    progress.save(finished.outcomes, fingerprints)
    grouped = progress.by_kata(finished.outcomes)
    missing = [k.name for k in katas if k.name not in grouped]
    if missing:
        raise NoOutcomes(missing, finished.output)
    return {k.name: grouped[k.name] for k in katas}


class LiveLine:
    """One line, rewritten in place, while a spec has run for more than LIVE_AFTER seconds."""

    def __init__(self):
        self.spec, self.since, self.shown = None, 0.0, False

    def show(self, reader: Reader) -> None:
        if reader.running != self.spec:
            self.clear()
            self.spec, self.since = reader.running, time.monotonic()
        elapsed = time.monotonic() - self.since
        spec = next((s for s in reader.collected or [] if s["nodeid"] == self.spec), None)
        if spec and spec["kata"] and elapsed > LIVE_AFTER:
            label = step_label(manifest.kata(spec["kata"]).step(spec["step"]))
            name = self.spec.split("::")[-1]
            sys.stdout.write("\r\033[K" + say("run.live", kata=spec["kata"], label=label, name=name, elapsed=elapsed))
            sys.stdout.flush()
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stdout.write("\r\033[K")
            sys.stdout.flush()
            self.shown = False
