"""Ledger throughput and crash safety: 8 workers, 100,000 commands, at least 20 SIGKILLs.

    python bench/ledger_crash.py [--database-url postgres://postgres@127.0.0.1:5432/wt_funding_bench]
                                 [--workers 8] [--operations 100000] [--kills 20]

The database is created if it does not exist and migrated. Workers send random ledger commands with
repeated idempotency keys (see wendbaar.funding.crash) while this supervisor kills one at random
moments and restarts it. Reports committed transactions per second, kills, and the invariant check;
writes bench/results/ledger_crash[_sqlite].json. A sqlite:/// URL measures SQLite the same way.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wt_funding_bench")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--operations", type=int, default=100_000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    url = args.database_url
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["WENDBAAR_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from wendbaar.funding import crash

    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as workdir:
        result = crash.supervise(
            database_url=url, workers=args.workers, ops_per_worker=args.operations // args.workers,
            min_kills=args.kills, workdir=Path(workdir), seed=args.seed,
        )  # fmt: skip
    engine = "postgresql" if url.startswith("postgres") else "sqlite"
    result = {
        "benchmark": "ledger_crash" + ("" if engine == "postgresql" else "_sqlite"),
        "engine": engine,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "target_committed_per_second": 1000,
        "invariants_hold": not result["problems"],
        **result,
    }
    out = ROOT / "bench" / "results" / f"{result['benchmark']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    sys.exit(0 if result["invariants_hold"] else 1)


if __name__ == "__main__":
    main()
