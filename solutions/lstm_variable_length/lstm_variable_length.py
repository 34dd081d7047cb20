# %% Setup
"""Kata 5, variable-length input: an LSTM that reads runs of 1 to max_len letters, padded.

Tutorial: "Understanding Stateful LSTM Recurrent Neural Networks in Python with Keras",
section "LSTM with Variable-Length Input to One-Char Output".
Reference solution.
"""

import keras
import numpy as np


# %% Step 1: Make random subsequences
def random_subsequences(alphabet, num_inputs=1000, max_len=5, seed=7):
    """Step 1, make random subsequences: `num_inputs` runs of consecutive letters and their next letter.

    Each input is a run of 1..max_len consecutive letters of `alphabet`, as int codes (the letter's
    index), and its output is the code of the letter that follows the run; no run goes past the
    last letter. The same seed gives the same data. Returns (data_x, data_y): a list of lists of
    ints and a list of ints. An alphabet of fewer than 2 letters, max_len < 1 or num_inputs < 0
    raises ValueError, even when no run is to be drawn.
    """
    if len(alphabet) < 2:
        raise ValueError(f"the alphabet needs at least 2 letters (a letter and its next), got {alphabet!r}")
    if max_len < 1:
        raise ValueError(f"max_len must be at least 1, got {max_len}")
    if num_inputs < 0:
        raise ValueError(f"num_inputs must not be negative, got {num_inputs}")
    rng = np.random.default_rng(seed)
    last = len(alphabet) - 1  # the last letter has no next letter, so no run may end on it
    data_x, data_y = [], []
    for _ in range(num_inputs):
        start = int(rng.integers(0, last))  # 0 .. last - 1
        end = int(rng.integers(start, min(start + max_len, last)))  # the run's last letter: end < last
        data_x.append(list(range(start, end + 1)))
        data_y.append(end + 1)
    return data_x, data_y


# %% Step 2: Pad and frame
def pad_and_frame(data_x, max_len, n_vocab):
    """Step 2, pad and frame: zero-pad each run on the left to max_len, as (n, max_len, 1) / n_vocab.

    A run longer than max_len keeps its last max_len codes, as keras.utils.pad_sequences does.
    """
    padded = keras.utils.pad_sequences(data_x, maxlen=max_len, dtype="float32")  # padding="pre"
    return padded.reshape(len(data_x), max_len, 1) / n_vocab


# %% Step 3: Define the model
def build_lstm(max_len, n_classes, units=32):
    """Step 3, define the model: Input((max_len, 1)) -> LSTM(units) -> Dense(n_classes, softmax).

    Compiled with categorical cross-entropy, Adam and accuracy.
    """
    model = keras.Sequential(
        [
            keras.Input(shape=(max_len, 1)),
            keras.layers.LSTM(units),
            keras.layers.Dense(n_classes, activation="softmax"),
        ]
    )
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


# %% Step 4: Predict the next letter
def predict_next(model, letters, char_to_int, int_to_char, max_len, n_vocab):
    """Step 4, predict the next letter: the model's answer for a run of `letters`, e.g. "BCD" -> "E".

    The run is encoded, padded and framed as in step 2 before the model sees it: a batch of one run,
    (1, max_len, 1). An empty run raises ValueError.
    """
    if len(letters) == 0:
        raise ValueError("predict_next needs at least one letter")
    unknown = [c for c in letters if c not in char_to_int]
    if unknown:
        raise ValueError(f"not in the alphabet: {unknown}")
    x = pad_and_frame([[char_to_int[c] for c in letters]], max_len, n_vocab)
    probabilities = model.predict_on_batch(x)
    return int_to_char[int(np.argmax(probabilities[0]))]
