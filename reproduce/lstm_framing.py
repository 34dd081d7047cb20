"""Tutorial 2, first sections: learn the alphabet with a plain LSTM, framed three ways.

The tutorial (seed 7) learns "which letter follows" from the 26-letter alphabet, inputs scaled by
1/26, outputs one-hot; LSTM(32) + softmax, Adam, 500 epochs at batch 1, then reports the accuracy on
the training patterns: one letter in (84.00%), three letters as one time step of three features, the
"window" (86.96%), and three letters as three time steps of one feature (100.00%).
Ours: the reference's char_maps, make_pairs, frame_as_timesteps / frame_as_window, one_hot,
build_lstm and predict_next; the fit is the tutorial's (500 epochs, batch 1, shuffled), with one
TensorFlow call per epoch (steps_per_execution) and XLA (jit_compile): the same updates.
Naive: the same fit without steps_per_execution, timed at two epoch counts and extrapolated.
"""

from functools import partial

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
    scaled,
    two_point,
)

FRAMINGS = {
    "lstm_one_char": ("one letter in, the next out", 1, "timesteps", 84.00),
    "lstm_window": ("three letters as one time step of three features (a window)", 3, "window", 86.96),
    "lstm_timesteps": ("three letters as three time steps of one feature", 3, "timesteps", 100.00),
}


def settings(exp_id, quick):
    _, seq_length, framing, _ = FRAMINGS[exp_id]
    shape = "(samples, 1, seq_length)" if framing == "window" else "(samples, seq_length, 1)"
    return {
        "alphabet": "A-Z (26 letters)",
        "seq_length": seq_length,
        "framing": f"{framing}: X is {shape}, codes / 26",
        "architecture": "LSTM(32) -> Dense(26, softmax)",
        "loss": "categorical_crossentropy",
        "optimizer": "adam",
        "epochs": 3 if quick else 500,
        "batch_size": 1,
        "shuffle": True,
        "seed": env.SEED,
        "evaluated_on": "the training patterns (as the tutorial does)",
    }


def _data(fr, exp_id):
    _, seq_length, framing, _ = FRAMINGS[exp_id]
    n_vocab = len(fr.ALPHABET)
    data_x, data_y = fr.make_pairs(fr.ALPHABET, seq_length)
    frame = fr.frame_as_window if framing == "window" else fr.frame_as_timesteps
    return data_x, data_y, frame(data_x, n_vocab), fr.one_hot(data_y, n_vocab), n_vocab


def run(exp_id, settings, progress: Progress) -> Outcome:
    import keras

    fr = reference("lstm_framing")
    framing = FRAMINGS[exp_id][2]
    keras.utils.set_random_seed(settings["seed"])
    _, int_to_char = fr.char_maps(fr.ALPHABET)
    data_x, data_y, X, y, n_vocab = _data(fr, exp_id)
    model = fr.build_lstm(X.shape[1], X.shape[2], y.shape[1], units=32)
    one_execution_per_epoch(compiled_with_xla(model), len(X), settings["batch_size"])
    progress.start(settings["epochs"], "epoch")
    history = model.fit(X, y, epochs=settings["epochs"], batch_size=settings["batch_size"], verbose=0,
                        callbacks=[epoch_callback(progress)])
    accuracy = float(model.evaluate(X, y, verbose=0, return_dict=True)["accuracy"])
    predictions = {
        "".join(int_to_char[c] for c in pattern): fr.predict_next(model, pattern, int_to_char, n_vocab, framing=framing)
        for pattern in data_x
    }
    wrong = {k: v for (k, v), target in zip(predictions.items(), data_y, strict=True) if v != int_to_char[target]}
    return Outcome(
        measured=accuracy,
        note=f"Accuracy on the {len(X)} training patterns after {settings['epochs']} epochs; "
        f"{len(X) - len(wrong)} of {len(X)} next letters right with predict_next"
        + (f" (wrong: {', '.join(f'{k} -> {v}' for k, v in list(wrong.items())[:8])}"
           f"{', ...' if len(wrong) > 8 else ''})." if wrong else "."),
        curves={"loss": {"training": history.history["loss"]},
                "accuracy": {"training": history.history["accuracy"]}},
        details={"predictions": predictions},
    )


def naive(exp_id, settings, progress: Progress, full: bool) -> Naive:
    import keras

    fr = reference("lstm_framing")
    _, _, X, y, _ = _data(fr, exp_id)
    epochs = settings["epochs"]

    def tutorial(n_epochs):  # model.fit(X, y, epochs=500, batch_size=1): one TensorFlow call per batch
        keras.utils.set_random_seed(settings["seed"])
        model = fr.build_lstm(X.shape[1], X.shape[2], y.shape[1], units=32)
        model.fit(X, y, epochs=n_epochs, batch_size=settings["batch_size"], verbose=0)
        model.evaluate(X, y, verbose=0)

    return two_point(tutorial, epochs, scaled(epochs, 0.02), scaled(epochs, 0.08), in_full=full)


EXPERIMENTS = [
    Experiment(exp_id, "lstm_framing", f"alphabet LSTM, {title}", published,
               partial(settings, exp_id), partial(run, exp_id), partial(naive, exp_id), cost=25)
    for exp_id, (title, _, _, published) in FRAMINGS.items()
]
