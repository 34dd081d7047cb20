# %% Setup
"""Kata 10, classify a photo with pre-trained VGG16, and a command-line photo classifier.

Tutorial: "How to Use The Pre-Trained VGG Model to Classify Objects in Photographs".
Your file: replace each TODO with code. Instructions in README.md, hints in HINTS.md;
`make test KATA=vgg16_classify` checks your work step by step. Once solved, run it as a tool
from the project folder:
    python -m katas.vgg16_classify.vgg16_classify data/china.jpg --top 5
"""

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

# TensorFlow logs its start-up to stderr unless these are set before it is imported; a user's own values win.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras
import numpy as np
from PIL import Image, UnidentifiedImageError

from katakit.paths import IMAGENET_CLASS_INDEX  # data/imagenet_class_index.json, shipped with the project


# %% Step 1: Load the VGG model
def load_vgg16(weights="imagenet"):
    """Step 1, load the VGG model: VGG16 with its 1000-class ImageNet classifier on top.

    `weights` is "imagenet" (downloaded on first use, 528 MB), None (random weights: the same
    architecture, nothing downloaded) or the path of a weights file. Input 224x224x3, 1000 outputs,
    138,357,544 parameters.
    """
    # TODO: keras.applications.VGG16(...), passing `weights` on.
    raise NotImplementedError("Step 1 (Load the VGG model): build keras.applications.VGG16 with the given weights")


# %% Step 2: Load the image
def load_image(path, target_size=(224, 224)):
    """Step 2, load the image: the photo at `path` as an array (height, width, 3) of RGB values, as floats.

    Any size and mode (RGB, RGBA, grayscale, palette; PNG, JPEG, ...) is resized to
    `target_size` = (height, width) and converted to three RGB channels with values in [0, 255].
    """
    # TODO: keras.utils.load_img(...) opens and resizes the photo (and converts it to RGB);
    #       keras.utils.img_to_array(...) turns it into a NumPy array.
    raise NotImplementedError("Step 2 (Load the image): load the photo as a (224, 224, 3) RGB array")


# %% Step 3: Prepare the image
def to_batch(image):
    """Step 3, prepare the image: a batch of one, (1, height, width, 3), from an image (height, width, 3).

    `image` is left unchanged.
    """
    # TODO: add a batch axis in front (the tutorial reshapes; np.expand_dims says what it does).
    raise NotImplementedError("Step 3 (Prepare the image): put a batch axis in front of the image")


def preprocess(batch):
    """Step 3, prepare the image: VGG's "caffe" preprocessing of a batch (n, height, width, 3) of RGB pixels.

    The channels are reordered RGB -> BGR, then the ImageNet mean pixel (B 103.939, G 116.779,
    R 123.68) is subtracted; no scaling. Returns a new float array; `batch` is left unchanged.
    """
    # TODO: the tutorial calls keras.applications.vgg16.preprocess_input, which writes over a float
    #       array it is given (see README.md). Return a new array: reorder the channels, subtract the means.
    raise NotImplementedError("Step 3 (Prepare the image): RGB -> BGR, minus the ImageNet mean pixel, on a copy")


# %% Step 4: Make a prediction
def classify(model, path, top=1):
    """Step 4, make a prediction: the `top` most likely classes of the photo at `path`, best first.

    Loads and prepares the image (steps 2 and 3), runs the model and decodes its 1000 outputs
    with the ImageNet class index shipped in data/. Returns a list of `top` tuples
    (wnid, label, probability), e.g. [("n03063599", "coffee_mug", 0.7527)]. A `top` outside
    1..1000 raises ValueError.
    """
    # TODO: reject a top outside 1..1000 (ValueError); then load_image, to_batch, preprocess, and
    #       model.predict(..., verbose=0): 1000 probabilities.
    # TODO: the class index (json) maps "504" to ["n03063599", "coffee_mug"]; take the `top`
    #       largest probabilities, best first (np.argsort), and return (wnid, label, probability) tuples.
    raise NotImplementedError("Step 4 (Make a prediction): predict and decode the top classes")


# %% Step 5: Interpret the prediction
def format_prediction(label, probability):
    """Step 5, interpret the prediction: a label and its probability in [0, 1] as text,
    e.g. ("coffee_mug", 0.7527) -> "coffee_mug (75.27%)". A probability outside [0, 1], nan
    included, raises ValueError.
    """
    # TODO: a percentage with two decimals; reject a probability outside [0, 1] with ValueError
    #       (`not 0 <= probability <= 1` rejects nan too; `probability < 0 or probability > 1` does not).
    raise NotImplementedError("Step 5 (Interpret the prediction): format the label and its percentage")


# %% Step 6: Command-line tool
def main(argv=None):
    """Step 6, the command-line tool: `IMAGE [--top K] [--weights imagenet|none|PATH]`.

    Prints one line "label (xx.xx%)" per class, best first, and returns 0. A missing file, a
    directory, a file that is not an image or a truncated image: one line on stderr naming the
    file, nothing on stdout, return 2, before the model loads. So does a --weights file that is
    missing or does not load, and ImageNet weights that cannot be downloaded (offline): stdout holds
    the answer only, so Keras' download messages go to stderr.
    """
    # TODO: argparse: the image, --top (an int), --weights ("imagenet", "none" meaning None, or a path).
    # TODO: check the image first (exists, not a directory, Pillow decodes it: load_image, or
    #       Image.open(path).load(), raises UnidentifiedImageError or another OSError); on a problem
    #       print ONE line naming the file to sys.stderr and return 2.
    #       Why the order matters: a user who mistypes a name should hear so at once, not after the
    #       model has loaded. `import keras` at the top of this file already costs seconds on every
    #       run; to answer a typo in a blink, import keras inside the functions that use it and check
    #       with Pillow alone (README.md, step 6, shows the times; speed is not a spec).
    # TODO: load_vgg16 (a --weights file that is missing or does not load: one line on stderr, return 2),
    #       classify, and print format_prediction(...) for each class; return 0. Return the status,
    #       never sys.exit() inside main: the last line of this file makes it the exit status.
    #       The default weights are downloaded on first use: Keras says so, with a progress bar, on
    #       stdout (load inside `with contextlib.redirect_stdout(sys.stderr):`), and offline the
    #       download fails with a plain Exception, which `except (ValueError, OSError)` lets through.
    raise NotImplementedError("Step 6 (Command-line tool): parse the arguments, classify, print; errors exit 2")


if __name__ == "__main__":  # `python -m katas.vgg16_classify.vgg16_classify IMAGE` runs main()
    sys.exit(main())
