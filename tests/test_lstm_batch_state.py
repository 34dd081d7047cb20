"""Specs for kata 3, lstm_batch_state: the one-letter mapping trained with the whole data set as one batch.

The spec builds its own data (the 25 pairs A->B .. Y->Z as codes, framed (25, 1, 1) and divided by 26)
and its own small models where a step must not depend on another. The last step tests the
tutorial's explanation: that the batch gives the network "context". It does not, and the specs show it.
"""

import functools

import keras
import numpy as np
import pytest

from katakit import env
from katakit.loader import kata
from tests.kit import (
    ALPHABET,
    assert_compiled,
    assert_layers,
    error_line,
    keeps_global_generators,
    layers_of,
    next_letter_model,
    varied,
)

lstm_batch_state = kata("lstm_batch_state")

LOWER = {code: char.lower() for code, char in enumerate(ALPHABET)}  # a decoding map the spec can tell apart
LOWER_CODES = {char: code for code, char in LOWER.items()}
DATA_X = [[code] for code in range(25)]  # A .. Y
DATA_Y = list(range(1, 26))  # B .. Z
X = (np.array(DATA_X, "float32") / 26).reshape(25, 1, 1)
Y = np.eye(26, dtype="float32")[DATA_Y]


def small_lstm():
    """The spec's own small compiled LSTM, so that the fit step does not depend on build_lstm."""
    model = keras.Sequential([keras.Input((1, 1)), keras.layers.LSTM(4),
                              keras.layers.Dense(26, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    return model


def letters_of(pattern, int_to_char=LOWER):
    return "".join(int_to_char[c] for c in pattern)


def build(timesteps, features, n_classes, **units):
    """build_lstm, with Keras' refusal of a stateful LSTM of any batch size turned into the step's lesson."""
    try:
        return lstm_batch_state.build_lstm(timesteps, features, n_classes, **units)
    except ValueError as error:
        if "stateful" not in str(error):
            raise
        refusal = error_line(error)
    pytest.fail("this kata's LSTM is stateless (Keras' default, stateful=False): every sample starts from a "
                f"zero state, and the batch size is free. Keras refused a stateful one: {refusal}", pytrace=False)


def draw(model, data_x, n, seed):
    """predict_random_patterns on the spec's letters, with a refusal of the framing turned into the lesson."""
    try:
        return lstm_batch_state.predict_random_patterns(model, data_x, LOWER, 26, n=n, seed=seed)
    except ValueError as error:
        refusal = error_line(error, "incompatible")
    length = len(data_x[0])
    pytest.fail(f"frame each pattern as time steps, (1, {length}, 1) for {length} letter(s) (or all n patterns "
                f"at once, (n, {length}, 1)), divided by n_vocab, as the tutorial does; with this spec's model, "
                f"built for (None, {length}, 1), predict_random_patterns raised ValueError: {refusal}", pytrace=False)


# Step "model": define and compile the LSTM ----------------------------------------------

@pytest.mark.step("model")
def test_build_lstm_is_a_stateless_16_unit_lstm_then_a_softmax():
    model = build(1, 1, 26)
    assert tuple(model.input_shape) == (None, 1, 1), (
        f"one letter is [samples, timesteps, features] = (None, 1, 1), got {model.input_shape}")
    assert_layers(model, [("LSTM", 16, "tanh"), ("Dense", 26, "softmax")],
                  "the model must be LSTM(16) then Dense(26, softmax)")
    [lstm] = layers_of(model, keras.layers.LSTM)
    assert not lstm.stateful, (
        "this model is stateless (the default): every sample starts from a zero state")


@pytest.mark.step("model")
def test_build_lstm_uses_the_shape_units_and_classes_it_is_given():
    timesteps, features, n_classes, units = varied(
        (3, 1, 10, 8), lambda rng: (rng.randint(1, 5), rng.randint(1, 4), rng.randint(2, 30), rng.randint(2, 24)),
        "lstm_batch_state.build")
    model = build(timesteps, features, n_classes, units=units)
    called = f"build_lstm({timesteps}, {features}, {n_classes}, units={units})"
    assert tuple(model.input_shape) == (None, timesteps, features), (
        f"{called} takes (None, {timesteps}, {features}), got {model.input_shape}")
    assert_layers(model, [("LSTM", units, "tanh"), ("Dense", n_classes, "softmax")],
                  f"{called} must be LSTM({units}) then Dense({n_classes}, softmax)")


@pytest.mark.step("model")
def test_build_lstm_compiles_categorical_crossentropy_adam_accuracy():
    """One-hot outputs over 26 letters call for categorical cross-entropy."""
    assert_compiled(build(1, 1, 26), loss="categorical_crossentropy",
                    optimizer=keras.optimizers.Adam, metric="accuracy", X=X)


# Step "fit": fit with the whole data set as one batch -----------------------------------

RNG = np.random.default_rng(0)
X60 = RNG.uniform(0, 1, (60, 1, 1)).astype("float32")  # more samples than Keras' default batch of 32
Y60 = np.eye(26, dtype="float32")[RNG.integers(0, 26, 60)]


@functools.cache
def whole_batch_run():
    """fit_whole_batch for 3 epochs on the spec's 60 samples: (initial weights, History, final weights).

    Shared by a spec of step "fit" and one of step "context" (each fresh model costs a second or more to trace).
    """
    keras.utils.set_random_seed(env.SEED)
    model = small_lstm()
    initial = model.get_weights()
    history = lstm_batch_state.fit_whole_batch(model, X60, Y60, epochs=3)
    return initial, history, model.get_weights()


@pytest.mark.step("fit")
def test_fit_whole_batch_returns_the_history_of_its_epochs():
    _, history, _ = whole_batch_run()
    assert isinstance(history, keras.callbacks.History), (
        f"return what model.fit returns (a History), got {type(history).__name__}")
    losses = history.history.get("loss", [])
    assert len(losses) == 3, f"epochs=3 must train 3 epochs, the History has {len(losses)}"


@pytest.mark.step("fit")
def test_fit_whole_batch_makes_one_full_batch_update_per_epoch():
    initial, history, final = whole_batch_run()
    losses = getattr(history, "history", {}).get("loss", [])
    steps = getattr(history, "params", {}).get("steps")
    assert steps == 1, (
        f"the whole data set is one batch (batch_size=len(X) = 60): 1 update per epoch, got {steps} "
        "(without batch_size, Keras uses batches of 32)")
    spec = small_lstm()
    spec.set_weights(initial)
    expected = spec.fit(X60, Y60, epochs=3, batch_size=60, shuffle=False, verbose=0)
    np.testing.assert_allclose(
        losses, expected.history["loss"], rtol=1e-4,
        err_msg="3 epochs of whole-batch training must follow the losses of "
                "model.fit(X, y, epochs=3, batch_size=len(X), shuffle=False) from the same weights")
    for got, want in zip(final, spec.get_weights(), strict=True):
        np.testing.assert_allclose(got, want, atol=1e-5, err_msg=(
            "after 3 whole-batch epochs the weights must be those of 3 full-batch Adam updates"))


LEARNING_RATE = 0.1
EPOCHS = 80


@functools.cache
def trained_on_the_whole_batch():
    """The learner's model, fit on the 25 pairs as one batch; shared by the specs of steps "fit" and "context"."""
    keras.utils.set_random_seed(env.SEED)
    model = build(1, 1, 26)
    model.optimizer.learning_rate = LEARNING_RATE  # the spec's speed-up: see the docstring below
    lstm_batch_state.fit_whole_batch(model, X, Y, epochs=EPOCHS)
    return model


def wrong_answers(probabilities):
    predicted = np.argmax(probabilities, axis=1)
    return [f"{ALPHABET[x[0]]} -> {ALPHABET[p]}" for x, p, t in zip(DATA_X, predicted, DATA_Y, strict=True) if p != t]


@pytest.mark.step("fit")
def test_whole_batch_training_learns_the_alphabet():
    """The tutorial's model, LSTM(16) on (25, 1, 1), fit with the whole data set as one batch.

    The tutorial trains 5000 epochs (5000 full-batch updates) at Adam's default learning rate 0.001
    and reports 100%: about 100 s here (a fit epoch measured 120-150 ms under load 6-8). Full-batch
    Adam needed about 550 updates for 100% at learning rate 0.01 and about 200 at 0.03 (seeds 0-2).
    The spec sets the learning rate to 0.1 and trains 80 epochs:
    `benchmarks/spread_lstm_batch_state.py whole_batch --seeds 20 --set epochs=100 --set lr=0.1 --set every=20`
    over seeds 0-19 gave after 80 epochs min 1.0000, mean 1.0000, max 1.0000 (after 60: min 0.92,
    max 1.00; after 40: min 0.88, max 0.96). The spec asks for 23 of the 25 pairs (0.92).
    """
    wrong = wrong_answers(trained_on_the_whole_batch().predict_on_batch(X))
    assert len(wrong) <= 2, (
        f"after {EPOCHS} whole-batch epochs (learning rate {LEARNING_RATE}) the model got all 25 pairs "
        f"right in every measured seed; the spec asks for 23, {len(wrong)} are wrong: {wrong[:5]}. "
        "Steps 1 and 2 both take part in this check: build_lstm(1, 1, 26) and fit_whole_batch for the epochs "
        "it is given; see \"Known pitfalls\" in README.md.")


# Step "predict": predict random patterns ------------------------------------------------

@pytest.mark.step("predict")
@pytest.mark.parametrize("n", [1, 5, 20])
def test_predict_random_patterns_gives_n_letter_pairs(n):
    got = draw(next_letter_model(1), DATA_X, n, seed=varied(3, lambda rng: rng.randrange(10**6), "lstm_batch_state.n"))
    assert isinstance(got, list), f"return a list of pairs, got {type(got).__name__}"
    assert len(got) == n, f"n={n} must give {n} pairs, got {len(got)}"
    inputs = {letters_of(x) for x in DATA_X}
    for pair in got:
        is_pair = isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(s, str) for s in pair)
        assert is_pair, (
            f"each pair is (input letters, predicted letter), two strings, e.g. ('t', 'u'); got {pair!r}")
        letters, predicted = pair
        assert letters in inputs, (
            f"{letters!r} is not one of the patterns of data_x decoded with int_to_char ('a' .. 'y')")
        expected = LOWER[LOWER_CODES[letters] + 1]
        assert predicted == expected, (
            f"this spec's model answers the next letter when a pattern is fed as (1, 1, 1) divided by "
            f"n_vocab = 26: {letters!r} must give {expected!r}, got {predicted!r}")


@pytest.mark.step("predict")
def test_predict_random_patterns_joins_the_letters_of_longer_patterns():
    data_x = [[i, i + 1, i + 2] for i in range(23)]
    seed = varied(1, lambda rng: rng.randrange(10**6), "lstm_batch_state.longer")
    got = draw(next_letter_model(3), data_x, 8, seed)
    for letters, predicted in got:
        codes = [LOWER_CODES.get(c, -9) for c in letters]
        is_run = len(letters) == 3 and [codes[0], codes[0] + 1, codes[0] + 2] == codes
        assert is_run, f"the input of a 3-letter pattern is its 3 letters joined, e.g. 'abc'; got {letters!r}"
        assert predicted == LOWER[codes[-1] + 1], (
            f"{letters!r} must give {LOWER[codes[-1] + 1]!r} (time steps divided by 26), got {predicted!r}")


@pytest.mark.step("predict")
def test_predict_random_patterns_is_random_and_reproducible_with_its_seed():
    model = next_letter_model(1)
    seed = varied(5, lambda rng: rng.randrange(10**6), "lstm_batch_state.seed")
    first = draw(model, DATA_X, 20, seed)
    np.random.seed(123)  # other random state must not matter: the seed decides
    keras.utils.set_random_seed(99)
    again = draw(model, DATA_X, 20, seed)
    assert first == again, f"the same seed must give the same pairs, got {first[:3]}... then {again[:3]}..."
    inputs = [letters for letters, _ in first]
    assert inputs != [letters_of(x) for x in DATA_X[:20]], (
        "the patterns must be drawn at random, not taken in order from the start of data_x")
    assert len(set(inputs)) >= 5, f"20 random draws among 25 patterns, got only {sorted(set(inputs))}"
    others = [draw(model, DATA_X, 20, seed + s) for s in range(1, 5)]
    assert any(o != first for o in others), "different seeds must draw different patterns"


@pytest.mark.step("predict")
def test_predict_random_patterns_can_draw_every_pattern_the_last_one_too():
    """Three patterns, three draws, 30 seeds: with replacement a pattern is missed with probability
    3 * (2/3)**90, about 4e-16; without replacement every seed draws all three."""
    model = next_letter_model(1)
    data_x = [[0], [1], [2]]
    first = varied(11, lambda rng: rng.randrange(10**6), "lstm_batch_state.every")
    drawn = {letters for seed in range(first, first + 30) for letters, _ in draw(model, data_x, 3, seed)}
    missing = [letters_of(x) for x in data_x if letters_of(x) not in drawn]
    assert not missing, (
        f"every pattern of data_x must be possible to draw: 30 seeds drawing 3 of the 3 patterns "
        f"{[letters_of(x) for x in data_x]} never drew {missing}. rng.integers(high) and np.random.randint(high) "
        "draw 0 .. high - 1: the high end is left out, so draw the index with integers(len(data_x)), not "
        "len(data_x) - 1")


@pytest.mark.step("predict")
def test_predict_random_patterns_leaves_the_callers_generators_alone():
    seed = varied(5, lambda rng: rng.randrange(10**6), "lstm_batch_state.global")
    keeps_global_generators(f"predict_random_patterns(model, data_x, int_to_char, 26, n=5, seed={seed})",
                            lstm_batch_state.predict_random_patterns, next_letter_model(1), DATA_X, LOWER, 26,
                            n=5, seed=seed)


# Step "context": test the batch-context claim -------------------------------------------

@pytest.mark.step("context")
def test_a_prediction_does_not_depend_on_the_rest_of_its_batch():
    """The tutorial credits the batch with "context". Keras computes each sample of a batch with its own
    state (a stateless LSTM starts every sample from zeros), so a letter's prediction is the same alone,
    inside the ordered batch, inside the reversed batch, and among strangers."""
    model = trained_on_the_whole_batch()
    alone = np.concatenate([model.predict_on_batch(X[i:i + 1]) for i in range(25)])
    in_order = model.predict_on_batch(X)
    reversed_batch = model.predict_on_batch(X[::-1])[::-1]
    strangers = np.random.default_rng(1).uniform(0, 1, (24, 1, 1)).astype("float32")
    among_strangers = np.concatenate(
        [model.predict_on_batch(np.concatenate([X[i:i + 1], strangers]))[:1] for i in range(25)])
    for name, batched in [("the whole data set in order", in_order), ("the reversed data set", reversed_batch),
                          ("24 random other inputs", among_strangers)]:
        gap = float(np.max(np.abs(batched - alone)))
        assert gap < 1e-5, (
            f"a letter predicted alone and inside a batch of {name} must get the same probabilities; "
            f"the largest difference is {gap:.2e}")
    wrong = wrong_answers(alone)
    assert len(wrong) <= 2, (
        f"trained with all 25 pairs in one batch, the model must still answer each letter on its own "
        f"(batch of 1); {len(wrong)} are wrong: {wrong[:5]}")


@pytest.mark.step("context")
def test_training_does_not_depend_on_the_order_inside_the_batch():
    """shuffle=False keeps the order of the samples, but inside one batch the order does not matter:
    the loss is the mean over the samples, whatever their order."""
    initial, _, in_order = whole_batch_run()
    shuffled = small_lstm()
    shuffled.set_weights(initial)
    order = np.random.default_rng(2).permutation(len(X60))
    lstm_batch_state.fit_whole_batch(shuffled, X60[order], Y60[order], epochs=3)
    gap = max(float(np.max(np.abs(a - b))) for a, b in zip(in_order, shuffled.get_weights(), strict=True))
    assert gap < 1e-5, (
        "3 whole-batch epochs on the same 60 samples in order and shuffled must give the same "
        f"weights (one batch: its loss is the mean over the samples); the largest difference is {gap:.2e}")
