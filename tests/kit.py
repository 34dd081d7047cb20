"""What the spec files share: one copy of each helper, and the data benchmarks/ measures on.

Import it as `from tests.kit import ...`. tests/ has no __init__.py, so `tests` is a namespace
package found from the project root, which pytest (pyproject's `pythonpath = ["."]`), a workspace
copy of the project and benchmarks/spread.py put on sys.path; the same root serves
`solutions.<kata>.<kata>` and `katas.<kata>.<kata>`.

Helpers assert with sentences only: the plugin puts the step's label in front of a learner's message.
"""

from __future__ import annotations

import functools
import inspect
import random
import re
import tempfile
from pathlib import Path

import keras
import numpy as np
import pytest
from sklearn.datasets import make_classification

from katakit import manifest
from katakit.paths import PIMA_CSV
from katakit.plugin import compose, session

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class _Any:
    """A table cell the spec leaves free: equal to anything."""

    def __eq__(self, other):
        return True

    __hash__ = None

    def __repr__(self):
        return "any"


ANY = _Any()


# Models as tables ---------------------------------------------------------------------------

def layers_of(model, kind=None):
    """The model's layers after its input, in order, or only those of class `kind`.

    Sequential models list no InputLayer and functional ones do: leaving it out makes both alike.
    """
    return [layer for layer in model.layers
            if not isinstance(layer, keras.layers.InputLayer) and (kind is None or isinstance(layer, kind))]


def activation_name(layer):
    activation = getattr(layer, "activation", None)
    return getattr(activation, "__name__", activation)


def kernel_initializer(layer):
    """The class name of a layer's kernel initializer, e.g. "HeNormal"."""
    return type(getattr(layer, "kernel_initializer", None)).__name__


def layer_table(model, *extra_columns):
    """One row per layer after the input: (type, units, activation, *extra columns).

    An extra column is a layer attribute's name (e.g. "stateful") or a function of the layer
    (e.g. kernel_initializer). A Sequential model and a functional keras.Model with the same layers
    give the same table.
    """
    return [
        (type(layer).__name__, getattr(layer, "units", None), activation_name(layer),
         *(column(layer) if callable(column) else getattr(layer, column, None) for column in extra_columns))
        for layer in layers_of(model)
    ]


def side_by_side(expected, got, heading="expected"):
    """Two lists of rows, numbered and side by side, with the rows that differ marked."""
    width = max(len(str(row)) for row in [heading, *expected]) + 2
    lines = [f"  {'#':<3} {heading:<{width}} got"]
    for i in range(max(len(got), len(expected))):
        want = expected[i] if i < len(expected) else "-"
        have = got[i] if i < len(got) else "-"
        lines.append(f"  {i + 1:<3} {want!s:<{width}} {have}{'' if want == have else '   <-- differs'}")
    return "\n".join(lines)


def assert_layers(model, expected, description, *extra_columns):
    """Assert that layer_table(model, *extra_columns) is `expected`; the message shows both, row by row."""
    got = layer_table(model, *extra_columns)
    names = ", ".join(["layer type", "units", "activation",
                       *(getattr(column, "__name__", column).replace("_", " ") for column in extra_columns)])
    assert got == expected, f"{description}\n  ({names}):\n" + side_by_side(expected, got)


def snapshot(model):
    """A copy of the model's weights."""
    return [w.copy() for w in model.get_weights()]


def learning_rate_of(model):
    return float(model.optimizer.learning_rate.numpy())


def reset_stateful(model):
    """Reset every stateful layer: the spec's own reset, so that no spec depends on a kata's."""
    for layer in model.layers:
        if getattr(layer, "stateful", False):
            layer.reset_states()


# Compiled as asked, by what it does -------------------------------------------------------

RIGHT = 0.7  # the share of rows assert_compiled labels as the model answers


