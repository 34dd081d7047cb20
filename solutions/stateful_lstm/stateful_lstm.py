# %% Setup
"""Kata 4, stateful LSTM: a network that keeps its state between batches, and you manage it.

Tutorial: "Understanding Stateful LSTM Recurrent Neural Networks in Python with Keras",
section "Stateful LSTM for a One-Char to One-Char Mapping".
Reference solution.
"""

import keras
import numpy as np


# %% Step 1: Define a stateful LSTM
def build_stateful_lstm(n_classes=26, units=50, batch_size=1, timesteps=1, features=1):
    """Step 1, define a stateful LSTM: LSTM(units, stateful=True) -> Dense(n_classes, softmax).

    A stateful layer needs a fixed batch size: the input is keras.Input(batch_shape=
    (batch_size, timesteps, features)). Compiled with categorical cross-entropy, Adam and accuracy.
    """
    for name, value in [("n_classes", n_classes), ("units", units), ("batch_size", batch_size),
                        ("timesteps", timesteps), ("features", features)]:
        if not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    model = keras.Sequential(
        [
            keras.Input(batch_shape=(batch_size, timesteps, features)),
            keras.layers.LSTM(units, stateful=True),
            keras.layers.Dense(n_classes, activation="softmax"),
        ]
    )
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


# %% Step 2: Reset the state
def reset_states(model):
    """Step 2, reset the state: set the state of every stateful layer of `model` back to zeros.

    Keras 3 models have no reset_states(); each stateful layer has one. Returns None.
    """
    for layer in model.layers:
        if isinstance(layer, keras.Model):  # a model used as a layer: reset the layers inside it
            reset_states(layer)
        elif getattr(layer, "stateful", False):
            layer.reset_states()


# %% Step 3: Train epoch by epoch
def train_stateful(model, X, y, epochs=300):
    """Step 3, train epoch by epoch: one pass over X, y per epoch, in order, no shuffling.

    The batches are of the model's fixed batch size, model.inputs[0].shape[0]. A stateful model
    takes only full batches: if len(X) is not a multiple of it, raise ValueError before training.
    The state carries from one batch to the next within an epoch and is reset after every
    epoch, so each epoch starts from a cold network. Returns the loss of each epoch (the mean
    over its batches) as a list of floats; the model is left reset.
    """
    batch_size = model.inputs[0].shape[0]
    if batch_size is None:
        raise ValueError("train_stateful needs a stateful model with a fixed batch size "
                         "(keras.Input(batch_shape=...))")
    if len(X) != len(y):
        raise ValueError(f"X and y must hold the same number of samples, got {len(X)} and {len(y)}")
    if len(X) % batch_size:
        raise ValueError(f"{len(X)} samples do not split into whole batches of {batch_size}: "
                         "a stateful model takes only full batches")
    losses = []
    reset_states(model)
    for _ in range(epochs):
        batch_losses = []
        for start in range(0, len(X), batch_size):  # in order: each batch starts from the state the last one left
            logs = model.train_on_batch(X[start:start + batch_size], y[start:start + batch_size], return_dict=True)
            batch_losses.append(logs["loss"])
        reset_states(model)  # the next epoch starts again from the first sample, with a cold network
        losses.append(float(np.mean(batch_losses)))
    return losses


# %% Step 4: Recite the alphabet
def recite(model, start, length, char_to_int, int_to_char, n_vocab):
    """Step 4, recite the alphabet: reset, feed `start`, then feed each prediction back in.

    Each input is one letter, framed as (1, 1, 1) and normalised by n_vocab. Returns the
    `length` predicted letters, e.g. recite(model, "A", 3, ...) -> ["B", "C", "D"] once trained.
    """
    if tuple(model.inputs[0].shape) != (1, 1, 1):
        raise ValueError("recite feeds one letter at a time: the model must take batches of shape "
                         f"(1, 1, 1), got {tuple(model.inputs[0].shape)}")
    if start not in char_to_int:
        raise ValueError(f"the start letter {start!r} is not in the alphabet")
    reset_states(model)
    code = char_to_int[start]
    letters = []
    for _ in range(length):
        x = np.array([[[code / n_vocab]]], dtype="float32")
        probabilities = model.predict_on_batch(x)
        code = int(np.argmax(probabilities[0]))
        letters.append(int_to_char[code])
    reset_states(model)
    return letters
