"""Variants of first_network's reference (see katakit/tests/test_variants.py)."""

from katakit.tests.variants import PASSES

SEQUENTIAL = """    return keras.Sequential(
        [
            keras.Input(shape=(N_FEATURES,)),
            keras.layers.Dense(12, activation="relu"),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
"""
FUNCTIONAL = """    inputs = keras.Input(shape=(N_FEATURES,))
    hidden = keras.layers.Dense(12, activation="relu")(inputs)
    hidden = keras.layers.Dense(8, activation="relu")(hidden)
    return keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(hidden))
"""
INPUT_DIM = """            keras.Input(shape=(N_FEATURES,)),
            keras.layers.Dense(12, activation="relu"),
"""
COMPILE_NAMES = 'model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])'
COMPILE_OBJECTS = ("model.compile(loss=keras.losses.BinaryCrossentropy(), optimizer=keras.optimizers.Adam(), "
                   "metrics=[keras.metrics.BinaryAccuracy()])")
LOAD_START = "    path = Path(path)\n    if not path.is_file():"
READ_ROWS = "for line_number, fields in enumerate(csv.reader(file), start=1):"
FIT = "return model.fit(X, y, epochs=epochs, batch_size=batch_size, verbose=0)"
PREDICT = "    probabilities = model.predict(X, verbose=0)\n    return (probabilities[:, 0] > 0.5).astype(int)"
FIT_IN_RUN = "fit_model(model, X, y, epochs=epochs, batch_size=batch_size)"

VARIANTS = [
    # load
    ("np.loadtxt without delimiter", [(LOAD_START, "    data = np.loadtxt(path)\n    return data[:, :8], data[:, 8]\n"
                                       + LOAD_START)], ("load", 'delimiter=","')),
    ("np.genfromtxt without delimiter", [(LOAD_START, "    data = np.genfromtxt(path)\n    return data[:, :8], data[:, 8]\n"
                                          + LOAD_START)], ("load", 'delimiter=","')),
    ("np.loadtxt with delimiter, its own errors", [(LOAD_START, '    data = np.loadtxt(path, delimiter=",")\n'
                                                    "    return data[:, :8], data[:, 8]\n" + LOAD_START)],
     ("load", "ndmin=2")),
    ("np.loadtxt with delimiter and ndmin=2, its own errors",
     [(LOAD_START, '    data = np.loadtxt(path, delimiter=",", ndmin=2)\n    return data[:, :8], data[:, 8]\n'
       + LOAD_START)], ("load", "the error must name the file")),
    ("skips a header line the file does not have",
     [(READ_ROWS, "for line_number, fields in enumerate(list(csv.reader(file))[1:], start=2):")],
     ("load", "no header")),
    # define
    ("functional keras.Model", [(SEQUENTIAL, FUNCTIONAL)], PASSES),
    ("input_dim= on the first Dense (Keras 2)",
     [(INPUT_DIM, '            keras.layers.Dense(12, input_dim=N_FEATURES, activation="relu"),\n')], PASSES),
    ("output without sigmoid", [('Dense(1, activation="sigmoid")', "Dense(1)")], ("define", "Dense(1, sigmoid)")),
    ("Dense(init=...) (Keras 2)", [('keras.layers.Dense(12, activation="relu")',
                                    'keras.layers.Dense(12, init="uniform", activation="relu")')],
     ("define", "`init=` is the Keras 1/2 way, gone from Keras 3: use `kernel_initializer=`")),
    # compile
    ("compiled with objects", [(COMPILE_NAMES, COMPILE_OBJECTS)], PASSES),
    ("exact-match Accuracy metric", [('metrics=["accuracy"]', "metrics=[keras.metrics.Accuracy()]")],
     ("compile", "the metrics must include accuracy")),
    # fit
    ("fit(nb_epoch=...) (Keras 1)", [(FIT, "return model.fit(X, y, nb_epoch=epochs, batch_size=batch_size, verbose=0)")],
     ("fit", "`nb_epoch=` is the Keras 1/2 way, gone from Keras 3: use `epochs=`")),
    ("fit without verbose=0", [(FIT, "return model.fit(X, y, epochs=epochs, batch_size=batch_size)")],
     ("fit", "verbose=0")),
    # tie
    ("run ignores its epochs and batch_size", [(FIT_IN_RUN, "fit_model(model, X, y)")], ("tie", "must fit with epochs=2")),
    ("run does not print the score", [("    print(format_score(accuracy))\n", "")], ("tie", "print")),
    ("run always seeds 7", [("keras.utils.set_random_seed(seed)", "keras.utils.set_random_seed(7)")],
     ("tie", "set_random_seed(seed)")),
    # predict
    ("model.predict_classes (Keras 2)", [(PREDICT, "    return model.predict_classes(X)")],
     ("predict", "`predict_classes` is the Keras 1/2 way, gone from Keras 3")),
    ("np.argmax over one sigmoid column", [(PREDICT, "    return np.argmax(model.predict(X, verbose=0), axis=-1)")],
     ("predict", "np.argmax")),
]

