"""The static screen (katakit/grading/integrity.py): what it flags as tampering (held for review), what only
as a note, and that it never holds an honest learner: no reference, no stub, no variant of
katakit/tests/variants raises a tampering flag."""

from __future__ import annotations

import textwrap

import pytest

from katakit import manifest
from katakit.grading import integrity
from katakit.paths import ROOT
from katakit.tests import variants
from katakit.tests.test_variants import mutated

STUBS = {k.name: k.stub(ROOT).read_text(encoding="utf-8") for k in manifest.katas()}
ALLOWED = integrity.katakit_imports(STUBS.values())


def flags(source: str | bytes, path: str = "katas/gamma/gamma.py") -> list[integrity.Flag]:
    if isinstance(source, str):
        source = textwrap.dedent(source)
    screened = integrity.screen_source(source, path, ALLOWED)
    assert not screened.error, screened.error
    return screened.flags


def honest() -> list[tuple[str, str, str]]:
    """(what, kata, source): every reference, stub and variant, as a learner could hand it in."""
    found = [(f"the stub of {k.name}", k.name, STUBS[k.name]) for k in manifest.katas()]
    found += [(f"the reference of {k.name}", k.name, k.solution().read_text(encoding="utf-8"))
              for k in manifest.katas()]
    for kata, name, replacements, _ in variants.rows():
        found.append((f"{kata}: {name}", kata, mutated(manifest.kata(kata), replacements)[0]))
    return found


@pytest.mark.parametrize(("what", "kata", "source"), honest(), ids=[row[0] for row in honest()])
def test_no_honest_kata_raises_a_tampering_flag(what, kata, source):
    tampering = [str(f) for f in flags(source, f"katas/{kata}/{kata}.py") if f.tampering]
    assert tampering == [], f"{what} would be held for review: {tampering}"


TAMPERING = {
    "import pytest": "imports pytest",
    "from _pytest import reports": "imports reports from _pytest",
    "import pluggy": "imports pluggy",
    "import gc": "imports gc",
    "import ctypes": "imports ctypes",
    "import builtins": "imports builtins",
    "from tests import kit": "imports kit from tests",
    "from katakit import plugin": "imports plugin from katakit",
    "import katakit.paths\nkatakit.guard.Guard": "uses katakit.guard",
    "import importlib": "imports importlib",
    "import sys\nsys._getframe(1)": "reaches into a frame (sys._getframe)",
    "import inspect\ninspect.stack()": "reaches into a frame (inspect.stack)",
    "from inspect import currentframe": "imports currentframe from inspect: reaches into a frame",
    "def f(e):\n    return e.__traceback__.tb_frame.f_back": "reaches into a frame",
    "import sys\nsys.modules['x']": "uses sys.modules",
    "import sys as s\nm = s\nm.modules": "uses sys.modules",
    "import sys\ngetattr(sys, 'modules')": "uses sys.modules",
    "import numpy as np\nnp.testing.assert_allclose = print": "assigns to np.testing.assert_allclose, which it did not",
    "import numpy\nsetattr(numpy, 'mean', print)": "calls setattr() on numpy, which it did not create",
    "def f(model):\n    delattr(model, 'fit')": "calls delattr() on model, which it did not create",
    "object.__setattr__(print, 'x', 1)": "calls __setattr__() on print, which it did not create",
    "def f(g):\n    return g.__code__": "reaches into g.__code__",
    "def f(g):\n    return g.__globals__": "reaches into g.__globals__",
    "__builtins__['open']": "reaches into __builtins__",
    "def f(g):\n    return g.__dict__": "reaches into g.__dict__",
    "def f(x):\n    return x.__class__": "reaches into x.__class__",
    "def f(g):\n    return getattr(g, '__code__')": "reaches into g.__code__",
    "globals()['__builtins__']": "reaches into globals()['__builtins__']",
    "exec('import g' + 'c')": "calls exec(): code the screen cannot read",
    "run = eval\nrun('1')": "uses eval: code the screen cannot read",
    "__import__('gc')": "calls __import__(): code the screen cannot read",
    "import sys\nvars(sys)": "reaches into the namespace of sys",
}

