"""Ledger throughput and crash safety: 8 workers, 100,000 commands, at least 20 SIGKILLs.

    python bench/ledger_crash.py [--database-url postgres://postgres@127.0.0.1:5432/wt_funding_bench]
                                 [--workers 8] [--operations 100000] [--kills 20] [--compare [--pairs 2]]

The database is created if it does not exist and migrated. Workers send random ledger commands with
repeated idempotency keys (see wendbaar.funding.crash) while this supervisor kills one at random
moments and restarts it. Reports committed transactions per second, kills, and the invariant check;
writes bench/results/ledger_crash[_sqlite].json. A sqlite:/// URL measures SQLite the same way.
--compare alternates the baseline (the Python path, WENDBAAR_LEDGER_BASELINE=1) and the new path (one call of
the database function funding_book per command) in one invocation and reports both and their ratio.
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
        "--compare", action="store_true",
        help="also run the baseline (the Python path: lock, check in Python, write; two round trips) in the same "
        "invocation, "
        "alternating baseline, new, baseline, new (--pairs); each run gets --operations",
    )  # fmt: skip
    parser.add_argument("--pairs", type=int, default=2, help="with --compare: how many (baseline, new) pairs")
    parser.add_argument("--baseline", action="store_true", help="run only the baseline (the Python path), once")
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

    from wendbaar.funding import crash

    def run(baseline: bool, seed: int) -> dict:
        os.environ["WENDBAAR_LEDGER_BASELINE"] = "1" if baseline else "0"
        with tempfile.TemporaryDirectory() as workdir:
            return crash.supervise(
                database_url=url, workers=args.workers, ops_per_worker=args.operations // args.workers,
                min_kills=args.kills, workdir=Path(workdir), seed=seed, start_method=args.start_method,
            )  # fmt: skip

    engine = "postgresql" if url.startswith("postgres") else "sqlite"
    if args.commit_delay is not None and engine == "postgresql":
        from django.db import connection

        name = connection.settings_dict["NAME"]
        with connection.cursor() as cursor:  # the workers' new connections take it up
            cursor.execute(f'ALTER DATABASE "{name}" SET commit_delay = {int(args.commit_delay)}')
    if args.compare:
        runs = [("baseline" if i % 2 == 0 else "new", run(i % 2 == 0, args.seed + i)) for i in range(2 * args.pairs)]
        result = {k: v for k, v in runs[-1][1].items()}  # the last run's figures, as without --compare
        result["problems"] = [p for _name, r in runs for p in r["problems"]]
        result["compare"] = [
            {"mode": name, **{k: r[k] for k in ("committed_per_second", "committed_per_cpu_second",
                                                 "committed_per_command_cpu_second", "kills",
                                                 "seconds", "committed_transactions", "cpu_seconds",
                                                 "load_average_before", "load_average_after")},
             "invariants_hold": not r["problems"]}
            for name, r in runs
        ]  # fmt: skip
        for mode in ("baseline", "new"):
            chosen = [r for name, r in runs if name == mode]
            for figure in ("committed_per_second", "committed_per_cpu_second", "committed_per_command_cpu_second"):
                result[f"{mode}_{figure}"] = round(sum(r[figure] for r in chosen) / len(chosen), 1)
        result["ratio_committed_per_cpu_second"] = round(
            result["new_committed_per_cpu_second"] / result["baseline_committed_per_cpu_second"], 2
        )
    else:
        result = run(args.baseline, args.seed)
        result["mode"] = "baseline" if args.baseline else "new"
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
