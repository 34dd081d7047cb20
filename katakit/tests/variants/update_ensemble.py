"""Variants of update_ensemble's reference (see katakit/tests/test_variants.py)."""

from katakit.tests.variants import PASSES

OLD_MODEL = "    old_model = _new_model(X_old, y_old, epochs)\n"
IN_PLACE = OLD_MODEL + """
    def _updated_copy(model, X, y, epochs):  # the mistake: no copy, the old model itself is trained further
        _compile_sgd(model, learning_rate=0.001)
        model.fit(X, y, epochs=epochs, batch_size=BATCH_SIZE, verbose=0)
        return model
"""
FRESH_COPY = OLD_MODEL + """
    def _updated_copy(model, X, y, epochs):  # the mistake: clone_model without set_weights
        copy = _compile_sgd(keras.models.clone_model(model), learning_rate=0.001)
        copy.fit(X, y, epochs=epochs, batch_size=BATCH_SIZE, verbose=0)
        return copy
"""
SCORED = """    members = {
        "keep_old": [old_model],
        "update_on_new": [_updated_copy(old_model, X_new, y_new, update_epochs)],
        "update_on_both": [_updated_copy(old_model, X_both, y_both, update_epochs)],
"""
# in place, but each strategy scored as soon as it is trained: keep_old is right, update_on_both is not
SCORED_AT_ONCE = """    at_once = {"keep_old": _accuracy([old_model], X_test, y_test)}
    at_once["update_on_new"] = _accuracy([_in_place(old_model, X_new, y_new, update_epochs)], X_test, y_test)
    at_once["update_on_both"] = _accuracy([_in_place(old_model, X_both, y_both, update_epochs)], X_test, y_test)
    members = {
"""
IN_PLACE_AT_ONCE = OLD_MODEL + """
    def _in_place(model, X, y, epochs):
        _compile_sgd(model, learning_rate=0.001)
        model.fit(X, y, epochs=epochs, batch_size=BATCH_SIZE, verbose=0)
        return model
"""
SCORES = "    return {name: _accuracy(members[name], X_test, y_test) for name in STRATEGIES}"
SCORES_AT_ONCE = ("    return {name: at_once[name] if name in at_once else _accuracy(members[name], X_test, y_test)\n"
                  "            for name in STRATEGIES}")
EMPTY_CHECK = '    if not models:\n        raise ValueError("an ensemble needs at least one model, got none")\n'
NEW_ONLY = "    return [old_model, _new_model(np.asarray(X_new), np.asarray(y_new), epochs)]\n"
NEW_ONLY_BATCH_64 = """    new_model = _compile_sgd(_build_mlp(np.asarray(X_new).shape[1]))
    new_model.fit(X_new, y_new, epochs=epochs, batch_size=64, verbose=0)
    return [old_model, new_model]
"""
STEP_3_LABELS = "    y_both = np.concatenate([np.asarray(y_old), np.asarray(y_new)])"

VARIANTS = [
    ("updates in place (scored at the end)", [(OLD_MODEL, IN_PLACE)], ("compare", "its own copy")),
    ("updates in place (each scored at once)", [(OLD_MODEL, IN_PLACE_AT_ONCE), (SCORED, SCORED_AT_ONCE),
                                                (SCORES, SCORES_AT_ONCE)], ("compare", "as if it had continued from the model update_on_new trained")),
    ("updates on clone_model without set_weights", [(OLD_MODEL, FRESH_COPY)], ("compare", "set_weights")),
    ("updates for all the epochs", [("update_epochs = max(1, round(epochs * 2 / 3))", "update_epochs = epochs")],
     ("compare", "two thirds")),
    ("strategies scored on the old data", [(SCORES, SCORES.replace("X_test, y_test", "X_old, y_old"))],
     ("compare", "every strategy must be scored on X_test, y_test")),
    ("ensemble_predict([]) returns nan", [(EMPTY_CHECK, "")],
     ("predict", "ensemble_predict([], X) must raise ValueError; it returned nan")),
    ("step 3 joins the labels with np.vstack", [(STEP_3_LABELS, STEP_3_LABELS.replace("np.concatenate", "np.vstack"))],
     ("old_and_new", "np.concatenate")),
    ("the new model trains in batches of 64", [(NEW_ONLY, NEW_ONLY_BATCH_64)], ("new_only", "batches of 32")),
    ("ensemble_predict with model.predict", [("np.asarray(model.predict_on_batch(np.asarray(X)))[:, 0]",
                                              "model.predict(X, verbose=0)[:, 0]")], PASSES),
]

# From a newcomer with Keras 2 habits: the new model a copy of the old one, a tuple, the caller's rows shuffled.
NEW_ONLY_COPY = """    new_model = keras.models.clone_model(old_model)
    new_model.set_weights(old_model.get_weights())
    _compile_sgd(new_model)
    new_model.fit(np.asarray(X_new), np.asarray(y_new), epochs=epochs, batch_size=BATCH_SIZE, verbose=0)
    return [old_model, new_model]
"""
NEW_ONLY_SHUFFLED = """    order = np.random.default_rng(0).permutation(len(X_new))
    X_new[:], y_new[:] = X_new[order], y_new[order]
""" + NEW_ONLY
OLD_AND_NEW = "    return [old_model, _new_model(X_both, y_both, epochs)]"
VARIANTS += [
    ("the new model starts from the old one's weights", [(NEW_ONLY, NEW_ONLY_COPY)],
     ("new_only", "must return a new model that starts from fresh random weights")),
    ("ensemble_old_and_new returns a tuple", [(OLD_AND_NEW, OLD_AND_NEW.replace("[", "").replace("]", ""))],
     ("old_and_new", "must return a list [old_model, new_model], as its docstring says, got a tuple")),
    ("ensemble_new_only shuffles the caller's rows in place", [(NEW_ONLY, NEW_ONLY_SHUFFLED)],
     ("new_only", "changed the arrays it was given (X_new, y_new)")),
]
