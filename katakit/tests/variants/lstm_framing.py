"""Variants of lstm_framing's reference (see katakit/tests/test_variants.py)."""

from katakit.tests.variants import PASSES

REPEAT_CHECK = """    repeated = sorted({char for char in alphabet if alphabet.count(char) > 1})
    if repeated:
        raise ValueError(f"the alphabet repeats {repeated}: every letter needs exactly one code")
"""
SET_CHECK = """    if len(set(alphabet)) != len(alphabet):
        raise ValueError("a letter is repeated")
"""
RUNS = "for start in range(len(alphabet) - seq_length):"
TIMESTEPS = "patterns.reshape(samples, seq_length, 1) / n_vocab"
TO_CATEGORICAL = "return keras.utils.to_categorical(codes, num_classes=n_classes)"
INPUT_THEN_LSTM = """            keras.Input(shape=(timesteps, features)),
            keras.layers.LSTM(units),
"""
PREDICT = "probabilities = model.predict_on_batch(x)  # one small batch: predict() would build a data pipeline"
DECODE = "return int_to_char[int(np.argmax(probabilities[0]))]"

VARIANTS = [
    # Step "maps"
    ("char_maps without the repeat check", [(REPEAT_CHECK, "")], ("maps", "must raise ValueError")),
    ("char_maps checks repeats with a set", [(REPEAT_CHECK, SET_CHECK)], PASSES),
    # Step "pairs": off by one either way
    ("make_pairs runs that end on the last letter", [(RUNS, "for start in range(len(alphabet) - seq_length + 1):")],
     ("pairs", "the last run must end one letter before the end")),
    ("make_pairs one pair short", [(RUNS, "for start in range(len(alphabet) - seq_length - 1):")],
     ("pairs", "26 - 1 = 25 pairs")),
    # Step "reshape"
    ("frame_as_timesteps reshaped to (n, seq_length)", [(TIMESTEPS, "patterns.reshape(samples, seq_length) / n_vocab")],
     ("reshape", "must be (25, 1, 1), got (25, 1)")),
    ("frame_as_timesteps divided by the largest code", [(TIMESTEPS, "patterns.reshape(samples, seq_length, 1) / "
                                                                    "max(patterns.max(), 1)")],
     ("reshape", "normalise by the vocabulary size")),
    ("one_hot without num_classes", [(TO_CATEGORICAL, "return keras.utils.to_categorical(codes)")],
     ("reshape", "the width is n_classes")),
    ("one_hot one column too wide", [(TO_CATEGORICAL, "return keras.utils.to_categorical(codes, n_classes + 1)")],
     ("reshape", "the width is n_classes")),
    ("one_hot with np_utils (Keras 2)", [(TO_CATEGORICAL, "from keras.utils import np_utils\n"
                                                          "    return np_utils.to_categorical(codes, n_classes)")],
     ("reshape", "`np_utils` is the Keras 1/2 way")),
    # Step "model"
    ("build_lstm with input_shape= on the LSTM (Keras 2)",
     [(INPUT_THEN_LSTM, "            keras.layers.LSTM(units, input_shape=(timesteps, features)),\n")], PASSES),
    ("build_lstm with a sparse loss", [('loss="categorical_crossentropy"', 'loss="sparse_categorical_crossentropy"')],
     ("model", "the loss must be categorical_crossentropy")),
    # Step "predict"
    ("predict_next with predict_classes (Keras 2)", [(PREDICT, ""), (DECODE, "return int_to_char[int(model.predict_classes(x)[0])]")],
     ("predict", "`predict_classes` is the Keras 1/2 way")),
    ("predict_next with predict() and its progress bar", [(PREDICT, "probabilities = model.predict(x)")], PASSES),
    ("predict_next without dividing by n_vocab", [("x = frame([pattern], n_vocab)", "x = frame([pattern], 1)")],
     ("predict", "divides by n_vocab")),
    ("predict_next without the framing check",
     [('raise ValueError(f"framing must be one of {_FRAMINGS}, got {framing!r}")', "pass")],
     ("predict", "predict_next must raise ValueError")),
    # Step "window"
    ("predict_next frames every pattern as time steps",
     [('frame = frame_as_timesteps if framing == "timesteps" else frame_as_window', "frame = frame_as_timesteps")],
     ("window", "framing='window'")),
]

# From a newcomer's walk-through: the shapes hard-coded, a stateful LSTM from kata 4, a fixed batch size.
VARIANTS += [
    ("frame_as_timesteps with a hard-coded (n, 1, 1)", [("return patterns.reshape(samples, seq_length, 1) / n_vocab", "return patterns.reshape(samples, 1, 1) / n_vocab")], ("reshape", "Take the sizes from the data")),
    ("build_lstm stateful, as in kata 4", [("keras.layers.LSTM(units),", "keras.layers.LSTM(units, stateful=True),"), ("keras.Input(shape=(timesteps, features)),", "keras.Input(batch_shape=(1, timesteps, features)),")], ("model", "this kata's LSTM is stateless")),
    ("build_lstm with a fixed batch size", [("keras.Input(shape=(timesteps, features)),", "keras.Input(batch_shape=(1, timesteps, features)),")], ("model", "belongs to a stateful LSTM only")),
]

# From a newcomer with Keras 2 habits: a division in place, int_to_char as a list.
VARIANTS += [
    ("frame_as_timesteps divides the caller's array in place",
     [("    return " + TIMESTEPS, "    patterns /= n_vocab\n    return patterns.reshape(samples, seq_length, 1)")],
     ("reshape", "frame_as_timesteps(data_x, 26) of a float32 array changed the array it was given")),
    ("char_maps gives int_to_char as a list", [("int_to_char = {code: char for code, char in enumerate(alphabet)}",
                                               "int_to_char = list(alphabet)")],
     ("maps", "int_to_char must be a dict from code to letter")),
]
