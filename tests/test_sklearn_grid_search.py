"""Specs for kata 9, sklearn_grid_search: grid search over the Pima network's hyper-parameters.

The tutorial's grid (54 candidates, 3 folds, up to 150 epochs in batches of 5) takes about 23
minutes here. The specs search tiny grids instead (1 or 2 candidates, 2 folds, 1 or 2 epochs of a
few batches, 240 rows), built from the keys of the learner's own grid, and check which settings
reach the trained model; summarize is checked on a fitted search of decision trees, which takes
milliseconds. None of them asserts an accuracy threshold.

Keras runs eagerly in this file: see run_eagerly in tests/pima_model_specs.py.
"""

import ast
import math
import re

import keras
import numpy as np
import pytest
from scikeras.wrappers import KerasClassifier
from sklearn.model_selection import GridSearchCV, ParameterGrid
from sklearn.tree import DecisionTreeClassifier

from katakit.loader import kata
from tests.kit import printed
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

gs_kata = kata("sklearn_grid_search")

# 240 rows sorted by class: the first 120 rows of class 0, then the first 120 of class 1. Stratified
# folds mix both classes; plain KFold(2) would train on one class and test on the other.
SORTED_ROWS = np.concatenate([np.flatnonzero(Y_ALL == 0)[:120], np.flatnonzero(Y_ALL == 1)[:120]])
X_SORTED, Y_SORTED = X_ALL[SORTED_ROWS], Y_ALL[SORTED_ROWS]

TUTORIAL_VALUES = {  # what each of the tutorial's grid entries holds, whatever the key is called
    "optimizer": ["rmsprop", "adam"],
    "init": ["glorot_uniform", "normal", "uniform"],
    "epochs": [50, 100, 150],
    "batch_size": [5, 10, 20],
}

pytestmark = pytest.mark.filterwarnings("ignore:Even though the `tf.config.experimental_run_functions_eagerly`")


def grid_keys():
    """{"optimizer": key, "init": key, ...}: the learner's key for each of the tutorial's grid entries."""
    grid = gs_kata.tutorial_param_grid()
    keys = {}
    for entry, values in TUTORIAL_VALUES.items():
        matching = [key for key, got in dict(grid).items() if sorted(map(str, got)) == sorted(map(str, values))]
        if len(matching) != 1:
            pytest.fail(f"this spec searches with the keys of tutorial_param_grid(), so fix it first: it must "
                        f"hold one entry with the values {values} (the {entry} entry); got {grid!r}", pytrace=False)
        keys[entry] = matching[0]
    return keys


# Step "model": define the model (its specs, shared with kata 8, are in pima_model_specs.py) ------

class TestCreateModel(PimaModelSpecs):
    kata = gs_kata


# Step "grid": define the parameter grid -------------------------------------------------

@pytest.mark.step("grid")
def test_tutorial_param_grid_holds_exactly_the_tutorials_values():
    grid = gs_kata.tutorial_param_grid()
    assert isinstance(grid, dict), f"return a dict of {{key: list of values}}, got {type(grid).__name__}"
    got = sorted(sorted(map(str, values)) for values in grid.values())
    expected = sorted(sorted(map(str, values)) for values in TUTORIAL_VALUES.values())
    assert got == expected, (
        "the grid must hold the tutorial's four entries: optimizers rmsprop and adam; initialisers "
        "glorot_uniform, normal and uniform; epochs 50, 100 and 150; batch sizes 5, 10 and 20. "
        f"Got {grid!r}")
    numbers = {key: values for key, values in grid.items() if sorted(map(str, values)) in (["10", "20", "5"],
                                                                                          ["100", "150", "50"])}
    assert all(isinstance(v, int) for values in numbers.values() for v in values), (
        f"epochs and batch sizes must be integers, got {numbers!r}")
    assert len(ParameterGrid(grid)) == 54, (
        f"2 x 3 x 3 x 3 = 54 candidates expected, ParameterGrid gives {len(ParameterGrid(grid))}")


def stand_in(calls):
    """A stand-in for create_model that records the arguments scikeras calls it with: step 2 needs no step 1."""
    def create_model(optimizer="rmsprop", init="glorot_uniform"):
        calls.append({"optimizer": optimizer, "init": init})
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, kernel_initializer=init,
                                                                        activation="sigmoid")])
        model.compile(loss="binary_crossentropy", optimizer=optimizer)
        return model
    return create_model


