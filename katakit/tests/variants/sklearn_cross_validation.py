"""Variants of sklearn_cross_validation's reference (see katakit/tests/test_variants.py)."""

from katakit.tests.variants import noted

WRAP = "return KerasClassifier(model=create_model, epochs=epochs, batch_size=batch_size, verbose=0)"
SCORE = 'return cross_val_score(classifier, X, y, cv=folds, error_score="raise")'

VARIANTS = [
    # model
    ("Dense(init=...) (Keras 2)", [('keras.layers.Dense(12, kernel_initializer=init, activation="relu")',
                                    'keras.layers.Dense(12, init=init, activation="relu")')],
     ("model", "`init=` is the Keras 1/2 way, gone from Keras 3: use `kernel_initializer=`")),
    # wrap
    ("build_fn= (the tutorial's spelling)", [(WRAP, WRAP.replace("model=create_model", "build_fn=create_model"))],
     noted("`build_fn=` is the Keras 2 way; use `model=`")),
    ("ignores its epochs", [(WRAP, WRAP.replace("epochs=epochs", "epochs=150"))], ("wrap", "epochs=2")),
    ("ignores its batch_size", [(WRAP, WRAP.replace("batch_size=batch_size", "batch_size=10"))],
     ("wrap", "batch_size=50")),
    ("nb_epoch= (Keras 1)", [(WRAP, WRAP.replace("epochs=epochs", "nb_epoch=epochs"))],
     ("wrap", "`nb_epoch=` is the Keras 1/2 way")),
    ("wraps a model, not the function", [(WRAP, WRAP.replace("model=create_model", "model=create_model()"))],
     ("wrap", "wrap the function create_model itself")),
    ("random_state=", [(WRAP, WRAP.replace("verbose=0", "verbose=0, random_state=7"))], ("wrap", "random_state")),
    ("keras.wrappers.scikit_learn (Keras 2)",
     [(WRAP, "from keras.wrappers.scikit_learn import KerasClassifier\n\n    " + WRAP)], ("wrap", "scikeras")),
    ("Keras 3's own SKLearnClassifier",
     [(WRAP, 'return keras.wrappers.SKLearnClassifier(model=create_model, fit_kwargs={"epochs": epochs, '
             '"batch_size": batch_size, "verbose": 0})')], ("wrap", "scikeras")),
    # evaluate
    ("cv=n_splits (an integer: plain KFold)", [(SCORE, SCORE.replace("cv=folds", "cv=n_splits"))],
     ("evaluate", "StratifiedKFold")),
    ("KFold(n_splits), unshuffled", [(SCORE, "from sklearn.model_selection import KFold\n\n    "
                                              + SCORE.replace("cv=folds", "cv=KFold(n_splits=n_splits)"))],
     ("evaluate", "cv=KFold(n_splits=3) gives")),
    ("seeds numpy's global generator with the fold seed", [(SCORE, "np.random.seed(seed)\n    " + SCORE)],
     ("evaluate", "changed numpy's global generator (np.random)")),
    ("seeds Keras with the fold seed", [(SCORE, "keras.utils.set_random_seed(seed)\n    " + SCORE)],
     ("evaluate", "set_random_seed")),
]
