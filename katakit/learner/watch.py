"""`make watch`: rerun a kata's specs every time a file in its folder is saved; a save during a run
cancels that run and starts a new one. Ctrl-C stops it."""

from __future__ import annotations

import queue
import sys
import threading

from katakit import lang, manifest
from katakit.learner import progress, screen, specs
from katakit.messages import say
from katakit.outcome import Reader
from katakit.paths import ROOT
from katakit.run import runners, warm

SERVER = ROOT / ".progress" / "warm"  # the warm server's socket; nothing of it outlives `make watch`


class Restart(Exception):
    """A file was saved during the run."""


def watch(kata: manifest.Kata | None, cold: bool = False) -> int:
    """`cold`: every run in a fresh process, as before the warm runner (benchmarks/feedback.py compares)."""
    import watchfiles

    if kata is None:
        kata = progress.next_kata({k.name: progress.cached(k) or [] for k in manifest.katas()}) or manifest.katas()[0]
    saves: queue.Queue = queue.Queue()
    stop = threading.Event()

    def follow():
        for _ in watchfiles.watch(kata.folder(), watch_filter=watchfiles.PythonFilter(), stop_event=stop,
                                  debounce=50, step=20, rust_timeout=500, yield_on_timeout=False):
            saves.put(True)

    threading.Thread(target=follow, daemon=True).start()
    header = say("watch.header", kata=kata.name)
    if not cold and sys.platform not in warm.FORK_UNSAFE:
        print(f"{header}\n{say('watch.warm')}", flush=True)
    server = None

    def cancel_on_save(_reader: Reader) -> None:
        if not saves.empty():
            raise Restart

    try:
        server = None if cold else warm.Server(SERVER)
        runner = runners.make(server, lang=lang.current())
        while True:
            print("\033c" + header, flush=True)
            try:
                outcomes = specs.run([kata], on_tick=cancel_on_save, runner=runner)
                print("\n".join(screen.learner_screen(outcomes)), flush=True)
            except Restart:
                _drain(saves)
                continue
            except specs.NoOutcomes as error:
                print(error.output[-3000:], flush=True)
            _drain(saves)
            saves.get()  # the next save
            _drain(saves)
    except KeyboardInterrupt:
        print(say("watch.stopped"))
        return 0
    finally:
        stop.set()
        if server:
            server.close()


def _drain(saves: queue.Queue) -> None:
    while not saves.empty():
        saves.get_nowait()
