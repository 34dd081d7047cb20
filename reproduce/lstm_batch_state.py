"""Tutorial 2, "LSTM state within a batch": all 25 one-letter patterns in one batch, 5000 epochs, no shuffling.

The tutorial trains LSTM(16) + softmax on the one-letter alphabet patterns with the whole data set
as one batch (batch_size=25, shuffle=False) for 5000 epochs, reports 100.00% on the training
patterns and predicts 20 randomly drawn patterns correctly.
Ours: the reference's build_lstm and predict_random_patterns; the 5000 full-batch updates as 5000
`train_on_batch` calls on the whole data in order: one batch per epoch and no shuffling is exactly
what such an epoch is, without `fit`'s per-epoch set-up; and XLA (jit_compile) for the step.
Naive: the reference's fit_whole_batch (the tutorial's fit), timed at two epoch counts and extrapolated.
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
        "architecture": "LSTM(16) -> Dense(26, softmax)",
        "loss": "categorical_crossentropy",
        "optimizer": "adam",
        "epochs": 20 if quick else 5000,
        "batch_size": "25 (the whole data set)",
        "shuffle": False,
        "random_patterns": 20,
        "seed": env.SEED,
    }


def run(settings, progress: Progress) -> Outcome:
    import keras

    bs = reference("lstm_batch_state")
    keras.utils.set_random_seed(settings["seed"])
    _, int_to_char, data_x, _, X, y = alphabet_data(1)
    model = compiled_with_xla(bs.build_lstm(X.shape[1], X.shape[2], y.shape[1], units=16))
    progress.start(settings["epochs"], "epoch")
    losses, accuracies = [], []
    for _ in range(settings["epochs"]):  # one epoch = one update on the whole batch, in order
        logs = model.train_on_batch(X, y, return_dict=True)
        losses.append(float(logs["loss"]))
        accuracies.append(float(logs["accuracy"]))
        progress.advance()
    accuracy = float(model.evaluate(X, y, batch_size=len(X), verbose=0, return_dict=True)["accuracy"])
    patterns = bs.predict_random_patterns(model, data_x, int_to_char, len(int_to_char),
                                          n=settings["random_patterns"], seed=settings["seed"])
    right = sum(predicted == chr(ord(letters[-1]) + 1) for letters, predicted in patterns)
    return Outcome(
        measured=accuracy,
        note=f"Accuracy on the 25 training patterns after {settings['epochs']} full-batch epochs; "
        f"{right} of {len(patterns)} random patterns predicted right. The tutorial credits the batch with "
        "giving the LSTM context; in Keras every sample of a batch has its own state, so each prediction "
        "here rests on one letter alone.",
        curves={"loss": {"training": losses}, "accuracy": {"training": accuracies}},
        details={"random_patterns": [f"{letters} -> {predicted}" for letters, predicted in patterns]},
    )


def naive(settings, progress: Progress, full: bool) -> Naive:
    import keras

    bs = reference("lstm_batch_state")
    *_, X, y = alphabet_data(1)
    epochs = settings["epochs"]

    def tutorial(n_epochs):  # model.fit(X, y, epochs=5000, batch_size=len(X), shuffle=False)
        keras.utils.set_random_seed(settings["seed"])
        model = bs.build_lstm(X.shape[1], X.shape[2], y.shape[1], units=16)
        bs.fit_whole_batch(model, X, y, epochs=n_epochs)

    return two_point(tutorial, epochs, scaled(epochs, 0.02), scaled(epochs, 0.06), in_full=full)


EXPERIMENTS = [
    Experiment("lstm_batch_state", "lstm_batch_state", "alphabet LSTM, all patterns in one batch",
               100.00, settings, run, naive, cost=20),
]
