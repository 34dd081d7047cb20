"""Specs for kata 7, update_ensemble: update a trained MLP with more data by ensembling it with a new one.

Each step's specs build their own inputs (spec-made models, data made so that what a model was fit
on shows in what it predicts), so a step can be checked on its own, through the kata's public
functions only.
"""

import functools
import math
import re

import keras
import numpy as np
import pytest

from katakit.loader import kata
from tests.kit import (
    TUTORIAL_MLP,
    accuracy,
    assert_compiled,
    assert_layers,
    assert_raises,
    kernel_initializer,
    learning_rate_of,
    leaves_its_arrays,
    probabilities,
    sgd_compiled,
    side_by_side,
    snapshot,
    spec_mlp,
    tutorial_classification,
    two_regions,
    varied,
)

update_ensemble = kata("update_ensemble")

STRATEGIES = {"keep_old", "update_on_new", "update_on_both",
              "new_model_on_new", "ensemble_new_only", "ensemble_old_and_new"}

X_OLD, Y_OLD, X_NEW, Y_NEW = two_regions()
EPOCHS = 10  # the specs' training length; the tutorial's 150 would take minutes here


@functools.cache
def old_model_and_weights(builder):
    """The old model the spec hands to `builder`, and its weights (whatever they are: an ensemble builder
    must not touch them). Each builder gets its own, so that one step's mistake cannot fail another's."""
    model = sgd_compiled(spec_mlp())  # compiled like the tutorial's old model
    return model, tuple(snapshot(model))


def check_old_model_kept(members, builder):
    old_model, old_weights = old_model_and_weights(builder)
    assert isinstance(members, list), (
        f"{builder} must return a list [old_model, new_model], as its docstring says, got a {type(members).__name__}"
        + (": write the brackets, return [old_model, new_model]" if isinstance(members, tuple) else ""))
    assert len(members) == 2, (
        f"{builder} must return [old_model, new_model], 2 models; got {len(members)}")
    assert members[0] is old_model, (
        "the first member must be the old model itself, the object passed in, unchanged")
    for i, (before, after) in enumerate(zip(old_weights, old_model.get_weights(), strict=True)):
        np.testing.assert_array_equal(
            after, before,
            err_msg=f"{builder} must leave the old model unchanged, but its weight array {i} changed")
    assert members[1] is not old_model, "the second member must be a new model, not the old one again"
    assert isinstance(members[1], keras.Model), (
        f"the second member must be a keras.Model, got {type(members[1]).__name__}")


def check_new_model_like_the_old(new_model):
    assert_layers(new_model, TUTORIAL_MLP, "the new model must have the old model's architecture (the output "
                  "layer's kernel initializer is free)", kernel_initializer)
    assert new_model.count_params() == 641, (
        f"the new model must have the old model's 641 parameters, got {new_model.count_params()}")
    assert_compiled(new_model, loss="binary_crossentropy", optimizer=keras.optimizers.SGD, X=X_NEW[:20])
    assert learning_rate_of(new_model) == pytest.approx(0.01), (
        f"the new model trains like the old one, at learning rate 0.01, got {learning_rate_of(new_model):.6g}")
    assert new_model.optimizer.momentum == pytest.approx(0.9), (
        f"SGD with momentum 0.9, got {new_model.optimizer.momentum}")


def check_trained_steps(new_model, builder, rows):
    """The new model's optimizer counts one step per batch: `epochs` epochs in batches of 32."""
    steps, per_epoch = int(new_model.optimizer.iterations.numpy()), math.ceil(rows / 32)
    assert steps == EPOCHS * per_epoch, (
        f"{builder}(..., epochs={EPOCHS}) must train the new model like the old one, {EPOCHS} epochs in batches of "
        f"32: {EPOCHS} x {per_epoch} = {EPOCHS * per_epoch} steps for {rows} rows, but its optimizer took {steps}")


def trained_old_model():
    """An old model whose weights no new model starts from: its biases are not 0, as after training."""
    model = sgd_compiled(spec_mlp())
    model.set_weights([w + 0.1 for w in model.get_weights()])
    return model


