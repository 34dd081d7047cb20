# %% Setup
"""Kata 8, Keras models in scikit-learn: evaluate the Pima network with stratified k-fold cross-validation.

Tutorial: "Use Keras Deep Learning Models with Scikit-Learn in Python", first part (cross-validation).
Reference solution.
"""

import keras
import numpy as np
from scikeras.wrappers import KerasClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score

N_FEATURES = 8  # the eight measurements of the Pima data


# %% Step 1: Define the model
def create_model(optimizer="rmsprop", init="glorot_uniform"):
    """Step 1, define the model: the Pima 8-12-8-1 network, compiled, built from its two arguments.

    8 inputs -> Dense(12, relu) -> Dense(8, relu) -> Dense(1, sigmoid), each Dense kernel
    initialised with `init`; compiled with binary cross-entropy, `optimizer` and the accuracy metric.
    """
    model = keras.Sequential(
        [
            keras.Input(shape=(N_FEATURES,)),
            keras.layers.Dense(12, kernel_initializer=init, activation="relu"),
            keras.layers.Dense(8, kernel_initializer=init, activation="relu"),
            keras.layers.Dense(1, kernel_initializer=init, activation="sigmoid"),
        ]
    )
    model.compile(loss="binary_crossentropy", optimizer=optimizer, metrics=["accuracy"])
    return model


# %% Step 2: Wrap the model for scikit-learn
def make_classifier(epochs=150, batch_size=10):
    """Step 2, wrap the model: a scikit-learn classifier (scikeras KerasClassifier) around create_model.

    It trains `epochs` epochs in batches of `batch_size` and prints nothing. scikit-learn's clone keeps
    both settings, and set_params(model__optimizer=..., model__init=...) reaches create_model.
    """
    # No random_state: the caller seeds Keras (see README: random_state can leave TensorFlow's
    # op determinism switched on for the rest of the process).
    return KerasClassifier(model=create_model, epochs=epochs, batch_size=batch_size, verbose=0)


# %% Step 3: Evaluate with cross-validation
def cross_validate(X, y, n_splits=10, seed=7, epochs=150, batch_size=10):
    """Step 3, evaluate with cross-validation: the accuracy of each fold, as an array of n_splits floats.

    The folds come from StratifiedKFold(n_splits, shuffle=True, random_state=seed): every fold keeps
    the classes' proportions, and `seed` picks the folds (only the folds: seed Keras yourself for
    repeatable weights). Each fold trains a fresh classifier from make_classifier(epochs, batch_size).
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != N_FEATURES:
        raise ValueError(f"X must be (samples, {N_FEATURES}) like the Pima inputs, got shape {X.shape}")
    if y.shape != (len(X),):
        raise ValueError(f"y must hold one label per row of X, shape ({len(X)},), got {y.shape}")
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    classifier = make_classifier(epochs=epochs, batch_size=batch_size)
    return cross_val_score(classifier, X, y, cv=folds, error_score="raise")