ROUTING = ("scikeras passes create_model only the parameters keyed model__<argument>; epochs and batch_size "
           "are its own")
KEYED = {"optimizer": "key the optimizers 'model__optimizer'", "init": "key the initialisers 'model__init'",
         "epochs": "key the epochs 'epochs'", "batch_size": "key the batch sizes 'batch_size'"}


@pytest.mark.step("grid")
def test_tutorial_param_grid_keys_reach_create_model():
    """Every optimizer and initialiser of the grid, under the grid's own keys, must reach create_model.

    The spec sets each of the 6 (optimizer, initialiser) candidates, with the grid's first epochs and
    batch size, on a KerasClassifier around a stand-in for create_model that records its arguments, and
    builds the model (scikeras' initialize(): no training). The tutorial's keys fail here: scikeras
    refuses `init` (set_params raises ValueError), and takes `optimizer` as its own compile setting, which
    a create_model that compiles never sees (every candidate would train with RMSprop).
    """
    keys = grid_keys()
    grid = gs_kata.tutorial_param_grid()
    fixed = {keys[entry]: sorted(grid[keys[entry]])[0] for entry in ("epochs", "batch_size")}
    for optimizer in TUTORIAL_VALUES["optimizer"]:
        for init in TUTORIAL_VALUES["init"]:
            candidate = {keys["optimizer"]: optimizer, keys["init"]: init, **fixed}
            calls = []
            classifier = KerasClassifier(model=stand_in(calls), verbose=0)
            try:
                classifier.set_params(**candidate).initialize(X_ALL[:16], Y_ALL[:16])
            except (ValueError, TypeError) as error:
                refused = re.search(r"Invalid parameter (\w+)|unexpected keyword argument '(\w+)'", str(error))
                name = next((g for g in refused.groups() if g), None) if refused else None
                entry = next((e for e, k in keys.items() if name and k.endswith(name)), None)
                fix = KEYED.get(entry, "; ".join(KEYED.values()))
                pytest.fail(f"scikeras could not use the grid's candidate {candidate}: "
                            f"{type(error).__name__}: {str(error).splitlines()[0].rstrip('.')}. {ROUTING}: {fix}",
                            pytrace=False)
            got = calls[-1]
            assert got["optimizer"] == optimizer, (
                f"with the grid's {keys['optimizer']!r}: {optimizer!r} create_model must be called with "
                f"optimizer={optimizer!r}, it was called with optimizer={got['optimizer']!r}. {ROUTING}; a top-level "
                "'optimizer' is scikeras' own compile setting, ignored when create_model compiles, so every "
                "candidate would train with RMSprop: " + KEYED["optimizer"])
            assert got["init"] == init, (
                f"with the grid's {keys['init']!r}: {init!r} create_model must be called with init={init!r}, it "
                f"was called with init={got['init']!r}. {ROUTING}: " + KEYED["init"])


# Step "search": run the grid search -----------------------------------------------------

SEARCH_PITFALLS = ("every step takes part in the search (create_model, the grid's keys, grid_search): "
                   "see README, \"Known pitfalls\"")


def watched_search(monkeypatch, grid):
    """grid_search(X_SORTED, Y_SORTED, grid, cv=2), watched as GridSearchCV.fit starts: a search of another grid
    (the tutorial's 54 candidates take 23 minutes) or around a built model is stopped before it trains."""
    fit = GridSearchCV.fit

    def watched_fit(searcher, *args, **kwargs):
        searched = list(ParameterGrid(searcher.param_grid))
        assert searched == list(ParameterGrid(grid)), (
            f"grid_search must search the param_grid it is given, here {grid} ({len(ParameterGrid(grid))} "
            f"candidate(s)); its GridSearchCV was about to search {len(searched)} candidate(s) of "
            f"{searcher.param_grid}: pass param_grid=param_grid")
        wrapped = searcher.estimator.get_params().get("model")
        assert not isinstance(wrapped, keras.Model), (
            "grid_search must wrap the function create_model itself, KerasClassifier(model=create_model, "
            "verbose=0), not a model it built (model=create_model()): scikeras calls the function for every "
            "candidate, with that candidate's model__optimizer and model__init")
        return fit(searcher, *args, **kwargs)

    monkeypatch.setattr(GridSearchCV, "fit", watched_fit)
    return gs_kata.grid_search(X_SORTED, Y_SORTED, grid, cv=2)


