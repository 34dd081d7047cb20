"""Specs for kata 8, sklearn_cross_validation: the Pima network as a scikit-learn classifier, k-fold.

The specs read the Pima data with numpy and train with tiny settings (1 or 2 epochs of a few
batches on a subset of rows): they check which settings reach the model and which folds are
scored, not how accurate the network gets. None of them asserts an accuracy threshold.

Keras runs eagerly in this file: see run_eagerly in tests/pima_model_specs.py.
"""

import json
import math
import os
import subprocess
import sys

import keras
import numpy as np
import pytest
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import StratifiedKFold, cross_val_score

from katakit import idioms, loader
from katakit.loader import kata
from katakit.paths import PIMA_CSV, ROOT
from tests.kit import keeps_global_generators, printed
from tests.pima_model_specs import (
    X_ALL,
    Y_ALL,
    PimaModelSpecs,
    dense_layers,
    expected_initializer,
    initializer_of,
    run_eagerly,  # noqa: F401  an autouse fixture: this file's specs run Keras eagerly
    trained_epochs_and_steps,
)

cv_kata = kata("sklearn_cross_validation")

X_SMALL, Y_SMALL = X_ALL[:240], Y_ALL[:240]  # 240 rows, 93 of them class 1
# For the folds: the same rows, each input standardised. A briefly trained network that answers one
# class for every row scores all stratified folds alike (each holds the same share of each class),
# whichever rows they hold. On the raw inputs that happened: with Keras seed 0, the folds of
# StratifiedKFold without shuffle and with another seed scored exactly like the right ones. On
# standardised inputs the answers vary with the rows (see the spread in the last spec's docstring).
X_STD = ((X_ALL - X_ALL.mean(axis=0)) / X_ALL.std(axis=0))[:240]

pytestmark = pytest.mark.filterwarnings("ignore:Even though the `tf.config.experimental_run_functions_eagerly`")


# Step "model": define the model (its specs, shared with kata 9, are in pima_model_specs.py) ------

class TestCreateModel(PimaModelSpecs):
    kata = cv_kata


# Step "wrap": wrap the model for scikit-learn -------------------------------------------

def keras_2_names(params) -> str:
    """What the idioms table says of the classifier's parameters that are Keras 1/2 keyword arguments, or ''.

    scikeras keeps any keyword argument it is given as a parameter, so `nb_epoch=` raises nothing: it is
    simply never used, and epochs stays at scikeras' default of 1.
    """
    said = [f"`{idiom.spelled}` is the Keras 1/2 way: use {idiom.new}"
            for idiom in idioms.IDIOMS if idiom.kind == "keyword" and idiom.old in params]
    return "".join(f"; {sentence}" for sentence in said)


def keras_wrapper(classifier) -> str:
    """A note for Keras 3's own keras.wrappers.SKLearnClassifier, or ''."""
    if not type(classifier).__module__.startswith("keras"):
        return ""
    return (f"; {type(classifier).__name__} is Keras 3's own wrapper: it keeps epochs and batch_size in "
            "fit_kwargs, which clone() drops, so cross_val_score's clones would train 1 epoch in batches of 32. "
            "Use scikeras: from scikeras.wrappers import KerasClassifier (README, \"What changed\")")


@pytest.mark.step("wrap")
def test_make_classifier_is_a_scikit_learn_estimator_with_the_tutorial_settings():
    """A scikit-learn estimator: get_params, set_params, fit, predict, score.

    (scikit-learn 1.9's is_classifier() answers False for scikeras 0.13's KerasClassifier, see
    README, so the spec checks the estimator's methods instead.)
    """
    classifier = cv_kata.make_classifier()
    missing = [name for name in ("get_params", "set_params", "fit", "predict", "score")
               if not callable(getattr(classifier, name, None))]
    assert isinstance(classifier, BaseEstimator), (
        f"make_classifier must return a scikit-learn estimator (a scikeras KerasClassifier), "
        f"got {type(classifier).__name__}")
    assert not missing, f"a scikit-learn classifier needs {missing}; {type(classifier).__name__} lacks them"
    params = classifier.get_params()
    got = {key: params.get(key) for key in ("epochs", "batch_size")}
    assert got == {"epochs": 150, "batch_size": 10}, (
        "by default the classifier trains the tutorial's 150 epochs in batches of 10; "
        f"get_params() gives {got}{keras_2_names(params)}{keras_wrapper(classifier)}")


