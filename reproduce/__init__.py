"""Reproduce the tutorials' published results with the reference solutions: `make reproduce`.

Every experiment reruns a tutorial at the tutorial's own settings (epochs, batch sizes, architectures,
the full grid and folds) through the public functions of solutions/<kata>/<kata>.py, and times the
naive transliteration of the tutorial's code beside it. The runner (reproduce/runner.py) writes
reports/reproduction.json, reports/reproduction.md and one PNG per experiment.

    .venv/bin/python -m reproduce                          # everything (what `make reproduce` runs)
    .venv/bin/python -m reproduce --only lstm_window       # rerun one, merged into the existing report
    .venv/bin/python -m reproduce --quick                  # smoke run: tiny settings, a scratch folder
"""

from __future__ import annotations

import importlib
from functools import cache

from katakit import manifest


@cache
def experiments() -> dict:
    """Every experiment by id, in report order: for each kata of curriculum.toml, in curriculum order,
    the EXPERIMENTS of reproduce/<kata>.py (a kata without that module has none)."""
    found = {}
    for kata in manifest.katas():
        name = f"reproduce.{kata.name}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        for experiment in module.EXPERIMENTS:
            if experiment.kata != kata.name:
                raise ValueError(f"{name}: experiment {experiment.id!r} runs kata {experiment.kata!r}; "
                                 f"it belongs in reproduce/{experiment.kata}.py")
            if experiment.id in found:
                raise ValueError(f"{name}: experiment id {experiment.id!r} is used twice")
            found[experiment.id] = experiment
    return found
