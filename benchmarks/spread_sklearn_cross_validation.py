"""Seed spreads behind tests/test_sklearn_cross_validation.py (see benchmarks/spread.py).

The specs assert no accuracy threshold: they compare fold scores with the spec's own run. These
experiments check that the comparison has teeth, over many Keras seeds (the spec uses seed 5):

  folds   how many of the nearby mistakes score exactly like the right folds (0 = all caught)
  repeat  the largest difference between two runs with the same seeds (0 = reproducible)

Run: .venv/bin/python benchmarks/spread_sklearn_cross_validation.py folds --seeds 20
"""

import numpy as np
import spread

SETTINGS = {"n_splits": 3, "seed": 5, "epochs": 1, "batch_size": 64}  # the spec's


def _data(rows=240):
    """The spec's data: the first 240 Pima rows, each input standardised over the whole file."""
    from katakit import paths

    data = np.loadtxt(paths.PIMA_CSV, delimiter=",")
    X = (data[:, :8] - data[:, :8].mean(axis=0)) / data[:, :8].std(axis=0)
    return X[:rows], data[:rows, 8]


def _eager():
    import tensorflow as tf

    tf.config.run_functions_eagerly(True)  # as in the spec file


def _scores(keras_seed, splitter, epochs, batch_size):
    import keras
    from sklearn.model_selection import cross_val_score

    from solutions.sklearn_cross_validation import sklearn_cross_validation as kata

    X, y = _data()
    keras.utils.set_random_seed(keras_seed)
    return cross_val_score(kata.make_classifier(epochs=epochs, batch_size=batch_size), X, y, cv=splitter)


def folds(seed):
    """The number of mistakes (of 5) whose fold scores equal those of the right folds."""
    from sklearn.model_selection import KFold, StratifiedKFold

    _eager()
    n, s, e, b = SETTINGS["n_splits"], SETTINGS["seed"], SETTINGS["epochs"], SETTINGS["batch_size"]
    right = _scores(seed, StratifiedKFold(n, shuffle=True, random_state=s), e, b)
    mistakes = {
        "KFold(shuffle=True)": _scores(seed, KFold(n, shuffle=True, random_state=s), e, b),
        "StratifiedKFold(shuffle=False)": _scores(seed, StratifiedKFold(n), e, b),
        "StratifiedKFold(random_state=7)": _scores(seed, StratifiedKFold(n, shuffle=True, random_state=7), e, b),
        "other epochs (2)": _scores(seed, StratifiedKFold(n, shuffle=True, random_state=s), 2, b),
        "other batch_size (32)": _scores(seed, StratifiedKFold(n, shuffle=True, random_state=s), e, 32),
    }
    same = [name for name, scores in mistakes.items() if np.allclose(scores, right, rtol=0, atol=1e-9)]
    if same:
        print(f"    seed {seed}: not told apart: {same}")
    return len(same)


def repeat(seed):
    """max |difference| between two cross_validate runs with the same Keras seed and fold seed."""
    import keras

    from solutions.sklearn_cross_validation import sklearn_cross_validation as kata

    _eager()
    X, y = _data()
    keras.utils.set_random_seed(seed)
    first = kata.cross_validate(X, y, **SETTINGS)
    keras.utils.set_random_seed(seed)
    second = kata.cross_validate(X, y, **SETTINGS)
    return float(np.max(np.abs(first - second)))


if __name__ == "__main__":
    import warnings

    warnings.simplefilter("ignore")
    spread.main({"folds": folds, "repeat": repeat})
