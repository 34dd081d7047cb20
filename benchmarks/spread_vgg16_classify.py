"""Seed spreads behind tests/test_vgg16_classify.py (see benchmarks/spread.py).

The kata trains nothing, so it has no accuracy threshold. Its one judgement call is in the
command-line spec: it compares the tool's `--top 3` lines, printed by another process from a
weights file, with what the spec's own random-weights VGG16 predicts for the same photo.
These experiments measure what that comparison rests on (each VGG16 build costs seconds and ~550 MB):

  top_gap_ppm   smallest gap between the 4 best probabilities of a random VGG16 on the spec's photo,
                in millionths: the spec lets labels closer than 1 (1e-6) come in either order;
  reload_ppm    largest difference between the probabilities of a VGG16 and of a fresh VGG16 loaded
                from its saved .weights.h5, in millionths: the spec allows 0.0051 percentage points.

Run: nice -n 10 .venv/bin/python benchmarks/spread_vgg16_classify.py top_gap_ppm --seeds 20
"""

import tempfile
from pathlib import Path

import numpy as np
import spread

COLOUR = (200, 120, 40)  # the spec's constant photo


def _batch():
    """The spec's photo, prepared: RGB -> BGR, minus the ImageNet means."""
    photo = np.full((1, 224, 224, 3), COLOUR, dtype=np.float64)
    return (photo[..., ::-1] - [103.939, 116.779, 123.68]).astype("float32")


def top_gap_ppm(seed):
    import keras

    probabilities = keras.applications.VGG16(weights=None).predict(_batch(), verbose=0)[0]
    best = np.sort(probabilities)[::-1][:4]
    return float(np.min(best[:-1] - best[1:]) * 1e6)


def reload_ppm(seed):
    import keras

    model = keras.applications.VGG16(weights=None)
    expected = model.predict(_batch(), verbose=0)[0]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vgg16.weights.h5"
        model.save_weights(path)
        del model
        got = keras.applications.VGG16(weights=str(path)).predict(_batch(), verbose=0)[0]
    return float(np.max(np.abs(got - expected)) * 1e6)


if __name__ == "__main__":
    spread.main({"top_gap_ppm": top_gap_ppm, "reload_ppm": reload_ppm})
