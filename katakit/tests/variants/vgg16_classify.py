"""Variants of vgg16_classify's reference (see katakit/tests/test_variants.py)."""

from katakit.tests.variants import PASSES

VGG16 = "return keras.applications.VGG16(weights=weights)"
LOADED = """    image = keras.utils.load_img(path, target_size=target_size, color_mode="rgb")
    return keras.utils.img_to_array(image, dtype="float32")
"""
CAFFE = """    batch = np.asarray(batch, dtype="float32")
    return batch[..., ::-1] - IMAGENET_BGR_MEAN.astype("float32")
"""
PREPARED = "batch = preprocess(to_batch(load_image(path)))"
BEST = "best = np.argsort(probabilities)[::-1][:top]"
TOP_CHECK = """    if not 1 <= top <= len(classes):
        raise ValueError(f"top must be between 1 and {len(classes)}, got {top}")
"""
RANGE_CHECK = """    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"probability must be a fraction in [0, 1], got {probability}")
"""
FORMATTED = 'return f"{label} ({probability * 100:.2f}%)"'
PRINTED = """        print(format_prediction(label, probability))
    return 0
"""
PHOTO_CHECK = """    image = Path(args.image)
    problem = _photo_problem(image)
    if problem:
        return _fail(f"{image}: {problem}")

"""
LOAD = """    try:
        with contextlib.redirect_stdout(sys.stderr):  # Keras announces a download, with a progress bar, on stdout
            model = load_vgg16(weights)
    except Exception as error:  # an offline download (a plain Exception), or a weights file of another model
        return _fail(f"cannot load VGG16 with weights {args.weights}: {error}")
"""
LOAD_FIRST = """    try:
        model = load_vgg16(weights)
    except (ValueError, OSError) as error:
        return _fail(f"cannot load VGG16 with weights {args.weights}: {error}")
""" + PHOTO_CHECK

VARIANTS = [
    # Step 1: the weights reach VGG16
    ("load_vgg16 ignores a weights file", [(VGG16, 'return keras.applications.VGG16(weights=weights if weights in ("imagenet", None) else None)')],
     ("model", "no-such.weights.h5")),
    # Step 2: Pillow instead of keras.utils
    ("load_image with Pillow, converted and resized as (width, height)", [
        (LOADED, "    with Image.open(path) as photo:\n"
                 '        return np.asarray(photo.convert("RGB").resize(target_size[::-1]), dtype="float32")\n')],
     PASSES),
    ("load_image with Pillow, not converted to RGB", [
        (LOADED, "    with Image.open(path) as photo:\n"
                 '        return np.asarray(photo.resize(target_size[::-1]), dtype="float32")\n')],
     ("image", "convert it to 3 RGB channels")),
    ("load_image with Pillow, target_size taken as (width, height)", [
        (LOADED, "    with Image.open(path) as photo:\n"
                 '        return np.asarray(photo.convert("RGB").resize(target_size), dtype="float32")\n')],
     ("image", "target_size=(32, 48) means 32 rows")),
    ("load_image in float64", [('img_to_array(image, dtype="float32")', 'img_to_array(image, dtype="float64")')], PASSES),
    # Step 3: preprocess, and Keras' preprocess_input that writes over its argument
    ("preprocess with preprocess_input on the caller's array", [
        (CAFFE, '    import keras\n\n    return keras.applications.vgg16.preprocess_input(np.asarray(batch, dtype="float32"))\n')],
     ("prepare", "writes over a float array")),
    ("preprocess with preprocess_input on a copy", [
        (CAFFE, '    import keras\n\n    return keras.applications.vgg16.preprocess_input(np.array(batch, dtype="float32"))\n')],
     PASSES),
    ("preprocess keeps RGB", [(CAFFE, '    return np.asarray(batch, dtype="float32") - np.array([123.68, 116.779, 103.939])\n')],
     ("prepare", "B - 103.939")),
    ("to_batch by reshape", [("return np.expand_dims(image, axis=0)", "return image.reshape((1, *image.shape))")], PASSES),
    ("load_image resizes to 224x224 whatever target_size says", [(LOADED, LOADED.replace("target_size=target_size", "target_size=(224, 224)"))],
     ("image", "resize to the target_size load_image is given")),
    # Step 4: classify
    ("classify looks the class index up by int", [("return [(*classes[i], float(probabilities[i])) for i in best]",
                                                   "with open(IMAGENET_CLASS_INDEX, encoding=\"utf-8\") as file:\n        index = json.load(file)\n"
                                                   "    return [(*index[i], float(probabilities[i])) for i in best]")],
     ("predict", 'maps the output numbers as strings, "0" .. "999"')),
    ("classify without preprocessing", [(PREPARED, "batch = to_batch(load_image(path))")], ("predict", "and preprocessed")),
    ("classify worst first", [(BEST, "best = np.argsort(probabilities)[:top]")], ("predict", "class 1 must be")),
    ("classify gives lists", [("return [(*classes[i], float(probabilities[i])) for i in best]",
                               "return [[*classes[i], float(probabilities[i])] for i in best]")],
     ("predict", "a list of tuples")),
    ("classify without the check of top", [(TOP_CHECK, "")], ("predict", "top=0")),
    ("classify calls the model", [("probabilities = model.predict(batch, verbose=0)[0]",
                                   "probabilities = np.asarray(model(batch, training=False))[0]")], PASSES),
    # Step 5: format_prediction
    ("format_prediction without the range check", [(RANGE_CHECK, "")], ("interpret", "must raise ValueError")),
    ("format_prediction with :.2%", [(FORMATTED, 'return f"{label} ({probability:.2%})"')], PASSES),
    ("format_prediction with comparisons that let nan through", [
        ("if not 0.0 <= probability <= 1.0:", "if probability < 0 or probability > 1:")],
     ("interpret", "nan")),
    # Step 6: the tool's exit statuses
    ("main exits instead of returning 2", [('return _fail(f"{image}: {problem}")', 'sys.exit(_fail(f"{image}: {problem}"))')],
     ("cli", "must return 2")),
    ("main returns nothing after printing", [(PRINTED, "        print(format_prediction(label, probability))\n")],
     ("cli", "must return 0")),
    ("main reports a bad photo on stdout", [('return _fail(f"{image}: {problem}")', 'print(f"error: {image}: {problem}")\n        return 2')],
     ("cli", "one line on stderr")),
    ("main loads the model before it checks the photo", [(PHOTO_CHECK, ""), (LOAD, LOAD_FIRST)],
     ("cli", "check the photo before you load the model")),
    ("main loads the model first, quietly, catching every error", [(PHOTO_CHECK, ""), (LOAD, LOAD + PHOTO_CHECK)],
     ("cli", "went for the ImageNet weights")),
    ("main lets Keras announce the download on stdout", [(LOAD, LOAD.replace(
        "        with contextlib.redirect_stdout(sys.stderr):  # Keras announces a download, with a progress bar, on stdout\n            model", "        model"))],
     ("cli", "Keras announces its downloads on stdout")),
]
