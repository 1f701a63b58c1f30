"""The package's own imports run downward only, and never in a circle.

The layers, bottom first (docs/architecture.md explains them). A module may
import from its own subpackage and from any lower layer, never from a higher
one or from a sibling subpackage of its own layer; ``sklearn_balanced``
itself (the package root) is the top and nothing inside imports it. Every
import counts, also those inside functions (lazy imports of optional
dependencies are still dependencies).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sklearn_balanced

ROOT = Path(sklearn_balanced.__file__).parent

#: bottom first; a component is a top-level module or subpackage
LAYERS = [
    ["_version", "_warnings"],
    ["_validation", "_moved", "_bounds"],
    ["objectives"],
    ["engine"],
    ["metrics", "_fit"],
    ["binary", "gray_zone", "multilabel", "multiclass", "groups"],
    ["plotting", "distributed", "neural", "datasets", "shift"],
    ["persistence"],
    ["cli"],
    ["__main__"],
]
LEVEL = {c: i for i, layer in enumerate(LAYERS) for c in layer}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (anywhere in its code)."""
    modules = {_module_name(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                # ``from pkg import sub`` imports the submodule ``pkg.sub``
                targets = [
                    f"{node.module}.{a.name}"
                    if f"{node.module}.{a.name}" in modules
                    else node.module
                    for a in node.names
                ]
            else:
                continue
            edges |= {t for t in targets if t in modules and t != name}
        graph[name] = edges
    return graph


def _component(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""  # "" is the package root


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for module, targets in graph.items():
        here = _component(module)
        for target in targets:
            there = _component(target)
            if here == "" or there == here:
                continue  # the root imports everything; a subpackage itself
            if there == "":
                found.append(f"{module} imports the package root")
            elif LEVEL[there] >= LEVEL[here]:
                kind = "a sibling" if LEVEL[there] == LEVEL[here] else "a higher layer"
                found.append(f"{module} imports {target} ({kind})")
    return sorted(found)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                out.append(sorted(scc))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_every_component_has_a_layer():
    components = {_component(m) for m in import_graph()} - {""}
    assert components == set(LEVEL), components ^ set(LEVEL)


def test_no_upward_or_sideways_import():
    assert upward_imports(import_graph()) == []


def test_no_import_cycle():
    assert cycles(import_graph()) == []


def test_the_checks_can_fail():
    """Both checks catch what they exist for (on a made-up graph)."""
    graph = {
        "sklearn_balanced.engine._core": {"sklearn_balanced.distributed._api"},
        "sklearn_balanced.distributed._api": {"sklearn_balanced.engine._core"},
    }
    assert upward_imports(graph) == [
        "sklearn_balanced.engine._core imports sklearn_balanced.distributed._api "
        "(a higher layer)"
    ]
    assert cycles(graph) == [sorted(graph)]


@pytest.mark.parametrize("component", ["engine", "objectives", "_validation"])
def test_the_bottom_knows_no_dask_cli_or_neural(component):
    graph = import_graph()
    below = {m for m in graph if _component(m) == component}
    reached = set().union(*(graph[m] for m in below))
    assert not {m for m in reached if _component(m) in ("distributed", "cli", "neural")}
