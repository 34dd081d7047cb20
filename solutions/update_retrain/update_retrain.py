# %% Setup
"""Kata 6, update a neural network with more data: retrain the old model.

Tutorial: "How to Update Neural Network Models With More Data" (Jason Brownlee), the retraining
update strategies: keep the trained model and continue training it on the new data, or on the old
and new data together, with a smaller learning rate.
Reference solution.
"""

import keras
import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split


# %% Step 1: Prepare old and new data
def make_old_new(random_state=1):
    """Step 1, prepare old and new data: the tutorial's synthetic two-class problem, split in halves.

    1000 rows of 20 features (15 informative, 5 redundant) from make_classification, split in two:
    the "old" half the model is first fit on and the "new" half that arrives later, each row with its
    label. Returns (X_old, X_new, y_old, y_new), 500 rows each; the same random_state gives the same
    data and split.
    """
    X, y = make_classification(n_samples=1000, n_features=20, n_informative=15, n_redundant=5,
                               random_state=random_state)
    X_old, X_new, y_old, y_new = train_test_split(X, y, test_size=0.5, random_state=random_state)
    return X_old, X_new, y_old, y_new


# %% Step 2: Define the model
def build_mlp(n_features):
    """Step 2, define the model: n_features inputs -> Dense(20, relu) -> Dense(10, relu) -> Dense(1, sigmoid).

    Both hidden layers start from he_normal weights. Not compiled; 641 parameters for 20 features.
    """
    if isinstance(n_features, bool) or not isinstance(n_features, (int, np.integer)) or n_features < 1:
        raise ValueError(f"n_features must be a positive whole number, got {n_features!r}")
    return keras.Sequential(
        [
            keras.Input(shape=(int(n_features),)),
            keras.layers.Dense(20, kernel_initializer="he_normal", activation="relu"),
            keras.layers.Dense(10, kernel_initializer="he_normal", activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


# %% Step 3: Compile with SGD
def compile_sgd(model, learning_rate=0.01):
    """Step 3, compile the model: SGD with momentum 0.9 at `learning_rate`, binary cross-entropy, accuracy.

    Returns the same model, compiled. Compiling again later keeps the weights and starts a fresh optimizer.
    """
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


# %% Step 4: Fit on the old data
def fit_model(model, X, y, epochs=150, batch_size=32):
    """Step 4, fit the model on the old data: `epochs` epochs in batches of `batch_size`, silently.

    Returns the keras.callbacks.History of the training.
    """
    return model.fit(X, y, epochs=epochs, batch_size=batch_size, verbose=0)


# %% Step 5: Update on new data only
def update_on_new(model, X_new, y_new, learning_rate=0.001, epochs=100):
    """Step 5, update the model on new data only: continue training the trained model on X_new, y_new.

    Recompiles with SGD at the smaller `learning_rate` (momentum 0.9), keeping the trained weights as
    the starting point, then fits `epochs` epochs in batches of 32. Returns the same model object.
    """
    compile_sgd(model, learning_rate)
    fit_model(model, X_new, y_new, epochs=epochs)
    return model


# %% Step 6: Update on old and new data
def combine(X_old, y_old, X_new, y_new):
    """Step 6, update the model on old and new data: stack the old rows, then the new rows.

    Returns (X_both, y_both): X_both has the old rows first, then the new ones; y_both is one label
    per row of X_both, shape (n_old + n_new,). Each X must have one label per row (else ValueError).
    """
    X_old, y_old, X_new, y_new = (np.asarray(a) for a in (X_old, y_old, X_new, y_new))
    for name, X, y in (("old", X_old, y_old), ("new", X_new, y_new)):
        if len(X) != len(y):
            raise ValueError(f"the {name} data has {len(X)} rows in X but {len(y)} labels in y")
    if X_old.shape[1:] != X_new.shape[1:]:
        raise ValueError(f"old rows have shape {X_old.shape[1:]}, new rows {X_new.shape[1:]}: they cannot be stacked")
    return np.concatenate([X_old, X_new]), np.concatenate([y_old, y_new])


def update_on_both(model, X_old, y_old, X_new, y_new, learning_rate=0.001, epochs=100):
    """Step 6, update the model on old and new data: continue training on the old and new rows together.

    Like update_on_new, but fits on combine(X_old, y_old, X_new, y_new). Returns the same model object.
    """
    X_both, y_both = combine(X_old, y_old, X_new, y_new)
    return update_on_new(model, X_both, y_both, learning_rate=learning_rate, epochs=epochs)
