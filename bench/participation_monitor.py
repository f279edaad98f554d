"""Participation monitor over 1 M enrolments: p50/p95 of the page's queries (CPU and wall), target p95 < 300 ms.

    python bench/participation_monitor.py [--database-url postgres://postgres@127.0.0.1:5432/wt_monitor_bench]
                                          [--enrolments 1000000] [--rounds 5] [--keep] [--backlog 0] [--no-baseline]

Fills the monitor's table (`funding.Participation`, with the people and the reservation accounts it points
at) with synthetic enrolments through COPY on PostgreSQL (executemany on SQLite, `sqlite:///path`), then
runs what the page runs — the scope's years and the grouped figures with their total — for the usual
views: a coordinator's region, a funder's fund and the administrator's whole country; each split by the
six dimensions, for the latest year and for all years. The rollup is counted once after the load
(`rollup.rebuild`). `--rounds` times: one committed change through the monitor's service (an enrolment's
status; the cache's version moves on), then each page once from the rollup (the first view after a change,
which counts), once counted from the table as before the rollup (the baseline, `direct=True`, also its first
view) and `--views` times more (read from the cache). `--backlog N` first makes N changes that stay pending
(2 changes each; the worst case is just under `rollup.COMPACT_AFTER`) and times their compaction at the end.
Writes bench/results/participation_monitor[_sqlite][_backlog].json. `--keep` reuses the rows of an earlier run.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from _django_site import open_site  # noqa: E402 - after the path
from _timing import percentiles  # noqa: E402 - the bench directory is on the path
from wendbaar import proc_cpu  # noqa: E402 - after the path

SECTORS = "ABCDEFGHIJKLMNOPQRS"
LEVELS = ("none", "vmbo", "mbo1", "mbo2", "mbo3", "mbo4", "havo_vwo", "hbo", "wo", "")
BANDS = ("u25", "25-34", "35-44", "45-54", "55+", "")
STATUSES = ("enrolled",) * 3 + ("completed",) * 5 + ("dropped_out",) * 2 + ("waiting", "cancelled")
YEARS = (2023, 2024, 2025, 2026)
FUNDS, PROVIDERS = 20, 300



def _write(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
            with cursor.connection.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
        else:
            marks = ", ".join("%s" for _ in columns)
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _triggers(enable: bool) -> None:
    """The table's triggers (the rollup's pending changes, the version) off during the bulk load (PostgreSQL):
    the rollup is counted after it, and each round's change moves the version. Off until the load commits."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE funding_participation {'ENABLE' if enable else 'DISABLE'}"
                           " TRIGGER USER")  # fmt: skip


