"""Layers flow one way: no import cycle inside `extractor/`, counting imports inside functions too
(a lazy import defers a cycle to run time, it does not remove it)."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "extractor"

# Import edges (importer, imported) allowed to close a cycle, each with the reason it is still there.
# Empty: every cycle was removed. Add an edge here only with a comment and an issue to remove it.
KNOWN_CYCLE_EDGES: set[tuple[str, str]] = set()


def module_names(package_dir: Path) -> dict[str, Path]:
    """Dotted module name → file, for every .py under the package (a package is its __init__)."""
    root = package_dir.parent
    names = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def _is_type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _imports(tree: ast.AST):
    """Every import statement, however deeply nested, except under `if TYPE_CHECKING:` (never run)."""
    stack = [tree]
    while stack:  # each node is visited once: the AST is a finite tree
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        if _is_type_checking_block(node):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: dict[str, Path]):
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[:len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    # `from pkg import sub` imports the submodule; `from mod import name` imports mod.
    return [f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in known else prefix for alias in node.names]


def import_graph(package_dir: Path = PACKAGE_DIR) -> dict[str, set[str]]:
    """Module → the package's modules it imports (at top level or inside functions)."""
    known = module_names(package_dir)
    graph: dict[str, set[str]] = {}
    for module, path in known.items():
        is_package = path.name == "__init__.py"
        deps = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            for target in _targets(module, is_package, node, known):
                while target and target not in known:  # `from .a.b import name` → module a.b
                    target = target.rpartition(".")[0]
                if target and target != module:
                    deps.add(target)
        graph[module] = deps
    return graph


def find_cycle(graph: dict[str, set[str]], allowed: set[tuple[str, str]] = frozenset()) -> list[str] | None:
    """One import cycle (as a list of modules, first = last), or None when the graph has none."""
    pruned = {module: {dep for dep in deps if (module, dep) not in allowed} for module, deps in graph.items()}
    try:
        graphlib.TopologicalSorter(pruned).prepare()
    except graphlib.CycleError as exc:
        return list(exc.args[1])
    return None


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert "extractor.batch_dask" in graph["extractor.commands.extract"]  # imported inside run_engine only
    assert "extractor.commands.extract" in graph["extractor.cli"]
    assert "extractor.commands.crawl" in graph["extractor.cli"]
    assert "extractor.rules_validation" in graph["extractor.rules_loader"]
    assert "extractor.rules_loader" not in graph["extractor.rules_validation"]  # only under TYPE_CHECKING


def test_a_cycle_through_a_function_level_import_is_found(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("def f():\n    from .high import g\n    return g\n")
    (package / "high.py").write_text("from . import low\n\ndef g():\n    return low\n")
    (package / "typed.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .high import g\n")
    graph = import_graph(package)
    assert graph["pkg.high"] == {"pkg.low"} and graph["pkg.typed"] == set()
    assert set(find_cycle(graph)) == {"pkg.low", "pkg.high"}
    assert find_cycle(graph, {("pkg.low", "pkg.high")}) is None


def test_no_import_cycle_in_the_package():
    cycle = find_cycle(import_graph(), KNOWN_CYCLE_EDGES)
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_every_known_exception_is_still_needed():
    graph = import_graph()
    for importer, imported in KNOWN_CYCLE_EDGES:
        assert imported in graph.get(importer, ()), f"{importer} no longer imports {imported}: drop the exception"


@pytest.mark.parametrize("layer, above", [
    # what an article becomes is handed down to the crawler (`run_crawl(extract=…)`)
    ("extractor.fetch", ("extractor.cli", "extractor.commands", "extractor.pipeline", "extractor.facts",
                         "extractor.api", "extractor.batch")),
    ("extractor.html", ("extractor.cli", "extractor.commands", "extractor.fetch", "extractor.pipeline")),
    ("extractor.facts", ("extractor.cli", "extractor.commands", "extractor.fetch", "extractor.html",
                         "extractor.pipeline", "extractor.api", "extractor.batch")),
])
def test_lower_layers_never_import_the_ones_above(layer, above):
    graph = import_graph()
    reaching_up = sorted((module, dep) for module, deps in graph.items()
                         if module == layer or module.startswith(layer + ".")
                         for dep in deps if any(dep == a or dep.startswith(a + ".") for a in above))
    assert reaching_up == []

