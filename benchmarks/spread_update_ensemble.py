"""Seed spreads behind tests/test_update_ensemble.py (see benchmarks/spread.py), and the README's table.

  .venv/bin/python benchmarks/spread_update_ensemble.py new_only_on_new --seeds 20
  .venv/bin/python benchmarks/spread_update_ensemble.py table --seed 7       # the README's comparison
  .venv/bin/python benchmarks/spread_update_ensemble.py compare_sides --seeds 20
  .venv/bin/python benchmarks/spread_update_ensemble.py zero_input_margin --seeds 200
"""

import sys

import numpy as np
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


def compare_sides(seed):
    """compare_strategies on the spec's all-zero data: how many of the six strategies put the all-zero test
    rows on the side of 0.5 the spec expects (tests/test_update_ensemble.py, ABOVE)."""
    from solutions.update_ensemble import update_ensemble as ue
    from tests import test_update_ensemble as spec

    scores = ue.compare_strategies(*spec.compare_data(), epochs=spec.COMPARE_EPOCHS)
    return sum((scores[name] > 0.5) == above for name, above in spec.ABOVE.items())


def _trained_bias(bias, labels, epochs, learning_rate, rng):
    """The output bias after model.fit on all-zero rows: SGD with momentum 0.9, batches of 32, shuffled."""
    velocity = 0.0
    for _ in range(epochs):
        order = rng.permutation(len(labels))
        for start in range(0, len(labels), 32):
            gradient = 1 / (1 + np.exp(-bias)) - labels[order[start:start + 32]].mean()
            velocity = 0.9 * velocity - learning_rate * gradient
            bias += velocity
    return bias


def zero_input_margin(seed, show=0):
    """The spec's all-zero data in numpy: how far the output bias of every strategy ends on the side of 0 the
    spec expects, and that of the mistakes the spec's message names on the other side (an update that
    continues the other one, updates from new weights, updates for all the epochs); the smallest of those
    distances (negative: a bias on the wrong side). --set show=1 prints each."""
    from tests import test_update_ensemble as spec

    rng = np.random.default_rng(seed)
    X_old, y_old, X_new, y_new, _, _ = spec.compare_data()
    epochs, updates = spec.COMPARE_EPOCHS, round(spec.COMPARE_EPOCHS * 2 / 3)
    y_old, y_new = y_old.astype(float), y_new.astype(float)
    y_both = np.concatenate([y_old, y_new])
    old = _trained_bias(0.0, y_old, epochs, 0.01, rng)
    on_new, on_both = (_trained_bias(old, y, updates, 0.001, rng) for y in (y_new, y_both))
    new_on_new, new_on_both = (_trained_bias(0.0, y, epochs, 0.01, rng) for y in (y_new, y_both))
    above = spec.ABOVE
    ends = {  # (bias, whether the spec expects it above 0); an ensemble is above 0.5 when its biases' sum is
        "keep_old": (old, above["keep_old"]), "update_on_new": (on_new, above["update_on_new"]),
        "update_on_both": (on_both, above["update_on_both"]),
        "new_model_on_new": (new_on_new, above["new_model_on_new"]),
        "ensemble_new_only": (old + new_on_new, above["ensemble_new_only"]),
        "ensemble_old_and_new": (old + new_on_both, above["ensemble_old_and_new"]),
        "mistake: update_on_both after update_on_new": (_trained_bias(on_new, y_both, updates, 0.001, rng), False),
        "mistake: update_on_new after update_on_both": (_trained_bias(on_both, y_new, updates, 0.001, rng), False),
        "mistake: update_on_new from new weights": (_trained_bias(0.0, y_new, updates, 0.001, rng), False),
        "mistake: update_on_both from new weights": (_trained_bias(0.0, y_both, updates, 0.001, rng), False),
        "mistake: update_on_new for all the epochs": (_trained_bias(old, y_new, epochs, 0.001, rng), False),
        "mistake: update_on_both for all the epochs": (_trained_bias(old, y_both, epochs, 0.001, rng), False),
    }
    if show:
        for name, (bias, up) in ends.items():
            print(f"  {name}: {bias:+.4f} (expected {'above' if up else 'below'} 0)")
    return min(bias if up else -bias for bias, up in ends.values())


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
                     "old_and_new_worst": old_and_new_worst, "compare": compare, "compare_sides": compare_sides,
                     "zero_input_margin": zero_input_margin})
