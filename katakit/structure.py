"""Check that a kata's stub and its reference expose the same surface, and that the stub is all TODO.

Same public functions, signatures and docstrings; a docstring that begins "Step N" names the step
curriculum.toml gives the function; each stub body is its docstring, comments and one
`raise NotImplementedError("Step N (Title): ...")` naming the step that function belongs to.
Both files are cut into the same notebook cells: `# %% Setup` on line 1, then one
`# %% Step N: Title` per step in curriculum.toml order, above that step's functions.
A stub as given (pristine) is its newest version in git that is still all TODO: `make reset` restores it,
and the grader screens a submission against it.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

from katakit import manifest
from katakit.paths import ROOT

TODO_MESSAGE = re.compile(r"^Step (\d+) \(([^)]*)\): \S")
CELL_MARKER = re.compile(r"^#\s*%%(?!%)(.*)$")  # the percent format that Jupytext, VS Code and PyCharm read
SETUP_CELL = "Setup"
DOCSTRING_STEP = re.compile(r"^Step (\d+)\b")


def public_functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {node.name: node for node in tree.body
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")}


def defaults(node: ast.FunctionDef) -> dict[str, str]:
    """A function's parameters that have a default, with the default as written, e.g. {"epochs": "150"}."""
    arguments = node.args
    positional = [*arguments.posonlyargs, *arguments.args]
    pairs = [*zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults, strict=True),
             *((a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if d is not None)]
    return {argument.arg: ast.unparse(default) for argument, default in pairs}


def signature(node: ast.FunctionDef) -> str:
    returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
    return f"{node.name}({ast.unparse(node.args)}){returns}"


def problems(kata: manifest.Kata) -> list[str]:
    """Everything wrong with the pair stub/reference of one kata; empty when it is right."""
    return problems_of(kata, kata.stub(), kata.solution())


def problems_of(kata: manifest.Kata, stub_path: Path, solution_path: Path) -> list[str]:
    missing = [str(p) for p in (stub_path, solution_path) if not p.exists()]
    if missing:
        return [f"missing file: {p}" for p in missing]
    stub, solution = public_functions(stub_path), public_functions(solution_path)
    found = []
    if sorted(stub) != sorted(solution):
        found.append(f"public functions differ: stub has {sorted(stub)}, reference has {sorted(solution)}")
    listed = {f for step in kata.steps for f in step.functions}
    if listed != set(solution):
        found.append(f"curriculum.toml lists functions {sorted(listed)}, the reference defines {sorted(solution)}")
    for name in sorted(set(stub) & set(solution)):
        s, r = stub[name], solution[name]
        if signature(s) != signature(r):
            found.append(f"{name}: signature differs: stub {signature(s)}, reference {signature(r)}")
        if ast.get_docstring(s) != ast.get_docstring(r):
            found.append(f"{name}: docstrings differ between stub and reference")
        if not ast.get_docstring(r):
            found.append(f"{name}: has no docstring")
        for node in (r, s) if ast.get_docstring(s) != ast.get_docstring(r) else (r,):
            found += [f"{name}: {p}" for p in docstring_problems(kata, node)]
        found += [f"{name}: {p}" for p in todo_problems(kata, s)]
    found += [f"stub: {p}" for p in cell_problems(kata, stub_path, stub)]
    found += [f"reference: {p}" for p in cell_problems(kata, solution_path, solution)]
    return found


def cell_titles(kata: manifest.Kata) -> list[str]:
    """The titles of a kata file's cells, in order: the module header, then one cell per step."""
    return [SETUP_CELL] + [f"Step {step.number}: {step.title}" for step in kata.steps]


def cell_markers(path: Path) -> list[tuple[int, str]]:
    """(line number, title) of every `# %% Title` line of a file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(n, m.group(1).strip()) for n, line in enumerate(lines, start=1) if (m := CELL_MARKER.match(line))]


def cell_problems(kata: manifest.Kata, path: Path, functions: dict[str, ast.FunctionDef]) -> list[str]:
    markers = cell_markers(path)
    titles, expected = [title for _, title in markers], cell_titles(kata)
    missing = [f"# %% {t}" for t in expected if t not in titles]
    if missing:
        return [f"missing cell marker(s) {missing}: one `# %% Step N: Title` per step of curriculum.toml"]
    if titles != expected:
        return [f"cell markers must be {[f'# %% {t}' for t in expected]} in this order, got {titles}"]
    if markers[0][0] != 1:
        return [f"`# %% {SETUP_CELL}` must be line 1, so that the imports are a cell too"]
    found = []
    for name, node in functions.items():
        step = kata.step_of_function(name)
        cell = next(title for line, title in reversed(markers) if line < node.lineno)
        if step and cell != f"Step {step.number}: {step.title}":
            found.append(f"{name} (step {step.number}) is in the cell `# %% {cell}`, not its step's")
    return found


def docstring_problems(kata: manifest.Kata, node: ast.FunctionDef) -> list[str]:
    """A docstring that begins "Step N" must name the step curriculum.toml gives the function."""
    match = DOCSTRING_STEP.match(ast.get_docstring(node) or "")
    step = kata.step_of_function(node.name)
    if match and step and int(match[1]) != step.number:
        return [f"the docstring begins 'Step {match[1]}', but curriculum.toml puts it in {step.label}"]
    return []


def todo_problems(kata: manifest.Kata, node: ast.FunctionDef) -> list[str]:
    body = node.body[1:] if ast.get_docstring(node) else node.body
    if len(body) != 1 or not isinstance(body[0], ast.Raise):
        return ["the stub body must be only `raise NotImplementedError(...)` (after the docstring)"]
    exc = body[0].exc
    if not (isinstance(exc, ast.Call) and isinstance(exc.func, ast.Name)
            and exc.func.id == "NotImplementedError" and len(exc.args) == 1
            and isinstance(exc.args[0], ast.Constant) and isinstance(exc.args[0].value, str)):
        return ['the stub must raise NotImplementedError("Step N (Title): what to do")']
    message = exc.args[0].value
    match = TODO_MESSAGE.match(message)
    step = kata.step_of_function(node.name)
    if step is None:
        return ["curriculum.toml lists this function under no step"]
    expected = f"Step {step.number} ({step.title}): "
    if not match or not message.startswith(expected):
        return [f"the TODO message must start with {expected!r}, got {message!r}"]
    return []


def pristine_stub(kata: manifest.Kata) -> str | None:
    """The newest committed version of the stub whose every function is still a TODO."""
    relative = str(kata.stub().relative_to(ROOT))
    try:
        log = subprocess.run(["git", "log", "--format=%H", "--", relative], cwd=ROOT, capture_output=True, text=True)
    except OSError:  # no git here (an autograder's container, say)
        return None
    for commit in log.stdout.split():
        shown = subprocess.run(["git", "show", f"{commit}:{relative}"], cwd=ROOT, capture_output=True, text=True)
        if shown.returncode == 0 and _all_todo(kata, shown.stdout):
            return shown.stdout
    return None


def _all_todo(kata: manifest.Kata, source: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
    return bool(functions) and not any(todo_problems(kata, f) for f in functions)
