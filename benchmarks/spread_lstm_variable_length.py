"""Seed spreads behind tests/test_lstm_variable_length.py (see benchmarks/spread.py).

  held_out --set epochs=40 --set every=10: the reference trained as the spec trains it (1000 runs of
      the seed, LSTM(32), Adam at learning_rate, batch_size, one TensorFlow call per epoch), then the
      fraction of 100 runs from another draw (seed + 1000) whose next letter predict_next gets right.
      Each seed's line shows the fraction at every `every` epochs, and split by run length.
  unseen --set epochs=40: the same, but 15 runs of 2-5 letters are removed from the training data
      and the fraction is over those 15 runs, which the network never saw.
"""

import numpy as np
import spread

from tests.kit import ALPHABET


def _train_and_score(seed, epochs, every, learning_rate, batch_size, units, drop=(), test_runs=None):
    import keras

    from solutions.lstm_variable_length import lstm_variable_length as ref

    char_to_int = {c: i for i, c in enumerate(ALPHABET)}
    int_to_char = dict(enumerate(ALPHABET))
    data_x, data_y = ref.random_subsequences(ALPHABET, num_inputs=1000, max_len=5, seed=seed)
    keep = [i for i, run in enumerate(data_x) if tuple(run) not in set(drop)]
    X = ref.pad_and_frame([data_x[i] for i in keep], 5, 26)
    y = keras.utils.to_categorical([data_y[i] for i in keep], 26)
    if test_runs is None:
        test_runs, _ = ref.random_subsequences(ALPHABET, num_inputs=100, max_len=5, seed=seed + 1000)
    model = ref.build_lstm(5, 26, units=units)
    model.optimizer.learning_rate = learning_rate
    model.steps_per_execution = -(-len(X) // batch_size)
    line, score = [], 0.0
    for epoch in range(every, epochs + 1, every):
        model.fit(X, y, epochs=every, batch_size=batch_size, verbose=0)
        right = np.array([
            ref.predict_next(model, "".join(ALPHABET[c] for c in run), char_to_int, int_to_char, 5, 26)
            == ALPHABET[run[-1] + 1]
            for run in test_runs
        ])
        single = np.array([len(run) == 1 for run in test_runs])
        score = float(right.mean())
        split = ""
        if single.any() and (~single).any():
            split = f" (1 letter {right[single].mean():.2f}, 2-5 letters {right[~single].mean():.2f})"
        line.append(f"{epoch}:{score:.2f}{split}")
    print("   ", "  ".join(line), flush=True)
    return score


def held_out(seed, epochs=40, every=10, learning_rate=0.02, batch_size=32, units=32):
    return _train_and_score(seed, epochs, every, learning_rate, batch_size, units)


def unseen(seed, epochs=40, every=10, learning_rate=0.02, batch_size=32, units=32):
    runs = [list(range(s, s + n)) for n in range(2, 6) for s in range(0, 26 - n)]
    rng = np.random.default_rng(12345)
    dropped = [runs[i] for i in sorted(rng.choice(len(runs), 15, replace=False))]
    return _train_and_score(seed, epochs, every, learning_rate, batch_size, units,
                            drop=[tuple(r) for r in dropped], test_runs=dropped)


if __name__ == "__main__":
    spread.main({"held_out": held_out, "unseen": unseen})
