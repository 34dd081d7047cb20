"""Seed spreads behind tests/test_update_retrain.py (see benchmarks/spread.py).

  .venv/bin/python benchmarks/spread_update_retrain.py fit_loss_ratio --seeds 20
"""

import numpy as np
import spread

from tests.kit import tutorial_classification


def _reference():
    from solutions.update_retrain import update_retrain

    return update_retrain


def fit_loss_ratio(seed, epochs=3):
    """fit_model on the tutorial's first 500 rows: the last epoch's loss over the first epoch's."""
    X, y = tutorial_classification()
    ref = _reference()
    model = ref.compile_sgd(ref.build_mlp(20))
    losses = ref.fit_model(model, X[:500], y[:500], epochs=epochs).history["loss"]
    return losses[-1] / losses[0]


def _old_model():
    """The spec's old model: its MLP trained 2 epochs on the 128 old rows (feature 1 zeroed)."""
    from tests import test_update_retrain as spec  # the spec's own fixture, measured as the spec uses it

    spec.old_weights.cache_clear()
    return spec.trained_old_model(), spec


def update_feature_1_change(seed):
    """update_on_new at its default rate, 2 epochs: the largest change of feature 1's first-layer weights
    (feature 1 varies only in the new rows); feature 0's (0 in every new row) is printed, and must be 0."""
    model, spec = _old_model()
    before = [w.copy() for w in model.get_weights()]
    _reference().update_on_new(model, spec.X_NEW, spec.Y_NEW, epochs=2)
    after = model.get_weights()
    print(f"  feature 0 moved {float(np.max(np.abs(after[0][0] - before[0][0]))):.3g}")
    return float(np.max(np.abs(after[0][1] - before[0][1])))


if __name__ == "__main__":
    spread.main({"fit_loss_ratio": fit_loss_ratio, "update_feature_1_change": update_feature_1_change})
