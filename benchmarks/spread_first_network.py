"""Seed spreads behind tests/test_first_network.py (see benchmarks/spread.py)."""

import spread


def run_separable(seed, epochs=20, batch_size=32):
    """first_network.run() on the spec's linearly separable data (tests/kit.py's easy_csv): the training accuracy."""
    from solutions.first_network import first_network
    from tests.kit import easy_csv

    return first_network.run(easy_csv(), seed=seed, epochs=epochs, batch_size=batch_size)


if __name__ == "__main__":
    spread.main({"run_separable": run_separable})
