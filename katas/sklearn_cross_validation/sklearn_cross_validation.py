# %% Setup
"""Kata 8, Keras models in scikit-learn: evaluate the Pima network with stratified k-fold cross-validation.

Tutorial: "Use Keras Deep Learning Models with Scikit-Learn in Python", first part (cross-validation).
Your file: replace each TODO with code. Instructions in README.md, hints in HINTS.md;
`make test KATA=sklearn_cross_validation` checks your work step by step.
"""

import keras
import numpy as np
from scikeras.wrappers import KerasClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score


# %% Step 1: Define the model
def create_model(optimizer="rmsprop", init="glorot_uniform"):
    """Step 1, define the model: the Pima 8-12-8-1 network, compiled, built from its two arguments.

    8 inputs -> Dense(12, relu) -> Dense(8, relu) -> Dense(1, sigmoid), each Dense kernel
    initialised with `init`; compiled with binary cross-entropy, `optimizer` and the accuracy metric.
    """
    # TODO: the tutorial's create_model: a keras.Sequential whose Dense layers all get
    #       kernel_initializer=init, compiled with loss, optimizer=optimizer and metrics; return it.
    raise NotImplementedError("Step 1 (Define the model): build and compile the 8-12-8-1 network")


# %% Step 2: Wrap the model for scikit-learn
def make_classifier(epochs=150, batch_size=10):
    """Step 2, wrap the model: a scikit-learn classifier (scikeras KerasClassifier) around create_model.

    It trains `epochs` epochs in batches of `batch_size` and prints nothing. scikit-learn's clone keeps
    both settings, and set_params(model__optimizer=..., model__init=...) reaches create_model.
    """
    # TODO: the tutorial's KerasClassifier(build_fn=create_model, epochs=..., batch_size=..., verbose=0),
    #       in scikeras spelling: model=create_model. Pass the function itself, do not call it.
    raise NotImplementedError("Step 2 (Wrap the model for scikit-learn): return a KerasClassifier around create_model")


# %% Step 3: Evaluate with cross-validation
def cross_validate(X, y, n_splits=10, seed=7, epochs=150, batch_size=10):
    """Step 3, evaluate with cross-validation: the accuracy of each fold, as an array of n_splits floats.

    The folds come from StratifiedKFold(n_splits, shuffle=True, random_state=seed): every fold keeps
    the classes' proportions, and `seed` picks the folds (only the folds: seed Keras yourself for
    repeatable weights). Each fold trains a fresh classifier from make_classifier(epochs, batch_size).
    """
    # TODO: kfold = StratifiedKFold(...), then cross_val_score(classifier, X, y, cv=kfold);
    #       return the scores (the tutorial prints their mean).
    raise NotImplementedError("Step 3 (Evaluate with cross-validation): score each stratified fold")
