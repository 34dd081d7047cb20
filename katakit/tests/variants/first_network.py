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
COMPILE_NAMES = 'model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])'
COMPILE_OBJECTS = ("model.compile(loss=keras.losses.BinaryCrossentropy(), optimizer=keras.optimizers.Adam(), "
                   "metrics=[keras.metrics.BinaryAccuracy()])")

VARIANTS = [
    ("functional keras.Model", [(SEQUENTIAL, FUNCTIONAL)], PASSES),
    ("output without sigmoid", [('Dense(1, activation="sigmoid")', "Dense(1)")], ("define", "Dense(1, sigmoid)")),
    ("compiled with objects", [(COMPILE_NAMES, COMPILE_OBJECTS)], PASSES),
    ("exact-match Accuracy metric", [('metrics=["accuracy"]', "metrics=[keras.metrics.Accuracy()]")], ("compile", "the metrics must include accuracy")),
]