NOTES = {
    "import subprocess": "imports subprocess",
    "import socket": "imports socket",
    "import os\nos.environ['X'] = '1'": "uses os.environ",
    "open('/etc/passwd')": "opens a file it is not given ('/etc/passwd')",
    "PATH = '../solutions/gamma/gamma.py'": "names a path outside its own folder",
    "import inspect": "imports inspect",
    "globals()": "calls globals()",
}


@pytest.mark.parametrize(("source", "named"), TAMPERING.items(), ids=list(TAMPERING))
def test_what_a_kata_never_needs_is_a_tampering_flag(source, named):
    found = flags(source)
    assert any(named in f.what and f.tampering for f in found), [f.labelled() for f in found]


@pytest.mark.parametrize(("source", "named"), NOTES.items(), ids=list(NOTES))
def test_what_may_be_innocent_is_a_note(source, named):
    found = flags(source)
    assert any(named in f.what for f in found), [f.labelled() for f in found]
    assert not any(f.tampering for f in found), [f.labelled() for f in found]


@pytest.mark.parametrize("source", [
    "class Model:\n    def __init__(self, **kw):\n        for k, v in kw.items():\n            setattr(self, k, v)\n",
    "def f():\n    box = Box()\n    setattr(box, 'size', 3)\n    return getattr(box, 'size')\n",
    "def f(model):\n    model.trainable = False\n    for layer in model.layers:\n        layer.trainable = False\n",
    "from katakit.paths import IMAGENET_CLASS_INDEX\nfrom katakit import paths\n",
    "import keras\n\n\ndef f():\n    return super().__init__()\n",
])
def test_what_a_kata_does_with_its_own_objects_is_not_tampering(source):
    assert [f.labelled() for f in flags(source) if f.tampering] == []


def test_each_flag_names_its_file_and_line():
    found = flags("import os\n\nimport gc\n", "katas/gamma/helper.py")
    assert [str(f) for f in found] == ["katas/gamma/helper.py line 3: imports gc"]
    assert [f.labelled() for f in found] == ["tampering: katas/gamma/helper.py line 3: imports gc"]


def test_the_file_is_read_as_python_reads_it_coding_declaration_included():
    hidden = b"# coding: utf-7\n+AAo-import gc\n"  # in UTF-7, "+AAo-" is a newline: Python runs `import gc`
    assert [str(f) for f in flags(hidden)] == ["katas/gamma/gamma.py line 3: imports gc"]


def test_code_too_deep_for_the_screen_is_held_not_a_crash():
    hidden = "x = " + " + ".join(["1"] * 2000) + "\nimport gc\n"  # Python compiles it; a recursive walk cannot
    compile(hidden, "kata", "exec")
    assert [f.labelled() for f in flags(hidden)] == [
        "tampering: katas/gamma/gamma.py: nested too deeply for the screen to read"]


def test_every_file_a_kata_can_import_counts_for_it(tmp_path):
    files = {
        "gamma/gamma.py": "from . import helper\n",
        "gamma/helper.py": "import gc\n",
        "delta/delta.py": "from katas.epsilon import tools\n",
        "epsilon/epsilon.py": "",
        "epsilon/tools.py": "import ctypes\n",
        "shared.py": "import socket\n",
        "zeta/zeta.py": "def f(:\n",
    }
    for path, text in files.items():
        (tmp_path / "katas" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "katas" / path).write_text(text)
    found, unparsed = integrity.screen_katas(tmp_path / "katas", ["gamma", "delta", "epsilon", "zeta"])
    as_text = {kata: [str(f) for f in flags] for kata, flags in found.items()}
    shared = "katas/shared.py line 1: imports socket"
    assert as_text == {
        "gamma": ["katas/gamma/helper.py line 1: imports gc", shared],
        "delta": ["katas/epsilon/tools.py line 1: imports ctypes", shared],
        "epsilon": ["katas/epsilon/tools.py line 1: imports ctypes", shared],
        "zeta": [shared],
    }
    assert unparsed == {"zeta": "katas/zeta/zeta.py does not parse (line 1): invalid syntax"}
