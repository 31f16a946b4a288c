"""The house rules of ARCHITECTURE.md, read from the import statements of every module."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ingest", "index", "search_app")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in (*PACKAGES, "benchmarks"):
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _imports(name: str) -> set[str]:
    """Every module name imported anywhere in the module (functions and TYPE_CHECKING too)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:  # `from index import layout` imports index.layout
                sub = f"{base}.{alias.name}"
                out.add(sub if sub in MODULES else base)
    return out


def _in(module: str, *roots: str) -> bool:
    return any(module == r or module.startswith(r + ".") for r in roots)


def _violations(sources: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{m} imports {i}" for m in MODULES if _in(m, *sources)
                  for i in _imports(m) if _in(i, *forbidden))


@pytest.mark.parametrize("sources, forbidden", [
    (("ingest",), ("index", "search_app")),  # ingest never looks downstream
    (("index",), ("search_app",)),
    (("index.write",), ("index.search", "index.store")),  # the two paths share only what is above
    (("index.search",), ("index.write", "index.store")),
    (("index.analysis", "index.schema", "index.layout", "index.types", "index.positions",
      "index.originals", "index.records", "index.columns"),
     ("index.write", "index.search", "index.store")),
])
def test_no_arrow_runs_back(sources: tuple[str, ...], forbidden: tuple[str, ...]) -> None:
    assert _violations(sources, forbidden) == []


def test_index_uses_only_the_document_contract_and_the_batch_api_of_ingest() -> None:
    used = {i for m in MODULES if _in(m, "index") for i in _imports(m) if _in(i, "ingest")}
    assert used == {"ingest.model", "ingest.batch"}


def test_the_write_path_calls_ingest_only_through_its_batch_api() -> None:
    used = {i for m in MODULES if _in(m, "index.write") for i in _imports(m) if _in(i, "ingest")}
    assert used <= {"ingest.model", "ingest.batch"} and "ingest.batch" in used


def test_search_app_and_benchmarks_enter_index_by_its_door() -> None:
    inner = sorted(f"{m} imports {i}" for m in MODULES if _in(m, "search_app", "benchmarks")
                   for i in _imports(m) if i.startswith("index."))
    assert inner == []


def test_no_import_cycles_inside_index() -> None:
    graph = {m: {i for i in _imports(m) if _in(i, "index") and i != "index" and i != m}
             for m in MODULES if _in(m, "index") and m != "index"}
    # A package's own __init__ (index.analysis) is the parent of its modules, not a cycle.
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []
