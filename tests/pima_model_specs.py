"""The specs of create_model, step "model" of katas 8 and 9 (sklearn_cross_validation, sklearn_grid_search).

Both katas define the tutorial's create_model(optimizer="rmsprop", init="glorot_uniform"), so the specs
are written once, as the methods of PimaModelSpecs. Each of the two spec files subclasses it once,
`class TestCreateModel(PimaModelSpecs)` with its own kata as `kata`, and pytest collects the
subclass's specs as that kata's.

Also here: what both files' scikit-learn specs read (the Pima rows, kernel initializers, what a fit
did). Speed: the files that import `run_eagerly` run Keras' train and predict functions eagerly. For a
handful of batches that is quicker than tracing a graph for every new model, and it computes the
same numbers.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.kit import assert_compiled, assert_layers, layers_of, pima

PIMA = pima()  # the spec's own reading of the data
X_ALL, Y_ALL = PIMA[:, :8], PIMA[:, 8]


@pytest.fixture(autouse=True)
def run_eagerly():
    tf.config.run_functions_eagerly(True)
    yield
    tf.config.run_functions_eagerly(False)


EXPECTED_LAYERS = [("Dense", 12, "relu"), ("Dense", 8, "relu"), ("Dense", 1, "sigmoid")]


def dense_layers(model):
    return layers_of(model, keras.layers.Dense)


def initializer_of(layer):
    """(class name, config without the seed) of a layer's kernel initializer."""
    initializer = layer.kernel_initializer
    config = {k: v for k, v in initializer.get_config().items() if k != "seed"}
    return type(initializer).__name__, config


def expected_initializer(name):
    initializer = keras.initializers.get(name)
    return type(initializer).__name__, {k: v for k, v in initializer.get_config().items() if k != "seed"}


def trained_epochs_and_steps(classifier):
    """What the last fit of a fitted scikeras classifier did: (epochs, gradient updates per epoch).

    From scikeras' documented `history_` (one loss per epoch) and the optimizer of the fitted model_,
    which counts its updates: each fit builds a new model, so the count is that fit's.
    """
    epochs = len(classifier.history_["loss"])
    updates = int(classifier.model_.optimizer.iterations.numpy())
    return epochs, (updates // epochs if epochs and updates % epochs == 0 else updates / max(epochs, 1))


class PimaModelSpecs:
    """create_model's specs; a subclass sets `kata`, the kata whose create_model they check."""

    kata = None

    @pytest.mark.step("model")
    def test_create_model_is_the_pima_network_compiled_with_rmsprop_by_default(self):
        model = self.kata.create_model()
        assert isinstance(model, keras.Model), f"return a keras.Model, got {type(model).__name__}"
        assert_layers(model, EXPECTED_LAYERS,
                      "the model must be Dense(12, relu) -> Dense(8, relu) -> Dense(1, sigmoid)")
        assert tuple(model.input_shape) == (None, 8), f"the input must be (None, 8), got {model.input_shape}"
        assert model.count_params() == 221, f"221 parameters expected, got {model.count_params()}"
        assert getattr(model, "optimizer", None) is not None, (
            "create_model must return the model compiled (KerasClassifier trains it as it is)")
        # optimizer="rmsprop" by default, as in the tutorial
        assert_compiled(model, loss="binary_crossentropy", optimizer=keras.optimizers.RMSprop, metric="accuracy",
                        X=X_ALL[:20])

    @pytest.mark.step("model")
    @pytest.mark.parametrize(("name", "expected"), [
        ("adam", keras.optimizers.Adam), ("rmsprop", keras.optimizers.RMSprop), ("sgd", keras.optimizers.SGD),
    ])
    def test_create_model_compiles_with_the_optimizer_it_is_given(self, name, expected):
        model = self.kata.create_model(optimizer=name)
        assert isinstance(model.optimizer, expected), (
            f"create_model(optimizer={name!r}) must compile with {expected.__name__}, "
            f"got {type(model.optimizer).__name__}; pass the argument on to model.compile")

    @pytest.mark.step("model")
    @pytest.mark.parametrize("init", [None, "glorot_uniform", "normal", "uniform"])
    def test_create_model_initialises_every_dense_kernel_with_init(self, init):
        """None: create_model() with its default init, glorot_uniform as in the tutorial."""
        model = self.kata.create_model() if init is None else self.kata.create_model(init=init)
        called = "create_model()" if init is None else f"create_model(init={init!r})"
        init = init or "glorot_uniform"
        want = expected_initializer(init)
        got = [initializer_of(layer) for layer in dense_layers(model)]
        assert got == [want] * 3, (
            f"{called} must give every Dense layer kernel_initializer={init!r}, i.e. {want}; got {got}")

    @pytest.mark.step("model")
    def test_create_model_init_decides_the_starting_weights(self):
        model = self.kata.create_model(init="ones")
        for layer in dense_layers(model):
            kernel = layer.get_weights()[0]
            assert np.all(kernel == 1.0), (
                f"with init='ones' every kernel must start at 1.0; {layer.name} starts at "
                f"{kernel.ravel()[:4]}...")
