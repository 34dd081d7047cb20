"""Seed spreads behind tests/test_lstm_framing.py (see benchmarks/spread.py).

  .venv/bin/python benchmarks/spread_lstm_framing.py timesteps --seeds 20 --set steps=100 --set lr=0.03
"""

import numpy as np
import spread

from tests.kit import ALPHABET


def train_full_batch(seq_length, framing, steps, lr, units=32):
    """The reference pipeline; `steps` Adam updates on the whole data set (one batch): training accuracy."""
    from solutions.lstm_framing import lstm_framing as kata

    data_x, data_y = kata.make_pairs(ALPHABET, seq_length)
    frame = kata.frame_as_timesteps if framing == "timesteps" else kata.frame_as_window
    X, y = frame(data_x, len(ALPHABET)), kata.one_hot(data_y, len(ALPHABET))
    model = kata.build_lstm(X.shape[1], X.shape[2], len(ALPHABET), units=units)
    model.optimizer.learning_rate = lr
    for _ in range(steps):
        model.train_on_batch(X, y)
    return float(np.mean(np.argmax(model.predict_on_batch(X), axis=1) == np.asarray(data_y)))


def timesteps(seed, steps=100, lr=0.03):
    """The spec's run: three letters as three time steps, (23, 3, 1)."""
    return train_full_batch(3, "timesteps", steps, lr)


def window(seed, steps=100, lr=0.03):
    """The same budget, three letters as one step of three features, (23, 1, 3)."""
    return train_full_batch(3, "window", steps, lr)


def one_char(seed, steps=100, lr=0.03):
    """The naive one-char mapping, (25, 1, 1)."""
    return train_full_batch(1, "timesteps", steps, lr)


if __name__ == "__main__":
    spread.main({"timesteps": timesteps, "window": window, "one_char": one_char})
