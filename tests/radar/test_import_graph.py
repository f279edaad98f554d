"""The import graph: no cycles among our modules, and the code that runs on workers without Django stays so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

import wendbaar.radar

# Packages that must run without Django: the engine (Dask workers, benchmarks), the executors and the
# ingest rules (readers, validation, dedup, enrichment), which Dask workers import.
DJANGO_FREE = ("wendbaar.engine", "wendbaar.radar.execution", "wendbaar.radar.ingest")
# Cycles outside this reach, known and left alone; any other cycle fails the test.
# A use case that queues its own background task, which calls the use case again: the import in the
# service is deferred to the call, so the cycle never bites at import time.
KNOWN_CYCLES = [
    {"wendbaar.skills.services", "wendbaar.skills.tasks"},
    {"wendbaar.demand.services", "wendbaar.demand.tasks"},
]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("wendbaar", include_external_packages=True, cache_dir=None)


def _cycles(graph: grimp.ImportGraph) -> list[set[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative), over direct imports."""
    ours = sorted(m for m in graph.modules if m.split(".")[0] == "wendbaar")
    edges = {m: sorted(n for n in graph.find_modules_directly_imported_by(m) if n.split(".")[0] == "wendbaar")
             for m in ours}  # fmt: skip
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in ours:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, []))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(group)
    return found


def test_no_import_cycles(graph: grimp.ImportGraph) -> None:
    new = [sorted(c) for c in _cycles(graph) if c not in KNOWN_CYCLES]
    assert not new, f"import cycles: {new}"


@pytest.mark.parametrize("package", DJANGO_FREE)
def test_worker_code_does_not_import_django(graph: grimp.ImportGraph, package: str) -> None:
    for module in sorted(m for m in graph.modules if m == package or m.startswith(package + ".")):
        for imported in graph.find_modules_directly_imported_by(module):
            assert imported.split(".")[0] not in {"django", "rest_framework"}, f"{module} imports {imported}"
        for chain_end in ("django", "rest_framework"):
            if chain_end in graph.modules:
                chain = graph.find_shortest_chain(importer=module, imported=chain_end)
                assert chain is None, f"{module} reaches {chain_end}: {' -> '.join(chain)}"


def test_importing_the_worker_code_loads_no_django() -> None:
    """The same, in a fresh interpreter: what a Dask worker imports leaves Django unloaded."""
    code = (
        "import sys\n"
        "import wendbaar.engine, wendbaar.radar.execution.executors, wendbaar.radar.execution.packing\n"
        "import wendbaar.radar.ingest, wendbaar.radar.ingest.enrich, wendbaar.radar.ingest.prepare\n"
        "import wendbaar.radar.ingest.dedup\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'rest_framework'})\n"
        "print(' '.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_store_is_queried_only_from_store_and_indicators() -> None:
    # The pipeline and the dashboards ask `store/` (upkeep) and `indicators/` (figures); a DuckDB query
    # written anywhere else is the scattering the re-layout removed. The one exception runs on Dask
    # workers without Django: deduplication reads the ids already in the store itself.
    radar = Path(wendbaar.radar.__file__).parent
    allowed = {radar / "store", radar / "indicators"}
    exceptions = {radar / "ingest" / "dedup.py"}
    offenders = [
        str(path.relative_to(radar))
        for path in radar.rglob("*.py")
        if path not in exceptions
        and not any(folder in path.parents for folder in allowed)
        and ".execute(" in path.read_text(encoding="utf-8")
    ]
    assert not offenders, offenders
