"""The package's layering: the core imports no backend, and module-level imports form no circle.

``bridge.core`` is ImageJ's reader and processors in Python; both backends are
adapters over it.  A circle would force function-level imports to dodge it, which
is how the old layout hid its three circles; this test keeps them from coming back.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "bridge"
#: What the core may not import: the layers built on top of it.
ABOVE_CORE = ("bridge.backends", "bridge.facade", "bridge.scan", "bridge.series", "bridge.guards",
              "bridge.cli", "bridge.macro", "bridge.compare", "bridge.doctor", "bridge.scripting")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(path: Path) -> set[str]:
    """Modules of ``bridge`` that ``path`` imports when it is itself imported (not inside functions
    or ``if TYPE_CHECKING:``)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("bridge"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if base.startswith("bridge"):
                found.add(base)
                found.update(f"{base}.{a.name}" for a in node.names)
    return found


def graph() -> dict[str, set[str]]:
    """Module -> the modules it imports at top level.  A module's own enclosing packages are left
    out: Python has them in ``sys.modules`` before the module runs, so they make no circle."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in top_level_imports(path) if m in modules and not (name + ".").startswith(m + ".")}
            for name, path in modules.items()}


def test_the_core_imports_nothing_built_on_it() -> None:
    offenders = {name: sorted(m for m in deps if m.startswith(ABOVE_CORE))
                 for name, deps in graph().items() if name.startswith("bridge.core")}
    assert {k: v for k, v in offenders.items() if v} == {}


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each circle a depth-first walk meets, as the modules along it."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    return cycles


def test_find_cycles_sees_a_circle() -> None:
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_module_level_imports_form_no_circle() -> None:
    assert find_cycles(graph()) == []
