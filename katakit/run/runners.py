"""The runners, behind one factory: `make(warm_server)` starts runs forked from a warm server while it can
serve them, else each in a fresh process (cold); `make()` always cold. Cold and warm are peers: neither
knows the other; the fall back from one to the other is here.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from katakit import lang as languages
from katakit.messages import say as said_in
from katakit.outcome import Reader
from katakit.paths import ROOT
from katakit.run import cold, follow, launch, warm
from katakit.run.sandbox import NONE, Sandbox


class Runner(Protocol):
    def start(self, request: launch.Request) -> follow.Handle:
        """Start the run; it goes on until it ends or is killed."""


class WarmFirst:
    """Starts each run from the warm server, and cold when it cannot serve, saying so once."""

    def __init__(self, server: warm.Server, fallback: cold.Runner, say: Callable[[str], None], lang: str):
        self.server, self.fallback, self.say, self.said, self.lang = server, fallback, say, False, lang

    def start(self, request: launch.Request) -> follow.Handle:
        try:
            return self.server.start(request)
        except warm.Unavailable as error:
            if not self.said:
                self.say(said_in("run.cold_instead", self.lang, error=error))
                self.said = True
        return self.fallback.start(request)


def make(warm_server: warm.Server | None = None, sandbox: Sandbox = NONE, say: Callable[[str], None] = print,
         lang: str = languages.ENGLISH) -> Runner:
    """The runner for runs inside `sandbox`: warm first when there is a `warm_server`, else cold; `say` tells
    of a fall back to cold in `lang` (the learner's for make watch, English for make check and grading)."""
    fresh = cold.Runner(sandbox)
    return fresh if warm_server is None else WarmFirst(warm_server, fresh, say, lang)


COLD = make()  # no warm server, no sandbox: the learner's commands and make check's cold runs


def run_katas(katas, *, root: Path = ROOT, runner: Runner = COLD,
              on_tick: Callable[[Reader], None] | None = None, **options) -> follow.Finished:
    """The spec files of `katas` under `root`, through `runner`, followed to the end, with the stream and
    output in a scratch folder. `options` are the Request's (learner, solutions, ...)."""
    with tempfile.TemporaryDirectory(prefix="katas-run-") as folder:
        request = launch.request(root, [k.spec(root).relative_to(root) for k in katas], Path(folder), **options)
        return follow.finish(request, runner.start(request), on_tick=on_tick)
