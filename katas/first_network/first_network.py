# %% Setup
"""Kata 1, your first neural network: a multilayer perceptron for the Pima Indians diabetes data.

Tutorial: "Your First Deep Learning Project in Python with Keras Step-By-Step".
Your file: replace each TODO with code. Instructions in README.md, hints in HINTS.md;
`make test KATA=first_network` checks your work step by step.
"""

import csv
from pathlib import Path

import keras
import numpy as np


# %% Step 1: Load the data
def load_dataset(path):
    """Step 1, load the data: read the CSV at `path` into inputs X (n, 8) and labels y (n,).

    The file has no header; each line holds 8 numeric features and the 0/1 class, separated by commas.
    A missing file raises FileNotFoundError; a malformed line raises ValueError naming
    the file and the 1-based line number.
    """
    # TODO: read the rows (csv.reader, or np.loadtxt with delimiter=","), check each has 9 numbers,
    #       then split the columns: the first 8 are X, the last is y.
    raise NotImplementedError("Step 1 (Load the data): read the CSV into X (n, 8) and y (n,)")


# %% Step 2: Define the model
def build_model():
    """Step 2, define the model: 8 inputs -> Dense(12, relu) -> Dense(8, relu) -> Dense(1, sigmoid).

    Returns the model uncompiled, with 221 parameters: a keras.Sequential, as the tutorial writes it
    (a functional keras.Model with the same layers is just as right).
    """
    # TODO: keras.Sequential([keras.Input(...), keras.layers.Dense(...), ...])
    raise NotImplementedError("Step 2 (Define the model): build the 8-12-8-1 Sequential model")


# %% Step 3: Compile the model
def compile_model(model):
    """Step 3, compile the model: binary cross-entropy loss, the Adam optimizer, accuracy metric.

    Returns the same model, compiled.
    """
    # TODO: model.compile(loss=..., optimizer=..., metrics=[...]), then return the model.
    #       Keras knows them by name: loss "binary_crossentropy", optimizer "adam", metric "accuracy".
    raise NotImplementedError("Step 3 (Compile the model): choose loss, optimizer and metric")


# %% Step 4: Fit the model
def fit_model(model, X, y, epochs=150, batch_size=10):
    """Step 4, fit the model: train on X, y for `epochs` epochs in batches of `batch_size`, silently.

    Returns the keras.callbacks.History of the training.
    """
    # TODO: return model.fit(...) with epochs, batch_size and verbose=0.
    raise NotImplementedError("Step 4 (Fit the model): train with model.fit")


# %% Step 5: Evaluate the model
def evaluate_model(model, X, y):
    """Step 5, evaluate the model: its accuracy on X, y as a float in [0, 1]."""
    # TODO: model.evaluate(...) gives the loss and the accuracy; return the accuracy.
    raise NotImplementedError("Step 5 (Evaluate the model): return the model's accuracy on X, y")


def format_score(accuracy):
    """Step 5, evaluate the model: an accuracy in [0, 1] as text, e.g. 0.7826 -> "accuracy: 78.26%".

    A value outside [0, 1] (a percentage passed by mistake) raises ValueError.
    """
    # TODO: a percentage with two decimals; reject values outside [0, 1] with ValueError.
    raise NotImplementedError("Step 5 (Evaluate the model): format the accuracy as a percentage")


# %% Step 6: Tie it all together
def run(path, seed=7, epochs=150, batch_size=10):
    """Step 6, tie it all together: seed, load, define, compile, fit and evaluate; print the score.

    Seeds Keras with `seed`, fits `epochs` epochs in batches of `batch_size`, prints the score as
    format_score gives it and returns the training accuracy in [0, 1].
    """
    # TODO: keras.utils.set_random_seed(seed), then steps 1 to 5 in order.
    raise NotImplementedError("Step 6 (Tie it all together): run steps 1 to 5 and return the accuracy")


# %% Step 7: Make predictions
def predict_classes(model, X):
    """Step 7, make predictions: the predicted class of each row of X, shape (n,), integers 0 or 1.

    A row is class 1 when the model's sigmoid output rounds to 1 (is above 0.5).
    """
    # TODO: model.predict gives probabilities of shape (n, 1); threshold them at 0.5.
    raise NotImplementedError("Step 7 (Make predictions): turn probabilities into 0/1 classes")
