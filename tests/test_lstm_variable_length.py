"""Specs for kata 5, lstm_variable_length: runs of 1 to 5 letters, left-padded, predict the next letter.

The data-shaping steps are checked with hypothesis over alphabets, sizes and seeds; predict_next
with a spec-made model whose answer is known; then the kata's functions together train a network
that predicts the next letter of a held-out draw of runs.
"""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katakit import env
from katakit.loader import kata
from tests.kit import ALPHABET, assert_compiled, assert_layers, next_letter_model

lstm_variable_length = kata("lstm_variable_length")

N_VOCAB = len(ALPHABET)
CHAR_TO_INT = {c: i for i, c in enumerate(ALPHABET)}
INT_TO_CHAR = dict(enumerate(ALPHABET))
MAX_LEN = 5

alphabets = st.lists(st.characters(codec="ascii", categories=["L", "N"]), min_size=3, max_size=40,
                     unique=True).map("".join)


def as_lists(data_x, data_y):
    return [[int(c) for c in run] for run in data_x], [int(c) for c in data_y]


# Step "generate": make random subsequences ------------------------------------------------------

@pytest.mark.step("generate")
@settings(max_examples=60)
@given(alphabet=alphabets, num_inputs=st.integers(0, 60), max_len=st.integers(1, 8), seed=st.integers(0, 2**16))
def test_every_input_is_a_run_of_consecutive_letters_and_its_target_the_next(alphabet, num_inputs, max_len, seed):
    data_x, data_y = lstm_variable_length.random_subsequences(alphabet, num_inputs=num_inputs, max_len=max_len,
                                                              seed=seed)
    assert len(data_x) == len(data_y) == num_inputs, (
        f"num_inputs={num_inputs} must give {num_inputs} inputs and outputs, got {len(data_x)} and "
        f"{len(data_y)}")
    data_x, data_y = as_lists(data_x, data_y)
    for run, target in zip(data_x, data_y, strict=True):
        where = f"(alphabet {alphabet!r}, max_len={max_len}, seed={seed}: input {run} -> {target})"
        assert 1 <= len(run) <= max_len, f"each input must hold 1 to max_len={max_len} letters {where}"
        assert run == list(range(run[0], run[0] + len(run))), (
            f"each input must be a run of consecutive letters (codes n, n+1, ...) {where}")
        assert run[0] >= 0, f"codes are indexes into the alphabet, from 0 {where}"
        assert target == run[-1] + 1, f"the output must be the letter after the run's last one {where}"
        assert target < len(alphabet), (
            f"no run may go past the last letter {alphabet[-1]!r} (code {len(alphabet) - 1}) {where}")


@pytest.mark.step("generate")
def test_random_subsequences_is_reproducible_with_its_seed():
    first = as_lists(*lstm_variable_length.random_subsequences(ALPHABET, num_inputs=50, seed=3))
    again = as_lists(*lstm_variable_length.random_subsequences(ALPHABET, num_inputs=50, seed=3))
    other = as_lists(*lstm_variable_length.random_subsequences(ALPHABET, num_inputs=50, seed=4))
    assert first == again, "the same seed must give the same runs (draw from a generator made from seed)"
    assert first != other, "another seed must give other runs: the runs must be random, drawn from seed"


@pytest.mark.step("generate")
@pytest.mark.parametrize("seed", [7, 1, 2])
def test_at_the_default_size_every_length_occurs_and_z_is_an_output(seed):
    data_x, data_y = as_lists(*lstm_variable_length.random_subsequences(ALPHABET, seed=seed))
    assert len(data_x) == 1000, f"the tutorial's default is num_inputs=1000, got {len(data_x)}"
    lengths = sorted({len(run) for run in data_x})
    assert lengths == [1, 2, 3, 4, 5], (
        f"among 1000 runs of 1 to 5 letters every length must occur, got lengths {lengths}")
    assert N_VOCAB - 1 in data_y, (
        "among 1000 runs some must end at 'Y' and have 'Z' as output; none does")


