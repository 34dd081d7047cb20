"""Seed spreads behind tests/test_first_network.py (see benchmarks/spread.py)."""

import tempfile
from pathlib import Path

import numpy as np
import spread


def separable_csv(path):
    """The spec's easy data set (easy_csv in tests/test_first_network.py): 768 rows, 8 inputs in [0, 1],
    the class a linear rule (half ones)."""
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, (768, 8))
    score = X @ np.arange(1, 9)
    y = (score > np.median(score)).astype(int)
    np.savetxt(path, np.column_stack([X, y]), delimiter=",", fmt="%.6g")
    return path


def run_separable(seed, epochs=20, batch_size=32):
    """first_network.run() on the spec's linearly separable data: the training accuracy."""
    from solutions.first_network import first_network

    path = separable_csv(Path(tempfile.mkdtemp()) / "separable.csv")
    return first_network.run(path, seed=seed, epochs=epochs, batch_size=batch_size)


if __name__ == "__main__":
    spread.main({"run_separable": run_separable})
