"""Tampering in the specs' own process, noticed: what the harness relies on must not change while a kata runs.

Before any kata code runs (at the end of collection; kata modules are imported lazily, by the specs),
the guard takes a snapshot of pytest's registered plugins and hook implementations, and of the
functions and classes of pytest, _pytest, pluggy, numpy, numpy.testing, builtins and katakit. After
every spec it compares, and it passes a failing canary call through pytest's report machinery, which
must come back failed. The first difference is the kata's verdict: `tampered: <what>`.

Code in this process can, with effort, defeat any check made in this process; that is why grading also
runs it in a sandbox and screens the kata's source (katakit/grading/integrity.py).
"""

from __future__ import annotations

import sys
import types

import pytest

WATCHED = ("builtins", "pytest", "pluggy", "numpy", "numpy.testing", "katakit")
WATCHED_PREFIXES = ("_pytest.", "pluggy.", "numpy.testing.", "katakit.")


def _watched_modules() -> dict[str, types.ModuleType]:
    return {name: module for name, module in list(sys.modules.items())
            if isinstance(module, types.ModuleType) and (name in WATCHED or name.startswith(WATCHED_PREFIXES))}


def _functions(modules: dict[str, types.ModuleType]) -> dict[tuple[str, str], tuple[int, int]]:
    found = {}
    for name, module in modules.items():
        for attr, value in list(vars(module).items()):
            if callable(value):
                found[(name, attr)] = (id(value), id(getattr(value, "__code__", None)))
    return found


def _hooks(config: pytest.Config) -> dict[str, tuple[int, ...]]:
    manager = config.pluginmanager
    hooks = {name: tuple(id(impl.function) for impl in getattr(manager.hook, name).get_hookimpls())
             for name in dir(manager.hook) if name.startswith("pytest_")}
    hooks["<plugins>"] = tuple(sorted(id(p) for p in manager.get_plugins()))
    return hooks


class Guard:
    def __init__(self, config: pytest.Config):
        self.config = config
        self.modules = {name: id(module) for name, module in _watched_modules().items()}
        self.functions = _functions(_watched_modules())
        self.hooks = _hooks(config)
        self.found = ""  # the first tampering seen; it stays

    def check(self, item: pytest.Item) -> str:
        """'' while nothing the harness relies on has changed, else what changed."""
        if not self.found:
            self.found = self._hooks_changed() or self._functions_changed() or self._canary(item)
        return self.found

    def _hooks_changed(self) -> str:
        now = _hooks(self.config)
        if now["<plugins>"] != self.hooks["<plugins>"]:
            return "registered or removed a pytest plugin"
        for name, impls in self.hooks.items():
            if now.get(name) != impls:
                return f"registered or replaced an implementation of the pytest hook {name}"
        return ""

    def _functions_changed(self) -> str:
        modules = _watched_modules()
        for name, identity in self.modules.items():
            if id(modules.get(name)) != identity:
                return f"replaced the module {name} in sys.modules"
        now = _functions(modules)
        for (module, attr), identity in self.functions.items():
            if now.get((module, attr)) != identity:
                return f"replaced {module}.{attr}"
        return ""

    def _canary(self, item: pytest.Item) -> str:
        """A call that fails must still be reported as failed (a hook that forces every report to passed
        cannot tell the canary from a spec)."""
        def fail():
            raise AssertionError("the canary fails, always")

        call = pytest.CallInfo.from_call(fail, when="call")
        item.stash[CANARY] = True
        try:
            report = item.ihook.pytest_runtest_makereport(item=item, call=call)
        finally:
            del item.stash[CANARY]
        return "" if report.failed else "forged the outcome of a failing spec (a canary spec was reported passed)"


CANARY = pytest.StashKey[bool]()
