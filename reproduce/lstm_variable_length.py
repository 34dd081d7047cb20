"""Tutorial 2, "variable-length input to one-char output": 1000 random runs of 1-5 letters, padded.

The tutorial draws 1000 runs of 1 to 5 consecutive letters (each with the letter that follows),
left-pads them with zeros to length 5, scales by 1/26, and trains LSTM(32) + softmax with Adam for
500 epochs at batch 1; it reports 98.90% on the training runs and predicts 20 random runs.
Ours: the reference's random_subsequences, pad_and_frame, build_lstm and predict_next; the fit is the
tutorial's (500 epochs, batch 1, shuffled) with one TensorFlow call per epoch (steps_per_execution)
and XLA (jit_compile): the same 500,000 updates.
Naive: the same fit without steps_per_execution, timed at two epoch counts and extrapolated.
"""

from katakit import env
from reproduce.common import (
    Experiment,
    Naive,
    Outcome,
    Progress,
    compiled_with_xla,
    epoch_callback,
    one_execution_per_epoch,
    reference,
    two_point,
)


def settings(quick):
    return {
        "alphabet": "A-Z (26 letters)",
        "num_inputs": 50 if quick else 1000,
        "max_len": 5,
        "padding": "zeros on the left (pad_sequences), codes / 26",
        "architecture": "LSTM(32) -> Dense(26, softmax)",
        "loss": "categorical_crossentropy",
        "optimizer": "adam",
        "epochs": 2 if quick else 500,
        "batch_size": 1,
        "shuffle": True,
        "random_patterns": 20,
        "seed": env.SEED,
        "evaluated_on": "the training runs (as the tutorial does)",
    }


def _data(vl, settings):
    import keras

    from tests.kit import ALPHABET  # the specs' alphabet (tests/kit.py imports Keras: hence here)

    data_x, data_y = vl.random_subsequences(ALPHABET, num_inputs=settings["num_inputs"],
                                            max_len=settings["max_len"], seed=settings["seed"])
    X = vl.pad_and_frame(data_x, settings["max_len"], len(ALPHABET))
    y = keras.utils.to_categorical(data_y, num_classes=len(ALPHABET))
    return data_x, data_y, X, y


def run(settings, progress: Progress) -> Outcome:
    import keras
    import numpy as np

    from tests.kit import ALPHABET  # the specs' alphabet (tests/kit.py imports Keras: hence here)

    vl = reference("lstm_variable_length")
    keras.utils.set_random_seed(settings["seed"])
    char_to_int = {c: i for i, c in enumerate(ALPHABET)}
    int_to_char = dict(enumerate(ALPHABET))
    data_x, data_y, X, y = _data(vl, settings)
    model = vl.build_lstm(settings["max_len"], len(ALPHABET), units=32)
    one_execution_per_epoch(compiled_with_xla(model), len(X), settings["batch_size"])
    progress.start(settings["epochs"], "epoch")
    history = model.fit(X, y, epochs=settings["epochs"], batch_size=settings["batch_size"], verbose=0,
                        callbacks=[epoch_callback(progress)])
    accuracy = float(model.evaluate(X, y, verbose=0, return_dict=True)["accuracy"])
    rng = np.random.default_rng(settings["seed"])
    picks = rng.integers(len(data_x), size=settings["random_patterns"])
    random_patterns = []
    for index in picks:
        letters = "".join(int_to_char[c] for c in data_x[index])
        predicted = vl.predict_next(model, letters, char_to_int, int_to_char, settings["max_len"], len(ALPHABET))
        random_patterns.append((letters, predicted, int_to_char[data_y[index]]))
    right = sum(p == t for _, p, t in random_patterns)
    return Outcome(
        measured=accuracy,
        note=f"Accuracy on the {len(X)} training runs after {settings['epochs']} epochs at batch 1; "
        f"{right} of {len(random_patterns)} random runs predicted right with predict_next.",
        curves={"loss": {"training": history.history["loss"]},
                "accuracy": {"training": history.history["accuracy"]}},
        details={"random_patterns": [f"{x} -> {p} (expected {t})" for x, p, t in random_patterns]},
    )


def naive(settings, progress: Progress, full: bool) -> Naive:
    import keras

    from tests.kit import ALPHABET  # the specs' alphabet (tests/kit.py imports Keras: hence here)

    vl = reference("lstm_variable_length")
    _, _, X, y = _data(vl, settings)
    epochs = settings["epochs"]

    def tutorial(n_epochs):  # model.fit(X, y, epochs=500, batch_size=1): one TensorFlow call per batch
        keras.utils.set_random_seed(settings["seed"])
        model = vl.build_lstm(settings["max_len"], len(ALPHABET), units=32)
        model.fit(X, y, epochs=n_epochs, batch_size=settings["batch_size"], verbose=0)
        model.evaluate(X, y, verbose=0)

    return two_point(tutorial, epochs, 1, 4, in_full=full)


EXPERIMENTS = [
    Experiment("lstm_variable_length", "lstm_variable_length", "alphabet LSTM, variable-length input", 98.90,
               settings, run, naive, cost=450),
]