@pytest.mark.step("wrap")
def test_make_classifier_trains_the_epochs_and_batch_size_it_is_given():
    """make_classifier(epochs, batch_size) hands both to the classifier, and its fit trains that much.

    Checked on get_params() first, so that a classifier with the tutorial's 150 epochs written in is told
    so before it trains; then a fit of 200 rows must train 2 epochs of 4 batches.
    """
    classifier = cv_kata.make_classifier(epochs=2, batch_size=50)
    params = classifier.get_params()
    got = {key: params.get(key) for key in ("epochs", "batch_size")}
    assert got == {"epochs": 2, "batch_size": 50}, (
        f"make_classifier(epochs=2, batch_size=50) must give the classifier epochs=2 and batch_size=50, "
        f"get_params() gives {got}: pass the arguments on, KerasClassifier(..., epochs=epochs, "
        f"batch_size=batch_size){keras_2_names(params)}")
    classifier.fit(X_SMALL[:200], Y_SMALL[:200])
    trained = trained_epochs_and_steps(classifier)
    assert trained == (2, math.ceil(200 / 50)), (
        f"make_classifier(epochs=2, batch_size=50) fitted on 200 rows must train 2 epochs of "
        f"{math.ceil(200 / 50)} batches; it trained (epochs, steps per epoch) = {trained}")


@pytest.mark.step("wrap")
def test_clone_and_set_params_keep_the_training_settings():
    """cross_val_score and GridSearchCV train clones, after set_params: both must keep epochs and batch_size.

    (Keras' own keras.wrappers.SKLearnClassifier loses its fit_kwargs on clone: its clones train
    with Keras' defaults, 1 epoch in batches of 32.)
    """
    classifier = cv_kata.make_classifier(epochs=5, batch_size=10)
    returned = classifier.set_params(epochs=2, batch_size=50)
    assert returned is classifier, "set_params must return the classifier itself (scikit-learn's contract)"
    params = {key: classifier.get_params().get(key) for key in ("epochs", "batch_size")}
    assert params == {"epochs": 2, "batch_size": 50}, (
        f"after set_params(epochs=2, batch_size=50), get_params() must give them back; got {params}")
    copy = clone(classifier)
    params = {key: copy.get_params().get(key) for key in ("epochs", "batch_size")}
    assert params == {"epochs": 2, "batch_size": 50}, (
        f"clone() must keep epochs=2 and batch_size=50; the clone has {params}")
    copy.fit(X_SMALL[:200], Y_SMALL[:200])
    got = trained_epochs_and_steps(copy)
    assert got == (2, math.ceil(200 / 50)), (
        f"the fitted clone must train 2 epochs of {math.ceil(200 / 50)} batches of 50 rows; "
        f"it trained (epochs, steps per epoch) = {got}")
    predicted = np.asarray(copy.predict(X_SMALL[:10]))
    assert predicted.shape == (10,), f"predict must give one class per row, shape (10,), got {predicted!r}"
    assert set(predicted.tolist()) <= {0, 1}, f"predict must give the labels 0 and 1, got {predicted!r}"


@pytest.mark.step("wrap")
def test_model_parameters_reach_create_model():
    """GridSearchCV sets model__optimizer and model__init: they must change the model that is trained.

    scikeras hands `model__<name>` to create_model's argument <name>. (Its top-level `optimizer=`
    is scikeras' own setting, used only when the build function leaves the model uncompiled:
    create_model compiles, so a top-level optimizer never reaches the model.)
    """
    classifier = cv_kata.make_classifier(epochs=1, batch_size=64)
    wrapped = classifier.get_params().get("model")
    assert not isinstance(wrapped, keras.Model), (
        "make_classifier must wrap the function create_model itself, KerasClassifier(model=create_model, ...), "
        "not a model it built (model=create_model()): scikeras calls the function for every fit, with the "
        "model__optimizer and model__init it has been given")
    classifier.set_params(model__optimizer="adam", model__init="uniform")
    classifier.fit(X_SMALL, Y_SMALL)
    model = classifier.model_
    assert isinstance(model.optimizer, keras.optimizers.Adam), (
        "after set_params(model__optimizer='adam') the fitted model_ must train with Adam, "
        f"got {type(model.optimizer).__name__}; wrap the function itself: KerasClassifier(model=create_model, ...)")
    got = [initializer_of(layer) for layer in dense_layers(model)]
    assert got == [expected_initializer("uniform")] * 3, (
        f"after set_params(model__init='uniform') every Dense kernel initializer must be "
        f"{expected_initializer('uniform')}, got {got}")


@pytest.mark.step("wrap")
def test_the_classifier_trains_silently(capfd):
    classifier = cv_kata.make_classifier(epochs=1, batch_size=64)
    keras.config.enable_interactive_logging()  # what a learner's script has: progress bars on stdout
    try:
        classifier.fit(X_SMALL, Y_SMALL)
    finally:
        keras.config.disable_interactive_logging()
    out = capfd.readouterr().out
    assert out == "", (
        "the classifier must train silently (verbose=0), it printed:\n" + printed(out))


