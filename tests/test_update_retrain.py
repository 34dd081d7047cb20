"""Specs for kata 6, update_retrain: update a trained MLP with more data by training it further.

Each step's specs build their own inputs (the tutorial's data set read straight from scikit-learn,
a spec-made copy of the tutorial's MLP), so a step can be checked on its own, through the kata's
public functions only.
"""

import functools
import math

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katakit.loader import kata
from tests.kit import (
    TUTORIAL_MLP,
    assert_compiled,
    assert_layers,
    assert_raises,
    keeps_global_generators,
    kernel_initializer,
    learning_rate_of,
    sgd_compiled,
    snapshot,
    spec_mlp,
    tutorial_classification,
    varied,
)

update_retrain = kata("update_retrain")

X_ALL, Y_ALL = tutorial_classification()  # the spec's own reading of the tutorial's data set

# Data for the update steps: 128 old and 128 new rows of the tutorial's data, where feature 0 is
# zeroed in every new row and feature 1 in every old row. A feature that is 0 in every training row
# gets no gradient, so the first layer's weights for feature 0 move only when the old rows are
# trained on, and those for feature 1 only when the new rows are.
X_OLD, Y_OLD = X_ALL[:128].copy(), Y_ALL[:128]
X_NEW, Y_NEW = X_ALL[500:628].copy(), Y_ALL[500:628]
X_OLD[:, 1] = 0.0
X_NEW[:, 0] = 0.0


@functools.cache
def old_weights():
    """The weights of the old model: the spec's MLP trained on the old rows (2 epochs, SGD 0.01)."""
    model = sgd_compiled(spec_mlp(), run_eagerly=True)  # eager: no graph to trace for 8 steps
    model.fit(X_OLD, Y_OLD, epochs=2, batch_size=32, verbose=0)
    return tuple(snapshot(model))


def trained_old_model():
    """A compiled old model holding the trained weights, ready to be updated."""
    model = sgd_compiled(spec_mlp())
    model.set_weights(list(old_weights()))
    return model


# Step "data": prepare old and new data --------------------------------------------------

@pytest.mark.step("data")
def test_make_old_new_gives_two_halves_of_500_rows():
    parts = update_retrain.make_old_new()
    assert len(parts) == 4, f"return (X_old, X_new, y_old, y_new), 4 arrays; got {len(parts)} values"
    X_old, X_new, y_old, y_new = (np.asarray(p) for p in parts)
    shapes = [a.shape for a in (X_old, X_new, y_old, y_new)]
    assert shapes == [(500, 20), (500, 20), (500,), (500,)], (
        "1000 rows of 20 features split in halves: X_old, X_new, y_old, y_new must have shapes "
        f"(500, 20), (500, 20), (500,), (500,); got {', '.join(map(str, shapes))}")
    assert X_old.dtype.kind == "f", f"X holds floats, got dtype {X_old.dtype}"
    labels = set(np.unique(np.concatenate([y_old, y_new])).tolist())
    assert labels == {0, 1}, f"the labels are the two classes 0 and 1, got {sorted(labels)}"


@pytest.mark.step("data")
@settings(max_examples=12)
@given(random_state=st.integers(0, 2**16))
def test_make_old_new_splits_the_tutorial_data_keeping_each_row_with_its_label(random_state):
    X_old, X_new, y_old, y_new = (np.asarray(p) for p in update_retrain.make_old_new(random_state=random_state))
    X, y = tutorial_classification(random_state=random_state)
    X_split, y_split = np.concatenate([X_old, X_new]), np.concatenate([y_old, y_new])
    assert X_split.shape == X.shape, (
        f"together the halves must hold the 1000 rows of make_classification, got {X_split.shape}")
    ours, theirs = np.argsort(X[:, 0]), np.argsort(X_split[:, 0])
    np.testing.assert_allclose(
        X_split[theirs], X[ours], rtol=1e-6,
        err_msg=(f"with random_state={random_state}, the old and new rows together must be exactly the "
                 "rows of make_classification(n_samples=1000, n_features=20, n_informative=15, n_redundant=5, "
                 f"random_state={random_state}), each once"))
    np.testing.assert_array_equal(
        y_split[theirs], y[ours],
        err_msg="every row must keep its own label (split X and y together, with one train_test_split call)")


