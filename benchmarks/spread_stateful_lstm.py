"""Seed spreads behind tests/test_stateful_lstm.py (see benchmarks/spread.py).

  counting --set epochs=30 [--set mode=shuffle|noreset]: 1.0 when a stateful LSTM(16), Adam 0.05,
      trained on four identical inputs with targets 0, 1, 2, 3, answers 0, 1, 2, 3 from a cold start.
      mode=inorder is the reference's train_stateful; shuffle and noreset are the two mistakes.
  recite --set epochs=70 --set every=5: the first epoch from which the reference, LSTM(200) with
      Adam 0.02, recites B..Z from "A" at every later check (epochs + every when it never does);
      each seed's line also shows the cold "K" answer at `answer_at` epochs. `--set jit=0` trains
      without XLA (the spec compiles with jit_compile=True).
"""

import numpy as np
import spread

from tests.kit import ALPHABET


def _alphabet():
    import keras

    X = (np.arange(25) / 26).reshape(-1, 1, 1).astype("float32")
    return X, keras.utils.to_categorical(np.arange(1, 26), 26)


def counting(seed, epochs=30, mode="inorder", units=16, learning_rate=0.05):
    import keras

    from solutions.stateful_lstm import stateful_lstm as ref

    inputs = np.full((4, 1, 1), 0.5, "float32")
    targets = keras.utils.to_categorical([0, 1, 2, 3], 4)
    model = keras.Sequential([keras.Input(batch_shape=(1, 1, 1)), keras.layers.LSTM(units, stateful=True),
                              keras.layers.Dense(4, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(learning_rate))
    rng = np.random.default_rng(seed)
    if mode == "inorder":
        ref.train_stateful(model, inputs, targets, epochs=epochs)
    else:
        for _ in range(epochs):
            order = rng.permutation(4) if mode == "shuffle" else range(4)
            for i in order:
                model.train_on_batch(inputs[i:i + 1], targets[i:i + 1])
            if mode == "shuffle":
                ref.reset_states(model)
    ref.reset_states(model)
    answers = [int(np.argmax(model.predict_on_batch(inputs[:1]))) for _ in range(4)]
    return float(answers == [0, 1, 2, 3])


def recite(seed, epochs=70, every=5, units=200, learning_rate=0.02, answer_at=60, jit=1):
    from solutions.stateful_lstm import stateful_lstm as ref

    X, Y = _alphabet()
    char_to_int = {c: i for i, c in enumerate(ALPHABET)}
    int_to_char = dict(enumerate(ALPHABET))
    model = ref.build_stateful_lstm(units=units)
    model.optimizer.learning_rate = learning_rate
    model.jit_compile = bool(jit)  # the spec's setting: XLA runs each small training step about twice as fast
    stable, line = None, []
    for epoch in range(every, epochs + 1, every):
        ref.train_stateful(model, X, Y, epochs=every)
        letters = "".join(ref.recite(model, "A", 25, char_to_int, int_to_char, 26))
        correct = sum(a == b for a, b in zip(letters, ALPHABET[1:], strict=True))
        stable = (stable or epoch) if correct == 25 else None
        note = ""
        if epoch == answer_at:
            note = " cold K->" + ref.recite(model, "K", 1, char_to_int, int_to_char, 26)[0]
        line.append(f"{epoch}:{correct}{note}")
    print("   ", " ".join(line), flush=True)
    return stable if stable is not None else epochs + every


if __name__ == "__main__":
    spread.main({"counting": counting, "recite": recite})
