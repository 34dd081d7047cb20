"""Seed spreads behind tests/test_update_ensemble.py (see benchmarks/spread.py), and the README's table.

  .venv/bin/python benchmarks/spread_update_ensemble.py new_only_on_new --seeds 20
  .venv/bin/python benchmarks/spread_update_ensemble.py table --seed 7       # the README's comparison
"""

import sys

import spread

from tests.kit import accuracy, tutorial_classification, two_regions


def _new_only_member(n, epochs):
    from solutions.update_ensemble import update_ensemble as ue

    X_old, y_old, X_new, y_new = two_regions(n=n)
    old = ue._compile_sgd(ue._build_mlp(20))
    return ue.ensemble_new_only(old, X_new, y_new, epochs=epochs)[1], (X_old, y_old, X_new, y_new)


def _old_and_new_member(n, epochs):
    from solutions.update_ensemble import update_ensemble as ue

    X_old, y_old, X_new, y_new = two_regions(n=n)
    old = ue._compile_sgd(ue._build_mlp(20))
    return ue.ensemble_old_and_new(old, X_old, y_old, X_new, y_new, epochs=epochs)[1], (X_old, y_old, X_new, y_new)


def new_only_on_new(seed, n=256, epochs=10):
    """ensemble_new_only's new model: its accuracy on the new rows it was fit on."""
    model, (_, _, X_new, y_new) = _new_only_member(n, epochs)
    return accuracy(model, X_new, y_new)


def new_only_on_old(seed, n=256, epochs=10):
    """ensemble_new_only's new model: its accuracy on the old rows it never saw."""
    model, (X_old, y_old, _, _) = _new_only_member(n, epochs)
    return accuracy(model, X_old, y_old)


def old_and_new_worst(seed, n=256, epochs=10):
    """ensemble_old_and_new's new model: the lower of its accuracies on the old and on the new rows."""
    model, (X_old, y_old, X_new, y_new) = _old_and_new_member(n, epochs)
    return min(accuracy(model, X_old, y_old), accuracy(model, X_new, y_new))


def tutorial_split(random_state=1):
    """The tutorial's problem with held-out rows, as `make reproduce` (reproduce/update_ensemble.py) draws it:
    make_classification(1500 rows, the tutorial's recipe, random_state=1) split with train_test_split
    (random_state=1) into held-out, old and new rows of 500 each (the tutorial's old and new sizes)."""
    from sklearn.model_selection import train_test_split

    X, y = tutorial_classification(n_samples=1500, random_state=random_state)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=1 / 3, random_state=random_state)
    X_old, X_new, y_old, y_new = train_test_split(X_train, y_train, test_size=0.5, random_state=random_state)
    return X_old, y_old, X_new, y_new, X_test, y_test


def compare(seed, epochs=150, key="ensemble_old_and_new"):
    """One strategy's held-out accuracy from compare_strategies on tutorial_split()."""
    from solutions.update_ensemble import update_ensemble as ue

    return ue.compare_strategies(*tutorial_split(), epochs=epochs)[key]


def table(argv):
    """Print compare_strategies' held-out accuracies as the README's markdown table."""
    import argparse
    import time

    import keras

    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=150)
    args = parser.parse_args(argv)
    from solutions.update_ensemble import update_ensemble as ue

    keras.config.disable_interactive_logging()
    data = tutorial_split()
    keras.utils.set_random_seed(args.seed)
    start = time.perf_counter()
    scores = ue.compare_strategies(*data, epochs=args.epochs)
    print(f"compare_strategies, keras.utils.set_random_seed({args.seed}), epochs={args.epochs} "
          f"(updates {max(1, round(args.epochs * 2 / 3))}), {time.perf_counter() - start:.0f} s\n")
    print("| strategy | held-out accuracy |\n| --- | --- |")
    for name, value in scores.items():
        print(f"| `{name}` | {value:.3f} |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["table"]:
        table(sys.argv[2:])
    else:
        spread.main({"new_only_on_new": new_only_on_new, "new_only_on_old": new_only_on_old,
                     "old_and_new_worst": old_and_new_worst, "compare": compare})
