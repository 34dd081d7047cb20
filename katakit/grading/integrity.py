"""A static screen of a submission's Python files: what a kata has no business doing, line by line.

The files are parsed, never run. Each flag names its file and line, and is one of two kinds:

- tampering: what a kata never needs, and what reaches the harness in ways the checks made inside the
  specs' process cannot see. Imports of pytest, _pytest, pluggy, katakit (but what the stubs import),
  tests, gc, ctypes and builtins; frames (sys._getframe, inspect's frame functions, f_back, tb_frame);
  setattr/delattr on objects the kata did not create, and assignments to attributes of what it imported;
  reaches into __code__, __globals__, __builtins__, __dict__ or __class__; sys.modules and the import
  machinery; and code the screen cannot read (exec, eval, compile, __import__, importlib). A kata with a
  tampering flag is held for the instructor's review (katakit/grading/review.py).
- note: what is unusual but may be innocent (subprocess, socket, os.environ, constant paths outside the
  kata, ...). Notes change no score: they go to the instructor, who decides.

Every file of katas/ that a kata can import counts for it: the files of its own folder, the files outside
any kata's folder (katas/__init__.py, katas/helpers.py, ...), and the files of another kata's folder that
those import by name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from katakit.grading.file_screen import FileScreen, Flag


@dataclass
class Screened:
    """One file's flags, the modules it imports (absolute names), and why it does not parse ('' if it does)."""
    flags: list[Flag]
    imports: set[str]
    error: str = ""


def screen(path: Path, relative: str = "", allowed: Iterable[str] = ()) -> Screened:
    """The screen of one file, read as bytes so that its coding declaration counts, as it does for Python.
    `relative`: its path in the project (katas/<kata>/<file>.py), which also resolves relative imports."""
    return screen_source(path.read_bytes(), relative or str(path), allowed)


def screen_source(source: str | bytes, relative: str = "<kata>", allowed: Iterable[str] = ()) -> Screened:
    try:
        tree = ast.parse(source, filename=relative)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None)
        return Screened([], set(), f"does not parse (line {line}): {getattr(error, 'msg', error)}")
    except (RecursionError, MemoryError):
        return Screened([], set(), "does not parse: nested too deeply")
    visitor = FileScreen(relative, set(allowed))
    try:
        visitor.prepare(tree)
        visitor.visit(tree)
    except RecursionError:  # Python may still run it: what the screen cannot read is held
        return Screened([Flag(relative, 0, "nested too deeply for the screen to read", True)], visitor.imports)
    return Screened(sorted(set(visitor.flags)), visitor.imports)


def katakit_imports(sources: Iterable[str]) -> set[str]:
    """The katakit modules the stubs import: a kata may import them too (e.g. katakit.paths, where data is)."""
    found = set()
    for source in sources:
        try:
            found |= {name for name in FileScreen("", set()).imported_names(ast.parse(source))
                      if name.split(".")[0] == "katakit" and name != "katakit"}
        except SyntaxError:
            continue
    return found


def screen_katas(katas_dir: Path, names: Iterable[str], allowed: Iterable[str] = ()
                 ) -> tuple[dict[str, list[Flag]], dict[str, str]]:
    """Every Python file of katas/ (a workspace's copy): kata -> the flags of the files it can import, and
    kata -> why its own file does not parse."""
    names = list(names)
    files = {str(p.relative_to(katas_dir.parent)): p for p in sorted(katas_dir.rglob("*.py")) if p.is_file()}
    screened = {relative: screen(path, relative, allowed) for relative, path in files.items()}
    flags: dict[str, list[Flag]] = {}
    unparsed: dict[str, str] = {}
    for kata in names:
        own = f"katas/{kata}/{kata}.py"
        found: set[Flag] = set()
        for relative in _reach(kata, screened, names):
            result = screened[relative]
            if result.error and relative == own:
                unparsed[kata] = f"{own} {result.error}"
            elif result.error:
                found.add(Flag(relative, 0, result.error))
            found |= set(result.flags)
        if found:
            flags[kata] = sorted(found)
    return flags, unparsed


def _owner(relative: str, names: list[str]) -> str | None:
    parts = relative.split("/")
    return parts[1] if len(parts) > 2 and parts[1] in names else None


def _reach(kata: str, screened: dict[str, Screened], names: list[str]) -> list[str]:
    """The files `kata` can import: its folder's, those outside every kata's folder, and the folders of other
    katas that these import by name."""
    folders = {kata}
    while True:
        reached = [r for r in screened if _owner(r, names) in (*folders, None)]
        wanted = {module.split(".")[1] for r in reached for module in screened[r].imports
                  if module.startswith("katas.") and module.split(".")[1] in names}
        if wanted <= folders:
            return reached
        folders |= wanted
