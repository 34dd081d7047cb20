"""What the screen flags in one parsed file, line by line: the tables of tampering and of notes, and the
visitor that applies them (katakit/grading/integrity.py says what each kind means and screens the files)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

TAMPERING_MODULES = {"pytest", "_pytest", "pluggy", "katakit", "tests", "conftest", "gc", "ctypes", "builtins",
                     "importlib", "runpy"}
NOTE_MODULES = {"subprocess", "socket", "multiprocessing", "signal", "pty", "shutil", "atexit", "inspect"}
TAMPERING_NAMES = {  # dotted names, however the module was imported or renamed
    "sys.modules": "uses sys.modules", "sys.meta_path": "uses sys.meta_path", "sys.path_hooks": "uses sys.path_hooks",
    "sys._getframe": "reaches into a frame (sys._getframe)", "sys._current_frames": "reaches into a frame",
    "sys.settrace": "traces frames (sys.settrace)", "sys.setprofile": "traces frames (sys.setprofile)",
    "threading.settrace": "traces frames (threading.settrace)", "threading.setprofile": "traces frames",
    **{f"inspect.{name}": f"reaches into a frame (inspect.{name})" for name in (
        "currentframe", "stack", "trace", "getouterframes", "getinnerframes", "getframeinfo", "getargvalues")},
}
NOTE_NAMES = {f"os.{name}" for name in ("_exit", "system", "popen", "fork", "kill", "remove", "unlink", "rmdir",
                                       "environ", "execv", "execve", "execvp", "spawnv", "chmod")} | {"sys.argv"}
REACHES = {"__code__", "__globals__", "__builtins__", "__dict__", "__class__", "__closure__", "__subclasses__",
           "__bases__", "__base__", "__mro__"}
FRAMES = {"f_back", "f_globals", "f_locals", "f_builtins", "f_code", "tb_frame", "gi_frame", "cr_frame", "ag_frame"}
HARMLESS_DUNDERS = {"__name__", "__file__", "__doc__", "__init__", "__call__", "__qualname__", "__version__"}
HIDDEN_CODE = {"exec", "eval", "compile", "__import__"}  # what they run, the screen cannot read
REFLECTION = {"setattr", "delattr"}
ATTRIBUTE_CALLS = {"getattr", "setattr", "delattr", "hasattr"}
NOTE_CALLS = {"globals", "vars", "locals"}


@dataclass(frozen=True, order=True)
class Flag:
    path: str  # relative to the project, e.g. katas/first_network/first_network.py
    line: int  # 0: about the file as a whole (intake)
    what: str
    tampering: bool = False

    def __str__(self) -> str:
        return f"{self.path} line {self.line}: {self.what}" if self.line else f"{self.path}: {self.what}"

    def labelled(self) -> str:
        return f"{'tampering' if self.tampering else 'note'}: {self}"


class FileScreen(ast.NodeVisitor):
    """Walks one parsed file: `flags` and `imports` once `prepare(tree)` and `visit(tree)` have run."""

    def __init__(self, relative: str, allowed: set[str]):
        self.relative = relative
        self.package = ".".join(Path(relative).parts[:-1])  # katas.<kata>: what relative imports start from
        self.allowed = allowed
        self.flags: list[Flag] = []
        self.imports: set[str] = set()
        self.aliases: dict[str, str] = {}  # a name bound by an import -> the dotted name it stands for
        self.bound: set[str] = set()  # names the file binds itself (assignments, defs, loops, ...)
        self.parameters: set[str] = set()  # function parameters, but self and cls
        self.defined: set[str] = set()  # names of the functions and classes it defines
        self.called: set[int] = set()  # ids of the Name nodes that are called

    def flag(self, node: ast.AST, what: str, tampering: bool) -> None:
        self.flags.append(Flag(self.relative, getattr(node, "lineno", 0), what, tampering))

    # --- what the file binds ---------------------------------------------------------------------------
    def prepare(self, tree: ast.AST) -> None:
        stores: dict[str, int] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.aliases[top] = top
            elif isinstance(node, ast.ImportFrom):
                module = self.absolute(node)
                for alias in node.names:
                    if alias.name != "*":
                        self.aliases[alias.asname or alias.name] = f"{module}.{alias.name}"
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                self.bound.add(node.id)
                stores[node.id] = stores.get(node.id, 0) + 1
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.bound.add(node.name)
                self.defined.add(node.name)
            elif isinstance(node, ast.arguments):
                for arg in (*node.posonlyargs, *node.args, *node.kwonlyargs, node.vararg, node.kwarg):
                    if arg is not None and arg.arg not in ("self", "cls"):
                        self.parameters.add(arg.arg)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self.bound.add(node.name)
        self.parameters -= self.bound
        for _ in range(3):  # `m = sys`, `t = np.testing`: a new name for what was imported (chains of three),
            for node in ast.walk(tree):  # when the file binds that name nowhere else
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                        and stores[node.targets[0].id] == 1:
                    name = self.dotted(node.value)
                    if name:
                        self.aliases[node.targets[0].id] = name

    def absolute(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        parts = self.package.split(".") if self.package else []
        base = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
        return ".".join([*base, *([node.module] if node.module else [])])

    def imported_names(self, tree: ast.AST) -> set[str]:
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                module = self.absolute(node)
                names |= {module} | {f"{module}.{alias.name}" for alias in node.names if alias.name != "*"}
        return names

    def dotted(self, node: ast.AST) -> str | None:
        """The dotted name an expression stands for when it starts from an import (np.random.seed ->
        numpy.random.seed; getattr(sys, "modules") -> sys.modules; m = sys; m.modules); None otherwise."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value)
            return f"{base}.{node.attr}" if base else None
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)):
            base = self.dotted(node.args[0])
            return f"{base}.{node.args[1].value}" if base else None
        return None

    def _forbidden_module(self, name: str) -> bool:
        top = name.split(".")[0]
        if top == "katakit":
            return not any(name == a or name.startswith(f"{a}.") for a in self.allowed)
        return top in TAMPERING_MODULES

    # --- what the file does ----------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.imports.add(alias.name)
            self.imported(node, alias.name, f"imports {alias.name}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = self.absolute(node)
        self.imports.add(module)
        self.imports |= {f"{module}.{alias.name}" for alias in node.names if alias.name != "*"}
        if node.level:
            return  # the submission's own modules: screened as files of their own
        for alias in node.names:
            name = module if alias.name == "*" else f"{module}.{alias.name}"
            self.imported(node, name, f"imports {alias.name} from {module}")

    def imported(self, node: ast.AST, name: str, what: str) -> None:
        if name in TAMPERING_NAMES:
            self.flag(node, f"{what}: {TAMPERING_NAMES[name]}", True)
        elif self._forbidden_module(name):
            self.flag(node, what, True)
        elif name.split(".")[0] in NOTE_MODULES or name in NOTE_NAMES:
            self.flag(node, what, False)

    def named(self, node: ast.AST, name: str | None, base: str | None) -> None:
        """What an imported thing's attribute (`sys.modules`, `getattr(sys, "modules")`) is."""
        if name in TAMPERING_NAMES:
            self.flag(node, TAMPERING_NAMES[name], True)
        elif name and base == "katakit" and self._forbidden_module(name):
            self.flag(node, f"uses {name}", True)
        elif name in NOTE_NAMES:
            self.flag(node, f"uses {name}", False)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.named(node, self.dotted(node), self.dotted(node.value))
        if node.attr in REACHES:
            self.flag(node, f"reaches into {_text(node)}", True)
        elif node.attr in FRAMES:
            self.flag(node, f"reaches into a frame ({_text(node)})", True)
        elif node.attr.startswith("__") and node.attr.endswith("__") and node.attr not in HARMLESS_DUNDERS:
            self.flag(node, f"reaches into {_text(node)}", False)
        if isinstance(node.ctx, ast.Store | ast.Del):
            self.assigned(node, "deletes" if isinstance(node.ctx, ast.Del) else "assigns to")
        self.generic_visit(node)

    def assigned(self, target: ast.Attribute, verb: str) -> None:
        """`pytest.fail = ...`, `del np.testing.assert_allclose`: changing what it imported, or a builtin."""
        base = target
        while isinstance(base, ast.Attribute | ast.Subscript):
            base = base.value
        if isinstance(base, ast.Name) and (base.id in self.aliases or self._unbound(base.id)):
            self.flag(target, f"{verb} {_text(target)}, which it did not create", True)

    def _unbound(self, name: str) -> bool:
        return name not in self.bound and name not in self.parameters and name not in self.aliases \
            and name not in ("self", "cls")

    def visit_Name(self, node: ast.Name) -> None:
        if node.id == "__builtins__":
            self.flag(node, "reaches into __builtins__", True)
        elif node.id in HIDDEN_CODE and node.id not in self.defined:
            how = f"calls {node.id}()" if id(node) in self.called else f"uses {node.id}"
            self.flag(node, f"{how}: code the screen cannot read", True)
        elif node.id in REFLECTION and node.id not in self.defined and id(node) not in self.called:
            self.flag(node, f"uses {node.id} as a value", True)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and _foreign_path(node.value):
            self.flag(node, f"names a path outside its own folder ({node.value!r})", False)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        """`globals()["__builtins__"]`, `vars(f)["__code__"]`."""
        if isinstance(node.slice, ast.Constant) and node.slice.value in REACHES | FRAMES:
            self.flag(node, f"reaches into {_text(node)}", True)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id not in self.defined:
            self.called.add(id(node.func))
            name = node.func.id
            if name in REFLECTION and node.args and not self._own(node.args[0]):
                self.flag(node, f"calls {name}() on {_text(node.args[0])}, which it did not create", True)
            elif name in ATTRIBUTE_CALLS and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) \
                    and node.args[1].value in REACHES | FRAMES:
                self.flag(node, f"reaches into {_text(node.args[0])}.{node.args[1].value}", True)
            elif name == "getattr" and len(node.args) >= 2:
                self.named(node, self.dotted(node), self.dotted(node.args[0]))
            elif name == "vars" and node.args and self.dotted(node.args[0]):
                self.flag(node, f"reaches into the namespace of {self.dotted(node.args[0])}", True)
            elif name in NOTE_CALLS:
                self.flag(node, f"calls {name}()", False)
            elif name == "open" and node.args and isinstance(node.args[0], ast.Constant):
                self.flag(node, f"opens a file it is not given ({node.args[0].value!r})", False)
        elif isinstance(node.func, ast.Attribute) and node.func.attr in ("__setattr__", "__delattr__"):
            # object.__setattr__(target, ...) or target.__setattr__(...): setattr by another name
            plain = isinstance(node.func.value, ast.Name) and node.func.value.id in ("object", "type")
            target = node.args[0] if plain and node.args else node.func.value
            if not self._own(target):
                self.flag(node, f"calls {node.func.attr}() on {_text(target)}, which it did not create", True)
        self.generic_visit(node)

    def _own(self, target: ast.AST) -> bool:
        """Whether `target` is something the file made: self, cls, or a name it binds (not a module it
        imported, a parameter it was given, a builtin, or whatever a call returns)."""
        while isinstance(target, ast.Attribute | ast.Subscript):
            target = target.value
        return isinstance(target, ast.Name) and (target.id in ("self", "cls") or (
            target.id in self.bound and target.id not in self.aliases))


def _text(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 60 else text[:57] + "..."


def _foreign_path(text: str) -> bool:
    return "\n" not in text and (text.startswith(("/", "~")) or "solutions" in text or "../" in text)
