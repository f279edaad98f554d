"""Ledger throughput and crash safety: 8 workers, 100,000 commands, at least 20 SIGKILLs.

    python bench/ledger_crash.py [--database-url postgres://postgres@127.0.0.1:5432/wt_funding_bench]
                                 [--workers 8] [--operations 100000] [--kills 20] [--mode MODE]
                                 [--compare [BASELINE,NEW] [--pairs 2]]

The database is created if it does not exist and migrated. Workers send random ledger commands with
repeated idempotency keys (see wendbaar.funding.crash) while this supervisor kills one at random
moments and restarts it. Reports committed transactions per second, kills, the invariant check, and CPU
milliseconds per committed transaction (the workers' commands and the PostgreSQL backends);
writes bench/results/ledger_crash[_sqlite].json (or --out). A sqlite:/// URL measures SQLite the same way.
--compare alternates two modes in one invocation and reports both and their ratio (default: the Python path
against one call of the database function funding_book per command); see --compare's help for the modes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from _django_site import open_site  # noqa: E402 - after the path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wt_funding_bench")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--operations", type=int, default=100_000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--compare", nargs="?", const="python,new", metavar="BASELINE,NEW",
        help="run two modes in one invocation, alternating baseline, new, baseline, new (--pairs); each run gets "
        "--operations. A mode is tokens joined by '+': new (the services on Django's connection), python (the "
        "Python path: lock, check in Python, write), cursor (funding_book through psycopg's cursor instead of "
        "libpq), thinN (the thin client: commands composed by the services, sent on the worker's own libpq "
        "connection with up to N in flight), orm (the client looks accounts up with querysets, as before), "
        "mNNNN (the funding app's migrations up to NNNN for that run, e.g. m0011; migrated forward again at the "
        "end). Default: python,new",
    )  # fmt: skip
    parser.add_argument("--pairs", type=int, default=2, help="with --compare: how many (baseline, new) pairs")
    parser.add_argument("--baseline", action="store_true", help="run only the baseline (the Python path), once")
    parser.add_argument(
        "--mode", default=None,
        help="without --compare: the mode of the one run (see --compare); default thin8 on PostgreSQL, new on SQLite "
        "(the thin client speaks libpq)",
    )
    parser.add_argument(
        "--start-method", choices=["fork", "spawn"], default="fork",
        help="fork: workers (and restarts) are forks of this process, Django loaded; spawn: fresh interpreters",
    )  # fmt: skip
    parser.add_argument(
        "--commit-delay", type=int, default=None, metavar="MICROSECONDS",
        help="PostgreSQL's group commit for this run (ALTER DATABASE … SET commit_delay; reset after): a committing "
        "backend waits this long when 5 or more others are in a transaction, so one WAL flush serves several",
    )  # fmt: skip
    parser.add_argument("--out", help="the result's file name in bench/results (default: the benchmark's name)")
    args = parser.parse_args()
    url = args.database_url
    os.environ["WENDBAAR_DEBUG"] = "false"  # as the workers run: no query log
    open_site(url)

    from django.core.management import call_command

    from wendbaar.funding import crash

    def run(mode: str, seed: int) -> dict:
        tokens = set(mode.split("+"))
        os.environ["WENDBAAR_LEDGER_BASELINE"] = "1" if "python" in tokens else "0"
        os.environ["WENDBAAR_LEDGER_LIBPQ"] = "0" if "cursor" in tokens else "1"
        thin = next((t[4:] for t in tokens if t.startswith("thin") and t[4:].isdigit()), "0")
        os.environ["WENDBAAR_LEDGER_PIPELINE"] = thin
        os.environ["WENDBAAR_LEDGER_ORM_LOOK_UPS"] = "1" if "orm" in tokens else "0"
        migration = next((t[1:] for t in tokens if t[:1] == "m" and t[1:].isdigit()), None)
        # The funding app's schema and function for this run: an older migration, or the newest.
        call_command("migrate", "funding", *([migration] if migration else []), verbosity=0)
        with tempfile.TemporaryDirectory() as workdir:
            return crash.supervise(
                database_url=url, workers=args.workers, ops_per_worker=args.operations // args.workers,
                min_kills=args.kills, workdir=Path(workdir), seed=seed, start_method=args.start_method,
            )  # fmt: skip

    engine = "postgresql" if url.startswith("postgres") else "sqlite"
    modes = (args.compare or "").split(",") + [args.mode or ""]
    if engine == "sqlite" and any("thin" in mode or "cursor" in mode for mode in modes):
        parser.error("--mode/--compare: thinN and cursor speak PostgreSQL's libpq; on SQLite use new or python")
    if args.commit_delay is not None and engine == "postgresql":
        from django.db import connection

        name = connection.settings_dict["NAME"]
        with connection.cursor() as cursor:  # the workers' new connections take it up
            cursor.execute(f'ALTER DATABASE "{name}" SET commit_delay = {int(args.commit_delay)}')
    if args.compare:
        modes = args.compare.split(",")
        if len(modes) != 2:
            parser.error("--compare takes two modes: BASELINE,NEW")
        runs = [(modes[i % 2], run(modes[i % 2], args.seed + i)) for i in range(2 * args.pairs)]
        call_command("migrate", "funding", verbosity=0)
        result = {k: v for k, v in runs[-1][1].items()}  # the last run's figures, as without --compare
        result["problems"] = [p for _name, r in runs for p in r["problems"]]
        result["modes"] = {"baseline": modes[0], "new": modes[1]}
        result["compare"] = [
            {"mode": name, **{k: r[k] for k in ("committed_per_second", "committed_per_cpu_second",
                                                 "committed_per_command_cpu_second", "kills",
                                                 "seconds", "committed_transactions", "cpu_seconds",
                                                 "cpu_ms_per_committed",
                                                 "load_average_before", "load_average_after")},
             "invariants_hold": not r["problems"]}
            for name, r in runs
        ]  # fmt: skip
        for label, mode in (("baseline", modes[0]), ("new", modes[1])):
            chosen = [r for name, r in runs if name == mode]
            for figure in ("committed_per_second", "committed_per_cpu_second", "committed_per_command_cpu_second"):
                result[f"{label}_{figure}"] = round(sum(r[figure] for r in chosen) / len(chosen), 1)
            for part in ("workers_commands", "database_backends", "total"):
                result[f"{label}_cpu_ms_per_committed_{part}"] = round(
                    sum(r["cpu_ms_per_committed"][part] for r in chosen) / len(chosen), 3
                )
        result["ratio_committed_per_cpu_second"] = round(
            result["new_committed_per_cpu_second"] / result["baseline_committed_per_cpu_second"], 2
        )
        result["ratio_cpu_ms_per_committed"] = {
            part: round(result[f"baseline_cpu_ms_per_committed_{part}"] / result[f"new_cpu_ms_per_committed_{part}"], 2)
            for part in ("workers_commands", "database_backends", "total")
        }
    else:
        mode = "python" if args.baseline else (args.mode or ("thin8" if engine == "postgresql" else "new"))
        result = run(mode, args.seed)
        call_command("migrate", "funding", verbosity=0)
        result["mode"] = mode
    result["start_method"] = args.start_method
    if args.commit_delay is not None and engine == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{name}" RESET commit_delay')
    result = {
        "commit_delay_us": args.commit_delay,
        "benchmark": "ledger_crash"
        + ("" if engine == "postgresql" else "_sqlite")
        + ("_baseline" if args.baseline else ""),
        "engine": engine,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "target_committed_per_second": 1000,
        "invariants_hold": not result["problems"],
        **result,
    }
    out = ROOT / "bench" / "results" / (args.out or f"{result['benchmark']}.json")
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    sys.exit(0 if result["invariants_hold"] else 1)


if __name__ == "__main__":
    main()
