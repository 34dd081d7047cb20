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
                fix = ("this copy holds no reference solutions" if source() == "solutions"
                       else f"restore it with `make reset KATA={name}`")
                pytest.fail(f"{_where(name)} is missing: {fix}.", pytrace=False)
            raise
        except SyntaxError as error:
            pytest.fail(f"{_where(name)} does not parse (line {error.lineno}): {error.msg}.",
                        pytrace=False)
        except Exception:  # an error at import time: show where, not TensorFlow's internals
            pytest.fail(f"importing {_where(name)} failed:\n{traceback.format_exc(limit=-3)}",
                        pytrace=False)

    def __getattr__(self, attr: str):
        if attr.startswith("_"):  # pytest probes dunders and private names (`_mock_name`) while
            raise AttributeError(attr)  # collecting: never import the kata (and run its code) for those
        module = self._module()
        try:
            return getattr(module, attr)
        except AttributeError:
            step = self._kata.step_of_function(attr)
            where = f" ({step.label})" if step else ""
            pytest.fail(f"You have not defined {attr} yet in {_where(self._kata.name)}{where}.",
                        pytrace=False)


def kata(name: str) -> KataModule:
    return KataModule(name)
