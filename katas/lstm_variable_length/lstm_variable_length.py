# %% Setup
"""Kata 5, variable-length input: an LSTM that reads runs of 1 to max_len letters, padded.

Tutorial: "Understanding Stateful LSTM Recurrent Neural Networks in Python with Keras",
section "LSTM with Variable-Length Input to One-Char Output".
Your file: replace each TODO with code. Instructions in README.md, hints in HINTS.md;
`make test KATA=lstm_variable_length` checks your work step by step.
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
    # TODO: check the arguments first (see above), then a generator from the seed
    #       (np.random.default_rng(seed)); then num_inputs times:
    #       draw a start letter and an end letter (start <= end, at most max_len letters, and end
    #       must not be the last letter, which has no next), keep the codes start..end as the input
    #       and end + 1 as the output.
    raise NotImplementedError("Step 1 (Make random subsequences): draw runs of consecutive letters")


# %% Step 2: Pad and frame
def pad_and_frame(data_x, max_len, n_vocab):
    """Step 2, pad and frame: zero-pad each run on the left to max_len, as (n, max_len, 1) / n_vocab.

    A run longer than max_len keeps its last max_len codes, as keras.utils.pad_sequences does.
    """
    # TODO: keras.utils.pad_sequences(data_x, maxlen=max_len, dtype="float32") pads with zeros on
    #       the left; reshape to [samples, timesteps, features] and divide by n_vocab.
    raise NotImplementedError("Step 2 (Pad and frame): pad on the left, reshape and normalise")


# %% Step 3: Define the model
def build_lstm(max_len, n_classes, units=32):
    """Step 3, define the model: Input((max_len, 1)) -> LSTM(units) -> Dense(n_classes, softmax).

    Compiled with categorical cross-entropy, Adam and accuracy.
    """
    # TODO: the tutorial wrote LSTM(32, input_shape=(max_len, 1)); Keras 3 starts the Sequential
    #       with keras.Input(shape=(max_len, 1)). A plain (stateless) LSTM, then the softmax.
    raise NotImplementedError("Step 3 (Define the model): build and compile the LSTM")


# %% Step 4: Predict the next letter
def predict_next(model, letters, char_to_int, int_to_char, max_len, n_vocab):
    """Step 4, predict the next letter: the model's answer for a run of `letters`, e.g. "BCD" -> "E".

    The run is encoded, padded and framed as in step 2 before the model sees it: a batch of one run,
    (1, max_len, 1). An empty run raises ValueError.
    """
    # TODO: reject an empty run; letters -> codes (char_to_int), then pad_and_frame([codes], ...),
    #       predict, argmax, and the letter of that code (int_to_char).
    raise NotImplementedError("Step 4 (Predict the next letter): encode, pad, predict and decode")
