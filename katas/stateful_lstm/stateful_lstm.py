# %% Setup
"""Kata 4, stateful LSTM: a network that keeps its state between batches, and you manage it.

Tutorial: "Understanding Stateful LSTM Recurrent Neural Networks in Python with Keras",
section "Stateful LSTM for a One-Char to One-Char Mapping".
Your file: replace each TODO with code. Instructions in README.md, hints in HINTS.md;
`make test KATA=stateful_lstm` checks your work step by step.
"""

import keras
import numpy as np


# %% Step 1: Define a stateful LSTM
def build_stateful_lstm(n_classes=26, units=50, batch_size=1, timesteps=1, features=1):
    """Step 1, define a stateful LSTM: LSTM(units, stateful=True) -> Dense(n_classes, softmax).

    A stateful layer needs a fixed batch size: the input is keras.Input(batch_shape=
    (batch_size, timesteps, features)). Compiled with categorical cross-entropy, Adam and accuracy.
    """
    # TODO: the tutorial wrote LSTM(50, batch_input_shape=(1, 1, 1), stateful=True); Keras 3 puts
    #       the fixed batch shape on keras.Input(batch_shape=...) as the Sequential's first entry.
    # TODO: then Dense(n_classes, activation="softmax"), and compile:
    #       model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"]).
    raise NotImplementedError("Step 1 (Define a stateful LSTM): build and compile the stateful model")


# %% Step 2: Reset the state
def reset_states(model):
    """Step 2, reset the state: set the state of every stateful layer of `model` back to zeros.

    Keras 3 models have no reset_states(); each stateful layer has one. Returns None.
    """
    # TODO: the tutorial called model.reset_states(); in Keras 3 walk model.layers and call
    #       reset_states() on each layer whose `stateful` attribute is True.
    raise NotImplementedError("Step 2 (Reset the state): reset every stateful layer of the model")


# %% Step 3: Train epoch by epoch
def train_stateful(model, X, y, epochs=300):
    """Step 3, train epoch by epoch: one pass over X, y per epoch, in order, no shuffling.

    The batches are of the model's fixed batch size, model.inputs[0].shape[0]. A stateful model
    takes only full batches: if len(X) is not a multiple of it, raise ValueError before training.
    The state carries from one batch to the next within an epoch and is reset after every
    epoch, so each epoch starts from a cold network. Returns the loss of each epoch (the mean
    over its batches) as a list of floats; the model is left reset.
    """
    # TODO: read the model's fixed batch size, batch_size = model.inputs[0].shape[0], and raise
    #       ValueError if len(X) % batch_size is not 0, before training anything.
    # TODO: the tutorial's loop: for each epoch, model.fit(X, y, epochs=1, batch_size=batch_size,
    #       shuffle=False, verbose=0), then reset the state (step 2).
    #       (model.train_on_batch over the batches in order does the same, faster.)
    # TODO: keep each epoch's loss and return the list.
    raise NotImplementedError("Step 3 (Train epoch by epoch): train in order, resetting after each epoch")


# %% Step 4: Recite the alphabet
def recite(model, start, length, char_to_int, int_to_char, n_vocab):
    """Step 4, recite the alphabet: reset, feed `start`, then feed each prediction back in.

    Each input is one letter, framed as (1, 1, 1) and normalised by n_vocab. Returns the
    `length` predicted letters, e.g. recite(model, "A", 3, ...) -> ["B", "C", "D"] once trained.
    """
    # TODO: reset the state, then `length` times: frame the current letter's code as an array of
    #       shape (1, 1, 1) divided by n_vocab, predict, take the argmax as the next letter's code,
    #       keep its letter and feed it in next.
    raise NotImplementedError("Step 4 (Recite the alphabet): predict letter after letter from `start`")
