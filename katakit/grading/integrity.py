"""A static screen of a kata file: what a kata has no business doing, line by line, for the instructor.

The file is parsed, never run. Its flags do not change the score: they go to the instructor (the
`flags` column of gradebook.csv, the terminal table, the hidden part of results.json), who decides.
"""

from __future__ import annotations

import ast
from pathlib import Path

MODULES = {"pytest", "_pytest", "katakit", "tests", "gc", "ctypes", "inspect", "importlib", "atexit",
           "subprocess", "socket", "builtins", "multiprocessing", "signal", "pty", "shutil"}
ALLOWED = {"katakit.paths", "katakit.env"}  # what a kata may take from the harness: where data is, quiet TF
CALLS = {"__import__", "eval", "exec", "compile", "globals", "setattr", "delattr"}
ATTRIBUTES = {("sys", "modules"), ("os", "_exit"), ("os", "system"), ("os", "popen"), ("os", "fork"),
              ("os", "kill"), ("os", "remove"), ("os", "unlink"), ("os", "environ"), ("sys", "argv"),
              ("os", "execv"), ("os", "execvp"), ("os", "spawnv"), ("sys", "settrace"), ("sys", "setprofile")}
OPENERS = {"open"}


class ParseError(Exception):
    """The kata file is not valid Python: the message names the line."""


def screen(path: Path) -> list[str]:
    """The flags of one kata file, e.g. ['line 3: imports subprocess']; ParseError if it does not parse."""
    return screen_source(path.read_text(encoding="utf-8", errors="replace"), str(path))


def screen_source(source: str, filename: str = "<kata>") -> list[str]:
    """The flags of a kata file's text (see screen)."""
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as error:
        raise ParseError(f"does not parse (line {error.lineno}): {error.msg}") from None
    flags = []
    for node in ast.walk(tree):
        flag = _flag(node)
        if flag:
            flags.append((node.lineno, flag))
    return [f"line {line}: {flag}" for line, flag in sorted(set(flags))]


def _flag(node: ast.AST) -> str:
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names if a.name.split(".")[0] in MODULES and a.name not in ALLOWED]
        return f"imports {', '.join(names)}" if names else ""
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        top = node.module.split(".")[0]
        if top in MODULES and node.module not in ALLOWED:
            return f"imports from {node.module}"
        if any((top, a.name) in ATTRIBUTES for a in node.names):
            return f"imports {', '.join(a.name for a in node.names if (top, a.name) in ATTRIBUTES)} from {top}"
        return ""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if (node.value.id, node.attr) in ATTRIBUTES:
            return f"uses {node.value.id}.{node.attr}"
        if node.attr.startswith("__") and node.attr.endswith("__") and node.attr not in ("__name__", "__file__"):
            return f"reaches into {node.value.id}.{node.attr}"
        return ""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id in CALLS:
            return f"calls {node.func.id}()"
        if node.func.id in OPENERS and node.args and isinstance(node.args[0], ast.Constant):
            return f"opens a file it is not given ({node.args[0].value!r})"
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and _foreign_path(node.value):
        return f"names a path outside its own folder ({node.value!r})"
    return ""


def _foreign_path(text: str) -> bool:
    return "\n" not in text and (text.startswith(("/", "~")) or "solutions" in text or "../" in text)
