"""Step 1's specs of katas 8 and 9 (sklearn_cross_validation, sklearn_grid_search), written once.

Both katas define the tutorial's create_model(optimizer="rmsprop", init="glorot_uniform"), so
tests/test_sklearn_cross_validation.py and tests/test_sklearn_grid_search.py import these specs,
and each gives the fixture `pima_kata`: its own kata, whose create_model the specs check. pytest
collects the specs from the file that imports them, as that kata's specs.

Speed: the files that import `run_eagerly` run Keras' train and predict functions eagerly. For a
handful of batches that is quicker than tracing a graph for every new model, and it computes the
same numbers.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from katakit.paths import PIMA_CSV

PIMA = np.loadtxt(PIMA_CSV, delimiter=",")  # the spec's own reading of the data
X_ALL, Y_ALL = PIMA[:, :8], PIMA[:, 8]


@pytest.fixture(autouse=True)
def run_eagerly():
    tf.config.run_functions_eagerly(True)
    yield
    tf.config.run_functions_eagerly(False)


EXPECTED_LAYERS = [("Dense", 12, "relu"), ("Dense", 8, "relu"), ("Dense", 1, "sigmoid")]


def dense_layers(model):
    return [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]


def layer_table(model):
    return [
        (type(layer).__name__, getattr(layer, "units", None),
         getattr(getattr(layer, "activation", None), "__name__", None))
        for layer in dense_layers(model)
    ]


def initializer_of(layer):
    """(class name, config without the seed) of a layer's kernel initializer."""
    initializer = layer.kernel_initializer
    config = {k: v for k, v in initializer.get_config().items() if k != "seed"}
    return type(initializer).__name__, config


def expected_initializer(name):
    initializer = keras.initializers.get(name)
    return type(initializer).__name__, {k: v for k, v in initializer.get_config().items() if k != "seed"}


# Step "model": define the model ---------------------------------------------------------

@pytest.mark.step("model")
def test_create_model_is_the_pima_network_compiled_with_rmsprop_by_default(pima_kata):
    model = pima_kata.create_model()
    assert isinstance(model, keras.Model), f"return a keras.Model, got {type(model).__name__}"
    assert layer_table(model) == EXPECTED_LAYERS, (
        "the model must be Dense(12, relu) -> Dense(8, relu) -> Dense(1, sigmoid); "
        f"got (type, units, activation) {layer_table(model)}")
    assert tuple(model.input_shape) == (None, 8), f"the input must be (None, 8), got {model.input_shape}"
    assert model.count_params() == 221, f"221 parameters expected, got {model.count_params()}"
    assert getattr(model, "optimizer", None) is not None, (
        "create_model must return the model compiled (KerasClassifier trains it as it is)")
    loss = getattr(model.loss, "name", model.loss)
    assert loss == "binary_crossentropy", f"loss must be binary cross-entropy, got {loss!r}"
    assert isinstance(model.optimizer, keras.optimizers.RMSprop), (
        "with the default optimizer='rmsprop' the model must be compiled with RMSprop, "
        f"got {type(model.optimizer).__name__}")
    metrics = model.evaluate(X_ALL[:20], Y_ALL[:20], verbose=0, return_dict=True)
    assert {"accuracy", "binary_accuracy"} & set(metrics), (
        f"metrics must include accuracy; evaluate() reports {sorted(metrics)}")


@pytest.mark.step("model")
@pytest.mark.parametrize(("name", "expected"), [
    ("adam", keras.optimizers.Adam), ("rmsprop", keras.optimizers.RMSprop), ("sgd", keras.optimizers.SGD),
])
def test_create_model_compiles_with_the_optimizer_it_is_given(pima_kata, name, expected):
    model = pima_kata.create_model(optimizer=name)
    assert isinstance(model.optimizer, expected), (
        f"create_model(optimizer={name!r}) must compile with {expected.__name__}, "
        f"got {type(model.optimizer).__name__}; pass the argument on to model.compile")


@pytest.mark.step("model")
@pytest.mark.parametrize("init", ["glorot_uniform", "normal", "uniform"])
def test_create_model_initialises_every_dense_kernel_with_init(pima_kata, init):
    model = pima_kata.create_model(init=init)
    want = expected_initializer(init)
    got = [initializer_of(layer) for layer in dense_layers(model)]
    assert got == [want] * 3, (
        f"create_model(init={init!r}) must give every Dense layer kernel_initializer={init!r}, "
        f"i.e. {want}; got {got}")


@pytest.mark.step("model")
def test_create_model_init_decides_the_starting_weights(pima_kata):
    model = pima_kata.create_model(init="ones")
    for layer in dense_layers(model):
        kernel = layer.get_weights()[0]
        assert np.all(kernel == 1.0), (
            f"with init='ones' every kernel must start at 1.0; {layer.name} starts at "
            f"{kernel.ravel()[:4]}...")
