# %% Setup
"""Kata 3, LSTM state within a batch: learn the one-char alphabet mapping with the whole data set as one batch.

Tutorial: "Understanding Stateful LSTM Recurrent Neural Networks in Python with Keras" (Jason Brownlee),
section "LSTM State Within A Batch".
Your file: replace each TODO with code. Instructions in README.md, hints in HINTS.md;
`make test KATA=lstm_batch_state` checks your work step by step.
"""

import keras
import numpy as np


# %% Step 1: Define and compile the LSTM
def build_lstm(timesteps, features, n_classes, units=16):
    """Step 1, define and compile the model: LSTM(units) then Dense(n_classes, softmax).

    The input is (timesteps, features) per sample. Compiled with categorical cross-entropy,
    the Adam optimizer and the accuracy metric. The LSTM is stateless (Keras' default).
    """
    # TODO: keras.Sequential([keras.Input(shape=(timesteps, features)), keras.layers.LSTM(units),
    #       keras.layers.Dense(n_classes, activation=...)]), then model.compile(...) as in kata 2.
    raise NotImplementedError("Step 1 (Define and compile the LSTM): build the 16-unit LSTM and compile it")


# %% Step 2: Fit with the whole data set as one batch
def fit_whole_batch(model, X, y, epochs=5000):
    """Step 2, fit on the whole data set as one batch: model.fit with batch_size = len(X), for `epochs` epochs.

    Each epoch is then a single update computed from every sample at once.
    Returns the keras.callbacks.History of the training.
    """
    # TODO: the tutorial's model.fit(X, y, epochs=..., batch_size=len(dataX), verbose=2, shuffle=False);
    #       return what fit returns. verbose=0 keeps 5000 epochs from printing 5000 lines, and step 4
    #       shows what shuffle=False does inside one batch.
    raise NotImplementedError("Step 2 (Fit with the whole data set as one batch): fit with batch_size=len(X)")


# %% Step 3: Predict random patterns
def predict_random_patterns(model, data_x, int_to_char, n_vocab, n=20, seed=7):
    """Step 3, predict random patterns: draw n patterns of data_x at random and predict the letter after each.

    Each pattern (a list of codes) is framed as time steps, (len(pattern), 1), divided by n_vocab.
    Returns n pairs (input letters joined, predicted letter), e.g. ("T", "U").
    The same seed gives the same draws.
    """
    # TODO: a generator seeded with `seed` (numpy.random.default_rng(seed)) draws n indices into data_x;
    #       for each pattern: reshape to (1, len(pattern), 1), divide by n_vocab, predict, numpy.argmax,
    #       int_to_char; pair the pattern's letters (joined) with the predicted letter.
    raise NotImplementedError("Step 3 (Predict random patterns): draw n patterns and predict each next letter")


# %% Step 4: Test the batch-context claim
