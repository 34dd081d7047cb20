"""Tutorial 5, classify a photo with VGG16 pre-trained on ImageNet: the tutorial's mug, coffee_mug (75.27%).

The ImageNet weights (vgg16_weights_tf_dim_ordering_tf_kernels.h5, 528 MB) are downloaded by Keras on
first use; this machine has no network and no copy, and the tutorial's photo is not shipped either.
So the published figure cannot be reproduced here. What does run offline: the whole pipeline of the
reference (load_vgg16, load_image, to_batch, preprocess, classify with the shipped ImageNet class
index, format_prediction) on VGG16 with random weights (weights=None: the same 138,357,544 parameters)
and a mug drawn with Pillow. Its "prediction" is meaningless by construction; it shows the pipeline
runs end to end, and how long it takes.
With the weights present (in Keras' cache, ~/.keras/models/, or a file named by
REPRODUCE_VGG16_WEIGHTS) and the tutorial's photo (REPRODUCE_VGG16_PHOTO=mug.jpg), this experiment
runs the real thing, and `python -m solutions.vgg16_classify.vgg16_classify mug.jpg --top 5` does too.
"""

import os
import tempfile
from pathlib import Path

from katakit import env
from reproduce.common import Experiment, Outcome, Progress, reference

WEIGHTS_FILE = "vgg16_weights_tf_dim_ordering_tf_kernels.h5"


def _weights():
    """The ImageNet weights to use: a file named by REPRODUCE_VGG16_WEIGHTS, "imagenet" when Keras has them
    cached (no download), or None (absent)."""
    named = os.environ.get("REPRODUCE_VGG16_WEIGHTS")
    if named and Path(named).is_file():
        return named
    cache = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "models" / WEIGHTS_FILE
    return "imagenet" if cache.is_file() else None


def settings(quick):
    weights = _weights()
    photo = os.environ.get("REPRODUCE_VGG16_PHOTO")
    return {
        "weights": weights or "none: random (ImageNet weights absent, no network)",
        "photo": photo or "a mug drawn with Pillow, 300x300 (the tutorial's photo is not shipped)",
        "input": "224x224 RGB, caffe preprocessing (BGR, minus the ImageNet mean pixel)",
        "top": 5,
        "seed": env.SEED,
    }


def draw_mug(path):
    """A plain picture of a mug: a blue body, a darker rim and a handle on a white table."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 300), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 230, 300, 300], fill=(180, 150, 120))  # the table
    draw.arc([175, 110, 255, 200], start=-90, end=90, fill=(40, 80, 160), width=14)  # the handle
    draw.rounded_rectangle([80, 80, 200, 240], radius=18, fill=(50, 100, 190))  # the body
    draw.ellipse([80, 68, 200, 96], fill=(30, 60, 120))  # the rim
    image.save(path)
    return path


def run(settings, progress: Progress) -> Outcome:
    import keras

    vgg = reference("vgg16_classify")
    weights = _weights()
    photo = os.environ.get("REPRODUCE_VGG16_PHOTO")
    progress.start(2, "step")
    keras.utils.set_random_seed(settings["seed"])
    model = vgg.load_vgg16(weights=weights)
    progress.advance()
    with tempfile.TemporaryDirectory() as scratch:
        path = photo or draw_mug(Path(scratch) / "mug.png")
        top = vgg.classify(model, path, top=settings["top"])
    progress.advance()
    lines = [vgg.format_prediction(label, p) for _, label, p in top]
    details = {"parameters": int(model.count_params()), "top_5": lines}
    bars = {"top-5 probability": {label: p for _, label, p in top}}
    if weights is None or photo is None:
        missing = " and ".join(x for x, gone in (("the ImageNet weights", weights is None),
                                                  ("the tutorial's photo", photo is None)) if gone)
        return Outcome(
            measured=None,
            note=f"Not reproducible here: {missing} {'are' if ' and ' in missing else 'is'} absent (no network). "
            "The tutorial's result needs the 528 MB "
            "ImageNet weights and its mug photo; with them, `python -m solutions.vgg16_classify.vgg16_classify "
            "mug.jpg --top 5` (or this experiment, given REPRODUCE_VGG16_PHOTO, and the weights in Keras' cache "
            "or REPRODUCE_VGG16_WEIGHTS) would print the classes and their probabilities. What ran instead: the "
            f"whole reference pipeline on VGG16 with {'random' if weights is None else 'ImageNet'} weights "
            f"({model.count_params():,} parameters) and {'a drawn mug' if photo is None else photo}; its top "
            f"class, {lines[0]}, means nothing"
            + (" (random weights spread the probability over the 1000 classes, about 0.1% each)."
               if weights is None else " for the tutorial's figure (another photo)."),
            bars=bars, details=details,
        )
    probability = next((p for _, label, p in top if label == "coffee_mug"), None)
    return Outcome(
        measured=probability,
        note=f"ImageNet weights and the photo {photo}: top 5 {', '.join(lines)}. Measured is the probability "
        "of coffee_mug" + ("" if probability is not None else " (not in the top 5)"),
        bars=bars, details=details,
    )


EXPERIMENTS = [
    Experiment("vgg16_classify", "vgg16_classify", "VGG16 ImageNet classifier on a photo", 75.27,
               settings, run, None, cost=20,
               naive_is_ours="the same run as ours: one model load and one prediction, nothing to speed up"),
]
