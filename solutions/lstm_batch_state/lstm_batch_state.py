# %% Setup
"""Kata 3, LSTM state within a batch: learn the one-char alphabet mapping with the whole data set as one batch.

Tutorial: "Understanding Stateful LSTM Recurrent Neural Networks in Python with Keras" (Jason Brownlee),
section "LSTM State Within A Batch". Reference solution.
"""

import keras
import numpy as np


# %% Step 1: Define and compile the LSTM
def build_lstm(timesteps, features, n_classes, units=16):
    """Step 1, define and compile the model: LSTM(units) then Dense(n_classes, softmax).

    The input is (timesteps, features) per sample. Compiled with categorical cross-entropy,
    the Adam optimizer and the accuracy metric. The LSTM is stateless (Keras' default).
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


# %% Step 2: Fit with the whole data set as one batch
def fit_whole_batch(model, X, y, epochs=5000):
    """Step 2, fit on the whole data set as one batch: model.fit with batch_size = len(X), for `epochs` epochs.

    Each epoch is then a single update computed from every sample at once.
    Returns the keras.callbacks.History of the training.
    """
    if len(X) != len(y):
        raise ValueError(f"X and y must hold the same number of samples, got {len(X)} and {len(y)}")
    return model.fit(X, y, epochs=epochs, batch_size=len(X), shuffle=False, verbose=0)


# %% Step 3: Predict random patterns
def predict_random_patterns(model, data_x, int_to_char, n_vocab, n=20, seed=7):
    """Step 3, predict random patterns: draw n patterns of data_x at random and predict the letter after each.

    Each pattern (a list of codes) is framed as time steps, (len(pattern), 1), divided by n_vocab.
    Returns n pairs (input letters joined, predicted letter), e.g. ("T", "U").
    The same seed gives the same draws.
    """
    if len(data_x) == 0:
        raise ValueError("data_x holds no pattern to draw from")
    rng = np.random.default_rng(seed)
    picks = rng.integers(len(data_x), size=n)  # with replacement, like the tutorial's randint
    patterns = [data_x[i] for i in picks]
    if not patterns:
        return []
    x = np.asarray(patterns, dtype="float32")
    x = x.reshape(n, x.shape[1], 1) / n_vocab
    # All n patterns in one batch: each sample of a batch is computed on its own (see step 4).
    probabilities = model.predict_on_batch(x)
    return [
        ("".join(int_to_char[int(code)] for code in pattern), int_to_char[int(np.argmax(p))])
        for pattern, p in zip(patterns, probabilities, strict=True)
    ]


# %% Step 4: Test the batch-context claim
