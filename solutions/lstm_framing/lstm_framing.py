# %% Setup
"""Kata 2, LSTM framings: learn the alphabet from one letter, from a window of letters, from time steps.

Tutorial: "Understanding Stateful LSTM Recurrent Neural Networks in Python with Keras" (Jason Brownlee),
its first three models: the naive one-char mapping, the three-char feature window, the three-char time
step window. Reference solution.
"""

import keras
import numpy as np

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_FRAMINGS = ("timesteps", "window")


# %% Step 1: Map letters to integers
def char_maps(alphabet=ALPHABET):
    """Step 1, map letters to integers: (char_to_int, int_to_char), the codes 0, 1, 2, ... in alphabet order.

    char_to_int maps each letter to its position in `alphabet`, int_to_char maps it back.
    An alphabet that repeats a letter raises ValueError (that letter would need two codes).
    """
    repeated = sorted({char for char in alphabet if alphabet.count(char) > 1})
    if repeated:
        raise ValueError(f"the alphabet repeats {repeated}: every letter needs exactly one code")
    char_to_int = {char: code for code, char in enumerate(alphabet)}
    int_to_char = {code: char for code, char in enumerate(alphabet)}
    return char_to_int, int_to_char


# %% Step 2: Make input-output pairs
def make_pairs(alphabet, seq_length):
    """Step 2, make input-output pairs: each run of `seq_length` letters, and the letter that follows it.

    Returns (data_x, data_y) as codes (positions in `alphabet`): in data_x the len(alphabet) - seq_length
    runs of seq_length codes, in data_y the code that follows each run.
    For "ABCD" and 2: data_x = [[0, 1], [1, 2]] and data_y = [2, 3] ("AB" -> "C", "BC" -> "D").
    """
    if not 1 <= seq_length < len(alphabet):
        raise ValueError(
            f"seq_length must be from 1 to len(alphabet) - 1 = {len(alphabet) - 1}, got {seq_length}")
    char_to_int, _ = char_maps(alphabet)
    data_x, data_y = [], []
    for start in range(len(alphabet) - seq_length):
        seq_in = alphabet[start:start + seq_length]
        seq_out = alphabet[start + seq_length]
        data_x.append([char_to_int[char] for char in seq_in])
        data_y.append(char_to_int[seq_out])
    return data_x, data_y


# %% Step 3: Reshape, normalise and one-hot encode
def _patterns(data_x, n_vocab):
    """data_x as a float array (samples, seq_length), after checking it can be framed."""
    if n_vocab <= 0:
        raise ValueError(f"n_vocab is the number of letters and must be positive, got {n_vocab}")
    try:
        patterns = np.asarray(data_x, dtype="float32")
    except ValueError:
        raise ValueError("every pattern in data_x must have the same length") from None
    if patterns.ndim != 2 or patterns.shape[1] == 0:
        raise ValueError(f"data_x must be a list of patterns of codes, (samples, seq_length), got {patterns.shape}")
    return patterns


def frame_as_timesteps(data_x, n_vocab):
    """Step 3, reshape and normalise: the patterns as [samples, timesteps, features] = (n, seq_length, 1).

    Each letter of a pattern is one time step with one feature: its code divided by the vocabulary
    size `n_vocab`, so that every input lies in [0, 1). The caller's data_x is left as it was.
    """
    patterns = _patterns(data_x, n_vocab)
    samples, seq_length = patterns.shape
    return patterns.reshape(samples, seq_length, 1) / n_vocab


def one_hot(data_y, n_classes):
    """Step 3, one-hot encode the outputs: (samples, n_classes), a single 1 per row, at the output's code.

    The width is always n_classes, even when the largest classes never occur in data_y.
    """
    codes = np.asarray(data_y)
    if codes.size and (codes.min() < 0 or codes.max() >= n_classes):
        raise ValueError(f"every code must be in [0, {n_classes}), got codes from {codes.min()} to {codes.max()}")
    return keras.utils.to_categorical(codes, num_classes=n_classes)


# %% Step 4: Define and compile the LSTM
def build_lstm(timesteps, features, n_classes, units=32):
    """Step 4, define and compile the model: LSTM(units) then Dense(n_classes, softmax).

    The input is (timesteps, features) per sample. Compiled with categorical cross-entropy,
    the Adam optimizer and the accuracy metric.
    """
    model = keras.Sequential(
        [
            keras.Input(shape=(timesteps, features)),
            keras.layers.LSTM(units),
            keras.layers.Dense(n_classes, activation="softmax"),
        ]
    )
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


# %% Step 5: Predict the next letter
def predict_next(model, pattern, int_to_char, n_vocab, framing="timesteps"):
    """Step 5, predict the next letter: frame one pattern of codes as the model was trained, return a letter.

    framing="timesteps" feeds (1, len(pattern), 1), framing="window" feeds (1, 1, len(pattern)),
    both divided by n_vocab; any other framing raises ValueError. The answer is int_to_char of
    the most probable class.
    """
    if framing not in _FRAMINGS:
        raise ValueError(f"framing must be one of {_FRAMINGS}, got {framing!r}")
    frame = frame_as_timesteps if framing == "timesteps" else frame_as_window
    x = frame([pattern], n_vocab)
    probabilities = model.predict_on_batch(x)  # one small batch: predict() would build a data pipeline
    return int_to_char[int(np.argmax(probabilities[0]))]


# %% Step 6: Frame three letters as a window
def frame_as_window(data_x, n_vocab):
    """Step 6, frame as a window: the patterns as [samples, 1, seq_length], one time step of seq_length features.

    The values are the codes divided by n_vocab, as in frame_as_timesteps; only the layout differs.
    """
    patterns = _patterns(data_x, n_vocab)
    samples, seq_length = patterns.shape
    return patterns.reshape(samples, 1, seq_length) / n_vocab


# %% Step 7: Frame three letters as time steps
