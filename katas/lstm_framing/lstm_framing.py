# %% Setup
"""Kata 2, LSTM framings: learn the alphabet from one letter, from a window of letters, from time steps.

Tutorial: "Understanding Stateful LSTM Recurrent Neural Networks in Python with Keras" (Jason Brownlee),
its first three models: the naive one-char mapping, the three-char feature window, the three-char time
step window.
Your file: replace each TODO with code. Instructions in README.md, hints in HINTS.md;
`make test KATA=lstm_framing` checks your work step by step.
"""

import keras
import numpy as np

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# %% Step 1: Map letters to integers
def char_maps(alphabet=ALPHABET):
    """Step 1, map letters to integers: (char_to_int, int_to_char), the codes 0, 1, 2, ... in alphabet order.

    char_to_int maps each letter to its position in `alphabet`, int_to_char maps it back.
    An alphabet that repeats a letter raises ValueError (that letter would need two codes).
    """
    # TODO: first raise ValueError if a letter of `alphabet` occurs more than once; then the tutorial's
    #       two dictionaries: char_to_int = dict((c, i) for i, c in enumerate(alphabet)), int_to_char the other way.
    raise NotImplementedError("Step 1 (Map letters to integers): build char_to_int and int_to_char")


# %% Step 2: Make input-output pairs
def make_pairs(alphabet, seq_length):
    """Step 2, make input-output pairs: each run of `seq_length` letters, and the letter that follows it.

    Returns (data_x, data_y) as codes (positions in `alphabet`): in data_x the len(alphabet) - seq_length
    runs of seq_length codes, in data_y the code that follows each run.
    For "ABCD" and 2: data_x = [[0, 1], [1, 2]] and data_y = [2, 3] ("AB" -> "C", "BC" -> "D").
    """
    # TODO: for i in range(len(alphabet) - seq_length): the input is alphabet[i:i + seq_length],
    #       the output alphabet[i + seq_length]; append both as codes (char_maps gives char_to_int).
    raise NotImplementedError("Step 2 (Make input-output pairs): list each run of letters and the next letter")


# %% Step 3: Reshape, normalise and one-hot encode
def frame_as_timesteps(data_x, n_vocab):
    """Step 3, reshape and normalise: the patterns as [samples, timesteps, features] = (n, seq_length, 1).

    Each letter of a pattern is one time step with one feature: its code divided by the vocabulary
    size `n_vocab`, so that every input lies in [0, 1). The caller's data_x is left as it was.
    """
    # TODO: numpy.reshape(data_x, (len(data_x), seq_length, 1)), then divide by n_vocab.
    raise NotImplementedError("Step 3 (Reshape, normalise and one-hot encode): frame data_x as time steps")


def one_hot(data_y, n_classes):
    """Step 3, one-hot encode the outputs: (samples, n_classes), a single 1 per row, at the output's code.

    The width is always n_classes, even when the largest classes never occur in data_y.
    """
    # TODO: the tutorial's np_utils.to_categorical is keras.utils.to_categorical now: pass num_classes.
    raise NotImplementedError("Step 3 (Reshape, normalise and one-hot encode): one-hot encode data_y")


# %% Step 4: Define and compile the LSTM
def build_lstm(timesteps, features, n_classes, units=32):
    """Step 4, define and compile the model: LSTM(units) then Dense(n_classes, softmax).

    The input is (timesteps, features) per sample. Compiled with categorical cross-entropy,
    the Adam optimizer and the accuracy metric.
    """
    # TODO: keras.Sequential([keras.Input(shape=(timesteps, features)), keras.layers.LSTM(...),
    #       keras.layers.Dense(...)]), then model.compile(loss=..., optimizer=..., metrics=[...]).
    raise NotImplementedError("Step 4 (Define and compile the LSTM): build the LSTM and compile it")


# %% Step 5: Predict the next letter
def predict_next(model, pattern, int_to_char, n_vocab, framing="timesteps"):
    """Step 5, predict the next letter: frame one pattern of codes as the model was trained, return a letter.

    framing="timesteps" feeds (1, len(pattern), 1), framing="window" feeds (1, 1, len(pattern)),
    both divided by n_vocab; any other framing raises ValueError. The answer is int_to_char of
    the most probable class.
    """
    # TODO: frame [pattern] as a batch of one (your step 3 or step 6 function), predict,
    #       take numpy.argmax of the probabilities and look it up in int_to_char.
    raise NotImplementedError("Step 5 (Predict the next letter): frame one pattern and decode the prediction")


# %% Step 6: Frame three letters as a window
def frame_as_window(data_x, n_vocab):
    """Step 6, frame as a window: the patterns as [samples, 1, seq_length], one time step of seq_length features.

    The values are the codes divided by n_vocab, as in frame_as_timesteps; only the layout differs.
    """
    # TODO: numpy.reshape(data_x, (len(data_x), 1, seq_length)), then divide by n_vocab.
    raise NotImplementedError("Step 6 (Frame three letters as a window): frame data_x as one step of features")


# %% Step 7: Frame three letters as time steps
