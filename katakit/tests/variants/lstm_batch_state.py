"""Variants of lstm_batch_state's reference (see katakit/tests/test_variants.py)."""

from katakit.tests.variants import PASSES

FIT = "return model.fit(X, y, epochs=epochs, batch_size=len(X), shuffle=False, verbose=0)"
DRAW = """    rng = np.random.default_rng(seed)
    picks = rng.integers(len(data_x), size=n)"""
FRAME = "x = x.reshape(n, x.shape[1], 1) / n_vocab"

VARIANTS = [
    # Step "model"
    ("build_lstm stateful", [("keras.layers.LSTM(units),", "keras.layers.LSTM(units, stateful=True),")],
     ("model", "stateless")),
    # Step "fit"
    ("fit_whole_batch without batch_size", [(FIT, "return model.fit(X, y, epochs=epochs, shuffle=False, verbose=0)")],
     ("fit", "1 update per epoch")),
    ("fit_whole_batch with nb_epoch= (Keras 2)", [(FIT, FIT.replace("epochs=epochs", "nb_epoch=epochs"))],
     ("fit", "`nb_epoch=` is the Keras 1/2 way")),
    ("fit_whole_batch without shuffle=False", [(FIT, FIT.replace("shuffle=False, ", ""))], PASSES),
    ("fit_whole_batch with the tutorial's verbose=2", [(FIT, FIT.replace("verbose=0", "verbose=2"))], PASSES),
    ("fit_whole_batch with a fixed number of epochs", [(FIT, FIT.replace("epochs=epochs", "epochs=80"))],
     ("fit", "epochs=3 must train 3 epochs")),
    # Step "predict"
    ("predict_random_patterns with the tutorial's global seed",
     [(DRAW, "    np.random.seed(seed)\n    picks = np.random.randint(len(data_x), size=n)")],
     ("predict", "changed numpy's global generator (np.random)")),
    ("predict_random_patterns with the tutorial's randint, from a generator of its own",
     [(DRAW, "    picks = np.random.RandomState(seed).randint(len(data_x), size=n)")], PASSES),
    ("predict_random_patterns with the global generator, put back",
     [(DRAW, "    state = np.random.get_state()\n    np.random.seed(seed)\n"
             "    picks = np.random.randint(len(data_x), size=n)\n    np.random.set_state(state)")], PASSES),
    ("predict_random_patterns with Python's random.seed",
     [(DRAW, "    import random\n\n    random.seed(seed)\n    picks = [random.randrange(len(data_x)) for _ in range(n)]")],
     ("predict", "changed Python's random module")),
    ("predict_random_patterns never draws the last pattern",
     [(DRAW, DRAW.replace("rng.integers(len(data_x), size=n)", "rng.integers(len(data_x) - 1, size=n)"))],
     ("predict", "never drew ['c']")),
    ("predict_random_patterns without replacement", [(DRAW, DRAW.replace(
        "rng.integers(len(data_x), size=n)", "rng.choice(len(data_x), size=n, replace=False)"))],
     PASSES),
    ("predict_random_patterns unseeded", [(DRAW, DRAW.replace("default_rng(seed)", "default_rng()"))],
     ("predict", "the same seed must give the same pairs")),
    ("predict_random_patterns reshaped to (n, 1)", [(FRAME, "x = x.reshape(n, 1) / n_vocab")],
     ("predict", "frame each pattern as time steps, (1, 3, 1)")),
    ("predict_random_patterns without dividing by n_vocab", [(FRAME, "x = x.reshape(n, x.shape[1], 1)")],
     ("predict", "divided by n_vocab = 26")),
    ("predict_random_patterns in order", [(DRAW, "    picks = np.arange(n) % len(data_x)")],
     ("predict", "drawn at random")),
]