def check_new_model_starts_fresh(builder, *data):
    """builder(old_model, *data, epochs=0): with no training, the new model must still hold weights of its own."""
    old_model = trained_old_model()
    new_model = getattr(update_ensemble, builder)(old_model, *(a.copy() for a in data), epochs=0)[1]
    copied = [i for i, (old, new) in enumerate(zip(old_model.get_weights(), new_model.get_weights(), strict=False))
              if np.array_equal(old, new)]
    assert not copied, (
        f"{builder}(old_model, ..., epochs=0) must return a new model that starts from fresh random weights, as the "
        f"tutorial's new model does, but untrained it holds the old model's trained weights (arrays {copied}). Build "
        "it anew with _build_mlp (keras.models.clone_model(old_model) gives fresh weights too), and do not copy the "
        "old model's weights into it with set_weights")


def check_data_left_alone(builder, *data):
    """builder(old_model, *data, epochs=0) must leave the caller's arrays as they were."""
    leaves_its_arrays(
        f"{builder}(old_model, ..., epochs=0)", getattr(update_ensemble, builder), trained_old_model(),
        *(a.copy() for a in data), epochs=0,
        advice="Leave the shuffling to fit (shuffle=True is its default); to reorder rows yourself, index new arrays: "
               "order = rng.permutation(len(y)), then X[order], y[order]")


# Step "new_only": ensemble with a model on new data only ---------------------------------

@functools.cache
def new_only_members():
    old_model, _ = old_model_and_weights("ensemble_new_only")
    return update_ensemble.ensemble_new_only(old_model, X_NEW, Y_NEW, epochs=EPOCHS)


@pytest.mark.step("new_only")
def test_ensemble_new_only_returns_the_old_model_unchanged_and_a_new_model():
    check_old_model_kept(new_only_members(), "ensemble_new_only")


@pytest.mark.step("new_only")
def test_ensemble_new_only_new_model_is_built_and_compiled_like_the_old_one():
    check_new_model_like_the_old(new_only_members()[1])


@pytest.mark.step("new_only")
def test_ensemble_new_only_new_model_starts_from_fresh_weights():
    check_new_model_starts_fresh("ensemble_new_only", X_NEW, Y_NEW)


@pytest.mark.step("new_only")
def test_ensemble_new_only_leaves_the_callers_data_alone():
    check_data_left_alone("ensemble_new_only", X_NEW, Y_NEW)


@pytest.mark.step("new_only")
def test_ensemble_new_only_trains_the_new_model_for_epochs_in_batches_of_32():
    check_trained_steps(new_only_members()[1], "ensemble_new_only", len(X_NEW))


@pytest.mark.step("new_only")
def test_ensemble_new_only_fits_the_new_model_on_the_new_rows_only():
    """The new model must fit the new rows and not have seen the old ones.

    Thresholds from `benchmarks/spread_update_ensemble.py new_only_on_new / new_only_on_old --seeds 20
    --set n=256 --set epochs=10`: over seeds 0-19 the reference's new model classified min 0.992,
    mean 1.000, max 1.000 of the new rows right, and min 0.000, mean 0.142, max 0.543 of the old rows
    it never saw. A model fit on old + new rows classifies all the old rows right (the spread in
    ensemble_old_and_new's spec: min 1.000); an untrained one about half of any rows. The bounds, 0.8
    each, keep a margin of at least 0.19 on every side.
    """
    new_model = new_only_members()[1]
    on_new, on_old = accuracy(new_model, X_NEW, Y_NEW), accuracy(new_model, X_OLD, Y_OLD)
    assert on_new >= 0.8, (
        f"fit the new model on X_new, y_new for `epochs` epochs: it classifies only {on_new:.3f} of the "
        "new rows right, where 10 epochs reach at least 0.99")
    assert on_old <= 0.8, (
        f"the new model must be fit on the new data only, but it classifies {on_old:.3f} of the old rows "
        "right; their rule is the opposite of the new rows', and a model that never saw them gets at most 0.55")


# Step "predict": predict with the ensemble ---------------------------------------------

def drawn(seed):
    """The rows the ensemble predicts for, and the weights (w, b) of its three members."""
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1, (40, 3)).astype("float32"), [(rng.normal(0, 1, 3), rng.normal(0, 0.5)) for _ in range(3)]


