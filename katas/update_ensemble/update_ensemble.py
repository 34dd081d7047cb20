# %% Setup
"""Kata 7, update a neural network with more data: ensemble the old model with a new one.

Tutorial: "How to Update Neural Network Models With More Data" (Jason Brownlee), the ensemble update
strategies: leave the old model as it is, fit a new model on the new data (or on old and new data),
and average the two models' predicted probabilities. Then the comparison the tutorial leaves out:
every strategy's accuracy on data none of the models has seen.
Your file: replace each TODO with code. Instructions in README.md, hints in HINTS.md;
`make test KATA=update_ensemble` checks your work step by step.
"""

import keras
import numpy as np

STRATEGIES = ("keep_old", "update_on_new", "update_on_both",
              "new_model_on_new", "ensemble_new_only", "ensemble_old_and_new")


# Given: the model and its compilation, as you wrote them in kata 6 (update_retrain).

def _build_mlp(n_features):
    """The tutorial's MLP: n_features -> Dense(20, relu) -> Dense(10, relu) -> Dense(1, sigmoid), he_normal."""
    return keras.Sequential(
        [
            keras.Input(shape=(n_features,)),
            keras.layers.Dense(20, kernel_initializer="he_normal", activation="relu"),
            keras.layers.Dense(10, kernel_initializer="he_normal", activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


def _compile_sgd(model, learning_rate=0.01):
    """SGD with momentum 0.9 at `learning_rate`, binary cross-entropy, accuracy; returns the model."""
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


# The kata.

# %% Step 1: Ensemble with a model on new data only
def ensemble_new_only(old_model, X_new, y_new, epochs=150):
    """Step 1, ensemble with a model on new data only: the old model, unchanged, and a new model.

    The new model has the old model's architecture but starts from fresh random weights; it is compiled
    and trained like the old model (SGD 0.01, momentum 0.9, batch 32) for `epochs` epochs, on X_new, y_new
    only, and leaves X_new, y_new as they were. Returns [old_model, new_model].
    """
    # TODO: build a new model with _build_mlp (as many inputs as X_new has columns), compile it with
    #       _compile_sgd, fit it on the new data (batch_size=32, verbose=0); leave old_model alone.
    raise NotImplementedError("Step 1 (Ensemble with a model on new data only): fit a new model on the new data")


# %% Step 2: Predict with the ensemble
def ensemble_predict(models, X):
    """Step 2, predict with the ensemble: the mean of the models' predicted probabilities, shape (n,).

    An empty list of models has nothing to average: ValueError.
    """
    # TODO: each model predicts probabilities of shape (n, 1); flatten them and average them row by row.
    #       An empty list of models has nothing to average: raise ValueError.
    raise NotImplementedError("Step 2 (Predict with the ensemble): average the models' probabilities")


# %% Step 3: Ensemble with a model on old and new data
def ensemble_old_and_new(old_model, X_old, y_old, X_new, y_new, epochs=150):
    """Step 3, ensemble with a model on old and new data: the old model, unchanged, and a new model.

    Like ensemble_new_only, but the new model is fit on the old rows and the new rows together.
    Returns [old_model, new_model].
    """
    # TODO: stack the old and new rows (and their labels), then as in step 1.
    raise NotImplementedError("Step 3 (Ensemble with a model on old and new data): fit a new model on all the data")


# %% Step 4: Compare the strategies
def compare_strategies(X_old, y_old, X_new, y_new, X_test, y_test, epochs=150):
    """Step 4, compare the strategies: the held-out accuracy on X_test, y_test of every update strategy.

    Fits one old model on the old data (`epochs` epochs); every strategy starts from it, and each
    update works on its own copy, for two thirds of `epochs` (the tutorial's 150 and 100). Returns
    {strategy: accuracy in [0, 1]} for exactly the keys keep_old, update_on_new, update_on_both,
    new_model_on_new, ensemble_new_only and ensemble_old_and_new.
    """
    # TODO: 1. fit the old model on the old data.
    #       2. the two retraining updates (kata 6), each on a copy: keras.models.clone_model(old_model),
    #          then copy.set_weights(old_model.get_weights()), recompile at learning rate 0.001, fit on the
    #          new data (or on old + new data) for two thirds of `epochs`.
    #       3. a new model on the new data alone, and the two ensembles of steps 1 and 3.
    #       4. score each on X_test, y_test: the share of rows whose probability is on the right side of 0.5
    #          (ensemble_predict works for a single model too: [model]).
    raise NotImplementedError("Step 4 (Compare the strategies): score every strategy on the held-out data")
