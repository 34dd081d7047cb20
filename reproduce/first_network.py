"""Tutorial 1, your first neural network: the Pima Indians diabetes MLP, 150 epochs at batch 10.

The tutorial trains 8-12-8-1 (relu, relu, sigmoid) with Adam and binary cross-entropy for 150 epochs
in batches of 10, then reports the accuracy on the data it trained on (78.26% in its run).
Ours: the reference's own steps (load_dataset, build_model, compile_model, fit_model, evaluate_model)
in the order of its run(), with one TensorFlow call per epoch (steps_per_execution) as the only change.
Naive: the reference's run(), a plain `fit`, timed at two epoch counts and extrapolated.
"""

import contextlib
import io

from katakit import env, paths
from reproduce.common import Experiment, Naive, Outcome, Progress, one_execution_per_epoch, reference, scaled, two_point


def settings(quick):
    return {
        "data": "data/pima-indians-diabetes.csv (768 rows)",
        "architecture": "Dense(12, relu) -> Dense(8, relu) -> Dense(1, sigmoid), 221 parameters",
        "loss": "binary_crossentropy",
        "optimizer": "adam",
        "epochs": 2 if quick else 150,
        "batch_size": 10,
        "seed": env.SEED,
        "evaluated_on": "the training data (as the tutorial does)",
    }


def run(settings, progress: Progress) -> Outcome:
    import keras

    fn = reference("first_network")
    progress.start(1, "fit")
    keras.utils.set_random_seed(settings["seed"])
    X, y = fn.load_dataset(paths.PIMA_CSV)
    model = fn.compile_model(fn.build_model())
    one_execution_per_epoch(model, len(X), settings["batch_size"])
    history = fn.fit_model(model, X, y, epochs=settings["epochs"], batch_size=settings["batch_size"])
    accuracy = fn.evaluate_model(model, X, y)
    predicted = fn.predict_classes(model, X[:5])
    progress.advance()
    return Outcome(
        measured=accuracy,
        note=f"Training accuracy, as the tutorial measures it; {fn.format_score(accuracy)}. "
        f"The tutorial seeds nothing in TensorFlow, so its figure is one draw among many; ours is seed {env.SEED}.",
        curves={"loss": {"training": history.history["loss"]},
                "accuracy": {"training": history.history["accuracy"]}},
        details={"first_5_predictions": [int(p) for p in predicted],
                 "first_5_expected": [int(v) for v in y[:5]]},
    )


def naive(settings, progress: Progress, full: bool) -> Naive:
    fn = reference("first_network")
    epochs = settings["epochs"]

    def tutorial(n_epochs):  # the reference's run(): a plain fit, 150 epochs at batch 10
        with contextlib.redirect_stdout(io.StringIO()):
            fn.run(paths.PIMA_CSV, seed=settings["seed"], epochs=n_epochs, batch_size=settings["batch_size"])

    return two_point(tutorial, epochs, scaled(epochs, 0.05), scaled(epochs, 0.15), in_full=full)


EXPERIMENTS = [
    Experiment("first_network", "first_network", "Pima Indians diabetes MLP", 78.26,
               settings, run, naive, cost=15),
]
