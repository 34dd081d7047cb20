"""Tampering in the specs' own process, noticed: what the harness relies on must not change while a kata runs.

Before any kata code runs (at the end of collection; kata modules are imported lazily, by the specs),
the guard takes a snapshot of:
- pytest's registered plugins and hook implementations;
- the functions and classes of pytest, _pytest, pluggy, numpy, numpy.testing, builtins and katakit, and
  the methods and class attributes of the classes they define (those Python lets code change);
- the modules the specs run from: the spec modules of tests/, tests/kit.py and the other helpers there,
  and conftest.py, with every global, function and method in them;
- each collected spec: the function it calls, and what its item object answers for its own methods.
Every function is known by its identity and its code's (and those of the functions it wraps: Hypothesis's
inner test). After every spec it compares, and it passes a failing canary call through pytest's report
machinery, which must come back failed. The first difference is the kata's verdict: `tampered: <what>`.

Code in this process can, with effort, defeat any check made in this process; that is why grading also
runs it in a sandbox and screens the kata's source (katakit/grading/integrity.py), holding for review a
kata that reaches for what these checks watch.
"""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import pytest

WATCHED = ("builtins", "pytest", "pluggy", "numpy", "numpy.testing", "katakit")
WATCHED_PREFIXES = ("_pytest.", "pluggy.", "numpy.testing.", "katakit.")
IMMUTABLE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE: a class nobody can change (int, numpy.ndarray, ...)
LAZY = {"__annotations__", "__slotnames__"}  # what Python itself adds to a class on first use


def _watched_modules(specs: frozenset[str] = frozenset()) -> dict[str, types.ModuleType]:
    return {name: module for name, module in list(sys.modules.items())
            if isinstance(module, types.ModuleType)
            and (name in WATCHED or name.startswith(WATCHED_PREFIXES) or name in specs)}


def _spec_modules(root: Path) -> frozenset[str]:
    """The names of the modules loaded from tests/ and conftest.py under `root` (the specs and their helpers)."""
    places = {str(root / "tests") + os.sep, str(root / "conftest.py")}
    places |= {str(root.resolve() / "tests") + os.sep, str(root.resolve() / "conftest.py")}
    return frozenset(name for name, module in list(sys.modules.items())
                     if str(getattr(module, "__file__", None) or "").startswith(tuple(places)))


def _code(value) -> tuple[int, ...]:
    """The identity of a value, and of the code it runs: a function's code and defaults, and the functions it
    wraps (functools.wraps, a cache, Hypothesis's inner test); a property's accessors; a static or class
    method's function."""
    ids = [id(value)]
    if not callable(value) and not isinstance(value, property | staticmethod | classmethod):
        return tuple(ids)  # data: its identity is all
    inner = [value]
    while inner:
        item = inner.pop()
        if isinstance(item, property):
            inner += [f for f in (item.fget, item.fset, item.fdel) if f is not None]
        elif isinstance(item, staticmethod | classmethod):
            inner.append(item.__func__)
        if isinstance(item, types.FunctionType):
            ids += [id(item.__code__), id(item.__defaults__), id(item.__kwdefaults__)]
        namespace = getattr(item, "__dict__", None)  # never getattr(): a class's __getattr__ would run
        if isinstance(namespace, dict) and not isinstance(item, type | types.ModuleType):
            hypothesis = namespace.get("hypothesis")
            for wrapped in (namespace.get("__wrapped__"), getattr(hypothesis, "inner_test", None)):
                if callable(wrapped) and id(wrapped) not in ids:
                    ids.append(id(wrapped))
                    inner.append(wrapped)
    return tuple(ids)


def _functions(modules: dict[str, types.ModuleType], specs: frozenset[str], classes: dict[str, type]
               ) -> dict[tuple[str, ...], tuple[int, ...]]:
    """(module, name) -> identity of every callable at module level (of every global, in the specs' modules);
    (class, "", name) -> identity of everything in the namespace of each of `classes`."""
    found = {}
    for name, module in modules.items():
        for attr, value in list(vars(module).items()):
            if callable(value) or name in specs:
                found[(name, attr)] = _code(value)
    for qualname, cls in classes.items():
        for attr, value in list(vars(cls).items()):
            found[(qualname, "", attr)] = _code(value)
    return found


def _classes(modules: dict[str, types.ModuleType]) -> dict[str, type]:
    """Every class the modules define that can be changed, by its qualified name (a class is replaced in its
    module only through the module's own names, which _functions watches)."""
    return {f"{value.__module__}.{value.__qualname__}": value for module in modules.values()
            for value in list(vars(module).values())
            if isinstance(value, type) and not value.__flags__ & IMMUTABLE and value.__module__ in modules}


def _items(items: dict[str, pytest.Item]) -> dict[str, tuple]:
    """nodeid -> the identity of the function the spec calls, and the names its item object holds itself."""
    return {nodeid: (_code(getattr(item, "obj", None)), frozenset(vars(item))) for nodeid, item in items.items()}


def _hooks(config: pytest.Config) -> dict[str, tuple[int, ...]]:
    manager = config.pluginmanager
    hooks = {name: tuple(id(impl.function) for impl in getattr(manager.hook, name).get_hookimpls())
             for name in dir(manager.hook) if name.startswith("pytest_")}
    hooks["<plugins>"] = tuple(sorted(id(p) for p in manager.get_plugins()))
    return hooks


class Guard:
    def __init__(self, config: pytest.Config, items=()):
        self.config = config
        self.specs = _spec_modules(Path(config.rootpath))
        modules = _watched_modules(self.specs)
        self.modules = {name: id(module) for name, module in modules.items()}
        self.classes = _classes(modules)
        self.functions = _functions(modules, self.specs, self.classes)
        self.items = {item.nodeid: item for item in items}
        self.spec_items = _items(self.items)
        self.hooks = _hooks(config)
        self.found = ""  # the first tampering seen; it stays

    def check(self, item: pytest.Item) -> str:
        """'' while nothing the harness relies on has changed, else what changed."""
        if not self.found:
            self.found = (self._hooks_changed() or self._functions_changed() or self._items_changed()
                          or self._canary(item))
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
        modules = _watched_modules(self.specs)
        for name, identity in self.modules.items():
            if id(modules.get(name)) != identity:
                return f"replaced the module {name} in sys.modules"
        now = _functions({name: module for name, module in modules.items() if name in self.modules}, self.specs,
                         self.classes)
        for key, identity in self.functions.items():
            if now.get(key) != identity:
                what = "replaced or deleted" if key in now else "deleted"
                return f"{what} {key[0]}.{key[-1]}"
        for qualname, cls in self.classes.items():
            for attr in vars(cls).keys() - LAZY:
                if (qualname, "", attr) not in self.functions and any(attr in vars(b) for b in cls.__mro__[1:]):
                    return f"added {qualname}.{attr} over the one it inherits"
        return ""

    def _items_changed(self) -> str:
        now = _items(self.items)
        for nodeid, (function, names) in self.spec_items.items():
            if now[nodeid][0] != function:
                return f"replaced the function of the spec {nodeid}, or its code"
            added = [n for n in now[nodeid][1] - names if callable(getattr(type(self.items[nodeid]), n, None))]
            if added:
                return f"replaced the method {added[0]} of the spec {nodeid}"
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