@pytest.mark.step("data")
@settings(max_examples=8)
@given(random_state=st.integers(0, 2**16))
def test_make_old_new_is_reproducible_with_its_random_state(random_state):
    first = update_retrain.make_old_new(random_state=random_state)
    second = update_retrain.make_old_new(random_state=random_state)
    for name, a, b in zip(("X_old", "X_new", "y_old", "y_new"), first, second, strict=True):
        np.testing.assert_array_equal(
            a, b, err_msg=f"the same random_state={random_state} must give the same {name} on every call")
    other = update_retrain.make_old_new(random_state=random_state + 1)
    assert not np.array_equal(np.asarray(first[0]), np.asarray(other[0])), (
        f"random_state={random_state} and {random_state + 1} gave the same X_old: pass random_state on "
        "to make_classification and train_test_split")


@pytest.mark.step("data")
def test_make_old_new_leaves_the_callers_generators_alone():
    random_state = varied(3, lambda rng: rng.randrange(2**16), "update_retrain.global")
    keeps_global_generators(
        f"make_old_new(random_state={random_state})", update_retrain.make_old_new, random_state=random_state,
        advice="random_state goes to make_classification and train_test_split, which each make a generator of "
               "their own from it: no np.random.seed inside")


@pytest.mark.step("data")
def test_make_old_new_defaults_to_the_tutorials_random_state_1():
    default, explicit = update_retrain.make_old_new(), update_retrain.make_old_new(random_state=1)
    for name, a, b in zip(("X_old", "X_new", "y_old", "y_new"), default, explicit, strict=True):
        np.testing.assert_array_equal(a, b, err_msg=f"make_old_new() must equal make_old_new(random_state=1) "
                                                    f"(the tutorial's seed), but {name} differs")


# Step "define": define the model --------------------------------------------------------

@pytest.mark.step("define")
def test_build_mlp_has_the_tutorial_layers_with_he_normal_weights():
    assert_layers(update_retrain.build_mlp(20), TUTORIAL_MLP,
                  "the model must be Dense(20, relu) -> Dense(10, relu) -> Dense(1, sigmoid), the hidden layers with "
                  "kernel_initializer='he_normal' (the output layer's is free)", kernel_initializer)


# The examples a learner sees; grading draws others (kit.varied).
N_FEATURES = varied([20, 7, 1], lambda rng: rng.sample(range(1, 64), 3), "update_retrain.n_features")
RATES = varied([0.05, 0.001], lambda rng: [rng.choice([0.002, 0.02, 0.03, 0.05, 0.1]), rng.choice([0.0005, 0.001])],
               "update_retrain.rates")
UPDATE_RATE = varied(0.005, lambda rng: rng.choice([0.002, 0.003, 0.004, 0.006, 0.008]), "update_retrain.update_rate")


@pytest.mark.step("define")
def test_build_mlp_takes_n_features_inputs():
    for n_features in N_FEATURES:
        model = update_retrain.build_mlp(n_features)
        assert tuple(model.input_shape) == (None, n_features), (
            f"build_mlp({n_features}) must take {n_features} inputs, i.e. input shape (None, {n_features}); "
            f"got {model.input_shape}")
        parameters = n_features * 20 + 20 + 20 * 10 + 10 + 10 * 1 + 1
        assert model.count_params() == parameters, (
            f"build_mlp({n_features}): {n_features}*20+20 + 20*10+10 + 10*1+1 = {parameters} parameters expected, "
            f"got {model.count_params()}")


@pytest.mark.step("define")
def test_build_mlp_returns_an_uncompiled_model():
    model = update_retrain.build_mlp(20)
    assert getattr(model, "optimizer", None) is None, (
        "build_mlp only defines the model; compile_sgd compiles it")


# Step "compile": compile with SGD -------------------------------------------------------

@pytest.mark.step("compile")
def test_compile_sgd_uses_sgd_with_momentum_binary_crossentropy_and_accuracy():
    model = spec_mlp()
    returned = update_retrain.compile_sgd(model)
    assert returned is model, "compile_sgd must compile the model it is given and return it"
    assert_compiled(model, loss="binary_crossentropy", optimizer=keras.optimizers.SGD, metric="accuracy",
                    X=X_ALL[:20])
    assert learning_rate_of(model) == pytest.approx(0.01), (
        f"the default learning rate is the tutorial's 0.01, got {learning_rate_of(model):.6g}")
    assert model.optimizer.momentum == pytest.approx(0.9), (
        f"SGD must use momentum 0.9, got {model.optimizer.momentum}")