# The examples a learner sees; grading draws others (kit.varied).
X_PREDICT, MEMBER_WEIGHTS = varied(
    (np.random.default_rng(3).normal(0, 1, (40, 3)).astype("float32"),
     [([1.0, -0.5, 0.2], 0.1), ([-0.3, 0.8, 0.5], -0.4), ([2.0, 0.0, -1.0], 0.0)]),
    lambda rng: drawn(rng.randrange(2**32)), "update_ensemble.predict")


@functools.cache
def fixed_members():
    """Three spec-made models whose probabilities the spec knows: sigmoid(X @ w + b)."""
    members = []
    for w, b in MEMBER_WEIGHTS:
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
        model.layers[-1].set_weights([np.array(w, "float32").reshape(3, 1), np.array([b], "float32")])
        members.append(model)
    return members


@pytest.mark.step("predict")
@pytest.mark.parametrize("count", [2, 3])
def test_ensemble_predict_averages_the_members_probabilities(count):
    members = fixed_members()[:count]
    got = np.asarray(update_ensemble.ensemble_predict(members, X_PREDICT))
    assert got.shape == (40,), (
        f"one probability per row, shape (40,), got {got.shape} (each model.predict gives (n, 1): flatten it)")
    assert got.dtype.kind == "f", f"probabilities are floats, got dtype {got.dtype}"
    each = np.stack([probabilities(m, X_PREDICT) for m in members])
    np.testing.assert_allclose(got, each.mean(axis=0), atol=1e-6,
                               err_msg=f"the ensemble's probability is the mean of its {count} members'")


@pytest.mark.step("predict")
def test_ensemble_predict_stays_between_the_members():
    members = fixed_members()
    got = np.asarray(update_ensemble.ensemble_predict(members, X_PREDICT)).reshape(-1)
    each = np.stack([probabilities(m, X_PREDICT) for m in members])
    outside = np.flatnonzero((got < each.min(axis=0) - 1e-6) | (got > each.max(axis=0) + 1e-6))
    assert outside.size == 0, (
        f"an average lies between the members' lowest and highest probability, but row {outside[0]} "
        f"gets {got[outside[0]]:.4f} from members {np.round(each[:, outside[0]], 4).tolist()}")


@pytest.mark.step("predict")
def test_ensemble_predict_of_one_model_is_its_own_probabilities():
    member = fixed_members()[2]
    got = np.asarray(update_ensemble.ensemble_predict([member], X_PREDICT))
    np.testing.assert_allclose(got, probabilities(member, X_PREDICT), atol=1e-6,
                               err_msg="an ensemble of one model predicts what that model predicts")


@pytest.mark.step("predict")
def test_ensemble_predict_rejects_an_empty_ensemble():
    assert_raises(ValueError, update_ensemble.ensemble_predict, [], X_PREDICT, call="ensemble_predict([], X)")


# Step "old_and_new": ensemble with a model on old and new data --------------------------

@functools.cache
def old_and_new_members():
    old_model, _ = old_model_and_weights("ensemble_old_and_new")
    try:
        return update_ensemble.ensemble_old_and_new(old_model, X_OLD, Y_OLD, X_NEW, Y_NEW, epochs=EPOCHS)
    except ValueError as error:
        sizes = dict(re.findall(r"'(x|y)' sizes: (\d+)", str(error)))
        if "Data cardinality is ambiguous" not in str(error) or "y" not in sizes:
            raise
        rows, n_old = len(X_OLD) + len(X_NEW), len(Y_OLD)
        how = (f"np.vstack([y_old, y_new]) makes two rows of labels, shape (2, {n_old}). "
               if sizes["y"] == "2" else "")
        pytest.fail(
            f"the new model must be fit on one label per row: the old and new rows are {rows}, but fit got "
            f"{sizes['y']} labels. {how}Labels are 1-D: join them with np.concatenate([y_old, y_new]), shape "
            f"({rows},)\n  ({type(error).__name__}: {' '.join(str(error).split())})", pytrace=False)


@pytest.mark.step("old_and_new")
def test_ensemble_old_and_new_returns_the_old_model_unchanged_and_a_new_model():
    check_old_model_kept(old_and_new_members(), "ensemble_old_and_new")


@pytest.mark.step("old_and_new")
def test_ensemble_old_and_new_new_model_is_built_and_compiled_like_the_old_one():
    check_new_model_like_the_old(old_and_new_members()[1])


