"""Variants of stateful_lstm's reference (see katakit/tests/test_variants.py)."""

from katakit.tests.variants import PASSES

INPUT_THEN_LSTM = """            keras.Input(batch_shape=(batch_size, timesteps, features)),
            keras.layers.LSTM(units, stateful=True),
"""
RESET_LOOP = """    for layer in model.layers:
        if isinstance(layer, keras.Model):  # a model used as a layer: reset the layers inside it
            reset_states(layer)
        elif getattr(layer, "stateful", False):
            layer.reset_states()
"""
BATCH_SIZE = "batch_size = model.inputs[0].shape[0]\n    if batch_size is None:"
WHOLE_BATCHES = """    if len(X) % batch_size:
        raise ValueError(f"{len(X)} samples do not split into whole batches of {batch_size}: "
                         "a stateful model takes only full batches")
"""
EPOCH_LOOP = """    losses = []
    reset_states(model)
    for _ in range(epochs):
        batch_losses = []
        for start in range(0, len(X), batch_size):  # in order: each batch starts from the state the last one left
            logs = model.train_on_batch(X[start:start + batch_size], y[start:start + batch_size], return_dict=True)
            batch_losses.append(logs["loss"])
        reset_states(model)  # the next epoch starts again from the first sample, with a cold network
        losses.append(float(np.mean(batch_losses)))
    return losses
"""
FIT_PER_EPOCH = """    losses = []
    for _ in range(epochs):
        history = model.fit(X, y, epochs=1, batch_size=batch_size, shuffle=False, verbose=0)
        reset_states(model)
        losses.append(history.history["loss"][0])
    return losses
"""
BATCH_LOSS = 'batch_losses.append(logs["loss"])'
EPOCH_RESET = "        reset_states(model)  # the next epoch starts again from the first sample, with a cold network\n"
FIRST_RESET = "    reset_states(model)\n    code = char_to_int[start]"
RECITE_FRAME = 'x = np.array([[[code / n_vocab]]], dtype="float32")'

VARIANTS = [
    # Step "define"
    ("batch_input_shape= on the LSTM (Keras 2)",
     [(INPUT_THEN_LSTM, "            keras.layers.LSTM(units, batch_input_shape=(batch_size, timesteps, features), "
                        "stateful=True),\n")],
     ("define", "`batch_input_shape=` is the Keras 1/2 way")),
    ("keras.Input(shape=...) without the batch size",
     [("keras.Input(batch_shape=(batch_size, timesteps, features))", "keras.Input(shape=(timesteps, features))")],
     ("define", "keras.Input(batch_shape=(batch_size, timesteps, features))")),
    ("LSTM not stateful", [("keras.layers.LSTM(units, stateful=True)", "keras.layers.LSTM(units)")],
     ("define", "LSTM(7, stateful=True)")),
    ("compiled with sparse categorical cross-entropy",
     [('loss="categorical_crossentropy"', 'loss="sparse_categorical_crossentropy"')],
     ("define", "the loss must be categorical_crossentropy")),
    # Step "reset"
    ("model.reset_states() (Keras 2)", [(RESET_LOOP, "    model.reset_states()\n")],
     ("reset", "`model.reset_states()` is the Keras 1/2 way")),
    ("reset_states on every layer, stateful or not",
     [('elif getattr(layer, "stateful", False):', "else:")],
     ("reset", "a Dense layer has no state")),
    ("reset_states resets the first stateful layer only",
     [('            layer.reset_states()\n', "            layer.reset_states()\n            return\n")],
     ("reset", "two stateful layers")),
    # Step "train": where the resets go
    ("train_stateful resets after every batch", [(BATCH_LOSS, BATCH_LOSS + "\n            reset_states(model)")],
     ("train", "reset after every batch")),
    ("train_stateful never resets between epochs", [(EPOCH_RESET, "")],
     ("train", "reset the state after every epoch")),
    ("train_stateful resets at the start of each epoch only",
     [(EPOCH_RESET, ""), ("        batch_losses = []\n", "        batch_losses = []\n        reset_states(model)\n")],
     ("train", "after train_stateful the model must be reset")),
    ("train_stateful with one fit(epochs=...)",
     [(EPOCH_LOOP, "    history = model.fit(X, y, epochs=epochs, batch_size=batch_size, shuffle=False, verbose=0)\n"
                   "    reset_states(model)\n    return history.history[\"loss\"]\n")],
     ("train", "reset the state after every epoch")),
    ("train_stateful with the tutorial's fit per epoch", [(EPOCH_LOOP, FIT_PER_EPOCH)], PASSES),
    ("train_stateful with fit per epoch, shuffled", [(EPOCH_LOOP, FIT_PER_EPOCH.replace("shuffle=False", "shuffle=True"))],
     ("train", "shuffled")),
    ("train_stateful returns the last batch's loss", [("losses.append(float(np.mean(batch_losses)))",
                                                       "losses.append(float(batch_losses[-1]))")],
     ("train", "the mean over the epoch's batches")),
    # Step "train": the batch size
    ("train_stateful in batches of 1", [(BATCH_SIZE, "batch_size = 1\n    if batch_size is None:")],
     ("train", "model.inputs[0].shape[0] = 2")),
    ("train_stateful without the whole-batch check", [(WHOLE_BATCHES, "")],
     ("train", "must raise ValueError")),
    # Step "recite"
    ("recite resets between letters", [('        letters.append(int_to_char[code])\n',
                                        '        letters.append(int_to_char[code])\n        reset_states(model)\n')],
     ("recite", "reset once")),
    ("recite without the first reset", [(FIRST_RESET, "    code = char_to_int[start]")],
     ("recite", "reset the state first")),
    ("recite feeds the start letter every time", [("code = int(np.argmax(probabilities[0]))\n        letters.append("
                                                   "int_to_char[code])",
                                                   "letters.append(int_to_char[int(np.argmax(probabilities[0]))])")],
     ("recite", "feed each answer back in")),
    ("recite feeds (1, 1), which Keras takes for (1, 1, 1) only sometimes",
     [(RECITE_FRAME, 'x = np.array([[code / n_vocab]], dtype="float32")')], ("recite", "an array of shape (1, 1, 1)")),
]
