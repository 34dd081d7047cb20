"""The Keras 1/2 idioms learners bring from the tutorials, and what Keras 3 has instead: one table.

When a kata raises an AttributeError, an ImportError, or a TypeError/ValueError about keyword arguments
that a Keras 1/2 idiom explains, the learner's message says so first (katakit/plugin/compose.py); a Keras
deprecation warning that one explains becomes a short note under the verdict. The kata READMEs' "What
changed" tables must agree with this table (katakit/tests/test_idioms.py checks them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from katakit import messages


@dataclass(frozen=True)
class Idiom:
    old: str  # the Keras 1/2 name: an attribute, a keyword argument or a module
    kind: str  # "attribute", "keyword" or "module"
    new: str  # what to write in Keras 3
    marks: tuple[str, ...]  # a README row that names `old` must name one of these on its Keras 3 side
    inside: str = ""  # for a keyword: the calls it belongs to (a README row naming it elsewhere is not about it)
    shown: str = ""  # how the learner's message spells `old`, when not as `old` alone

    @property
    def spelled(self) -> str:
        return self.shown or (f"{self.old}=" if self.kind == "keyword" else self.old)

    def new_in(self, lang: str | None = None) -> str:
        """`new` in `lang` (default: the learner's): its Chinese is in katakit/catalog.py, as `idiom.<old>`."""
        return messages.template(f"idiom.{self.old}", lang, english=self.new)

    def named_in(self, text: str) -> bool:
        """Whether a README's tutorial-side cell names this idiom."""
        if self.kind != "keyword":
            return re.search(rf"(?<![\w.]){re.escape(self.old)}\b", text) is not None
        call = rf"(?:{self.inside})\([^)]*" if self.inside else r"(?<![\w.])"
        return re.search(rf"{call}\b{re.escape(self.old)}=", text) is not None


IDIOMS = (  # `new` is read as is: code in backticks
    Idiom("predict_classes", "attribute", "`(model.predict(X, verbose=0) > 0.5).astype(int)[:, 0]` for one sigmoid "
          "output (one class per row), or `np.argmax(model.predict(X, verbose=0), axis=-1)` for a softmax",
          ("np.argmax", "> 0.5")),
    Idiom("predict_proba", "attribute", "`model.predict(X, verbose=0)`", ("model.predict",)),
    Idiom("fit_generator", "attribute", "`model.fit(...)`, which takes generators and datasets", ("fit(",)),
    Idiom("evaluate_generator", "attribute", "`model.evaluate(...)`", ("evaluate(",)),
    Idiom("predict_generator", "attribute", "`model.predict(...)`", ("predict(",)),
    Idiom("reset_states", "attribute", "`layer.reset_states()` on each layer of `model.layers` whose `stateful` is "
          "True (a stateless model has no state to reset: drop the call)", ("layer.reset_states()",),
          shown="model.reset_states()"),
    Idiom("nb_epoch", "keyword", "`epochs=`", ("epochs=",)),
    Idiom("init", "keyword", "`kernel_initializer=`, or nothing: the default, `glorot_uniform`, suits most models",
          ("kernel_initializer=",), inside=r"Dense|LSTM|Conv\w*"),
    Idiom("output_dim", "keyword", "`units`, the layer's first argument", ("units",), inside=r"Dense|LSTM"),
    Idiom("batch_input_shape", "keyword", "`keras.Input(shape=(timesteps, features))` as the first layer, or "
          "`keras.Input(batch_shape=(batch, timesteps, features))` for a stateful LSTM only", ("batch_shape=",
                                                                                               "Input(shape")),
    Idiom("input_shape", "keyword", "`keras.Input(shape=...)` as the first layer", ("keras.Input(", "Input(shape")),
    Idiom("input_dim", "keyword", "`keras.Input(shape=(n,))` as the first layer", ("keras.Input(", "Input(shape")),
    Idiom("lr", "keyword", "`learning_rate=`", ("learning_rate=",)),
    Idiom("build_fn", "keyword", "`model=` (scikeras still takes `build_fn=`, with a warning that it will become an "
          "error)", ("model=",), inside=r"KerasClassifier|KerasRegressor"),
    Idiom("W_regularizer", "keyword", "`kernel_regularizer=`", ("kernel_regularizer=",)),
    Idiom("np_utils", "module", "`keras.utils.to_categorical`", ("to_categorical",)),
    Idiom("keras.wrappers.scikit_learn", "module", "`scikeras.wrappers.KerasClassifier` (the scikeras package)",
          ("scikeras",)),
)

_ATTRIBUTE = re.compile(r"object has no attribute '(\w+)'")
_KEYWORD = re.compile(r"unexpected keyword argument '(\w+)'")
_KEYWORDS = re.compile(r"(?:Unrecognized keyword arguments passed to \w+|Argument\(s\) not recognized): \{(.*)\}")
_CALLED = re.compile(r"(?:passed to (\w+)|(\w+)(?:\.__init__)?\(\) got an unexpected)")  # the call refused


def explain(error: BaseException) -> str:
    """A sentence that names the Keras 1/2 idiom behind `error` and its Keras 3 spelling, or ''."""
    text = str(error)
    names: list[str] = []
    kinds: tuple[str, ...] = ()
    if isinstance(error, AttributeError):
        names, kinds = _ATTRIBUTE.findall(text), ("attribute",)
    elif isinstance(error, ImportError):
        names, kinds = [getattr(error, "name", None) or "", text], ("module",)
    elif isinstance(error, (TypeError, ValueError)):
        found = _KEYWORDS.search(text)
        names = _KEYWORD.findall(text) + (re.findall(r"'(\w+)':", found.group(1)) if found else [])
        kinds = ("keyword",)
    called = next((a or b for a, b in _CALLED.findall(text)), "")
    for idiom in IDIOMS:
        if idiom.kind == "keyword" and idiom.inside and not re.fullmatch(idiom.inside, called):
            continue  # e.g. `init=` refused by a build function of one's own is no Keras 2 idiom
        if idiom.kind in kinds and any(idiom.old == n or (idiom.kind == "module" and idiom.old in n) for n in names):
            return messages.say("idiom.explained", spelled=idiom.spelled, new=idiom.new_in())
    return ""


_WARNINGS = {  # the start of a deprecation warning (Keras', scikeras') -> the idioms it is about
    "Do not pass an `input_shape`/`input_dim` argument to a layer": ("input_shape", "input_dim"),
    "``build_fn`` will be renamed to ``model``": ("build_fn",),
}


def note(warning: str) -> str:
    """One short note for a deprecation warning that an idiom explains, or ''."""
    for start, olds in _WARNINGS.items():
        if warning.startswith(start):
            idiom = next(i for i in IDIOMS if i.old == olds[0])
            return messages.say("idiom.note", olds="=`/`".join(olds), new=idiom.new_in())
    return ""