def assert_compiled(model, *, loss, optimizer, metric=None, X):
    """Assert that `model` is compiled with the loss `loss`, an `optimizer` and the metric `metric`.

    Checked by what they do, so that any way of saying it passes (a name, a function, an object):
    - loss, a Keras loss name: the model's loss of its own predictions must be that loss's value;
    - optimizer, a class: the model's optimizer must be one;
    - metric, "accuracy" or None: evaluate() must report the accuracy. The spec labels the rows of X
      so that the model gets RIGHT (7 in 10) of them right: a value no other metric gives by luck.
    The model is fed X in order from a reset state (a stateful model, in its own batch size) and left reset.
    """
    assert getattr(model, "optimizer", None) is not None, (
        "the model must come back compiled: call model.compile(...) before returning it")
    assert isinstance(model.optimizer, optimizer), (
        f"the optimizer must be {optimizer.__name__}, got {type(model.optimizer).__name__}")
    X = np.asarray(X, "float32")
    batch = model.inputs[0].shape[0] or len(X)  # a stateful model fixes its batch size
    reset_stateful(model)
    predicted = keras.ops.convert_to_tensor(np.concatenate(
        [keras.ops.convert_to_numpy(model(X[i:i + batch], training=False)) for i in range(0, len(X), batch)]))
    reset_stateful(model)
    right = np.arange(len(X)) % 10 < round(RIGHT * 10)
    y = _labels(keras.ops.convert_to_numpy(predicted), right)
    try:
        got = float(model.compute_loss(x=X, y=y, y_pred=predicted))
    except Exception as error:  # a loss that cannot take these labels, e.g. a sparse loss given one-hot rows
        raise AssertionError(f"the loss must be {loss}: the model's loss ({_described(model.loss)}) cannot score "
                             f"the spec's labels of shape {y.shape}: {error_line(error)}") from None
    want = float(keras.ops.mean(keras.losses.get(loss)(y, predicted)))
    assert np.isclose(got, want, rtol=1e-5, atol=1e-6), (
        f"the loss must be {loss}: of the model's predictions for the spec's {len(X)} rows it is {want:.4f}, "
        f"but the model's loss ({_described(model.loss)}) gives {got:.4f}")
    if metric is None:
        return
    if metric != "accuracy":
        raise ValueError(f"assert_compiled checks the metric 'accuracy' only, not {metric!r}")
    eager, model.run_eagerly = model.run_eagerly, True  # a few rows: quicker than tracing a graph, same numbers
    try:
        results = model.evaluate(X, y, batch_size=batch, verbose=0, return_dict=True)
    except Exception as error:  # a metric that cannot take these labels
        raise AssertionError(f"the metrics must include accuracy: evaluate() on {len(X)} rows with labels "
                             f"of shape {y.shape} failed: {str(error).splitlines()[0][:300]}") from None
    finally:
        model.run_eagerly = eager
        reset_stateful(model)
    shown = {name: round(float(value), 4) for name, value in results.items()}
    assert any(np.isclose(value, np.mean(right), atol=1e-6) for name, value in results.items() if name != "loss"), (
        f"the metrics must include accuracy: the spec labelled the rows so that the model gets "
        f"{np.mean(right):.2f} of them right, but evaluate() reports {shown}")


def _labels(predicted, right):
    """Labels the model gets right where `right` holds, and wrong elsewhere."""
    if predicted.shape[-1] == 1:  # one sigmoid: classes 0 and 1
        answered = (predicted[:, 0] > 0.5).astype("float32")
        return np.where(right, answered, 1 - answered)[:, None]
    answered = np.argmax(predicted, axis=-1)
    n_classes = predicted.shape[-1]
    return np.eye(n_classes, dtype="float32")[np.where(right, answered, (answered + 1) % n_classes)]


def _described(loss):
    return getattr(loss, "name", None) or getattr(loss, "__name__", None) or repr(loss)


_COLOURS = re.compile(r"\x1b\[[0-9;]*m")


def error_line(error, containing=""):
    """The line of an error's message a learner needs: the first that holds `containing`, else the first
    that is not Keras' "Exception encountered when calling ..." preamble; without Keras' colour codes,
    at most 300 characters."""
    lines = [line.strip() for line in _COLOURS.sub("", str(error)).splitlines() if line.strip()]
    said = [line for line in lines if not line.startswith("Exception encountered")] or lines or [repr(error)]
    return next((line for line in said if containing and containing in line), said[0])[:300]


# Errors a kata must raise ---------------------------------------------------------------

def assert_raises(error, function, *args, call: str, **kwargs):
    """Assert that function(*args, **kwargs) raises `error`, and return what it raised.

    When it returns instead, the message says what came back: "{call} must raise ValueError; it returned
    nan", not pytest's bare "DID NOT RAISE". Any other exception goes on as it is.
    """
    try:
        value = function(*args, **kwargs)
    except error as raised:
        return raised
    raise AssertionError(f"{call} must raise {error.__name__}; it returned {shown(value)}")


