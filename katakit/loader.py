"""Load a kata's module from the learner's stubs (`katas/`) or the references (`solutions/`).

Specs never import a kata directly: `first_network = kata("first_network")` gives a lazy
handle, so that a missing function or a syntax error fails that spec with a message a
learner can act on, instead of breaking collection of the whole file.
"""

from __future__ import annotations

import importlib
import os
import traceback

import pytest

from katakit import manifest
from katakit.messages import say, step_label

SOURCE_ENV = "KATAS_SOURCE"  # "katas" (the learner's files) or "solutions"


def source() -> str:
    return os.environ.get(SOURCE_ENV, "katas")


def module_name(name: str) -> str:
    """The importable name of a kata's module, e.g. for `python -m`."""
    return f"{source()}.{name}.{name}"


def _where(name: str) -> str:
    return f"{source()}/{name}/{name}.py"


class KataModule:
    """A lazy handle on one kata's module; attribute access imports it."""

    def __init__(self, name: str):
        self._kata = manifest.kata(name)

    def _module(self):
        name = self._kata.name
        try:
            return importlib.import_module(module_name(name))
        except ModuleNotFoundError as error:
            if error.name and module_name(name).startswith(error.name):
                fix = say("loader.no_solutions") if source() == "solutions" else say("loader.restore", kata=name)
                pytest.fail(say("loader.missing", where=_where(name), fix=fix), pytrace=False)
            raise
        except SyntaxError as error:
            pytest.fail(say("loader.syntax", where=_where(name), line=error.lineno, error=error.msg), pytrace=False)
        except Exception:  # an error at import time: show where, not TensorFlow's internals
            pytest.fail(say("loader.import_failed", where=_where(name), traceback=traceback.format_exc(limit=-3)),
                        pytrace=False)

    def __getattr__(self, attr: str):
        if attr.startswith("_"):  # pytest probes dunders and private names (`_mock_name`) while
            raise AttributeError(attr)  # collecting: never import the kata (and run its code) for those
        module = self._module()
        try:
            return getattr(module, attr)
        except AttributeError:
            step = self._kata.step_of_function(attr)
            where = say("loader.of_step", label=step_label(step)) if step else ""
            pytest.fail(say("loader.not_defined", function=attr, where=_where(self._kata.name), step=where),
                        pytrace=False)


def kata(name: str) -> KataModule:
    return KataModule(name)