@pytest.mark.step("compile")
def test_compile_sgd_uses_the_learning_rate_it_is_given():
    for rate in RATES:
        model = update_retrain.compile_sgd(spec_mlp(), learning_rate=rate)
        assert learning_rate_of(model) == pytest.approx(rate), (
            f"compile_sgd(model, learning_rate={rate}) must give SGD that learning rate, "
            f"got {learning_rate_of(model):.6g}")
        assert model.optimizer.momentum == pytest.approx(0.9), (
            f"SGD must use momentum 0.9 whatever the learning rate, got {model.optimizer.momentum}")


@pytest.mark.step("compile")
def test_compile_sgd_on_a_trained_model_keeps_its_weights_and_gives_it_a_new_optimizer():
    model = trained_old_model()
    trained, optimizer = snapshot(model), model.optimizer
    returned = update_retrain.compile_sgd(model, learning_rate=0.001)
    assert returned is model, "compile_sgd must compile the model it is given and return it"
    change = max_change(trained, model.get_weights())
    assert change == 0.0, (
        f"compiling a trained model again must keep its weights, but a weight changed by {change:.3g}: "
        "compile_sgd only calls model.compile(...)")
    assert model.optimizer is not optimizer, (
        "compile_sgd must give the model a new SGD optimizer (its momentum starts from zero), but the model "
        "kept the optimizer it had")


# Step "fit": fit on the old data --------------------------------------------------------

@pytest.mark.step("fit")
def test_fit_model_trains_silently_for_the_given_epochs_in_batches_of_32_by_default(capsys):
    """The loss falls over 3 epochs: `benchmarks/spread_update_retrain.py fit_loss_ratio --seeds 20` measured
    the last epoch's loss over the first one's at min 0.279, mean 0.383, max 0.528 (seeds 0-19)."""
    model = sgd_compiled(spec_mlp())
    before = snapshot(model)
    history = update_retrain.fit_model(model, X_ALL[:500], Y_ALL[:500], epochs=3)
    assert isinstance(history, keras.callbacks.History), (
        f"return what model.fit returns (a History), got {type(history).__name__}")
    losses = history.history["loss"]
    assert len(losses) == 3, f"epochs=3 must train 3 epochs, History has {len(losses)}"
    assert history.params["steps"] == math.ceil(500 / 32), (
        f"the default batch size is the tutorial's 32: {math.ceil(500 / 32)} steps per epoch for "
        f"500 rows, got {history.params['steps']}")
    assert losses[-1] < losses[0], f"the loss must fall while training, got {losses}"
    moved = any(not np.allclose(a, b) for a, b in zip(before, model.get_weights(), strict=True))
    assert moved, "training must change the model's weights"
    capsys.readouterr()
    keras.config.enable_interactive_logging()  # as outside the specs: a progress bar would be printed
    try:
        history = update_retrain.fit_model(model, X_ALL[:500], Y_ALL[:500], epochs=2, batch_size=100)
    finally:
        keras.config.disable_interactive_logging()
    printed = capsys.readouterr().out
    assert (len(history.history["loss"]), history.params["steps"]) == (2, 5), (
        "fit_model(..., epochs=2, batch_size=100) must train 2 epochs of 5 steps, got "
        f"{len(history.history['loss'])} epochs of {history.params['steps']} steps")
    assert not printed, (
        f"fit_model must train silently: pass verbose=0 to fit. It printed {len(printed)} characters, "
        f"beginning with {printed.strip().splitlines()[0][:40]!r}")


# Step "update_new": update on new data only ---------------------------------------------

def max_change(before, after):
    return max(float(np.max(np.abs(a - b))) for a, b in zip(before, after, strict=True))


def check_update_starts_from_the_trained_weights(name, *data):
    """With epochs=0 an update only recompiles: it must keep the trained weights exactly and set the
    optimizer to the update's learning rate (UPDATE_RATE, not the default, to see it is passed on)."""
    model = trained_old_model()
    trained = snapshot(model)
    returned = getattr(update_retrain, name)(model, *data, learning_rate=UPDATE_RATE, epochs=0)
    assert returned is model, (
        f"{name} must update the model it is given and return that same object "
        f"(got a different {type(returned).__name__})")
    assert learning_rate_of(model) == pytest.approx(UPDATE_RATE), (
        f"after {name}(..., learning_rate={UPDATE_RATE}) the optimizer must run at {UPDATE_RATE}, "
        f"got {learning_rate_of(model):.6g}: recompile with SGD at the update's learning rate")
    steps, per_epoch = int(model.optimizer.iterations.numpy()), math.ceil(sum(len(X) for X in data[::2]) / 32)
    assert steps == 0, (
        f"{name}(..., epochs=0) must train no epoch, but its optimizer took {steps} steps "
        f"({steps / per_epoch:g} epochs of {per_epoch} batches): pass `epochs` on to the fit, e.g. "
        "fit_model(model, X, y, epochs=epochs) (or update_on_new(..., epochs=epochs)); without it the fit trains "
        "its own default number of epochs")
    change = max_change(trained, model.get_weights())
    assert change == 0.0, (
        f"the update must start from the trained weights: {name}(..., epochs=0) took no training step, yet a weight "
        f"changed by {change:.3g}. Recompile and fit the model you are given (recompiling keeps the weights); do not "
        "build, clone or re-initialise it")