@pytest.mark.step("generate")
@pytest.mark.parametrize(("alphabet", "max_len"), [("A", 5), ("", 5), (ALPHABET, 0)])
def test_random_subsequences_rejects_what_cannot_make_a_run(alphabet, max_len):
    with pytest.raises(ValueError):
        lstm_variable_length.random_subsequences(alphabet, num_inputs=10, max_len=max_len)


# Step "pad": pad and frame ----------------------------------------------------------------------

@pytest.mark.step("pad")
def test_pad_and_frame_pads_on_the_left():
    got = np.asarray(lstm_variable_length.pad_and_frame([[1, 2], [3], [4, 5, 6, 7]], 4, 26))
    expected = np.array([[0, 0, 1, 2], [0, 0, 0, 3], [4, 5, 6, 7]]).reshape(3, 4, 1) / 26
    assert got.shape == (3, 4, 1), (
        f"3 runs padded to max_len=4 must be [samples, timesteps, features] = (3, 4, 1), got {got.shape}")
    assert got.dtype.kind == "f", f"the inputs must be floats (codes / n_vocab), got dtype {got.dtype}"
    np.testing.assert_allclose(
        got, expected, atol=1e-6,
        err_msg="[[1, 2], [3], [4, 5, 6, 7]] padded to 4 must be the zeros first, then the codes, all / 26 "
                "(pad on the left: the run's last letter is the last timestep the LSTM reads)")


runs = st.lists(st.lists(st.integers(0, 25), min_size=1, max_size=9), min_size=1, max_size=12)


@pytest.mark.step("pad")
@settings(max_examples=40)
@given(data_x=runs, max_len=st.integers(1, 7), n_vocab=st.integers(26, 60))
def test_pad_and_frame_keeps_the_last_codes_of_each_run_on_the_right(data_x, max_len, n_vocab):
    got = np.asarray(lstm_variable_length.pad_and_frame(data_x, max_len, n_vocab))
    assert got.shape == (len(data_x), max_len, 1), (
        f"expected shape ({len(data_x)}, {max_len}, 1), got {got.shape}")
    for row, run in zip(got[:, :, 0], data_x, strict=True):
        kept = run[-max_len:]
        expected = np.concatenate([np.zeros(max_len - len(kept)), np.array(kept) / n_vocab])
        np.testing.assert_allclose(
            row, expected, atol=1e-6,
            err_msg=f"the run {run} with max_len={max_len}, n_vocab={n_vocab} must become zeros on the left, "
                    f"then its last {len(kept)} codes / {n_vocab} (a longer run keeps its last max_len codes)")


# Step "define": define the model ----------------------------------------------------------------

@pytest.mark.step("define")
def test_build_lstm_reads_max_len_timesteps_of_one_feature():
    model = lstm_variable_length.build_lstm(7, 10, units=12)
    assert tuple(model.input_shape) == (None, 7, 1), (
        f"the input must be (max_len, 1) per sample, i.e. (None, 7, 1); got {model.input_shape}")
    assert_layers(model, [("LSTM", 12, "tanh", False), ("Dense", 10, "softmax", None)],
                  "build_lstm(7, 10, units=12) must be a plain LSTM(12) -> Dense(10, softmax)", "stateful")


@pytest.mark.step("define")
def test_build_lstm_defaults_are_the_tutorials():
    model = lstm_variable_length.build_lstm(MAX_LEN, N_VOCAB)
    assert model.count_params() == 5210, (
        f"LSTM(32) on 1 feature and Dense(26): 4*(32*(1+32)+32) + 32*26+26 = 5210 parameters, "
        f"got {model.count_params()}")
    patterns = (np.arange(20)[:, None] + np.arange(MAX_LEN)) % N_VOCAB / N_VOCAB  # 20 runs of 5 codes
    assert_compiled(model, loss="categorical_crossentropy", optimizer=keras.optimizers.Adam, metric="accuracy",
                    X=patterns.reshape(20, MAX_LEN, 1))


# Step "predict": predict the next letter --------------------------------------------------------

