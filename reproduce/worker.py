"""Run one experiment in this (fresh) process and return its report record.

Each experiment gets its own process: a clean Keras/TensorFlow state, the same seed wherever it is
scheduled, and its memory back when it ends (VGG16 alone holds 528 MB of weights).
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
import traceback
from pathlib import Path

from katakit import env
from reproduce import experiments
from reproduce.common import Experiment, Outcome, Progress, lean_tensorflow, percent

_queue = None  # set by `init` in the runner's worker processes


def init(queue) -> None:
    """Process initialiser: where progress messages go."""
    global _queue
    _queue = queue
    env.apply()


def experiment(exp_id: str) -> Experiment:
    return experiments()[exp_id]


def _progress(key: str) -> Progress:
    """A Progress reporting to the runner's bar `key`; picklable (the queue is a manager's proxy), so it
    keeps reporting from the processes an experiment may start itself (the grid search's workers)."""
    return Progress(functools.partial(_send, _queue, key) if _queue is not None else None)


def _send(queue, key, message) -> None:
    with contextlib.suppress(OSError, EOFError):  # the runner has gone: progress is only a display
        queue.put((key, *message))


def run(exp_id: str, quick: bool, out_dir: str) -> dict:
    """Run experiment `exp_id` (tiny settings when `quick`) and draw its plot: its report record."""
    exp = experiment(exp_id)
    settings = exp.settings(quick)
    record = {
        "id": exp.id, "kata": exp.kata, "title": exp.title, "tutorial": exp.tutorial,
        "published": exp.published, "measured": None, "settings": settings, "seconds": None,
        "naive_seconds": None, "naive_method": None, "naive_how": None, "speedup": None,
        "note": "", "plot": None, "details": {}, "status": "ok", "quick": quick,
        "load_average": {"start": round(os.getloadavg()[0], 2)},
    }
    try:
        lean_tensorflow()  # ours only: the naive timing runs TensorFlow as it comes
        import keras

        keras.config.disable_interactive_logging()
        keras.utils.set_random_seed(env.SEED)
        start = time.perf_counter()
        outcome: Outcome = exp.run(settings, _progress(exp_id))
        record["seconds"] = round(time.perf_counter() - start, 2)
        record["load_average"]["end"] = round(os.getloadavg()[0], 2)
        record.update(measured=percent(outcome.measured), note=_note(exp, outcome), details=outcome.details)
        from reproduce import plots

        png = plots.draw(outcome, f"{exp.id}: {exp.title}", Path(out_dir) / f"{exp.id}.png")
        record["plot"] = png.name if png else None
    except Exception as error:  # one broken experiment must not sink the report of the others
        record["status"] = "error"
        record["note"] = f"{type(error).__name__}: {error}"
        record["details"] = {"traceback": traceback.format_exc(limit=-6)}
    return record


def naive(exp_id: str, quick: bool, mode: str) -> dict:
    """Time the naive transliteration of experiment `exp_id`: on a sample (mode "sample") or in full."""
    exp = experiment(exp_id)
    found = {"naive_load_average": {"start": round(os.getloadavg()[0], 2)}}
    try:
        import keras

        keras.config.disable_interactive_logging()
        keras.utils.set_random_seed(env.SEED)
        progress = _progress(f"{exp_id} naive")
        progress.start(1, "timing")
        result = exp.naive(exp.settings(quick), progress, mode == "full")
        found.update(naive_seconds=round(result.seconds, 1), naive_method=result.method, naive_how=result.how)
    except Exception as error:
        found.update(naive_error=f"{type(error).__name__}: {error}", naive_traceback=traceback.format_exc(limit=-6))
    found["naive_load_average"]["end"] = round(os.getloadavg()[0], 2)
    return found


def _note(exp: Experiment, outcome: Outcome) -> str:
    measured = percent(outcome.measured)
    if exp.published is None or measured is None:
        return outcome.note
    gap = measured - exp.published
    return f"Published {exp.published:.2f}%, measured {measured:.2f}% ({gap:+.2f} points). {outcome.note}"
