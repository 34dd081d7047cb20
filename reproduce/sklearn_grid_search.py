"""Tutorial 4, second part: grid search over optimizer, initialiser, epochs and batch size.

The tutorial searches 2 optimizers x 3 initialisers x 3 epoch counts x 3 batch sizes = 54 candidates
with 3-fold cross-validation on the Pima data, then refits the best; it reports
"Best: 0.752604 using {'batch_size': 5, 'epochs': 150, 'init': 'uniform', 'optimizer': 'adam'}".
Ours: the reference's grid_search(X, y, tutorial_param_grid(), cv=3), unchanged, with two extra grid
keys of a single value each: `model`, the reference's create_model, seeded (keras.utils.set_random_seed(7)
before every fit's model is built) and made to run one TensorFlow call per epoch (steps_per_execution;
scikeras builds the model, so only the model function can set it); and `predict__batch_size`, so that
scoring a fold predicts it in one batch. Still 54 candidates and 162 fits
plus the refit. The fits run in N_JOBS worker processes (joblib, which the reference's GridSearchCV
obeys); the seed per fit makes every score the same whichever worker runs it, and the same as a
one-process run.
Naive: the tutorial's GridSearchCV with plain fits on one core, on a measured sample (one optimizer
and initialiser, all three batch sizes and folds, at two small epoch counts), extrapolated to the 54
candidates, plus the refit of the best candidate timed the same way.
"""

import os

from katakit import env
from reproduce.common import (
    ONE_BATCH,
    Experiment,
    Naive,
    OneExecutionPerEpoch,
    Outcome,
    Progress,
    load_pima,
    reference,
    scaled,
    timed,
)

# Worker processes for the fits. Three on two cores: each leaves its core idle between steps (see
# reproduce/runner.py), and the runner runs another experiment beside the search.
N_JOBS = int(os.environ.get("REPRODUCE_GRID_JOBS", "3"))


def _grid(quick):
    gs = reference("sklearn_grid_search")
    grid = gs.tutorial_param_grid()
    if quick:  # 2 candidates x 2 folds, 1-2 epochs
        grid = {key: values[:1] for key, values in grid.items()}
        grid["epochs"], grid["batch_size"] = [1], [10, 20]
    return grid


def settings(quick):
    grid = _grid(quick)
    candidates = 1
    for values in grid.values():
        candidates *= len(values)
    return {
        "data": "data/pima-indians-diabetes.csv (768 rows)",
        "param_grid": grid,
        "candidates": candidates,
        "cv": 2 if quick else 3,
        "refit": "the best candidate on all 768 rows",
        "seed": f"{env.SEED}, set before every fit",
        "n_jobs": N_JOBS,
    }


def run(settings, progress: Progress) -> Outcome:
    import joblib
    import keras

    gs = reference("sklearn_grid_search")
    X, y = load_pima()
    fits = settings["candidates"] * settings["cv"] + 1
    progress.start(fits, "fit")
    grid = dict(settings["param_grid"], model=[OneExecutionPerEpoch(gs.create_model, progress, seed=env.SEED)],
                predict__batch_size=[ONE_BATCH])
    keras.utils.set_random_seed(env.SEED)
    try:
        with joblib.parallel_config(backend="loky", n_jobs=settings["n_jobs"]):
            search = gs.grid_search(X, y, grid, cv=settings["cv"])
    finally:  # loky keeps idle workers for 5 minutes, and this process would wait for them at exit
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=True)
    lines = gs.summarize(search)
    best = {k: v for k, v in search.best_params_.items() if k not in ("model", "predict__batch_size")}
    results = search.cv_results_
    short = {"glorot_uniform": "glorot", "rmsprop": "rms"}

    def label(params):
        return "/".join(str(short.get(params[k], params[k])) for k in
                        ("model__optimizer", "model__init", "epochs", "batch_size"))

    history = search.best_estimator_.history_
    return Outcome(
        measured=float(search.best_score_),
        note=f"Best mean accuracy over the {settings['cv']} folds, with {best}. Every fit starts from seed "
        f"{env.SEED}'s draws, so the candidates differ only by their hyper-parameters. The tutorial's best was "
        "uniform/adam/150 epochs/batch 5; with 54 candidates whose means lie within a few points of each "
        "other, which one wins is largely seed noise.",
        curves={"loss": {"refit of the best": history["loss"]},
                "accuracy": {"refit of the best": history["accuracy"]}},
        bars={"mean CV accuracy (optimizer/init/epochs/batch)":
              {label(p): float(m) for p, m in zip(results["params"], results["mean_test_score"], strict=True)}},
        details={"best_params": best, "summary": lines},
    )


