"""The house stays readable: no import circle between modules, a short top folder, short modules.

The layers themselves (cli > app > schedule > engine | store | testing > model > errors > i18n) are
import-linter contracts in pyproject.toml, checked by ``lint-imports`` in ``make test``. A layers
contract cannot see a circle inside one layer (``engine.flow`` <-> ``engine.forms``), so this test
builds the whole import graph with grimp (import-linter's own) and fails naming every circle. The
graph counts every import: at the top, inside functions and under ``if TYPE_CHECKING:`` — a circle
hidden in a function is still two modules that cannot be understood one without the other.
"""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "optout_bot"
MAX_TOP_ENTRIES = 12
MAX_MODULE_LINES = 300

# Known debts, each named with what remains and whose it is; empty is the goal. An entry that is no
# longer true fails too, so the lists only shrink.
ALLOWED_CIRCLES: list[set[str]] = []
ALLOWED_LONG_MODULES: dict[str, str] = {}


def import_graph(package: str = "optout_bot") -> dict[str, set[str]]:
    """Module -> the package's modules it imports (itself left out)."""
    graph = grimp.build_graph(package, cache_dir=None)
    return {
        module: graph.find_modules_directly_imported_by(module) - {module} for module in sorted(graph.modules)
    }


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted, largest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.get(module, ())):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(found, key=lambda group: (-len(group), group))


def describe(group: list[str], graph: dict[str, set[str]]) -> str:
    members = set(group)
    lines = [f"{len(group)} modules import each other:"]
    lines += [f"  {m} -> {', '.join(sorted(graph[m] & members))}" for m in group]
    return "\n".join(lines)


def test_the_search_finds_a_circle_and_leaves_a_chain_alone() -> None:
    chain = {"a": {"b"}, "b": {"c"}, "c": set()}
    assert circles(chain) == []
    assert circles({**chain, "c": {"a"}, "d": {"d", "a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": {"a"}, "x": {"y"}, "y": {"z"}, "z": {"x"}}) == [
        ["x", "y", "z"],
        ["a", "b"],
    ]


def test_the_graph_sees_imports_inside_functions_and_type_checking_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "layers_probe"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "top.py").write_text("def late():\n    from layers_probe import inner\n")
    (package / "inner.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from layers_probe.top import late\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = import_graph("layers_probe")
    assert graph["layers_probe.top"] == {"layers_probe.inner"}
    assert graph["layers_probe.inner"] == {"layers_probe.top"}
    assert circles(graph) == [["layers_probe.inner", "layers_probe.top"]]


def test_no_import_circle_between_modules() -> None:
    graph = import_graph()
    found = circles(graph)
    new = [group for group in found if set(group) not in ALLOWED_CIRCLES]
    assert not new, "import circles:\n" + "\n".join(describe(group, graph) for group in new)
    gone = [allowed for allowed in ALLOWED_CIRCLES if sorted(allowed) not in found]
    assert not gone, f"no longer circles, take them off ALLOWED_CIRCLES: {gone}"


def test_the_top_of_the_package_stays_short() -> None:
    entries = sorted(p.name for p in PACKAGE.iterdir() if p.name != "__pycache__")
    assert len(entries) <= MAX_TOP_ENTRIES, entries


def test_no_module_is_longer_than_a_reader_keeps_in_mind() -> None:
    long = {
        str(path.relative_to(PACKAGE.parent)): n
        for path in sorted(PACKAGE.rglob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    new = {path: n for path, n in long.items() if path not in ALLOWED_LONG_MODULES}
    assert not new, f"modules over {MAX_MODULE_LINES} lines: {new}"
    gone = sorted(set(ALLOWED_LONG_MODULES) - set(long))
    assert not gone, f"no longer over {MAX_MODULE_LINES} lines, take them off ALLOWED_LONG_MODULES: {gone}"
