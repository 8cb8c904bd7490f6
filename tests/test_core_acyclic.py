"""The shared core (dttscore) has no import cycles, imports inside functions included.

import-linter's contracts (pyproject.toml) keep the core's layers and what it may not import; this test
looks at the whole import graph of the package (grimp, which import-linter is built on, reads every
``import`` statement, also those inside functions) and refuses any cycle, so a new module cannot close one
that the layers do not list.
"""

from __future__ import annotations

import grimp


def import_cycles(package: str) -> list[list[str]]:
    """Every import cycle among the modules of ``package``: its strongly connected components of size > 1
    (and modules importing themselves), each sorted, the list sorted."""
    graph = grimp.build_graph(package, cache_dir=None)
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & set(modules)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(start: str) -> None:  # Tarjan, iterative (no recursion limit on a deep graph)
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if i < len(edges[node]):
                work.append((node, i + 1))
                nxt = edges[node][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges[node]:
                    cycles.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])

    for module in modules:
        if module not in index:
            visit(module)
    return sorted(cycles)


def _describe(package: str, cycles: list[list[str]]) -> str:
    graph = grimp.build_graph(package, cache_dir=None)
    lines = []
    for cycle in cycles:
        lines.append(" <-> ".join(cycle))
        for a in cycle:
            for b in cycle:
                for d in graph.get_import_details(importer=a, imported=b):
                    lines.append(f"    {a}:{d['line_number']}: {d['line_contents']}")
    return "\n".join(lines)


def test_the_core_has_no_import_cycle():
    cycles = import_cycles("dttscore")
    assert cycles == [], "import cycles in dttscore:\n" + _describe("dttscore", cycles)


def test_the_check_finds_a_cycle_closed_inside_a_function(tmp_path, monkeypatch):
    package = tmp_path / "cyclic_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "model.py").write_text("def parse():\n    from cyclic_pkg import parser\n\n    return parser\n")
    (package / "parser.py").write_text("from cyclic_pkg import model\n")
    (package / "leaf.py").write_text("from cyclic_pkg import model\n")
    (package / "selfish.py").write_text("def again():\n    from cyclic_pkg import selfish\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("cyclic_pkg") == [
        ["cyclic_pkg.model", "cyclic_pkg.parser"],
        ["cyclic_pkg.selfish"],
    ]