def check_update_runs_sgd_at_its_smaller_learning_rate(model):
    assert isinstance(model.optimizer, keras.optimizers.SGD), (
        f"the update trains with SGD, got {type(model.optimizer).__name__}")
    assert learning_rate_of(model) == pytest.approx(0.001), (
        "the update's default learning rate is 0.001, ten times smaller than the old training's 0.01, "
        f"so the update does not undo what the model learned; the optimizer runs at {learning_rate_of(model):.6g}")
    assert model.optimizer.momentum == pytest.approx(0.9), (
        f"the update's SGD keeps momentum 0.9, got {model.optimizer.momentum}")


def check_update_steps(model, name, rows):
    """The update's optimizer is new, so it counts the update's steps: 2 epochs in batches of 32."""
    steps, per_epoch = int(model.optimizer.iterations.numpy()), math.ceil(rows / 32)
    assert steps == 2 * per_epoch, (
        f"{name}(..., epochs=2) must train 2 epochs in batches of 32: 2 x {per_epoch} = {2 * per_epoch} steps "
        f"for {rows} rows, but its optimizer took {steps}")


def first_layer_moves(model):
    """How far the update moved the first layer's weights of feature 0 and of feature 1."""
    trained, now = old_weights()[0], model.get_weights()[0]  # the spec's MLP: its first kernel comes first
    return float(np.max(np.abs(now[0] - trained[0]))), float(np.max(np.abs(now[1] - trained[1])))


@pytest.mark.step("update_new")
def test_update_on_new_continues_from_the_trained_weights_and_returns_the_same_model():
    check_update_starts_from_the_trained_weights("update_on_new", X_NEW, Y_NEW)


@functools.cache
def updated_on_new():
    """The old model, updated by update_on_new with its default learning rate (2 epochs)."""
    model = trained_old_model()
    update_retrain.update_on_new(model, X_NEW, Y_NEW, epochs=2)
    return model


@pytest.mark.step("update_new")
def test_update_on_new_runs_sgd_at_the_smaller_learning_rate_with_momentum():
    check_update_runs_sgd_at_its_smaller_learning_rate(updated_on_new())


@pytest.mark.step("update_new")
def test_update_on_new_trains_the_given_epochs_in_batches_of_32():
    check_update_steps(updated_on_new(), "update_on_new", len(X_NEW))


@pytest.mark.step("update_new")
def test_update_on_new_moves_the_weights_using_the_new_data_only():
    """`benchmarks/spread_update_retrain.py update_feature_1_change --seeds 20`: two epochs at the default
    rate moved feature 1's first-layer weights by min 6e-4, mean 1.6e-3, max 3.2e-3 (seeds 0-19), and
    feature 0's by exactly 0 every time (no gradient reaches a feature that is 0 in every row)."""
    model = updated_on_new()
    assert max_change(old_weights(), model.get_weights()) > 1e-4, (
        "update_on_new(..., epochs=2) must train: the weights did not move")
    feature_0, feature_1 = first_layer_moves(model)
    assert feature_0 == 0.0, (
        "update_on_new must train on the new data only. Here feature 0 is 0 in every new row, so its "
        f"first-layer weights cannot move, yet they moved by {feature_0:.3g}: the update saw other rows")
    assert feature_1 > 0.0, (
        "feature 1 is 0 in every old row and varies in the new rows: training on X_new must move its "
        "first-layer weights, and they did not move")


# Step "update_both": update on old and new data -----------------------------------------

def labelled_rows(n, start, width):
    """n distinct rows of `width` numbers, each row's label computed from the row itself."""
    X = (np.arange(start, start + n)[:, None] * 10 + np.arange(width)[None, :]).astype(float)
    return X, (np.arange(start, start + n) % 3 == 0).astype(int)


