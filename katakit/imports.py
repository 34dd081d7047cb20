"""The import graph of katakit/: which of its modules each module imports, any cycle among them, and any
module that uses another module's private (`_name`) attributes. `python -m katakit.imports [FOLDER]`
prints all three and exits 1 on a cycle or a reach-in; a harness test holds the tree to it.

Read from the source (ast), nothing imported: every import counts, a lazy one inside a function too (it
is still a dependency, only a hidden one). The harness's own tests (katakit/tests) are left out: a test
may look inside what it tests.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
LEFT_OUT = ("tests",)  # folders of katakit/ that are not the package's modules


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Dotted name -> file of every module of `package` (a package is its __init__.py)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[0] in LEFT_OUT:
            continue
        parts = parts[:-1] if parts[-1] == "__init__" else parts
        found[".".join((package.name, *parts))] = path
    return found


def _resolve(node: ast.ImportFrom, name: str, is_package: bool) -> str:
    """The absolute module an ImportFrom in module `name` reads from."""
    if not node.level:
        return node.module or ""
    base = name.split(".")
    base = base[:len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _read(name: str, path: Path, known: dict[str, Path]) -> tuple[set[str], list[tuple[str, str]]]:
    """The modules of `known` that `name` imports, and (module, _attribute) for each private it uses."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    imported, private = set(), []
    bound: dict[str, str] = {}  # a local name -> the module of ours it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    imported.add(alias.name)
                    if alias.asname:
                        bound[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(node, name, path.name == "__init__.py")
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in known:  # `from katakit.run import cold`: the module cold
                    imported.add(submodule)
                    bound[alias.asname or alias.name] = submodule
                elif source in known:
                    imported.add(source)
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        private.append((source, alias.name))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            private.append((bound[node.value.id], node.attr))
    imported.discard(name)
    return imported, [(module, attr) for module, attr in dict.fromkeys(private) if module != name]


def graph(package: Path = PACKAGE) -> tuple[dict[str, set[str]], list[tuple[str, str, str]]]:
    """module -> the modules of the package it imports; and (module, other module, _attribute) reach-ins."""
    known = modules(package)
    edges, reach_ins = {}, []
    for name, path in known.items():
        edges[name], private = _read(name, path, known)
        reach_ins += [(name, module, attr) for module, attr in private]
    return edges, reach_ins


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def report(package: Path = PACKAGE) -> tuple[list[str], bool]:
    """The lines to print, and whether the graph is clean."""
    edges, reach_ins = graph(package)
    found = cycles(edges)
    lines = [f"{name} -> {', '.join(sorted(edges[name])) or '(nothing of ours)'}" for name in sorted(edges)]
    lines.append(f"\ncycles: {len(found) or 'none'}")
    lines += [f"  {' <-> '.join(component)}" for component in found]
    lines.append(f"reach-ins (a module using another's private name): {len(reach_ins) or 'none'}")
    lines += [f"  {name} uses {module}.{attr}" for name, module, attr in reach_ins]
    return lines, not found and not reach_ins


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    lines, clean = report(Path(args[0]).resolve() if args else PACKAGE)
    print("\n".join(lines))
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