@pytest.mark.step("old_and_new")
def test_ensemble_old_and_new_new_model_starts_from_fresh_weights():
    check_new_model_starts_fresh("ensemble_old_and_new", X_OLD, Y_OLD, X_NEW, Y_NEW)


@pytest.mark.step("old_and_new")
def test_ensemble_old_and_new_leaves_the_callers_data_alone():
    check_data_left_alone("ensemble_old_and_new", X_OLD, Y_OLD, X_NEW, Y_NEW)


@pytest.mark.step("old_and_new")
def test_ensemble_old_and_new_trains_the_new_model_for_epochs_in_batches_of_32():
    check_trained_steps(old_and_new_members()[1], "ensemble_old_and_new", len(X_OLD) + len(X_NEW))


@pytest.mark.step("old_and_new")
def test_ensemble_old_and_new_fits_the_new_model_on_old_and_new_rows():
    """The new model must fit both the old rows and the new rows.

    Threshold from `benchmarks/spread_update_ensemble.py old_and_new_worst --seeds 20 --set n=256
    --set epochs=10`: over seeds 0-19 the lower of the reference's new model's accuracies on the old
    and on the new rows was min 1.000 (every seed fit both halves completely). A model fit on the new
    rows alone gets at most 0.543 of the old rows right (the spread in ensemble_new_only's spec), so 0.9
    separates the two.
    """
    new_model = old_and_new_members()[1]
    on_old, on_new = accuracy(new_model, X_OLD, Y_OLD), accuracy(new_model, X_NEW, Y_NEW)
    assert min(on_old, on_new) >= 0.9, (
        f"fit the new model on the old and the new rows together: it classifies {on_old:.3f} of the old "
        f"rows and {on_new:.3f} of the new rows right, where 10 epochs on both reach 1.000 on each")


# Step "compare": compare the strategies -------------------------------------------------

# compare_strategies on data whose answer the spec knows without training anything itself. Every
# training input is 0: a ReLU layer passes 0 on and learns nothing from it, so only the output layer's
# bias trains, and a model's probability for an all-zero row is sigmoid(that bias), above 0.5 exactly
# when the bias is above 0. From 0, the old rows (28 of 32 labelled 1) raise the old model's bias to
# about +0.021 in 3 epochs at 0.01; the new rows (all labelled 0) lower it. The updates (learning rate
# 0.001, 2 epochs) lower it by about 0.014 on the new rows and 0.013 on old + new rows: each ends above 0
# when it starts from the old model, but one update that continues the other ends below 0 (about -0.007).
# The new models train 3 epochs at 0.01 from 0 and end far below 0 (-0.27 and -0.22); averaged with the
# old model, each ensemble too is below 0.5 for an all-zero row.
COMPARE_EPOCHS = 3
OLD_ONES = 28
ABOVE = {"keep_old": True, "update_on_new": True, "update_on_both": True,
         "new_model_on_new": False, "ensemble_new_only": False, "ensemble_old_and_new": False}
"""Whether each strategy's probability for an all-zero row is above 0.5, on the spec's data."""


def side(above):
    return "above 0.5" if above else "below 0.5"


def compare_data():
    """(X_old, y_old, X_new, y_new, X_test, y_test): the all-zero training rows of the note above, and a test
    set of 100 all-zero rows labelled 1 and 50 rows of the tutorial's data given twice, labelled 1 once and
    0 once. Whatever a model predicts for one of those 50, it is right on exactly one of its two copies; so
    every accuracy is 0.75 when the model puts the all-zero rows above 0.5, and 0.25 when below."""
    X, y = tutorial_classification()
    X_old, y_old = np.zeros((32, 20), "float32"), (np.arange(32) < OLD_ONES).astype(int)
    X_new, y_new = np.zeros((128, 20), "float32"), np.zeros(128, int)
    X_test = np.concatenate([np.zeros((100, 20)), X[900:950], X[900:950]]).astype("float32")
    y_test = np.concatenate([np.ones(100, int), y[900:950], 1 - y[900:950]])
    return X_old, y_old, X_new, y_new, X_test, y_test


@functools.cache
def comparison():
    return update_ensemble.compare_strategies(*compare_data(), epochs=COMPARE_EPOCHS)


