# %% Setup
"""Kata 10, classify a photo with pre-trained VGG16, and a command-line photo classifier.

Tutorial: "How to Use The Pre-Trained VGG Model to Classify Objects in Photographs".
Reference solution. Run it as a tool from the project folder:
    python -m solutions.vgg16_classify.vgg16_classify data/china.jpg --top 5
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

import numpy as np
from PIL import Image, UnidentifiedImageError

from katakit.paths import IMAGENET_CLASS_INDEX

# No `import keras` here: the functions that use Keras import it, so that main() answers a bad photo or
# argument before the seconds that import takes.

# The mean pixel of the ImageNet training images, in BGR order: the "caffe" preprocessing of VGG.
IMAGENET_BGR_MEAN = np.array([103.939, 116.779, 123.68])


# %% Step 1: Load the VGG model
def load_vgg16(weights="imagenet"):
    """Step 1, load the VGG model: VGG16 with its 1000-class ImageNet classifier on top.

    `weights` is "imagenet" (downloaded on first use, 528 MB), None (random weights: the same
    architecture, nothing downloaded) or the path of a weights file. Input 224x224x3, 1000 outputs,
    138,357,544 parameters.
    """
    import keras

    return keras.applications.VGG16(weights=weights)


# %% Step 2: Load the image
def load_image(path, target_size=(224, 224)):
    """Step 2, load the image: the photo at `path` as an array (height, width, 3) of RGB values, as floats.

    Any size and mode (RGB, RGBA, grayscale, palette; PNG, JPEG, ...) is resized to
    `target_size` = (height, width) and converted to three RGB channels with values in [0, 255].
    """
    import keras

    image = keras.utils.load_img(path, target_size=target_size, color_mode="rgb")
    return keras.utils.img_to_array(image, dtype="float32")


# %% Step 3: Prepare the image
def to_batch(image):
    """Step 3, prepare the image: a batch of one, (1, height, width, 3), from an image (height, width, 3).

    `image` is left unchanged.
    """
    return np.expand_dims(image, axis=0)


def preprocess(batch):
    """Step 3, prepare the image: VGG's "caffe" preprocessing of a batch (n, height, width, 3) of RGB pixels.

    The channels are reordered RGB -> BGR, then the ImageNet mean pixel (B 103.939, G 116.779,
    R 123.68) is subtracted; no scaling. Returns a new float array; `batch` is left unchanged.
    """
    batch = np.asarray(batch, dtype="float32")
    return batch[..., ::-1] - IMAGENET_BGR_MEAN.astype("float32")


# %% Step 4: Make a prediction
def _imagenet_classes():
    """The 1000 ImageNet classes in output order, as (wnid, label) pairs, from the class index in data/."""
    with open(IMAGENET_CLASS_INDEX, encoding="utf-8") as file:
        index = json.load(file)  # {"0": ["n01440764", "tench"], ...}
    return [tuple(index[str(i)]) for i in range(len(index))]


def classify(model, path, top=1):
    """Step 4, make a prediction: the `top` most likely classes of the photo at `path`, best first.

    Loads and prepares the image (steps 2 and 3), runs the model and decodes its 1000 outputs
    with the ImageNet class index shipped in data/. Returns a list of `top` tuples
    (wnid, label, probability), e.g. [("n03063599", "coffee_mug", 0.7527)]. A `top` outside
    1..1000 raises ValueError.
    """
    classes = _imagenet_classes()
    if not 1 <= top <= len(classes):
        raise ValueError(f"top must be between 1 and {len(classes)}, got {top}")
    batch = preprocess(to_batch(load_image(path)))
    probabilities = model.predict(batch, verbose=0)[0]
    if probabilities.shape != (len(classes),):
        raise ValueError(f"the model must give {len(classes)} ImageNet outputs, got shape {probabilities.shape}")
    best = np.argsort(probabilities)[::-1][:top]
    return [(*classes[i], float(probabilities[i])) for i in best]


# %% Step 5: Interpret the prediction
def format_prediction(label, probability):
    """Step 5, interpret the prediction: a label and its probability in [0, 1] as text,
    e.g. ("coffee_mug", 0.7527) -> "coffee_mug (75.27%)". A probability outside [0, 1], nan
    included, raises ValueError.
    """
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"probability must be a fraction in [0, 1], got {probability}")
    return f"{label} ({probability * 100:.2f}%)"


# %% Step 6: Command-line tool
def main(argv=None):
    """Step 6, the command-line tool: `IMAGE [--top K] [--weights imagenet|none|PATH]`.

    Prints one line "label (xx.xx%)" per class, best first, and returns 0. A missing file, a
    directory, a file that is not an image or a truncated image: one line on stderr naming the
    file, nothing on stdout, return 2, before the model loads. So does a --weights file that is
    missing or does not load, and ImageNet weights that cannot be downloaded (offline): stdout holds
    the answer only, so Keras' download messages go to stderr.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if not 1 <= args.top <= 1000:
        parser.error(f"--top must be between 1 and 1000, got {args.top}")

    # Check the photo first, with Pillow alone: a bad file is reported at once, before Keras is even imported.
    image = Path(args.image)
    problem = _photo_problem(image)
    if problem:
        return _fail(f"{image}: {problem}")

    weights = {"imagenet": "imagenet", "none": None}.get(args.weights.lower(), args.weights)
    if weights not in ("imagenet", None) and not Path(weights).is_file():
        return _fail(f"{weights}: no such weights file")
    try:
        with contextlib.redirect_stdout(sys.stderr):  # Keras announces a download, with a progress bar, on stdout
            model = load_vgg16(weights)
    except Exception as error:  # an offline download (a plain Exception), or a weights file of another model
        return _fail(f"cannot load VGG16 with weights {args.weights}: {error}")

    for _, label, probability in classify(model, image, top=args.top):
        print(format_prediction(label, probability))
    return 0


class _OneLineParser(argparse.ArgumentParser):
    """argparse, reporting a bad argument in one line like the tool's other errors (--help shows the usage)."""

    def error(self, message):
        self.exit(2, f"error: {message} (see --help)\n")


def _parser():
    parser = _OneLineParser(
        prog=f"python -m {__spec__.name}",
        description="Classify a photo with VGG16: its most likely ImageNet classes, best first.",
        epilog="examples:\n  %(prog)s data/china.jpg --top 5\n  %(prog)s data/china.jpg --weights none",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("image", metavar="IMAGE", help="the photo to classify: JPEG, PNG, ..., any size")
    parser.add_argument("--top", type=int, default=1, metavar="K",
                        help="print the K most likely classes (default 1)")
    parser.add_argument("--weights", default="imagenet", metavar="W",
                        help="imagenet (default; 528 MB download), none (random) or a file")
    return parser


def _photo_problem(path):
    """What is wrong with the photo at `path`, in a few words; None when Pillow decodes it.

    Pillow alone, without Keras, which takes seconds to import: the answer comes at once.
    """
    if not path.exists():
        return "no such file"
    if path.is_dir():
        return "is a directory, not an image"
    try:
        with Image.open(path) as photo:
            photo.load()  # decodes the whole file: a truncated image fails here
    except UnidentifiedImageError:  # Pillow recognises no image format in the file (text, empty, ...)
        return "not an image (no image format recognised)"
    except OSError as error:  # a truncated or unreadable image
        return f"not a readable image: {error}"
    return None


def _fail(message):
    """Report an error as one line on stderr; 2 is the exit status of a usage error."""
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