def check_combined(n_old, n_new, width):
    """combine on n_old and n_new labelled rows of `width` numbers: old rows first, each label with its row."""
    X_old, y_old = labelled_rows(n_old, 0, width)
    X_new, y_new = labelled_rows(n_new, 1000, width)
    X_both, y_both = (np.asarray(a) for a in update_retrain.combine(X_old, y_old, X_new, y_new))
    n = n_old + n_new
    assert X_both.shape == (n, width), f"X_both must stack the rows: shape ({n}, {width}), got {X_both.shape}"
    stacked = " (np.vstack stacks two label arrays as two rows)" if y_both.shape == (2, n_old) else ""
    assert y_both.shape == (n,), (
        f"y_both must be one label per row, shape ({n},), got {y_both.shape}{stacked}. Labels are 1-D: join them "
        "with np.concatenate([y_old, y_new])")
    np.testing.assert_array_equal(X_both[:n_old], X_old, err_msg="the old rows come first, in their order")
    np.testing.assert_array_equal(X_both[n_old:], X_new, err_msg="the new rows follow the old ones")
    np.testing.assert_array_equal(y_both, (X_both[:, 0] // 10 % 3 == 0).astype(int),
                                  err_msg="every label must stay with its row (old labels, then new)")


@pytest.mark.step("update_both")
def test_combine_joins_old_and_new_labels_into_one_label_per_row():
    """As many old rows as new ones: the example where labels joined like rows (np.vstack) still come back."""
    n, width = varied((4, 3), lambda rng: (rng.randint(2, 9), rng.randint(1, 5)), "update_retrain.combine")
    check_combined(n, n, width)


@pytest.mark.step("update_both")
@settings(max_examples=25, report_multiple_bugs=False)
@given(n_old=st.integers(1, 40), n_new=st.integers(1, 40), width=st.integers(1, 5))
def test_combine_puts_old_rows_first_and_keeps_each_label_with_its_row(n_old, n_new, width):
    check_combined(n_old, n_new, width)


@pytest.mark.step("update_both")
@pytest.mark.parametrize("which", ["old", "new"])
def test_combine_rejects_rows_without_their_labels(which):
    """One X has a row more than its labels; both label arrays have 6 labels, so that nothing but a check of
    the lengths (np.vstack or np.concatenate would not complain) can raise."""
    X_old, y_old = labelled_rows(7 if which == "old" else 6, 0, 3)
    X_new, y_new = labelled_rows(7 if which == "new" else 6, 100, 3)
    y_old, y_new = y_old[:6], y_new[:6]
    assert_raises(ValueError, update_retrain.combine, X_old, y_old, X_new, y_new,
                  call=f"combine with {len(X_old)} old rows and {len(y_old)} old labels, {len(X_new)} new rows and "
                       f"{len(y_new)} new labels")


@pytest.mark.step("update_both")
def test_update_on_both_continues_from_the_trained_weights_and_returns_the_same_model():
    check_update_starts_from_the_trained_weights("update_on_both", X_OLD, Y_OLD, X_NEW, Y_NEW)


@functools.cache
def updated_on_both():
    """The old model, updated by update_on_both with its default learning rate (2 epochs)."""
    model = trained_old_model()
    update_retrain.update_on_both(model, X_OLD, Y_OLD, X_NEW, Y_NEW, epochs=2)
    return model


@pytest.mark.step("update_both")
def test_update_on_both_runs_sgd_at_the_smaller_learning_rate_with_momentum():
    check_update_runs_sgd_at_its_smaller_learning_rate(updated_on_both())


@pytest.mark.step("update_both")
def test_update_on_both_trains_the_given_epochs_in_batches_of_32():
    check_update_steps(updated_on_both(), "update_on_both", len(X_OLD) + len(X_NEW))


@pytest.mark.step("update_both")
def test_update_on_both_trains_on_the_old_and_the_new_rows():
    feature_0, feature_1 = first_layer_moves(updated_on_both())
    assert feature_0 > 0.0, (
        "feature 0 varies only in the old rows (it is 0 in every new row), so training on old + new "
        "rows must move its first-layer weights; they did not move: did the update skip the old rows?")
    assert feature_1 > 0.0, (
        "feature 1 varies only in the new rows (it is 0 in every old row), so training on old + new "
        "rows must move its first-layer weights; they did not move: did the update skip the new rows?")
