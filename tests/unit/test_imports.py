"""How Parley's modules import one another, read from the source: imports inside functions count,
those only for type checkers (`if TYPE_CHECKING:`) do not.

- No package's modules import in a cycle, so each can be read (and imported) after the ones it uses.
- `domain` imports nothing of ours outside itself (STYLE: dependencies point inward).
- The API is imported only by `parley serve` (scripts/serving.py) and the benchmark: the client,
  the service, the views and every other command reach no module of `parley.api`, through any
  path, since the shapes they share with it live outside it (docs/decisions.md, the wire's shapes).
"""

from __future__ import annotations

import ast
from collections import deque
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "projections", "service", "api", "scripts", "client")
SERVING = "parley.scripts.serving"
BENCHMARK = "parley.scripts.bench"

Graph = dict[str, set[str]]


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(("parley", *(parts[:-1] if parts[-1] == "__init__" else parts)))


def _runtime_imports(node: ast.AST, modules: set[str]) -> set[str]:
    """The modules of ours `node` imports when it runs: `from a.b import c` names the module
    `a.b.c` when there is one, else `a.b`."""
    if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
        return set().union(*(_runtime_imports(child, modules) for child in node.orelse))
    found: set[str] = set()
    if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("parley."):
        found = {
            f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module  # type: ignore[misc]  # checked: it starts with parley.
            for a in node.names
        }
    elif isinstance(node, ast.Import):
        found = {a.name for a in node.names if a.name.startswith("parley.")}
    return found.union(*(_runtime_imports(child, modules) for child in ast.iter_child_nodes(node)))


def imports_of(root: Path = ROOT) -> Graph:
    """Every module of every package, with the modules of ours it imports."""
    paths = {_name(path): path for package in PACKAGES for path in (root / package).rglob("*.py")}
    modules = set(paths)
    return {name: _runtime_imports(ast.parse(path.read_text(encoding="utf-8")), modules) - {name} for name, path in paths.items()}


def in_order(graph: Graph) -> list[str]:
    try:
        return list(TopologicalSorter(graph).static_order())
    except CycleError as cycle:
        raise AssertionError(f"modules import in a cycle: {' -> '.join(cycle.args[1])}") from None


def path_to(graph: Graph, start: str, goal: str) -> list[str] | None:
    """The shortest chain of imports from `start` to a module under `goal`, if any."""
    came_from: dict[str, str | None] = {start: None}
    waiting = deque([start])
    while waiting:
        module = waiting.popleft()
        if module == goal or module.startswith(goal + "."):
            chain = [module]
            while (before := came_from[chain[-1]]) is not None:
                chain.append(before)
            return chain[::-1]
        for imported in sorted(graph.get(module, ())):
            if imported not in came_from:
                came_from[imported] = module
                waiting.append(imported)
    return None


GRAPH = imports_of()


def test_every_import_is_of_a_module_there_is() -> None:
    assert set().union(*GRAPH.values()) <= set(GRAPH)
    assert {name.split(".")[1] for name in GRAPH} == set(PACKAGES)


def test_no_package_imports_in_a_cycle() -> None:
    order = in_order(GRAPH)
    assert order.index("parley.domain.subject") < order.index("parley.domain.catalog") < order.index("parley.domain.timeline")


def test_the_domain_imports_nothing_of_ours_outside_itself() -> None:
    outside = {
        (module, imported)
        for module, imported_all in GRAPH.items()
        if module.startswith("parley.domain.")
        for imported in imported_all
        if not imported.startswith("parley.domain")
    }
    assert outside == set()


def test_only_serving_and_the_benchmark_import_the_api() -> None:
    allowed = {SERVING} | {name for name in GRAPH if name.startswith(BENCHMARK)}
    graph = {module: imported - allowed for module, imported in GRAPH.items() if module not in allowed}
    reaching = {
        module: chain
        for module in graph
        if not module.startswith("parley.api")
        if (chain := path_to(graph, module, "parley.api"))
    }
    assert reaching == {}, "\n".join(" -> ".join(chain) for chain in reaching.values())
    assert path_to(GRAPH, "parley.scripts.cli", "parley.api")[1] == SERVING  # type: ignore[index]  # serving does import it


def test_the_checks_find_a_cycle_and_a_path_hidden_in_a_function() -> None:
    modules = {"parley.a", "parley.b", "parley.c", "parley.api.x"}
    tree = ast.parse("def f():\n    from parley.b import x\n")
    other = ast.parse(
        "from parley.a import y\nif TYPE_CHECKING:\n    from parley.c import z\nelse:\n    from parley.api import x\n"
    )
    graph = {"parley.a": _runtime_imports(tree, modules), "parley.b": _runtime_imports(other, modules), "parley.c": set()}
    assert graph == {"parley.a": {"parley.b"}, "parley.b": {"parley.a", "parley.api.x"}, "parley.c": set()}
    try:
        in_order(graph)
    except AssertionError as cycle:
        assert "parley.a -> parley.b -> parley.a" in str(cycle) or "parley.b -> parley.a -> parley.b" in str(cycle)
    else:
        raise AssertionError("a cycle went unseen")
    assert path_to(graph, "parley.a", "parley.api") == ["parley.a", "parley.b", "parley.api.x"]
    assert path_to(graph, "parley.c", "parley.api") is None