@pytest.mark.step("predict")
@pytest.mark.parametrize(("letters", "expected"), [("BCD", "E"), ("K", "L"), ("UVWXY", "Z"), ("ABCDEFGH", "I")])
def test_predict_next_frames_the_letters_as_in_training(letters, expected):
    got = lstm_variable_length.predict_next(next_letter_model(MAX_LEN), letters, CHAR_TO_INT, INT_TO_CHAR, MAX_LEN,
                                            N_VOCAB)
    hint = ""
    if got == "B":
        hint = " (is the padding on the right? the spec's model then reads a zero, 'A')"
    elif got == "Z":
        hint = " (are the codes divided by n_vocab? the spec's model reads code / n_vocab)"
    assert got == expected, (
        "the spec's model answers the letter after the one at the last timestep; for "
        f"{letters!r} (encoded, left-padded to {MAX_LEN}, / {N_VOCAB}) it answers {expected!r}, "
        f"predict_next returned {got!r}{hint}")


LEARNING_RATE, BATCH_SIZE, EPOCHS = 0.02, 32, 40  # the tutorial: Adam 0.001, batch 1, 500 epochs
HELD_OUT, THRESHOLD = 100, 65


def spec_draw(n, seed):
    """The spec's own draw of runs (the tutorial's distribution), apart from the training data."""
    rng = np.random.default_rng(seed)
    runs = []
    for _ in range(n):
        start = int(rng.integers(0, N_VOCAB - 1))
        end = int(rng.integers(start, min(start + MAX_LEN, N_VOCAB - 1)))
        runs.append(ALPHABET[start:end + 1])
    return runs


def trained_network():
    """The tutorial end to end with the kata's functions; the spec picks faster training settings."""
    keras.utils.set_random_seed(env.SEED)
    data_x, data_y = lstm_variable_length.random_subsequences(ALPHABET, num_inputs=1000, max_len=MAX_LEN, seed=7)
    X = lstm_variable_length.pad_and_frame(data_x, MAX_LEN, N_VOCAB)
    y = keras.utils.to_categorical(data_y, N_VOCAB)
    model = lstm_variable_length.build_lstm(MAX_LEN, N_VOCAB)
    model.optimizer.learning_rate = LEARNING_RATE
    model.steps_per_execution = -(-len(X) // BATCH_SIZE)  # speed only: one call into TensorFlow per epoch
    model.fit(X, y, epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=0)
    return model


@pytest.mark.step("predict")
def test_a_trained_network_predicts_the_next_letter_of_held_out_runs():
    """Trained with the kata's functions, the network predicts the next letter of a held-out draw of runs.

    The draw is the spec's own, apart from the training data; A..Z has only 115 runs of 1-5 letters,
    so most of them also occur among the 1000 training runs (the README says what that means).

    The spec trains 40 epochs in batches of 32 with Adam at 0.02 (1,280 updates) instead of the
    tutorial's 500 epochs at batch 1 with Adam at 0.001 (500,000 updates, about 16 minutes here),
    then asks predict_next about 100 runs of its own draw. `benchmarks/spread_lstm_variable_length.py
    held_out --set epochs=40` (100 runs of another draw per seed) over seeds 0-19: min 0.74, mean
    0.83, max 0.92 right (at 30 epochs min 0.63, at 20 min 0.51). Runs of 2-5 letters are nearly all
    right (0.87-1.00 at 40 epochs); single letters, the tutorial's hard one-char case, 0.27-0.65.
    The bound, 65 of 100, leaves a margin of 9 under the minimum; chance is about 4 of 100.
    """
    model = trained_network()
    wrong = []
    for letters in spec_draw(HELD_OUT, seed=1007):
        expected = ALPHABET[ALPHABET.index(letters[-1]) + 1]
        got = lstm_variable_length.predict_next(model, letters, CHAR_TO_INT, INT_TO_CHAR, MAX_LEN, N_VOCAB)
        if got != expected:
            wrong.append(f"{letters}->{got}")
    right = HELD_OUT - len(wrong)
    assert right >= THRESHOLD, (
        f"trained {EPOCHS} epochs, the network should predict the next letter of at least {THRESHOLD} of "
        f"{HELD_OUT} runs drawn apart from its training data; it got {right} (wrong: {', '.join(wrong[:10])}, ...)")
