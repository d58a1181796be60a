"""No import cycles in the package: no module imports a module that (through any chain) imports it
back — counting imports inside functions too, which only postpone a cycle. Imports under
`if TYPE_CHECKING:` never run and are left out."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom, known: dict[str, Path]) -> list[str]:
    """The package modules an import statement runs: the named module and its packages."""
    if isinstance(node, ast.Import):
        named = [alias.name for alias in node.names]
    else:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        base = package[: len(package) - node.level + 1] if node.level else []
        target = ".".join(base + ([node.module] if node.module else []))
        named = [f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target for alias in node.names]
    found = []
    for name in named:
        parts = name.split(".")
        for i in range(2, len(parts) + 1):
            ancestor = ".".join(parts[:i])
            # a package the importing module is itself inside is already being imported
            if ancestor in known and ancestor != module and not module.startswith(ancestor + "."):
                found.append(ancestor)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {}
    for module, path in known.items():
        found: set[str] = set()

        def visit(node: ast.AST, module: str = module, path: Path = path, found: set[str] = found) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                    continue
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    found.update(_targets(module, path, child, known))
                visit(child)

        visit(ast.parse(path.read_text(encoding="utf-8")))
        edges[module] = found
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges[node]):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def test_no_module_imports_a_module_that_imports_it_back() -> None:
    found = cycles(graph())
    assert not found, "import cycles (each: modules that import one another): " + "; ".join(
        " ↔ ".join(component) for component in found
    )


def test_the_walk_sees_imports_inside_functions_and_relative_imports() -> None:
    edges = graph()
    assert "generator.annual.sources" in edges["generator.checking"]  # from .annual import sources
    assert "generator.annual.word" in edges["generator.report"]  # inside export()
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_annual_reports_do_not_reach_back_into_the_pipeline_or_the_renderer() -> None:
    edges = graph()
    annual = {module: targets for module, targets in edges.items() if module.startswith("generator.annual")}
    back = {
        module: sorted(t for t in targets if t.startswith(("generator.pipeline", "generator.render")))
        for module, targets in annual.items()
    }
    assert not any(back.values()), back


def reached(edges: dict[str, set[str]], start: str) -> set[str]:
    """Every package module `start` imports, through any chain (imports inside functions too)."""
    found, pending = set(), [start]
    while pending:
        for other in edges[pending.pop()] - found:
            found.add(other)
            pending.append(other)
    return found


def test_the_early_indexer_loads_the_search_modules_alone() -> None:
    """The fresh process that indexes an edit build's changed shard (index.EARLY) is what the build
    waits for: it imports search/make.py, which reaches neither the selection nor the schema and
    settings it reads (0.2 s to start, instead of 0.35 s through index.py)."""
    edges = graph()
    heavy = {"generator.publicity", "generator.schema", "generator.config", "generator.index", "generator.render"}
    assert not reached(edges, "generator.search.make") & heavy
    assert {"generator.publicity", "generator.schema"} <= reached(edges, "generator.index")  # the walk sees them
