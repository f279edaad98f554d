"""The monitor page with a backlog of pending changes: now (read the cells plus the pending changes; the
compaction is the worker's) against before (the page compacted first once more than `rollup.COMPACT_AFTER`
changes waited), in the same invocation.

    python bench/monitor_page_backlog.py [--database-url sqlite:////tmp/monitor_backlog.sqlite3]
                                         [--enrolments 50000] [--backlog 1200]

Fills the monitor's table with synthetic enrolments (participation_monitor.populate), folds them into the
rollup, then makes `--backlog` pending changes through the monitor's service (status changes, committed).
Times the administrator's page (years + the six dimensions, all years, each a first view: the cache is
cleared) as it is now, with the changes still pending; then as it was: compaction first, then the same
page. Writes bench/results/monitor_page_backlog[_sqlite].json with CPU (this process, plus the PostgreSQL
backend's) and wall time, and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
from _django_site import open_site  # noqa: E402 - after the path

DIMENSIONS = ("region", "sector", "age_band", "education_level", "fund", "provider")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/monitor_backlog.sqlite3")
    parser.add_argument("--enrolments", type=int, default=50_000)
    parser.add_argument("--backlog", type=int, default=1_200, help="pending changes before the page (about)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    open_site(args.database_url)
    from django.core.cache import caches
    from django.db import connection
    from django.utils import translation

    import participation_monitor as filler
    from wendbaar.funding.models import Participation, ParticipationChange
    from wendbaar.funding.monitor import queries, rollup, services

    translation.activate("nl")
    rng = random.Random(args.seed)
    if not Participation.objects.exists():
        filler.populate(args.enrolments, rng)
    rollup.compact()
    ids = list(Participation.objects.order_by("id").values_list("enrolment_id", flat=True)[:20_000])
    while ParticipationChange.objects.count() < args.backlog:
        services.record_status(enrolment_id=rng.choice(ids), status=rng.choice(("completed", "dropped_out")))
    backlog = ParticipationChange.objects.count()
    scope = queries.Scope(everything=True)
    server_pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            server_pid = cursor.fetchone()[0]

    def server_cpu_ms() -> float:
        if server_pid is None:
            return 0.0
        fields = Path(f"/proc/{server_pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def page(compact_first: bool) -> dict[str, float]:
        caches["monitor"].clear()  # a first view after a change
        server, started, own = server_cpu_ms(), time.perf_counter(), time.process_time()
        if compact_first:
            rollup.compact()
        queries.years(scope)
        tables = [queries.participation(scope=scope, dimension=d) for d in DIMENSIONS]
        result = {
            "wall_ms": round((time.perf_counter() - started) * 1000, 1),
            "cpu_ms": round((time.process_time() - own) * 1000 + server_cpu_ms() - server, 1),
        }
        page.tables = tables  # type: ignore[attr-defined]
        return result

    load_before = os.getloadavg()
    now = page(compact_first=False)
    now_tables = page.tables  # type: ignore[attr-defined]
    assert ParticipationChange.objects.count() == backlog, "the page left the pending changes for the worker"
    before = page(compact_first=True)
    assert page.tables == now_tables, "the page shows the same figures either way"  # type: ignore[attr-defined]
    load_after = os.getloadavg()
    result = {
        "benchmark": "monitor_page_backlog",
        "engine": connection.vendor,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "participation_rows": Participation.objects.count(),
        "pending_changes": backlog,
        "what": "the administrator's monitor page (years + 6 dimensions, all years, first views) with the changes "
        "pending: now (read with them) and before (compaction on the page first, as when more than "
        "COMPACT_AFTER waited); cpu = this process + the PostgreSQL backend",
        "now": now,
        "before": before,
        "ratio_wall": round(before["wall_ms"] / now["wall_ms"], 2) if now["wall_ms"] else None,
        "ratio_cpu": round(before["cpu_ms"] / now["cpu_ms"], 2) if now["cpu_ms"] else None,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
    }
    suffix = "" if connection.vendor == "postgresql" else "_sqlite"
    out = ROOT / "bench" / "results" / f"monitor_page_backlog{suffix}.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"{'':<8}{'wall ms':>10}{'cpu ms':>10}")
    for name in ("now", "before"):
        print(f"{name:<8}{result[name]['wall_ms']:>10}{result[name]['cpu_ms']:>10}")
    ratios = f"ratio wall {result['ratio_wall']}, cpu {result['ratio_cpu']}"
    print(f"pending {backlog}, {ratios}, load {result['load_before']}")


if __name__ == "__main__":
    main()
