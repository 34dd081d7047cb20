"""The Keras 1/2 idioms table: what it tells the learner, and that the kata READMEs agree with it."""

from __future__ import annotations

import re

import pytest

from katakit import idioms, manifest
from katakit.plugin import compose


@pytest.mark.parametrize(("error", "says"), [
    (AttributeError("'Functional' object has no attribute 'predict_classes'"), "`predict_classes` is the Keras 1/2"),
    (TypeError("TensorFlowTrainer.fit() got an unexpected keyword argument 'nb_epoch'"), "use `epochs=`"),
    (ValueError("Unrecognized keyword arguments passed to Dense: {'init': 'uniform'}"), "use `kernel_initializer=`"),
    (ValueError("Unrecognized keyword arguments passed to LSTM: {'batch_input_shape': (1, 1, 1)}"), "batch_shape="),
    (ValueError("Argument(s) not recognized: {'lr': 0.1}"), "use `learning_rate=`"),
    (ImportError("cannot import name 'np_utils' from 'keras.utils'", name="keras.utils"), "to_categorical"),
    (ModuleNotFoundError("No module named 'keras.wrappers.scikit_learn'", name="keras.wrappers.scikit_learn"),
     "scikeras"),
])
def test_a_keras_2_idiom_is_named_with_its_keras_3_spelling(error, says):
    assert says in idioms.explain(error)


@pytest.mark.parametrize("error", [
    AttributeError("'list' object has no attribute 'shape'"),
    TypeError("final_build_fn() got an unexpected keyword argument 'init'"),  # scikeras: the learner's own function
    TypeError("fit() got an unexpected keyword argument 'epoch'"),
    ValueError("could not convert string to float: 'x'"),
])
def test_other_errors_are_left_alone(error):
    assert idioms.explain(error) == ""


def test_the_input_shape_warning_becomes_a_note():
    warning = ("Do not pass an `input_shape`/`input_dim` argument to a layer. When using Sequential models, "
               "prefer using an `Input(shape)` object as the first layer in the model instead.")
    assert idioms.note(warning) == ("note: `input_shape=`/`input_dim=` is the Keras 2 way; use "
                                    "`keras.Input(shape=...)` as the first layer")


def test_numpy_failures_lead_with_the_spec_sentence():
    text = ("\nNot equal to tolerance rtol=1e-07, atol=1e-06\nX[0] must be the first line's first 8 fields\n"
            "Mismatched elements: 8 / 8 (100%)\nMax absolute difference among violations: 147.\n"
            "Max relative difference among violations: 1.\n ACTUAL: array([1., 1., 1., 1., 1., 1., 1., 1.])\n"
            " DESIRED: array([  6.   , 148.   ,  72.   ,  35.   ,   0.   ,  33.6  ,   0.627,  50.   ])\n"
            + "\n".join(f" extra line {i}" for i in range(20)))
    lines = compose.sentence_first(text).splitlines()
    assert lines[0] == "X[0] must be the first line's first 8 fields"
    assert lines[1].strip() == "Not equal to tolerance rtol=1e-07, atol=1e-06"
    assert len(lines) <= 1 + compose.DETAIL_LINES + 1


def what_changed_rows(kata: manifest.Kata) -> list[tuple[str, str]]:
    """(tutorial side, Keras 3 side) of each row of the README's "What changed" table."""
    text = (kata.folder() / "README.md").read_text(encoding="utf-8")
    section = re.search(r"## What changed.*?\n(.*?)(\n## |\Z)", text, re.S)
    rows = []
    for line in (section.group(1) if section else "").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2 and not set(cells[0]) <= set("- "):
            rows.append((cells[0], " | ".join(cells[1:])))
    return rows[1:]  # the header row


@pytest.mark.parametrize("kata", manifest.katas(), ids=lambda k: k.name)
def test_what_changed_tables_agree_with_the_idioms(kata):
    for old_side, new_side in what_changed_rows(kata):
        for idiom in idioms.IDIOMS:
            if idiom.named_in(old_side):
                assert any(mark in new_side for mark in idiom.marks), (
                    f"katas/{kata.name}/README.md: the row for `{idiom.spelled}` must give its Keras 3 spelling "
                    f"as katakit/idioms.py does ({idiom.new}); it says: {new_side}")


def test_a_keyword_is_only_named_inside_the_calls_it_belongs_to():
    init = next(i for i in idioms.IDIOMS if i.old == "init")
    assert init.named_in("`Dense(12, input_dim=8, init='uniform')`")
    assert not init.named_in("`param_grid = dict(optimizer=optimizers, init=init)`")


def test_scikeras_build_fn_warning_becomes_a_note():
    """scikeras 0.13's words; the variant "build_fn=" of sklearn_cross_validation gets the note from scikeras itself."""
    warning = ("``build_fn`` will be renamed to ``model`` in a future release, at which point use of ``build_fn`` "
               "will raise an Error instead.")
    assert idioms.note(warning).startswith("note: `build_fn=` is the Keras 2 way; use `model=`")
