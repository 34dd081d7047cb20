"""Variants of lstm_variable_length's reference (see katakit/tests/test_variants.py)."""

from katakit.tests.variants import PASSES

START = "start = int(rng.integers(0, last))  # 0 .. last - 1"
END = "end = int(rng.integers(start, min(start + max_len, last)))  # the run's last letter: end < last"
ALPHABET_CHECK = """    if len(alphabet) < 2:
        raise ValueError(f"the alphabet needs at least 2 letters (a letter and its next), got {alphabet!r}")
"""
MAX_LEN_CHECK = """    if max_len < 1:
        raise ValueError(f"max_len must be at least 1, got {max_len}")
"""
NUM_INPUTS_CHECK = """    if num_inputs < 0:
        raise ValueError(f"num_inputs must not be negative, got {num_inputs}")
"""
PADDED = "x = pad_and_frame([[char_to_int[c] for c in letters]], max_len, n_vocab)"
PREDICTED = "probabilities = model.predict_on_batch(x)"
PAD = 'padded = keras.utils.pad_sequences(data_x, maxlen=max_len, dtype="float32")  # padding="pre"'
FRAMED = "return padded.reshape(len(data_x), max_len, 1) / n_vocab"
LSTM = "keras.layers.LSTM(units),"
COMPILED = 'model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])'

VARIANTS = [
    # Step 1: the tutorial's own off-by-one, and the checks of the arguments
    ("the tutorial's start, A..X", [(START, "start = int(rng.integers(0, last - 1))")],
     ("generate", "no run starts at 'Y'")),
    ("no check of the alphabet", [(ALPHABET_CHECK, "")], ("generate", "fewer than 2 letters")),
    ("no check of max_len", [(MAX_LEN_CHECK, "")], ("generate", "max_len=0")),
    ("no check of num_inputs", [(NUM_INPUTS_CHECK, "")], ("generate", "num_inputs=-1")),
    ("a run can end on the last letter, read from the alphabet",
     [(END, "end = int(rng.integers(start, min(start + max_len, last + 1)))"),
      ("data_y.append(end + 1)", "data_y.append(alphabet.index(alphabet[end + 1]))")],
     ("generate", "the last letter")),
    ("a run can end on the last letter, as codes", [(END, "end = int(rng.integers(start, min(start + max_len, last + 1)))")],
     ("generate", "no run may go past the last letter")),
    ("runs drawn with the random module", [
        ("rng = np.random.default_rng(seed)", "import random\n\n    rng = random.Random(seed)"),
        (START, "start = rng.randrange(last)"),
        (END, "end = rng.randrange(start, min(start + max_len, last))")], PASSES),
    ("a run's length drawn with high left out", [
        (END, "end = start + int(rng.integers(min(max_len, last - start) - 1))")], ("generate", "from an empty range")),
    ("runs drawn from numpy's global generator, reseeded", [
        ("rng = np.random.default_rng(seed)", "np.random.seed(seed)"),
        (START, "start = int(np.random.randint(0, last))"),
        (END, "end = int(np.random.randint(start, min(start + max_len, last)))")],
     ("generate", "changed numpy's global generator (np.random)")),
    ("runs drawn from Python's random module, reseeded", [
        ("rng = np.random.default_rng(seed)", "import random\n\n    random.seed(seed)"),
        (START, "start = random.randrange(last)"),
        (END, "end = random.randrange(start, min(start + max_len, last))")],
     ("generate", "changed Python's random module")),
    ("runs as numpy arrays", [("data_x.append(list(range(start, end + 1)))", "data_x.append(np.arange(start, end + 1))")],
     ("generate", "each input must be a list of codes")),
    ("runs as lists of numpy ints", [("data_x.append(list(range(start, end + 1)))", "data_x.append(list(np.arange(start, end + 1)))")],
     PASSES),
    ("another default seed", [("def random_subsequences(alphabet, num_inputs=1000, max_len=5, seed=7):",
                               "def random_subsequences(alphabet, num_inputs=1000, max_len=5, seed=0):")],
     ("generate", "seed=7")),
    # Step 2: padding and framing
    ("padded on the right", [(PAD, PAD.replace('dtype="float32")', 'dtype="float32", padding="post")'))],
     ("pad", "zeros first")),
    ("framed as (samples, features, timesteps)", [(FRAMED, "return padded.reshape(len(data_x), 1, max_len) / n_vocab")],
     ("pad", "(3, 4, 1)")),
    ("codes not divided by n_vocab", [(FRAMED, "return padded.reshape(len(data_x), max_len, 1)")], ("pad", "/ 26")),
    # Step 3: Keras 2 habits
    ("Keras 2 input_shape= on the LSTM", [
        ("keras.Input(shape=(max_len, 1)),\n", ""), (LSTM, "keras.layers.LSTM(units, input_shape=(max_len, 1)),")],
     PASSES),
    ("Keras 2 Adam(lr=)", [(COMPILED, COMPILED.replace('"adam"', "keras.optimizers.Adam(lr=0.001)"))],
     ("define", "learning_rate=")),
    # Step 4: how the model is called, and the padding
    ("predict_next skips the padding", [
        (PADDED, 'x = np.array([char_to_int[c] for c in letters], dtype="float32").reshape(1, len(letters), 1) / n_vocab')],
     ("predict", "predict_next must feed (1, max_len, 1) = (1, 5, 1), got (1, 3, 1): pad as in step 2")),
    ("predict_next pads one run without the batch of one", [
        (PADDED, "x = pad_and_frame([char_to_int[c] for c in letters], max_len, n_vocab)")],
     ("predict", "a list of runs")),
    ("predict_next without the check of an empty run", [
        ("""    if len(letters) == 0:
        raise ValueError("predict_next needs at least one letter")
""", "")], ("predict", "predict_next with no letters must raise ValueError")),
    ("predict_next with predict(verbose=0)", [(PREDICTED, "probabilities = model.predict(x, verbose=0)")], PASSES),
    ("predict_next with its input in a list", [(PREDICTED, "probabilities = model.predict([x], verbose=0)")], PASSES),
    ("predict_next calls the model", [(PREDICTED, "probabilities = keras.ops.convert_to_numpy(model(x, training=False))")],
     PASSES),
    ("predict_next calls the model on a tensor", [(PREDICTED, "probabilities = model(keras.ops.convert_to_tensor(x))")],
     PASSES),
    ("Keras 2 predict_classes", [
        (PREDICTED, "probabilities = None"),
        ("return int_to_char[int(np.argmax(probabilities[0]))]", "return int_to_char[int(model.predict_classes(x)[0])]")],
     ("predict", "np.argmax")),
]