PROBE = """
import importlib, json, sys, warnings
warnings.simplefilter("ignore")
import numpy as np
import keras
import tensorflow as tf
keras.config.disable_interactive_logging()
tf.config.run_functions_eagerly(True)  # quicker for one small fit, as in the specs
module = importlib.import_module(sys.argv[1])
data = np.loadtxt(sys.argv[2], delimiter=",")
module.make_classifier(epochs=1, batch_size=64).fit(data[:128, :8], data[:128, 8])
try:
    from tensorflow.python.framework import config  # TensorFlow 2.21 has no public reader for this switch
    determinism = bool(config.is_op_determinism_enabled())
except (ImportError, AttributeError):
    determinism = None
try:
    tf.random.uniform((2,))
    random_op = "ok"
except Exception as error:
    random_op = f"{type(error).__name__}: {error}"
print(json.dumps({"determinism": determinism, "random_op": random_op}))
"""
PROBE_SPEC = "test_fitting_leaves_tensorflow_random_ops_usable"
_probe = {}


def start_probe():
    return subprocess.Popen(
        [sys.executable, "-c", PROBE, loader.module_name("sklearn_cross_validation"), str(PIMA_CSV)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module", autouse=True)
def _fresh_process_probe(request):
    """Start the fresh Python process of PROBE_SPEC with this file's first spec, if that spec is to run.

    The process spends several seconds importing TensorFlow: started early, it does so while the
    specs before PROBE_SPEC run. It is not started while make_classifier is still a TODO, and it
    is stopped at the end of the file if nobody waited for it.
    """
    if any(item.name == PROBE_SPEC for item in request.session.items):
        try:
            cv_kata.make_classifier(epochs=1, batch_size=64)
            _probe["process"] = start_probe()
        except (Exception, pytest.fail.Exception):
            pass  # the spec calls make_classifier itself and reports what is wrong
    yield
    process = _probe.pop("process", None)
    if process is not None and process.poll() is None:
        process.kill()
        process.communicate()


@pytest.mark.step("wrap")
def test_fitting_leaves_tensorflow_random_ops_usable():
    """Fitting must not leave TensorFlow's op determinism switched on for the rest of the process.

    scikeras' `random_state=` switches it on while it builds and fits, and restores it after;
    but when that is the first time the process asks TensorFlow about determinism, it stays on,
    and every later unseeded random op raises RuntimeError. That only shows in a fresh process:
    the spec fits make_classifier(epochs=1, batch_size=64) in a new Python process (started in the
    background with this file's first spec: importing TensorFlow takes seconds), then draws an
    unseeded random number there.
    """
    cv_kata.make_classifier(epochs=1, batch_size=64)  # here first, so that a TODO fails with its own message
    process = _probe.pop("process", None) or start_probe()
    try:
        out, err = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("fitting make_classifier(epochs=1, batch_size=64) in a fresh process took over 300 s")
    assert process.returncode == 0, (
        "fitting make_classifier(epochs=1, batch_size=64) in a fresh process failed:\n" + err[-1500:])
    result = json.loads(out.strip().splitlines()[-1])
    assert result["determinism"] is not True, (
        "after fitting, TensorFlow's op determinism is still switched on, so unseeded random ops "
        "now fail; do not pass random_state to KerasClassifier: seed with keras.utils.set_random_seed")
    assert result["random_op"] == "ok", (
        f"after fitting, an unseeded tf.random.uniform must still work, got {result['random_op']}; "
        "do not pass random_state to KerasClassifier: seed with keras.utils.set_random_seed")


# Step "evaluate": evaluate with cross-validation ----------------------------------------

@pytest.mark.step("evaluate")
def test_cross_validate_gives_one_accuracy_per_fold_reproducibly():
    """n_splits accuracies in [0, 1]; the same again when Keras is seeded the same and the seed is the same.

    benchmarks/spread_sklearn_cross_validation.py `repeat --seeds 10`: two runs with the same
    seeds (3 folds, 1 epoch, batches of 64) differed by exactly 0 at each of Keras seeds 0-9.
    """
    settings = {"n_splits": 2, "seed": 3, "epochs": 1, "batch_size": 128}
    keras.utils.set_random_seed(3)
    first = np.asarray(cv_kata.cross_validate(X_STD, Y_SMALL, **settings))
    assert first.shape == (2,), f"n_splits=2 must give one accuracy per fold, shape (2,), got {first.shape}"
    assert first.dtype.kind == "f", f"the accuracies must be floats, got dtype {first.dtype}"
    assert np.all((first >= 0) & (first <= 1)), f"accuracies are fractions in [0, 1], got {first}"
    keras.utils.set_random_seed(3)
    second = np.asarray(cv_kata.cross_validate(X_STD, Y_SMALL, **settings))
    np.testing.assert_allclose(
        second, first, rtol=0, atol=1e-9,
        err_msg=f"cross_validate(X, y, {settings}) twice, with Keras seeded the same before each, "
                "must give the same accuracies; every step takes part here (create_model, make_classifier, the "
                "folds): see README, \"Known pitfalls\"")


FOLDS = StratifiedKFold(n_splits=3, shuffle=True, random_state=5)
FOLD_SETTINGS = {"n_splits": 3, "seed": 5, "epochs": 1, "batch_size": 64}
KERAS_SEED = 8  # not the fold seed: a cross_validate that seeds Keras with `seed` is told apart


def spec_scores(keras_seed, cv):
    """The spec's own cross-validation at FOLD_SETTINGS' epochs and batch size, Keras seeded with keras_seed."""
    keras.utils.set_random_seed(keras_seed)
    return cross_val_score(cv_kata.make_classifier(epochs=1, batch_size=64), X_STD, Y_SMALL, cv=cv)


def likely_mistake(got) -> str:
    """Two mistakes the spec can name, tried only after a mismatch: each costs one more cross-validation."""
    if np.allclose(got, spec_scores(FOLD_SETTINGS["seed"], FOLDS), rtol=0, atol=1e-9):
        return ("; these are the scores of Keras seeded with the fold seed 5: cross_validate must not seed Keras "
                "(no keras.utils.set_random_seed(seed) inside): `seed` picks the folds, the caller seeds Keras")
    if np.allclose(got, spec_scores(KERAS_SEED, FOLD_SETTINGS["n_splits"]), rtol=0, atol=1e-9):
        return ("; these are the scores of plain KFold folds, unshuffled and not stratified: what "
                "cv=KFold(n_splits=3) gives, and cv=3 too (an integer means plain KFold for scikeras' classifier, "
                "README). Pass cv=StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)")
    return ("; check the folds (StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed), passed as cv=), "
            "the classifier (make_classifier(epochs=epochs, batch_size=batch_size)) and that cross_validate does "
            "not seed Keras itself (README, \"Known pitfalls\")")


@pytest.mark.step("evaluate")
def test_cross_validate_scores_the_stratified_shuffled_folds_of_its_seed():
    """The fold scores must be those of StratifiedKFold(n_splits, shuffle=True, random_state=seed).

    The spec scores those folds itself, with make_classifier(epochs, batch_size) and Keras seeded
    the same (seed 8, not the fold seed 5), and compares. benchmarks/spread_sklearn_cross_validation.py
    `folds --seeds 20` tried five nearby mistakes at these settings over Keras seeds 0-19: KFold instead
    of StratifiedKFold, no shuffle, seed 7 instead of the given seed and 2 epochs instead of 1 scored
    differently at all 20 seeds; batches of 32 instead of 64 at 18 of 20 (not at seeds 4 and 17). At
    Keras seed 8 all five differ (`folds` at seed 8: 0 not told apart), and so does a cross_validate that
    seeds Keras with the fold seed: Keras seed 5 scores [0.6125, 0.35, 0.425], seed 8 [0.575, 0.4625,
    0.5875]. Training this little leaves the network near its random start; its answers still vary from
    row to row, which is what tells the folds apart.
    """
    expected = spec_scores(KERAS_SEED, FOLDS)
    keras.utils.set_random_seed(KERAS_SEED)
    got = np.asarray(cv_kata.cross_validate(X_STD, Y_SMALL, **FOLD_SETTINGS))
    assert got.shape == (3,), f"n_splits=3 must give 3 accuracies, got shape {got.shape}"
    same = np.allclose(got, expected, rtol=0, atol=1e-9)
    np.testing.assert_allclose(
        got, expected, rtol=0, atol=1e-9,
        err_msg=f"cross_validate(X, y, {FOLD_SETTINGS}) must score the folds of "
                "StratifiedKFold(n_splits=3, shuffle=True, random_state=5) with make_classifier(epochs=1, "
                f"batch_size=64), as the spec did with Keras seeded the same{'' if same else likely_mistake(got)}")


@pytest.mark.step("evaluate")
def test_cross_validate_leaves_the_callers_numpy_generator_alone():
    keeps_global_generators(
        "cross_validate(X, y, n_splits=2, seed=3, epochs=1, batch_size=128)", cv_kata.cross_validate,
        X_STD, Y_SMALL, n_splits=2, seed=3, epochs=1, batch_size=128, python=False,
        advice="`seed` picks the folds only: pass it as StratifiedKFold(..., random_state=seed), which makes a "
               "generator of its own from it; the caller seeds Keras (README, \"Known pitfalls\")")