def naive(settings, progress: Progress, full: bool) -> Naive:
    import keras
    from scikeras.wrappers import KerasClassifier
    from sklearn.model_selection import GridSearchCV

    gs = reference("sklearn_grid_search")
    X, y = load_pima()
    grid, cv = settings["param_grid"], settings["cv"]

    def tutorial(subgrid, refit=True):  # the tutorial's code: plain fits, candidate after candidate
        GridSearchCV(KerasClassifier(model=gs.create_model, verbose=0), subgrid, cv=cv, refit=refit).fit(X, y)

    if full:
        seconds = timed(lambda: tutorial(grid))
        return Naive(seconds, "measured", f"the tutorial's grid search timed in full ({settings['candidates']} "
                     f"candidates x {cv} folds and the refit)")
    # Time per candidate = fixed + per-epoch cost (which depends on the batch size, not on the optimizer
    # or initialiser): time one optimizer/initialiser pair over every batch size and fold at two epoch
    # counts, extrapolate to each epoch count of the grid, times the optimizer/initialiser pairs.
    small, large = 2, 6
    sample = {"model__optimizer": grid["model__optimizer"][:1], "model__init": grid["model__init"][:1],
              "batch_size": grid["batch_size"]}
    t_small = timed(lambda: tutorial(dict(sample, epochs=[small]), refit=False))
    t_large = timed(lambda: tutorial(dict(sample, epochs=[large]), refit=False))
    per_epoch = max(0.0, (t_large - t_small) / (large - small))
    fixed = max(0.0, t_small - per_epoch * small)
    pairs = len(grid["model__optimizer"]) * len(grid["model__init"])
    folds_seconds = pairs * sum(fixed + per_epoch * epochs for epochs in grid["epochs"])
    # The refit: the tutorial's best candidate (batch 5, 150 epochs) on all rows, timed the same way.
    best_batch, best_epochs = min(grid["batch_size"]), max(grid["epochs"])

    def refit(n_epochs):
        keras.utils.set_random_seed(env.SEED)
        KerasClassifier(model=gs.create_model, verbose=0, epochs=n_epochs, batch_size=best_batch).fit(X, y)

    r_small, r_large = timed(lambda: refit(scaled(best_epochs, 0.02))), timed(lambda: refit(scaled(best_epochs, 0.06)))
    r_per_epoch = max(0.0, (r_large - r_small) / max(1, scaled(best_epochs, 0.06) - scaled(best_epochs, 0.02)))
    refit_seconds = max(0.0, r_small - r_per_epoch * scaled(best_epochs, 0.02)) + r_per_epoch * best_epochs
    seconds = folds_seconds + refit_seconds
    return Naive(seconds, "extrapolated",
                 f"one optimizer/initialiser pair over the {len(grid['batch_size'])} batch sizes x {cv} folds timed "
                 f"at {small} and {large} epochs ({t_small:.1f} s, {t_large:.1f} s): {fixed:.1f} s fixed + "
                 f"{per_epoch:.2f} s per epoch, summed over the epoch counts {grid['epochs']} and times {pairs} "
                 f"pairs = {folds_seconds:.0f} s; plus the refit (batch {best_batch}, {best_epochs} epochs, "
                 f"timed the same way) {refit_seconds:.0f} s")


EXPERIMENTS = [
    Experiment("sklearn_grid_search", "sklearn_grid_search", "Pima MLP, grid search over 4 hyper-parameters",
               75.26, settings, run, naive, cost=600),
]
