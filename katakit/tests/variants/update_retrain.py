"""Variants of update_retrain's reference (see katakit/tests/test_variants.py)."""

from katakit.tests.variants import PASSES

COMBINED = "    return np.concatenate([X_old, X_new]), np.concatenate([y_old, y_new])"
CHECKS = """    for name, X, y in (("old", X_old, y_old), ("new", X_new, y_new)):
        if len(X) != len(y):
            raise ValueError(f"the {name} data has {len(X)} rows in X but {len(y)} labels in y")
"""
UPDATE = "    compile_sgd(model, learning_rate)\n    fit_model(model, X_new, y_new, epochs=epochs)\n"

VARIANTS = [
    ("make_old_new splits by slicing", [("    X_old, X_new, y_old, y_new = train_test_split(X, y, test_size=0.5, random_state=random_state)\n",
                                         "    X_old, X_new, y_old, y_new = X[:500], X[500:], y[:500], y[500:]\n")], PASSES),
    ("combine stacks the labels with np.vstack", [(COMBINED, "    return np.vstack([X_old, X_new]), np.vstack([y_old, y_new])")],
     ("update_both", "np.concatenate")),
    ("combine with the tutorial's vstack and hstack", [(COMBINED, "    return np.vstack([X_old, X_new]), np.hstack([y_old, y_new])")],
     PASSES),
    ("combine without the length checks", [(CHECKS, "")],
     ("update_both", "must raise ValueError; it returned (an array of shape (13, 3), an array of shape (12,))")),
    ("fit_model without verbose=0", [("batch_size=batch_size, verbose=0)", "batch_size=batch_size)")], ("fit", "verbose=0")),
    ("SGD(lr=...), the Keras 2 spelling", [("SGD(learning_rate=learning_rate,", "SGD(lr=learning_rate,")],
     ("compile", "learning_rate=")),
    ("update_on_new compiles at the default rate", [(UPDATE, UPDATE.replace("compile_sgd(model, learning_rate)", "compile_sgd(model)"))],
     ("update_new", "0.005")),
    ("update_on_new trains a clone", [(UPDATE, "    model = keras.models.clone_model(model)\n" + UPDATE)],
     ("update_new", "return that same object")),
    ("update_on_new does not pass epochs on", [(UPDATE, UPDATE.replace(", epochs=epochs)", ")"))],
     ("update_new", "pass `epochs` on to the fit")),
    ("update_on_both does not pass epochs on", [
        ("return update_on_new(model, X_both, y_both, learning_rate=learning_rate, epochs=epochs)",
         "return update_on_new(model, X_both, y_both, learning_rate=learning_rate)")],
     ("update_both", "pass `epochs` on to the fit")),
    ("update_on_new re-initialises the weights", [
        (UPDATE, "    model.set_weights([np.zeros_like(w) for w in model.get_weights()])\n" + UPDATE)],
     ("update_new", "took no training step, yet a weight changed")),
    ("make_old_new seeds numpy's global generator", [
        ("    X, y = make_classification(", "    np.random.seed(random_state)\n    X, y = make_classification(")],
     ("data", "changed numpy's global generator (np.random)")),
    ("update_on_new in batches of 64", [(UPDATE, UPDATE.replace("epochs=epochs)", "epochs=epochs, batch_size=64)"))],
     ("update_new", "batches of 32")),
    ("build_mlp with input_dim=, the Keras 2 spelling", [("            keras.Input(shape=(int(n_features),)),\n            keras.layers.Dense(20, kernel_initializer=\"he_normal\", activation=\"relu\"),",
                                                          "            keras.layers.Dense(20, kernel_initializer=\"he_normal\", activation=\"relu\", input_dim=int(n_features)),")],
     PASSES),
]
