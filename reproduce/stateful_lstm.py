"""Tutorial 2, "stateful LSTM for a one-char to one-char mapping": the state carries the context.

The tutorial trains a stateful LSTM(50) (batch size 1) on the one-letter patterns for 300 epochs,
each a pass in data order followed by a state reset; evaluated in order at batch 1 it reports
100.00%, then recites the alphabet from "A", and from a cold "K" answers "B".
Ours: the reference's build_stateful_lstm, train_stateful (its own training loop), reset_states
and recite, with XLA (jit_compile) for the steps; the evaluation is the tutorial's (model.evaluate
at batch 1 in order, then a reset).
Naive: the tutorial's loop (one `fit(epochs=1, shuffle=False)` then a reset per epoch), timed at
two epoch counts and extrapolated.
"""

from katakit import env
from reproduce.common import (
    Experiment,
    Naive,
    Outcome,
    Progress,
    alphabet_data,
    compiled_with_xla,
    reference,
    scaled,
    two_point,
)


def settings(quick):
    return {
        "alphabet": "A-Z (26 letters)",
        "seq_length": 1,
        "architecture": "LSTM(50, stateful, batch_shape (1, 1, 1)) -> Dense(26, softmax)",
        "loss": "categorical_crossentropy",
        "optimizer": "adam",
        "epochs": 5 if quick else 300,
        "batch_size": 1,
        "shuffle": False,
        "reset": "after every epoch",
        "seed": env.SEED,
    }


def run(settings, progress: Progress) -> Outcome:
    import keras

    st = reference("stateful_lstm")
    keras.utils.set_random_seed(settings["seed"])
    char_to_int, int_to_char, _, _, X, y = alphabet_data(1)
    n_vocab = len(char_to_int)
    model = compiled_with_xla(
        st.build_stateful_lstm(n_classes=y.shape[1], units=50, batch_size=1, timesteps=1, features=1))
    progress.start(1, "training")
    losses = st.train_stateful(model, X, y, epochs=settings["epochs"])
    progress.advance()
    accuracy = float(model.evaluate(X, y, batch_size=1, verbose=0, return_dict=True)["accuracy"])
    st.reset_states(model)
    recited = st.recite(model, "A", n_vocab - 1, char_to_int, int_to_char, n_vocab)
    cold = st.recite(model, "K", 1, char_to_int, int_to_char, n_vocab)
    expected = list("BCDEFGHIJKLMNOPQRSTUVWXYZ")
    right = sum(a == b for a, b in zip(recited, expected, strict=True))
    return Outcome(
        measured=accuracy,
        note=f"Accuracy over the 25 patterns fed in order at batch 1 (the state carries through, as in the "
        f"tutorial). Recited from A: {''.join(recited)} ({right} of 25 right). From a cold K it answers "
        f"{cold[0]!r} (the tutorial's model answered 'B': with a cold state it takes K for the first letter).",
        curves={"loss": {"training": [float(v) for v in losses]}},
        details={"recited_from_A": "".join(recited), "cold_K": cold[0]},
    )


def naive(settings, progress: Progress, full: bool) -> Naive:
    import keras

    st = reference("stateful_lstm")
    *_, X, y = alphabet_data(1)
    epochs = settings["epochs"]

    def tutorial(n_epochs):  # for each epoch: model.fit(epochs=1, batch_size=1, shuffle=False); reset
        keras.utils.set_random_seed(settings["seed"])
        model = st.build_stateful_lstm(n_classes=y.shape[1], units=50, batch_size=1, timesteps=1, features=1)
        for _ in range(n_epochs):
            model.fit(X, y, epochs=1, batch_size=1, verbose=0, shuffle=False)
            st.reset_states(model)

    return two_point(tutorial, epochs, scaled(epochs, 0.03), scaled(epochs, 0.1), in_full=full)


EXPERIMENTS = [
    Experiment("stateful_lstm", "stateful_lstm", "stateful LSTM, state reset per epoch", 100.00,
               settings, run, naive, cost=20),
]
