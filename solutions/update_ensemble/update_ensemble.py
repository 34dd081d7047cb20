# %% Setup
"""Kata 7, update a neural network with more data: ensemble the old model with a new one.

Tutorial: "How to Update Neural Network Models With More Data" (Jason Brownlee), the ensemble update
strategies: leave the old model as it is, fit a new model on the new data (or on old and new data),
and average the two models' predicted probabilities. Then the comparison the tutorial leaves out:
every strategy's accuracy on data none of the models has seen.
Reference solution.
"""

import keras
import numpy as np

BATCH_SIZE = 32  # the tutorial trains every model in batches of 32
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
def _new_model(X, y, epochs):
    """A fresh MLP, compiled and trained like the old model (SGD 0.01, momentum 0.9, batch 32) on X, y."""
    model = _compile_sgd(_build_mlp(X.shape[1]))
    model.fit(X, y, epochs=epochs, batch_size=BATCH_SIZE, verbose=0)
    return model


def ensemble_new_only(old_model, X_new, y_new, epochs=150):
    """Step 1, ensemble with a model on new data only: the old model, unchanged, and a new model.

    The new model has the old model's architecture but starts from fresh random weights; it is compiled
    and trained like the old model (SGD 0.01, momentum 0.9, batch 32) for `epochs` epochs, on X_new, y_new
    only, and leaves X_new, y_new as they were. Returns [old_model, new_model].
    """
    return [old_model, _new_model(np.asarray(X_new), np.asarray(y_new), epochs)]


# %% Step 2: Predict with the ensemble
def ensemble_predict(models, X):
    """Step 2, predict with the ensemble: the mean of the models' predicted probabilities, shape (n,).

    An empty list of models has nothing to average: ValueError.
    """
    models = list(models)
    if not models:
        raise ValueError("an ensemble needs at least one model, got none")
    # predict_on_batch: the whole of X in one batch, which suits these small data sets.
    probabilities = [np.asarray(model.predict_on_batch(np.asarray(X)))[:, 0] for model in models]
    return np.mean(probabilities, axis=0)


# %% Step 3: Ensemble with a model on old and new data
def ensemble_old_and_new(old_model, X_old, y_old, X_new, y_new, epochs=150):
    """Step 3, ensemble with a model on old and new data: the old model, unchanged, and a new model.

    Like ensemble_new_only, but the new model is fit on the old rows and the new rows together.
    Returns [old_model, new_model].
    """
    X_both = np.concatenate([np.asarray(X_old), np.asarray(X_new)])
    y_both = np.concatenate([np.asarray(y_old), np.asarray(y_new)])
    return [old_model, _new_model(X_both, y_both, epochs)]


# %% Step 4: Compare the strategies
def _updated_copy(old_model, X, y, epochs):
    """A copy of the old model (same weights), recompiled at the update's rate 0.001 and trained on X, y."""
    model = keras.models.clone_model(old_model)
    model.set_weights(old_model.get_weights())
    _compile_sgd(model, learning_rate=0.001)
    model.fit(X, y, epochs=epochs, batch_size=BATCH_SIZE, verbose=0)
    return model


def _accuracy(models, X, y):
    """The share of rows whose ensemble probability falls on the right side of 0.5."""
    return float(np.mean((ensemble_predict(models, X) > 0.5) == (np.asarray(y) > 0.5)))


def compare_strategies(X_old, y_old, X_new, y_new, X_test, y_test, epochs=150):
    """Step 4, compare the strategies: the held-out accuracy on X_test, y_test of every update strategy.

    Fits one old model on the old data (`epochs` epochs); every strategy starts from it, and each
    update works on its own copy, for two thirds of `epochs` (the tutorial's 150 and 100). Returns
    {strategy: accuracy in [0, 1]} for exactly the keys keep_old, update_on_new, update_on_both,
    new_model_on_new, ensemble_new_only and ensemble_old_and_new.
    """
    X_old, y_old, X_new, y_new = (np.asarray(a) for a in (X_old, y_old, X_new, y_new))
    update_epochs = max(1, round(epochs * 2 / 3))
    old_model = _new_model(X_old, y_old, epochs)
    with_new_only = ensemble_new_only(old_model, X_new, y_new, epochs)
    X_both, y_both = np.concatenate([X_old, X_new]), np.concatenate([y_old, y_new])
    members = {
        "keep_old": [old_model],
        "update_on_new": [_updated_copy(old_model, X_new, y_new, update_epochs)],
        "update_on_both": [_updated_copy(old_model, X_both, y_both, update_epochs)],
        "new_model_on_new": with_new_only[1:],  # the new model alone: the old model and data discarded
        "ensemble_new_only": with_new_only,
        "ensemble_old_and_new": ensemble_old_and_new(old_model, X_old, y_old, X_new, y_new, epochs),
    }
    return {name: _accuracy(members[name], X_test, y_test) for name in STRATEGIES}
