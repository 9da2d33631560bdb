"""No import cycle among the modules of lib/reviewbench, counting imports inside functions.

The layers are checked by import-linter (``[tool.importlinter]`` in pyproject.toml, run by
``python3 bootstrap.py test``), which reads every import statement, inside functions too.
This test adds what it does not see: a cycle between two single modules of one package
through a package's ``__init__`` (importing ``a.b`` runs ``a/__init__.py`` first), and
imports hidden in strings (``importlib.import_module``), which no tool can follow.
"""

from __future__ import annotations

import ast
from pathlib import Path

LIB = Path(__file__).resolve().parents[1] / "lib"


def module_files(root: Path, package: str) -> dict[str, tuple[Path, bool]]:
    """Module name -> (file, is a package ``__init__``) for every module of ``package``."""
    modules = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        modules[".".join(parts)] = (path, is_package)
    return modules


def _known(name: str, modules: dict) -> str | None:
    """``name`` or its nearest enclosing module that is one of ``modules``."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the modules its import statements run, wherever in the file they stand.

    ``from a import b`` imports the module ``a.b`` when there is one, else ``a``; importing
    ``a.b.c`` also runs the packages ``a`` and ``a.b``, unless the importer is inside them.
    """
    modules = module_files(root, package)
    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in modules.items():
        base = name if is_package else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets |= {t for alias in node.names if (t := _known(alias.name, modules))}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = base.split(".")
                    origin = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
                else:
                    origin = node.module or ""
                for alias in node.names:
                    full = f"{origin}.{alias.name}"
                    target = full if full in modules else _known(origin, modules)
                    if target:
                        targets.add(target)
        for target in list(targets):
            parent = target.rpartition(".")[0]
            while parent and not (name == parent or name.startswith(parent + ".")):
                targets.add(parent)
                parent = parent.rpartition(".")[0]
        targets.discard(name)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or round a loop (Tarjan's
    strongly connected components of more than one module), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        # iterative depth-first search: (node, iterator over its targets)
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_no_module_of_the_package_is_in_an_import_cycle():
    graph = import_graph(LIB, "reviewbench")
    assert len(graph) > 50 and "reviewbench.pipeline" in graph["reviewbench.outputs.review_data"]
    assert cycles(graph) == []


def test_no_import_is_hidden_in_a_string():
    hidden = []
    for path, _is_package in module_files(LIB, "reviewbench").values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ("import_module", "__import__"):
                    hidden.append(f"{path.relative_to(LIB)}:{node.lineno}")
    assert hidden == []


def test_a_cycle_through_a_function_level_import_or_a_package_init_is_found(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from .b import g\n")
    (pkg / "b.py").write_text("from . import a\n")
    (pkg / "sub" / "__init__.py").write_text("from ..c import x\n")
    (pkg / "sub" / "mod.py").write_text("")
    (pkg / "c.py").write_text("import pkg.sub.mod\n")
    (pkg / "d.py").write_text("from .a import f\n")
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.a"] == {"pkg.b"} and graph["pkg.d"] == {"pkg.a"}
    assert cycles(graph) == [["pkg.a", "pkg.b"], ["pkg.c", "pkg.sub"]]