def shown(value, limit=200) -> str:
    """A returned value in a message: numpy scalars as plain numbers, arrays by their shape (and values when
    few), a tuple item by item; cut short."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, tuple):
        text = "(" + ", ".join(shown(item, limit) for item in value) + ")"
    elif isinstance(value, np.ndarray):
        text = f"an array of shape {value.shape}" + (f" {value.tolist()}" if value.size <= 8 else "")
    else:
        text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


# Spec-made models -----------------------------------------------------------------------

def next_letter_model(timesteps, features=1, n_vocab=26, n_classes=26):
    """A model that answers the code after the pattern's last code, when fed right.

    It takes exactly (timesteps, features) per sample, so a pattern framed the other way round is
    rejected. It reads the last input value v and scores class k as 2k(n_vocab*v + 1) - k^2, highest
    at k = n_vocab*v + 1: the next code, when v is the last code divided by n_vocab.
    """
    inputs = keras.Input((timesteps, features))
    pinned = keras.layers.Dense(features, use_bias=False, kernel_initializer="identity")(inputs)
    scores = keras.layers.Dense(n_classes, activation="softmax")(keras.layers.Flatten()(pinned))
    model = keras.Model(inputs, scores)
    k = np.arange(n_classes, dtype="float32")
    kernel = np.zeros((timesteps * features, n_classes), "float32")
    kernel[-1] = 2 * k * n_vocab
    model.layers[-1].set_weights([kernel, 2 * k - k**2])
    return model


TUTORIAL_MLP = [("Dense", 20, "relu", "HeNormal"), ("Dense", 10, "relu", "HeNormal"), ("Dense", 1, "sigmoid", ANY)]
"""layer_table(model, kernel_initializer) of the updating tutorial's MLP; the output's initializer is free."""


def spec_mlp(n_features=20):
    """The spec's own copy of the updating tutorial's MLP, uncompiled."""
    return keras.Sequential([
        keras.Input((n_features,)),
        keras.layers.Dense(20, kernel_initializer="he_normal", activation="relu"),
        keras.layers.Dense(10, kernel_initializer="he_normal", activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])


def sgd_compiled(model, learning_rate=0.01, run_eagerly=False):
    """`model` compiled as the updating tutorial compiles it: SGD with momentum 0.9, binary cross-entropy."""
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9),
                  loss="binary_crossentropy", run_eagerly=run_eagerly)
    return model


def probabilities(model, X):
    """A one-sigmoid model's probabilities for the rows of X, shape (n,)."""
    return keras.ops.convert_to_numpy(model(np.asarray(X, "float32"), training=False))[:, 0]


def accuracy(model, X, y):
    return float(np.mean((probabilities(model, X) > 0.5) == (np.asarray(y) == 1)))


# Data ------------------------------------------------------------------------------------

def pima():
    """The Pima data, read by the spec itself: a new array (768, 9) on each call, the class last."""
    return _pima().copy()


@functools.cache
def _pima():
    return np.loadtxt(PIMA_CSV, delimiter=",")


def write_csv(rows) -> Path:
    """Lines of text in a new file data.csv of a new folder in the session's scratch folder; returns its path."""
    path = Path(tempfile.mkdtemp(dir=session.scratch())) / "data.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def easy_csv() -> Path:
    """768 rows of 8 inputs in [0, 1] whose class is a linear rule (half are ones): easy to learn."""
    X = np.random.default_rng(0).uniform(0, 1, (768, 8))
    score = X @ np.arange(1, 9)
    y = (score > np.median(score)).astype(int)
    return write_csv([",".join(f"{v:.6g}" for v in row) for row in np.column_stack([X, y])])


def tutorial_classification(n_samples=1000, random_state=1):
    """The updating tutorial's two-class problem: make_classification with 20 features, 15 informative."""
    return make_classification(n_samples=n_samples, n_features=20, n_informative=15, n_redundant=5,
                               random_state=random_state)


def two_regions(n=256, seed=0):
    """Old and new rows that tell apart what a model was fit on: (X_old, y_old, X_new, y_new).

    Feature 0 says which half a row belongs to: between 1 and 2 in the old rows, between -2 and -1 in
    the new ones. Feature 1 decides the label, the opposite way in each half: old rows are labelled
    1 when feature 1 is positive, new rows when it is negative. Features 2-19 are small noise. A model
    fit on the new rows alone learns "feature 1 negative", which is wrong on most old rows; a model
    fit on both learns both rules.
    """
    rng = np.random.default_rng(seed)

    def rows(side):
        X = rng.normal(0, 0.1, (n, 20))
        X[:, 0] = side * rng.uniform(1, 2, n)
        X[:, 1] = rng.choice([-1, 1], n) * rng.uniform(0.5, 2.0, n)
        return X.astype("float32"), (side * X[:, 1] > 0).astype(int)

    return (*rows(+1), *rows(-1))


# The caller's random generators ---------------------------------------------------------------

_MARK = 2_024_061_117  # the spec sets the global generators from this seed before the call: no kata seed is it


