# %% Setup
"""Kata 9, grid search over Keras hyper-parameters: optimizer, initialiser, epochs and batch size.

Tutorial: "Use Keras Deep Learning Models with Scikit-Learn in Python", second part (grid search).
Your file: replace each TODO with code. Instructions in README.md, hints in HINTS.md;
`make test KATA=sklearn_grid_search` checks your work step by step.
"""

import keras
import numpy as np
from scikeras.wrappers import KerasClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold


# %% Step 1: Define the model
def create_model(optimizer="rmsprop", init="glorot_uniform"):
    """Step 1, define the model: the Pima 8-12-8-1 network, compiled, built from its two arguments.

    8 inputs -> Dense(12, relu) -> Dense(8, relu) -> Dense(1, sigmoid), each Dense kernel
    initialised with `init`; compiled with binary cross-entropy, `optimizer` and the accuracy metric.
    """
    # TODO: the tutorial's create_model: a keras.Sequential whose Dense layers all get
    #       kernel_initializer=init, compiled with loss, optimizer=optimizer and metrics; return it.
    raise NotImplementedError("Step 1 (Define the model): build and compile the 8-12-8-1 network")


# %% Step 2: Define the parameter grid
def tutorial_param_grid():
    """Step 2, define the parameter grid: the tutorial's 2 optimizers x 3 initialisers x 3 epochs x 3 batch sizes.

    Optimizers rmsprop and adam; initialisers glorot_uniform, normal and uniform; epochs 50, 100 and
    150; batch sizes 5, 10 and 20: 54 candidates. Each key is spelled so that its values reach the
    model when grid_search tries them (scikeras passes only `model__...` parameters to create_model).
    """
    # TODO: the tutorial's dict(optimizer=optimizers, epochs=epochs, batch_size=batches, init=init),
    #       with the keys that reach create_model in scikeras spelled model__<argument>.
    raise NotImplementedError("Step 2 (Define the parameter grid): return the tutorial's grid as a dict")


# %% Step 3: Run the grid search
def grid_search(X, y, param_grid, cv=3):
    """Step 3, run the grid search: a GridSearchCV over a silent KerasClassifier around create_model, fitted.

    Every candidate of `param_grid` is scored by stratified `cv`-fold cross-validation (each fold keeps
    the classes' proportions); the best one is then refitted on all of X, y. Returns the fitted
    GridSearchCV (best_params_, best_score_, cv_results_).
    """
    # TODO: model = KerasClassifier(model=create_model, verbose=0), then
    #       GridSearchCV(estimator=model, param_grid=param_grid, cv=StratifiedKFold(n_splits=cv));
    #       fit it on X, y and return it. (Why not cv=cv? See README, "What changed".)
    raise NotImplementedError("Step 3 (Run the grid search): fit a GridSearchCV over the KerasClassifier")


# %% Step 4: Summarize the results
def summarize(search):
    """Step 4, summarize the results: the tutorial's report of a fitted grid search, as a list of lines.

    First "Best: 0.752604 using {...}" (best_score_ and best_params_), then one line per candidate in
    cv_results_ order: "0.707031 (0.025315) with: {...}", the mean and standard deviation of its scores.
    """
    # TODO: the tutorial's "Best: %f using %s" line, then "%f (%f) with: %r" for each
    #       mean_test_score, std_test_score and params of search.cv_results_; return the lines.
    raise NotImplementedError("Step 4 (Summarize the results): format the best result and every candidate")
