"""Measure a metric over many seeds, to pick spec thresholds with a margin.

Each kata has a script benchmarks/spread_<kata>.py that names its experiments and calls `main`.
Run: .venv/bin/python benchmarks/spread_first_network.py run_separable --seeds 30
It prints each seed's value and time, then min / mean / max: the spread a spec's docstring records.
The scripts import their data from tests/kit.py (`from tests.kit import ...`), as the specs do.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

# A script run as `python benchmarks/x.py` sees only benchmarks/: the project root makes katakit,
# tests.kit and solutions.<kata>.<kata> importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from katakit import env  # noqa: E402

env.apply()  # before anything imports TensorFlow


def main(experiments, argv=None):
    """experiments: {name: function(seed, **options) -> float}; options come from --set key=value."""
    import keras

    parser = argparse.ArgumentParser()
    parser.add_argument("experiment", choices=sorted(experiments))
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="an option for the experiment, e.g. --set epochs=40 (ints and floats parsed)")
    args = parser.parse_args(argv)
    options = {key: _number(value) for key, value in (item.split("=", 1) for item in args.set)}
    keras.config.disable_interactive_logging()
    values = []
    for seed in range(args.seeds):
        start = time.perf_counter()
        keras.utils.set_random_seed(seed)
        values.append(float(experiments[args.experiment](seed, **options)))
        print(f"seed {seed:3}: {values[-1]:.4f}  ({time.perf_counter() - start:.1f} s)", flush=True)
    print(f"{args.experiment} {options} over {args.seeds} seeds: "
          f"min {min(values):.4f} mean {statistics.mean(values):.4f} max {max(values):.4f}")


def _number(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text
