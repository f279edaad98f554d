"""CPU seconds as Linux counts them (/proc): of one process, of the PostgreSQL backends serving a database, and
of the whole machine. For the benchmarks and the ledger's crash test: the machine is shared, so CPU time, not
wall time, is the figure that compares. Elsewhere than Linux (or a server on another machine) the readers
give None or zeros rather than failing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of process `pid` so far (10 ms ticks); None when it is not there to read."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of process `pid` and of its living descendants (a server's forked workers), from /proc;
    0.0 for a process that is gone. A child that ended is no longer counted (Linux adds it to the parent's
    cutime only when it is reaped), so read it while the workers run."""
    total = cpu_seconds(pid)
    if total is None:
        return 0.0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += tree_cpu_seconds(int(child))
    except OSError:
        pass
    return total


def backend_pid(connection: Any) -> int | None:
    """The process id of the PostgreSQL backend serving Django `connection`, if it runs on this machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = int(cursor.fetchone()[0])
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def backends_cpu(database: str, seen: dict[int, float]) -> None:
    """Record in `seen` the CPU seconds of each PostgreSQL backend serving `database` now (backends that ended
    keep their last reading)."""
    for path in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            cmdline = path.read_bytes()
        except OSError:
            continue
        if not cmdline.startswith(b"postgres: ") or f" {database} ".encode() not in cmdline:
            continue
        spent = cpu_seconds(int(path.parent.name))
        if spent is not None:
            seen[int(path.parent.name)] = spent


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat (zeros elsewhere)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields) - idle) / _TICKS, sum(fields) / _TICKS