def keeps_global_generators(call: str, function, *args, python: bool = True, advice: str = "", **kwargs):
    """function(*args, **kwargs), asserting that it leaves numpy's global generator (np.random) and, with
    `python`, Python's random module as it found them; returns what the function returned.

    A function with a seed may draw from any generator (CURRICULUM.md's freedoms), the global ones
    included when it puts them back; np.random.seed(seed) or random.seed(seed) inside would reseed the
    caller's program instead. Functions that build Keras models pass python=False: Keras itself draws
    each new layer's initializer seed from Python's random module (that is how keras.utils.set_random_seed
    reaches them). `advice` replaces the message's closing sentence. The spec's own global states are
    restored afterwards, whatever the function did.
    """
    saved = np.random.get_state(), random.getstate()
    np.random.seed(_MARK)
    random.seed(_MARK)
    numpy_before, python_before = np.random.get_state(), random.getstate()
    try:
        value = function(*args, **kwargs)
        numpy_after, python_after = np.random.get_state(), random.getstate()
    finally:
        np.random.set_state(saved[0])
        random.setstate(saved[1])
    changed = [name for name, kept in (
        ("numpy's global generator (np.random)", _same_numpy_state(numpy_before, numpy_after)),
        ("Python's random module", not python or python_before == python_after)) if not kept]
    assert not changed, (
        f"{call} changed {' and '.join(changed)}: it belongs to the caller, whose later draws would now depend on "
        f"this call (np.random.seed(seed), random.seed(seed) and keras.utils.set_random_seed(seed) all reseed it). "
        + (advice or "Draw from a generator of the function's own, made from the seed: np.random.default_rng(seed), "
                     "np.random.RandomState(seed) or random.Random(seed)"))
    return value


def _same_numpy_state(a, b) -> bool:
    """np.random.get_state() tuples: ('MT19937', keys, position, has_gauss, cached_gaussian)."""
    return a[0] == b[0] and np.array_equal(a[1], b[1]) and tuple(a[2:]) == tuple(b[2:])


# The caller's arrays --------------------------------------------------------------------------

def leaves_its_arrays(call: str, function, *args, advice: str, **kwargs):
    """function(*args, **kwargs), asserting that it leaves every numpy array among its arguments as it found
    it; returns what the function returned. A caller may still need its data after the call; np.asarray(x)
    hands back the caller's own array, so `X /= n` or np.random.shuffle(X) on it writes over the caller's.
    The message names each changed array by its parameter's name; `advice` says the fix.
    """
    try:
        given = inspect.signature(function).bind(*args, **kwargs).arguments
    except (TypeError, ValueError):  # a signature the call does not fit: the call itself will say so
        given = {f"argument {i + 1}": value for i, value in enumerate(args)} | kwargs
    arrays = [(name, value, value.copy()) for name, value in given.items() if isinstance(value, np.ndarray)]
    value = function(*args, **kwargs)
    changed = [name for name, array, before in arrays if not np.array_equal(array, before)]
    assert not changed, (
        f"{call} changed the array{'s' if len(changed) > 1 else ''} it was given ({', '.join(changed)}): the caller's "
        f"data must come back as it was, since the caller may still use it. {advice}")
    return value


# Examples that grading varies ---------------------------------------------------------------

def varied(fixed, pick, key: str):
    """`fixed` for a learner (the same examples every run); in grading, `pick(rng)`, with `rng` a
    random.Random seeded by the grading run's seed and `key`, so that an answer learnt by rote scores
    nothing. Use it for example values that any correct solution handles alike, never for settings
    that a measured threshold depends on.
    """
    seed = session.grading_seed()
    if seed is None:
        return fixed
    return pick(random.Random(f"{seed}:{key}"))


# Errors from a kata's code ------------------------------------------------------------------

def raised(kata: str, error: BaseException) -> str:
    """An error that a kata's function raised, said as the plugin says one: "Type: message", then on its
    own line where in the kata's file it was raised. For a spec that turns the error into its own sentence
    and keeps the original below it (`raise AssertionError(sentence + "\n  (" + raised(...) + ")") from error`).
    """
    where = compose.kata_frame(manifest.kata(kata), pytest.ExceptionInfo.from_exception(error))
    text = f"{type(error).__name__}: {error}"
    return f"{text}\n  raised at {where}" if where else text


def printed(text: str, limit: int = 300) -> str:
    """What a spec quotes of captured output: Keras' colour codes removed, a progress bar's redraws (carriage
    returns) kept to their last state, at most `limit` characters."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    text = "\n".join(line.rsplit("\r", 1)[-1] for line in text.splitlines()).strip()
    return text if len(text) <= limit else text[:limit] + " ..."