def populate(enrolments: int, rng: random.Random) -> float:
    """Create funders, funds, providers, people, reservation accounts and the monitor's rows; return seconds."""
    from datetime import date

    from django.db import connection, transaction

    from wendbaar.funding.models import Fund
    from wendbaar.funding.monitor import rollup
    from wendbaar.regions.constants import ActorType
    from wendbaar.regions.models import Organisation, Region

    started = time.perf_counter()
    regions = list(Region.objects.values_list("pk", flat=True))
    with transaction.atomic():
        _triggers(enable=False)
        funders = Organisation.objects.bulk_create(
            [Organisation(name=f"Bench funder {i}", actor_type=ActorType.FUND) for i in range(FUNDS)]
        )
        funds = Fund.objects.bulk_create([
            Fund(funder=f, name=f"Bench fund {i}", cap_per_person_cents=100_000, valid_from=date(2023, 1, 1),
                 valid_until=date(2026, 12, 31)) for i, f in enumerate(funders)
        ])  # fmt: skip
        providers = Organisation.objects.bulk_create(
            [Organisation(name=f"Bench school {i}", actor_type=ActorType.EDUCATION_PROVIDER) for i in range(PROVIDERS)]
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM auth_user")
            first_user = cursor.fetchone()[0] + 1
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM funding_account")
            first_account = cursor.fetchone()[0] + 1
            cursor.execute("SELECT COALESCE(MAX(enrolment_id), 0) FROM funding_participation")
            first_enrolment = cursor.fetchone()[0] + 1
        people = max(1, enrolments * 2 // 5)  # 2.5 enrolments per person
        now = "2026-01-01 00:00:00+00"
        _write(
            "auth_user", ["id", "password", "is_superuser", "username", "first_name", "last_name", "email",
                          "is_staff", "is_active", "date_joined"],
            [(first_user + i, "!", False, f"bench-{first_user + i}", "", "", "", False, True, now)
             for i in range(people)],
        )  # fmt: skip
        situation = [(rng.choice(regions), rng.choice(SECTORS), rng.choice(LEVELS), rng.choice(BANDS))
                     for _ in range(people)]  # fmt: skip
        account = first_account
        for start in range(0, enrolments, 100_000):
            accounts, rows = [], []
            for e in range(start, min(enrolments, start + 100_000)):
                person = rng.randrange(people)
                region, sector, level, band = situation[person]
                provider = rng.choice(providers).pk
                year, status = rng.choice(YEARS), rng.choice(STATUSES)
                paying = rng.sample(funds, 2 if rng.random() < 0.1 else 1) if rng.random() < 0.9 else []
                for index, fund in enumerate(paying):
                    paid = rng.choice((0, 24_000, 48_000, 80_000)) if status != "waiting" else 0
                    accounts.append((account, f"{rng.getrandbits(128):032x}", "reservation", fund.pk,
                                     first_user + person, provider, f"bench:{first_enrolment + e}", now,
                                     0, 0, 0, paid))  # fmt: skip
                    rows.append((first_enrolment + e, first_user + person, fund.pk, account, provider, region,
                                 sector, level, band, year, status, index == 0, paid))  # fmt: skip
                    account += 1
                if not paying:
                    rows.append((first_enrolment + e, first_user + person, None, None, provider, region, sector,
                                 level, band, year, status, True, 0))  # fmt: skip
            _write(
                "funding_account", ["id", "uuid", "kind", "fund_id", "person_id", "organisation_id", "reference",
                                    "created_at", "balance_cents", "entitled_cents", "reserved_cents", "paid_cents"],
                accounts,
            )  # fmt: skip
            _write(
                "funding_participation", ["enrolment_id", "person_id", "fund_id", "reservation_id", "provider_id",
                                          "region_id", "sector", "education_level", "age_band", "year", "status",
                                          "first_line", "paid_cents"],
                rows,
            )  # fmt: skip
    _triggers(enable=True)  # after COMMIT: the foreign keys' deferred checks hold the table until then
    rollup.rebuild()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("auth_user", "funding_account"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wt_monitor_bench")
    parser.add_argument("--enrolments", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2, help="changes to the table, each followed by every page")
    parser.add_argument("--views", type=int, default=5, help="views of each page after its first after a change")
    parser.add_argument("--keep", action="store_true", help="reuse the rows of an earlier run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backlog", type=int, default=0, help="changes left pending before the rounds")
    parser.add_argument("--no-baseline", action="store_true", help="skip the direct count (today's path before)")
    args = parser.parse_args()
    open_site(args.database_url)
    from django.db import connection
    from django.utils import translation

    from wendbaar.funding.models import Fund, Participation, ParticipationChange
    from wendbaar.funding.monitor import queries, rollup, services

    translation.activate("nl")
    rng = random.Random(args.seed)
    existing = Participation.objects.values("enrolment_id").distinct().count() if args.keep else 0
    populate_seconds = None
    if existing < args.enrolments:
        populate_seconds = round(populate(args.enrolments - existing, rng), 1)
    rows = Participation.objects.count()
    region_id = Participation.objects.values_list("region_id", flat=True).order_by("region_id").first()
    fund_id = Fund.objects.filter(name__startswith="Bench fund").values_list("pk", flat=True).first()
    views = {
        "coordinator": queries.Scope(region_ids=frozenset({region_id})),
        "fund": queries.Scope(fund_ids=frozenset({fund_id})),
        "admin": queries.Scope(everything=True),
    }
    server_pid = proc_cpu.backend_pid(connection)  # None on SQLite or a server elsewhere

    def server_cpu_ms() -> float:
        return (proc_cpu.cpu_seconds(server_pid) or 0.0) * 1000

    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    cold_wall: dict[str, list[float]] = {}
    cold_cpu: dict[str, list[float]] = {}
    base_wall: dict[str, list[float]] = {}
    base_cpu: dict[str, list[float]] = {}

    def page(view: str, scope: queries.Scope, dimension: str, year: int | None, into: tuple[dict, dict],
             direct: bool = False) -> None:  # fmt: skip
        server, started, own = server_cpu_ms(), time.perf_counter(), time.process_time()
        queries.years(scope)  # the page's year filter
        queries.participation(scope=scope, dimension=dimension, year=year, direct=direct)
        into[0].setdefault(view, []).append((time.perf_counter() - started) * 1000)
        into[1].setdefault(view, []).append((time.process_time() - own) * 1000 + server_cpu_ms() - server)

    enrolment_ids = list(Participation.objects.order_by("id").values_list("enrolment_id", flat=True)[:20_000])

    def change() -> None:
        """One committed change through the monitor's service: an enrolment completes or stops."""
        services.record_status(enrolment_id=rng.choice(enrolment_ids), status=rng.choice(("completed", "dropped_out")))

    rollup.compact()
    for _change in range(args.backlog):
        change()
    backlog = ParticipationChange.objects.count()
    load_before = os.getloadavg()
    for _round in range(args.rounds):
        # A change (committed): the monitor's version moves on, so each page's first view counts again.
        change()
        for view, scope in views.items():
            for dimension in queries.DIMENSIONS:
                for year in (max(YEARS), None):
                    page(view, scope, dimension, year, (cold_wall, cold_cpu))  # the first view after the change
                    if not args.no_baseline:  # the same page counted from the table, also its first view
                        page(view, scope, dimension, year, (base_wall, base_cpu), direct=True)
                    for _again in range(args.views):
                        page(view, scope, dimension, year, (wall, cpu))  # later views: the cache
    load_after = os.getloadavg()
    pending = ParticipationChange.objects.count()
    started, own = time.perf_counter(), time.process_time()
    rollup.compact()
    compaction = {"changes": pending, "wall_ms": round((time.perf_counter() - started) * 1000, 1),
                  "cpu_ms_this_process": round((time.process_time() - own) * 1000, 1)}  # fmt: skip
    engine = connection.vendor
    result = {
        "benchmark": "participation_monitor" + ("" if engine == "postgresql" else "_sqlite")
        + ("_backlog" if args.backlog else ""),
        "engine": engine,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "enrolments": args.enrolments,
        "participation_rows": rows,
        "populate_seconds": populate_seconds,
        "target_p95_ms": 300,
        "what": "years(scope) + participation(scope, dimension, year) per page view: 6 dimensions x (latest year,"
        " all years) per view; --rounds times a committed change through monitor.services.record_status, then each"
        " page's first view from the rollup (first_view_after_a_change) and counted from the table as before"
        " (baseline_first_view_after_a_change, direct=True), and --views more (the cache: wall, cpu);"
        " cpu = this process + the PostgreSQL backend (10 ms ticks)",
        "pending_changes_before_the_rounds": backlog,
        "wall": {view: percentiles(times) for view, times in wall.items()},
        "cpu": {view: percentiles(times) for view, times in cpu.items()},
        "wall_all": percentiles([t for times in wall.values() for t in times]),
        "cpu_all": percentiles([t for times in cpu.values() for t in times]),
        "first_view_after_a_change": {
            "wall": {view: percentiles(times) for view, times in cold_wall.items()},
            "cpu": {view: percentiles(times) for view, times in cold_cpu.items()},
        },
        "baseline_first_view_after_a_change": {
            "wall": {view: percentiles(times) for view, times in base_wall.items()},
            "cpu": {view: percentiles(times) for view, times in base_cpu.items()},
        },
        "compaction_after_the_rounds": compaction,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
    }
    result["meets_target"] = result["wall_all"]["p95_ms"] < 300 and all(
        p["p95_ms"] < 300 for p in result["first_view_after_a_change"]["wall"].values()
    )
    out = ROOT / "bench" / "results" / f"{result['benchmark']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("engine", "participation_rows", "populate_seconds", "wall", "cpu",
                                              "first_view_after_a_change", "baseline_first_view_after_a_change",
                                              "pending_changes_before_the_rounds", "compaction_after_the_rounds",
                                              "load_before", "load_after", "meets_target")}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
