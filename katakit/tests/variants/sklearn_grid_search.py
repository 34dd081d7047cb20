"""Variants of sklearn_grid_search's reference (see katakit/tests/test_variants.py)."""

from katakit.tests.variants import PASSES

WRAP = "classifier = KerasClassifier(model=create_model, verbose=0)"
SEARCH = 'search = GridSearchCV(estimator=classifier, param_grid=param_grid, cv=cv, error_score="raise")'

VARIANTS = [
    # grid
    ("the tutorial's key optimizer", [('"model__optimizer": ["rmsprop", "adam"],', '"optimizer": ["rmsprop", "adam"],')],
     ("grid", "model__optimizer")),
    ("the tutorial's key init", [('"model__init": ["glorot_uniform", "normal", "uniform"],',
                                  '"init": ["glorot_uniform", "normal", "uniform"],')], ("grid", "model__init")),
    ("the Keras 1 key nb_epoch", [('"epochs": [50, 100, 150],', '"nb_epoch": [50, 100, 150],')],
     ("grid", "key the epochs 'epochs'")),
    ("fit__epochs and fit__batch_size", [('"epochs": [50, 100, 150],', '"fit__epochs": [50, 100, 150],'),
                                         ('"batch_size": [5, 10, 20],', '"fit__batch_size": [5, 10, 20],')], PASSES),
    # search
    ("an integer cv (plain KFold)", [("        cv = StratifiedKFold(n_splits=cv)\n", "        pass\n")],
     ("search", "StratifiedKFold")),
    ("a classifier that prints", [(WRAP, "classifier = KerasClassifier(model=create_model)")], ("search", "must train silently")),
    ("wraps a model, not the function", [(WRAP, "classifier = KerasClassifier(model=create_model(), verbose=0)")],
     ("search", "create_model itself")),
    ("searches the tutorial's grid, not its argument",
     [(SEARCH, SEARCH.replace("param_grid=param_grid", "param_grid=tutorial_param_grid()"))],
     ("search", "param_grid it is given")),
]
