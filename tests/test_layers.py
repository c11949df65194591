"""bench/ imports only downward, in the data-flow order, and has no import cycle.

Every ``import`` is read with ast, in-function ones included: an import hidden inside a function
still ties two modules together (it only defers the failure to the first call), so it counts.
"""

from __future__ import annotations

import ast
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"

# The layers, lowest first. A module may import its own layer and the layers before it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("core", ("bench", "bench.core")),  # `bench` itself: version and lazy name strings only
    ("text", ("bench.text",)),
    ("summarizers", ("bench.summarizers",)),
    ("detectors", ("bench.detectors",)),
    ("benchmark", ("bench.benchmark",)),
    ("metrics", ("bench.metrics",)),
    ("results", ("bench.results",)),
    ("analysis", ("bench.analysis",)),
    ("reporting", ("bench.reporting",)),
    ("execution", ("bench.execution",)),
    ("metaeval", ("bench.metaeval",)),
    ("app", ("bench.cli", "bench.__main__", "bench.pytest_plugin")),
]

# Edges allowed to break the rules, each with the step that will remove it: none since issue 20.
# The list may only shrink: an entry that no longer matches an import fails the test too.
KNOWN: dict[tuple[str, str], str] = {}


def module_files() -> dict[str, Path]:
    mods = {}
    for path in sorted(BENCH.rglob("*.py")):
        parts = list(path.relative_to(BENCH.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


def imports_of(name: str, path: Path, mods: dict[str, Path]) -> set[tuple[str, int]]:
    """(imported bench module, line) for every import in the file, at any depth."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in mods:  # `bench.x.attr` -> `bench.x`
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add((target, node.lineno))
    return found


def layer_of(module: str) -> int:
    best, index = -1, None
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            hit = module == prefix if prefix == "bench" else module == prefix or module.startswith(prefix + ".")
            if hit and len(prefix) > best:
                best, index = len(prefix), i
    if index is None:
        raise AssertionError(f"{module} is in no layer: add its package to LAYERS in tests/test_layers.py")
    return index


def edges() -> dict[tuple[str, str], int]:
    mods = module_files()
    out = {}
    for name, path in mods.items():
        for target, line in imports_of(name, path, mods):
            out.setdefault((name, target), line)
    return out


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_every_module_has_a_layer():
    for module in module_files():
        layer_of(module)


def test_imports_follow_the_layer_order():
    bad = []
    for (src, dst), line in sorted(edges().items()):
        if layer_of(dst) > layer_of(src) and (src, dst) not in KNOWN:
            bad.append(f"{src} (layer {LAYERS[layer_of(src)][0]}, line {line}) imports {dst} (layer {LAYERS[layer_of(dst)][0]})")
    assert not bad, "imports against the layer order (a layer imports only itself and the layers before it):\n" + "\n".join(bad)


def test_no_import_cycle():
    graph: dict[str, set[str]] = {}
    for src, dst in edges():
        if (src, dst) not in KNOWN:
            graph.setdefault(src, set()).add(dst)
    cycle = find_cycle(graph)
    found = edges()
    assert cycle is None, "import cycle among bench modules: " + " -> ".join(
        f"{a} (line {found[(a, b)]})" for a, b in zip(cycle, cycle[1:])) + f" -> {cycle[-1]}"


def test_known_exceptions_still_exist():
    stale = sorted(set(KNOWN) - set(edges()))
    assert not stale, f"remove from KNOWN in tests/test_layers.py, these imports are gone: {stale}"
