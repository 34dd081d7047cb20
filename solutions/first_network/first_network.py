# %% Setup
"""Kata 1, your first neural network: a multilayer perceptron for the Pima Indians diabetes data.

Tutorial: "Your First Deep Learning Project in Python with Keras Step-By-Step".
Reference solution.
"""

import csv
from pathlib import Path

import keras
import numpy as np

N_FEATURES = 8  # the eight measurements; the ninth column is the class


# %% Step 1: Load the data
def load_dataset(path):
    """Step 1, load the data: read the CSV at `path` into inputs X (n, 8) and labels y (n,).

    The file has no header; each line holds 8 numeric features and the 0/1 class, separated by commas.
    A missing file raises FileNotFoundError; a malformed line raises ValueError naming
    the file and the 1-based line number.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such data file")
    rows = []
    with path.open(newline="", encoding="utf-8") as file:
        for line_number, fields in enumerate(csv.reader(file), start=1):
            if not fields:
                continue  # a blank line carries no sample
            if len(fields) != N_FEATURES + 1:
                raise ValueError(
                    f"{path}, line {line_number}: expected {N_FEATURES + 1} fields, got {len(fields)}"
                )
            try:
                rows.append([float(field) for field in fields])
            except ValueError:
                raise ValueError(
                    f"{path}, line {line_number}: every field must be a number, got {fields}"
                ) from None
    if not rows:
        raise ValueError(f"{path}: the file holds no data rows")
    data = np.array(rows)
    return data[:, :N_FEATURES], data[:, N_FEATURES]


# %% Step 2: Define the model
def build_model():
    """Step 2, define the model: 8 inputs -> Dense(12, relu) -> Dense(8, relu) -> Dense(1, sigmoid).

    Returns the model uncompiled, with 221 parameters: a keras.Sequential, as the tutorial writes it
    (a functional keras.Model with the same layers is just as right).
    """
    return keras.Sequential(
        [
            keras.Input(shape=(N_FEATURES,)),
            keras.layers.Dense(12, activation="relu"),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


# %% Step 3: Compile the model
def compile_model(model):
    """Step 3, compile the model: binary cross-entropy loss, the Adam optimizer, accuracy metric.

    Returns the same model, compiled.
    """
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


# %% Step 4: Fit the model
def fit_model(model, X, y, epochs=150, batch_size=10):
    """Step 4, fit the model: train on X, y for `epochs` epochs in batches of `batch_size`, silently.

    Returns the keras.callbacks.History of the training.
    """
    return model.fit(X, y, epochs=epochs, batch_size=batch_size, verbose=0)


# %% Step 5: Evaluate the model
def evaluate_model(model, X, y):
    """Step 5, evaluate the model: its accuracy on X, y as a float in [0, 1]."""
    results = model.evaluate(X, y, verbose=0, return_dict=True)
    return float(results["accuracy"])


def format_score(accuracy):
    """Step 5, evaluate the model: an accuracy in [0, 1] as text, e.g. 0.7826 -> "accuracy: 78.26%".

    A value outside [0, 1] (a percentage passed by mistake) raises ValueError.
    """
    if not 0.0 <= accuracy <= 1.0:
        raise ValueError(f"accuracy must be a fraction in [0, 1], got {accuracy}")
    return f"accuracy: {accuracy * 100:.2f}%"


# %% Step 6: Tie it all together
def run(path, seed=7, epochs=150, batch_size=10):
    """Step 6, tie it all together: seed, load, define, compile, fit and evaluate; print the score.

    Seeds Keras with `seed`, fits `epochs` epochs in batches of `batch_size`, prints the score as
    format_score gives it and returns the training accuracy in [0, 1].
    """
    keras.utils.set_random_seed(seed)
    X, y = load_dataset(path)
    model = compile_model(build_model())
    fit_model(model, X, y, epochs=epochs, batch_size=batch_size)
    accuracy = evaluate_model(model, X, y)
    print(format_score(accuracy))
    return accuracy


# %% Step 7: Make predictions
def predict_classes(model, X):
    """Step 7, make predictions: the predicted class of each row of X, shape (n,), integers 0 or 1.

    A row is class 1 when the model's sigmoid output rounds to 1 (is above 0.5).
    """
    probabilities = model.predict(X, verbose=0)
    return (probabilities[:, 0] > 0.5).astype(int)
