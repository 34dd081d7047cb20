# %% Setup
"""Kata 9, grid search over Keras hyper-parameters: optimizer, initialiser, epochs and batch size.

Tutorial: "Use Keras Deep Learning Models with Scikit-Learn in Python", second part (grid search).
Reference solution.
"""

import keras
import numpy as np
from scikeras.wrappers import KerasClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.utils.validation import check_is_fitted

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


# %% Step 2: Define the parameter grid
def tutorial_param_grid():
    """Step 2, define the parameter grid: the tutorial's 2 optimizers x 3 initialisers x 3 epochs x 3 batch sizes.

    Optimizers rmsprop and adam; initialisers glorot_uniform, normal and uniform; epochs 50, 100 and
    150; batch sizes 5, 10 and 20: 54 candidates. Each key is spelled so that its values reach the
    model when grid_search tries them (scikeras passes only `model__...` parameters to create_model).
    """
    return {
        "model__optimizer": ["rmsprop", "adam"],
        "model__init": ["glorot_uniform", "normal", "uniform"],
        "epochs": [50, 100, 150],
        "batch_size": [5, 10, 20],
    }


# %% Step 3: Run the grid search
def grid_search(X, y, param_grid, cv=3):
    """Step 3, run the grid search: a GridSearchCV over a silent KerasClassifier around create_model, fitted.

    Every candidate of `param_grid` is scored by stratified `cv`-fold cross-validation (each fold keeps
    the classes' proportions); the best one is then refitted on all of X, y. Returns the fitted
    GridSearchCV (best_params_, best_score_, cv_results_).
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != N_FEATURES:
        raise ValueError(f"X must be (samples, {N_FEATURES}) like the Pima inputs, got shape {X.shape}")
    if y.shape != (len(X),):
        raise ValueError(f"y must hold one label per row of X, shape ({len(X)},), got {y.shape}")
    if isinstance(cv, int):
        # GridSearchCV stratifies an integer cv only for estimators it recognises as classifiers,
        # and scikit-learn 1.9 does not recognise scikeras 0.13's KerasClassifier: say it explicitly.
        cv = StratifiedKFold(n_splits=cv)
    classifier = KerasClassifier(model=create_model, verbose=0)
    search = GridSearchCV(estimator=classifier, param_grid=param_grid, cv=cv, error_score="raise")
    return search.fit(X, y)


# %% Step 4: Summarize the results
def summarize(search):
    """Step 4, summarize the results: the tutorial's report of a fitted grid search, as a list of lines.

    First "Best: 0.752604 using {...}" (best_score_ and best_params_), then one line per candidate in
    cv_results_ order: "0.707031 (0.025315) with: {...}", the mean and standard deviation of its scores.
    """
    check_is_fitted(search, "cv_results_")  # a clear error for a search that was never fitted
    results = search.cv_results_
    lines = [f"Best: {search.best_score_:f} using {search.best_params_}"]
    for mean, std, params in zip(
        results["mean_test_score"], results["std_test_score"], results["params"], strict=True
    ):
        lines.append(f"{mean:f} ({std:f}) with: {params!r}")
    return lines