@pytest.mark.step("search")
@pytest.mark.parametrize(("optimizer", "expected_optimizer", "init"), [
    ("adam", keras.optimizers.Adam, "uniform"),
    ("rmsprop", keras.optimizers.RMSprop, "normal"),
])
def test_every_grid_key_reaches_the_trained_model(monkeypatch, optimizer, expected_optimizer, init):
    """Each key of tutorial_param_grid(), used by grid_search, must change the model that is trained.

    The spec searches one candidate with the learner's keys: the optimizer and the initialiser
    from the tutorial's values, 2 epochs and batches of 64 (small, so that it stays fast), and
    inspects the refitted best model. (scikeras passes only `model__<name>` to create_model's
    argument <name>: a top-level `optimizer` is silently ignored by a compiled model, and
    `init` is refused by set_params.)
    """
    keys = grid_keys()
    small = {keys["optimizer"]: [optimizer], keys["init"]: [init], keys["epochs"]: [2], keys["batch_size"]: [64]}
    best = getattr(watched_search(monkeypatch, small), "best_estimator_", None)
    assert best is not None, "grid_search must return the fitted GridSearchCV (refit on, the default)"
    model = best.model_
    assert isinstance(model.optimizer, expected_optimizer), (
        f"with {keys['optimizer']!r}: [{optimizer!r}] the trained model must use "
        f"{expected_optimizer.__name__}, got {type(model.optimizer).__name__}; " + SEARCH_PITFALLS)
    got = [initializer_of(layer) for layer in dense_layers(model)]
    assert got == [expected_initializer(init)] * 3, (
        f"with {keys['init']!r}: [{init!r}] every Dense kernel initializer must be "
        f"{expected_initializer(init)}, got {got}; " + SEARCH_PITFALLS)
    trained = trained_epochs_and_steps(best)
    assert trained == (2, math.ceil(240 / 64)), (
        f"with {keys['epochs']!r}: [2] and {keys['batch_size']!r}: [64] the refitted model must train "
        f"2 epochs of {math.ceil(240 / 64)} batches on the 240 rows; it trained (epochs, steps) = {trained}; "
        + SEARCH_PITFALLS)


@pytest.mark.step("search")
def test_grid_search_returns_a_fitted_search_over_stratified_folds_silently(monkeypatch, capfd):
    """grid_search returns the fitted GridSearchCV: every candidate scored on each fold, the best refitted,
    and nothing printed.

    The rows are sorted by class. GridSearchCV gives a classifier stratified folds, each holding
    both classes; scikit-learn 1.9 does not recognise scikeras 0.13's KerasClassifier as a
    classifier (is_classifier() is False), so with cv=2 it would use plain KFold: each fold would
    train on one class only, test on the other, and score 0.
    benchmarks/spread_sklearn_grid_search.py, this search over Keras seeds 0-19: the reference's
    lowest fold score was min 0.358, mean 0.464, max 0.500; with cv=KFold(2), 0.000 at each of
    seeds 0-4. The bound "> 0" sits between the two with a margin of 0.358.
    """
    keys = grid_keys()
    small = {keys["optimizer"]: ["rmsprop", "adam"], keys["init"]: ["glorot_uniform"],
             keys["epochs"]: [1], keys["batch_size"]: [64]}
    keras.config.enable_interactive_logging()  # what a learner's script has: progress bars on stdout
    try:
        search = watched_search(monkeypatch, small)
    finally:
        keras.config.disable_interactive_logging()
    out = capfd.readouterr().out
    assert isinstance(search, GridSearchCV), f"return the GridSearchCV, got {type(search).__name__}"
    assert hasattr(search, "best_estimator_"), (
        "return the GridSearchCV after fit(X, y) (fit returns the search itself)")
    candidates = list(ParameterGrid(small))
    assert search.best_params_ in candidates, (
        f"best_params_ must be one of the grid's candidates {candidates}, got {search.best_params_}")
    assert list(search.cv_results_["params"]) == candidates, (
        f"cv_results_ must hold the grid's {len(candidates)} candidates, got {search.cv_results_['params']}")
    assert search.n_splits_ == 2, f"cv=2 must give 2 folds, the search used {search.n_splits_}"
    model = search.best_estimator_.model_
    winner = {"rmsprop": "RMSprop", "adam": "Adam"}[search.best_params_[keys["optimizer"]]]
    expected = (winner, [expected_initializer("glorot_uniform")] * 3)
    got = (type(model.optimizer).__name__, [initializer_of(layer) for layer in dense_layers(model)])
    assert got == expected, (
        f"best_estimator_ must be refitted with best_params_ {search.best_params_}: "
        f"(optimizer, kernel initializers) must be {expected}, got {got}")
    folds = np.array([search.cv_results_[f"split{i}_test_score"] for i in range(2)]).T
    assert np.all(folds > 0), (
        "with the rows sorted by class (120 of class 0, then 120 of class 1), a fold scored "
        f"{folds.tolist()} (rows: candidates, columns: folds); a fold scoring 0 trained on one class and "
        "tested on the other. scikit-learn 1.9 does not see scikeras' KerasClassifier as a classifier, so "
        "an integer cv gives plain KFold: pass cv=StratifiedKFold(n_splits=cv), as the tutorial's stack did")
    assert out == "", (
        "grid_search must train silently, KerasClassifier(model=create_model, verbose=0); the search printed:\n"
        + printed(out))


