"""Seed spreads behind tests/test_lstm_batch_state.py (see benchmarks/spread.py).

  .venv/bin/python benchmarks/spread_lstm_batch_state.py whole_batch --seeds 20 --set epochs=80 --set lr=0.1
"""

import numpy as np
import spread


def whole_batch(seed, epochs=80, lr=0.1, every=0):
    """build_lstm(1, 1, 26) fit with fit_whole_batch on the 25 one-letter pairs: the training accuracy.

    every=N also prints the accuracy after each N epochs (the same run, fit in chunks: Adam's
    state carries over between fit calls, so the updates are those of one fit of `epochs`).
    """
    from solutions.lstm_batch_state import lstm_batch_state as kata

    X = (np.arange(25, dtype="float32") / 26).reshape(25, 1, 1)
    y = np.eye(26, dtype="float32")[np.arange(1, 26)]
    model = kata.build_lstm(1, 1, 26)
    model.optimizer.learning_rate = lr
    chunks = [every] * (epochs // every) if every else [epochs]
    curve = []
    for chunk in chunks:
        kata.fit_whole_batch(model, X, y, epochs=chunk)
        curve.append(float(np.mean(np.argmax(model.predict_on_batch(X), axis=1) == np.arange(1, 26))))
    if every:
        print("   ", " ".join(f"{every * (i + 1)}:{a:.2f}" for i, a in enumerate(curve)))
    return curve[-1]


if __name__ == "__main__":
    spread.main({"whole_batch": whole_batch})
