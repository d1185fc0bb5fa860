"""The domain's modules import one another without a cycle, so each can be read (and imported) after
the ones it uses. Read from the source: imports inside functions count, those only for type checkers
(`if TYPE_CHECKING:`) do not."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
PACKAGE = "parley.domain."


def _runtime_imports(node: ast.AST) -> set[str]:
    if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PACKAGE):
        return {node.module.removeprefix(PACKAGE)}  # type: ignore[union-attr]
    if isinstance(node, ast.Import):
        return {a.name.removeprefix(PACKAGE) for a in node.names if a.name.startswith(PACKAGE)}
    if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
        return set().union(*map(_runtime_imports, node.orelse))
    return set().union(*map(_runtime_imports, ast.iter_child_nodes(node)))


def imports_of_the_domain() -> dict[str, set[str]]:
    return {path.stem: _runtime_imports(ast.parse(path.read_text(encoding="utf-8")))
            for path in DOMAIN.glob("*.py") if path.stem != "__init__"}


def test_the_domain_imports_itself_without_a_cycle() -> None:
    graph = imports_of_the_domain()
    assert set().union(*graph.values()) <= set(graph)  # every import is one of its modules
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as cycle:
        raise AssertionError(f"domain modules import in a cycle: {' -> '.join(cycle.args[1])}") from None
    assert order.index("subject") < order.index("catalog") < order.index("timeline")


def test_the_cycle_check_finds_a_cycle_hidden_in_a_function() -> None:
    tree = ast.parse("def f():\n    from parley.domain.b import x\n")
    other = ast.parse("from parley.domain.a import y\nif TYPE_CHECKING:\n    from parley.domain.c import z\n")
    graph = {"a": _runtime_imports(tree), "b": _runtime_imports(other), "c": set()}
    assert graph == {"a": {"b"}, "b": {"a"}, "c": set()}
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError:
        return
    raise AssertionError("a cycle went unseen")