@pytest.mark.step("compare")
def test_compare_strategies_reports_every_strategy_as_an_accuracy():
    scores = comparison()
    assert isinstance(scores, dict), f"return a dict {{strategy: accuracy}}, got {type(scores).__name__}"
    assert set(scores) == STRATEGIES, (
        f"expected exactly the keys {sorted(STRATEGIES)}; missing {sorted(STRATEGIES - set(scores))}, "
        f"unexpected {sorted(set(scores) - STRATEGIES)}")
    for name, value in scores.items():
        assert isinstance(value, (float, np.floating)), (
            f"{name}'s accuracy must be a float, got {type(value).__name__} {value!r}")
        assert 0.0 <= value <= 1.0, f"{name}'s accuracy must be a fraction in [0, 1], got {value}"


@pytest.mark.step("compare")
def test_compare_strategies_scores_every_strategy_on_the_held_out_rows():
    scores = comparison()
    wrong = {name: value for name, value in scores.items() if not any(np.isclose(value, [0.25, 0.75]))}
    assert not wrong, (
        "every strategy must be scored on X_test, y_test (rows it was not fit on). The spec's test set holds "
        "100 all-zero rows labelled 1, and 50 rows twice, labelled 1 once and 0 once: a model is right on "
        "exactly one copy of each of those 50, so its accuracy on the test set can only be 0.75 or 0.25; got "
        + ", ".join(f"{name} {value:.4f}" for name, value in wrong.items()))


@pytest.mark.step("compare")
def test_compare_strategies_starts_every_strategy_from_the_one_old_model():
    """Every strategy on the side of 0.5 that the note above works out. Only the order of the old + new rows
    in their batches varies with the seed: `benchmarks/spread_update_ensemble.py compare_sides --seeds 20`
    found the reference's six strategies on their side for every seed (min 6, mean 6, max 6), and
    `zero_input_margin --seeds 200` (the same SGD on the one bias, in numpy) puts every strategy of the
    reference at least 0.0065 of bias on its side of 0, and every mistake that the message names at least
    0.0043 on the other side (the experiment's smallest distance per seed: min 0.0043, mean 0.0048)."""
    got = {name: value > 0.5 for name, value in comparison().items()}
    if got == ABOVE:
        return
    table = side_by_side([f"{name} {side(above)}" for name, above in ABOVE.items()],
                         [f"{name} {side(got[name])}" for name in ABOVE], "all-zero rows, expected")
    causes = []
    copy = ("copy = keras.models.clone_model(old_model), then copy.set_weights(old_model.get_weights()), then "
            "compile the copy at learning rate 0.001")
    low = [name for name in ("update_on_new", "update_on_both") if not got[name]]
    if not got["keep_old"]:
        causes.append(f"keep_old must be the old model just as it was fit on X_old, y_old, but its bias ended below "
                      f"0: an update trained it further (each update must work on its own copy: {copy}), or it "
                      "was not fit on the old data")
    elif len(low) == 1:
        other = "update_on_both" if low[0] == "update_on_new" else "update_on_new"
        causes.append(f"{low[0]} ended too low, as if it had continued from the model {other} trained: the old "
                      f"model was updated in place. Each update must work on its own copy: {copy}")
    elif low:
        causes.append("both updates ended too low. Each must start from the old model's weights (clone_model "
                      "gives new random weights: copy them with set_weights), train at learning rate 0.001, and "
                      "for two thirds of `epochs`; the old model trains for `epochs` epochs at 0.01")
    if any(got[name] for name in ("new_model_on_new", "ensemble_new_only", "ensemble_old_and_new")):
        causes.append("new_model_on_new must be a new model fit on the new data alone (all labelled 0 here), and "
                      "the ensembles must average the old model as it was fit with their new model")
    pytest.fail(
        "every strategy must start from the one old model fit on the old data. In the spec's data every input "
        "is 0, so only the output bias learns: the old rows (28 of 32 labelled 1) raise it, the new rows (all 0) "
        "lower it, and each model's probability for an all-zero row shows where its bias ended:\n"
        + table + "\n" + "\n".join(f"- {cause}" for cause in causes)
        + "\ncompare_strategies uses steps 1-3 too; see \"Known pitfalls\" in the README", pytrace=False)