# From a newcomer's walk-through: the tutorial's init='uniform' kept as kernel_initializer, epochs written in.
VARIANTS += [
    ("kernel_initializer='uniform' on every layer", [
        ('keras.layers.Dense(12, activation="relu"),', 'keras.layers.Dense(12, activation="relu", kernel_initializer="uniform"),'),
        ('keras.layers.Dense(8, activation="relu"),', 'keras.layers.Dense(8, activation="relu", kernel_initializer="uniform"),'),
        ('keras.layers.Dense(1, activation="sigmoid"),', 'keras.layers.Dense(1, activation="sigmoid", kernel_initializer="uniform"),')],
     ("tie", "the model may be stuck on one class whatever the seed")),
    ("fit_model with the tutorial's 150 epochs written in", [("epochs=epochs, batch_size=batch_size, verbose=0)", "epochs=150, batch_size=batch_size, verbose=0)")],
     ("fit", "150 is the tutorial's setting")),
]

# Near the static screen's line (katakit/grading/integrity.py), yet honest: none may be held for review.
THRESHOLD_CLASS = '''    return _Threshold(0.5)(model.predict(X, verbose=0))


class _Threshold:
    """A cut-off for sigmoid outputs, applied by calling it."""

    def __init__(self, cut):
        self.cut = cut

    def __call__(self, probabilities):
        return (probabilities[:, 0] > self.cut).astype(int)
'''
SETTINGS_CLASS = '''class _Settings:
    """The tutorial's compile settings, looked up by name."""

    loss = "binary_crossentropy"
    optimizer = "adam"


N_FEATURES = 8'''
COMPILE_BY_NAME = ('settings = _Settings()\n    setattr(settings, "metrics", ["accuracy"])\n'
                   '    model.compile(**{name: getattr(settings, name) for name in ("loss", "optimizer", "metrics")})')
FORMAT = '    return f"accuracy: {accuracy * 100:.2f}%"'
CACHED_FORMAT = '''    global _CALLS
    _CALLS += 1
    if accuracy not in _FORMATTED:
        _FORMATTED[accuracy] = f"accuracy: {accuracy * 100:.2f}%"
    return _FORMATTED[accuracy]


_FORMATTED = {}  # accuracy -> its text, kept for the next call
_CALLS = 0'''

VARIANTS += [
    ("a class with __init__ and __call__ for the threshold", [(PREDICT, THRESHOLD_CLASS)], PASSES),
    ("compile settings from its own object, with getattr and setattr",
     [("N_FEATURES = 8", SETTINGS_CLASS), (COMPILE_NAMES, COMPILE_BY_NAME)], PASSES),
    ("format_score keeps its own module-level cache", [(FORMAT, CACHED_FORMAT)], PASSES),
]