# Step "summarize": summarize the results ------------------------------------------------

NUMBER = r"(\d+\.\d{6})"  # "%f": six decimals


@pytest.fixture(scope="module")
def tree_search():
    """A fitted grid search of 6 candidates (decision trees: milliseconds) whose best is not the first."""
    search = GridSearchCV(DecisionTreeClassifier(random_state=0),
                          {"criterion": ["gini", "entropy"], "max_depth": [1, 3, 5]}, cv=3)
    search.fit(X_ALL, Y_ALL)
    assert search.best_index_ != 0, "spec set-up: the best candidate must not be the first"
    return search


@pytest.mark.step("summarize")
def test_summarize_starts_with_the_best_score_and_its_parameters(tree_search):
    lines = gs_kata.summarize(tree_search)
    assert isinstance(lines, list), f"return a list of lines, got {type(lines).__name__}"
    assert lines, "the list of lines is empty"
    first = str(lines[0])
    expected = f"Best: {tree_search.best_score_:f} using {tree_search.best_params_}"
    match = re.fullmatch(rf"Best: {NUMBER} using (\{{.*\}})", first)
    assert match, f"the first line must read like {expected!r}, got {first!r}"
    assert float(match[1]) == pytest.approx(tree_search.best_score_, abs=5e-7), (
        f"the first line must give best_score_ = {tree_search.best_score_:f}, got {first!r}")
    assert ast.literal_eval(match[2]) == tree_search.best_params_, (
        f"the first line must give best_params_ = {tree_search.best_params_}, got {first!r}")


@pytest.mark.step("summarize")
def test_summarize_gives_one_line_per_candidate_with_mean_and_std(tree_search):
    lines = [str(line) for line in gs_kata.summarize(tree_search)]
    results = tree_search.cv_results_
    n = len(results["params"])
    assert len(lines) == 1 + n, f"expected the Best line and then {n} candidate lines, got {len(lines)} lines"
    for i, line in enumerate(lines[1:]):
        mean, std, params = results["mean_test_score"][i], results["std_test_score"][i], results["params"][i]
        expected = f"{mean:f} ({std:f}) with: {params!r}"
        match = re.fullmatch(rf"{NUMBER} \({NUMBER}\) with: (\{{.*\}})", line)
        assert match, f"candidate line {i + 1} must read like {expected!r}, got {line!r}"
        got = (float(match[1]), float(match[2]), ast.literal_eval(match[3]))
        assert got[2] == params, (
            f"candidate lines follow cv_results_['params']: line {i + 1} must be about {params}, got {line!r}")
        assert got[:2] == (pytest.approx(mean, abs=5e-7), pytest.approx(std, abs=5e-7)), (
            f"line {i + 1} must give mean_test_score {mean:f} and std_test_score ({std:f}), got {line!r}")
