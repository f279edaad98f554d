"""Does PostgreSQL's server-side binding (psycopg prepares a statement after 5 runs) cut the ledger's CPU?

    python bench/ledger_binding.py [--database-url postgres://postgres@127.0.0.1:5432/wt_funding_bench]
                                   [--rounds 3] [--commands 1000]

Runs the crash test's commands of one worker (no kills) in fresh processes, alternating Django's default
client-side binding (what the ledger uses) and server-side binding with automatic prepared statements, each
with BEGIN and COMMIT as round trips of their own (server-side binding cannot send BEGIN with a statement);
per command: this process's CPU and its PostgreSQL backend's (10 ms ticks), after 100 warm-up commands.
Writes bench/results/ledger_binding.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
WARM_UP = 100


def one(mode: str, first: int, commands: int) -> dict[str, object]:
    """In this process: run `commands` commands from `first` with the binding `mode`; return the CPU per command."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = mode == "server"
    from django.db import connection

    from wendbaar.funding import booking, crash

    booking.SERVER_FUNCTION = False  # the binding question is the Python path's (many parameters)
    booking.FEWER_ROUND_TRIPS = False
    world = crash.make_world()
    sequence = [crash.command(world, 1, i) for i in range(first, first + WARM_UP + commands)]
    for kind, key, arguments in sequence[:WARM_UP]:
        crash.run_command(world, kind, key, arguments)
    from wendbaar import proc_cpu

    pid = proc_cpu.backend_pid(connection)

    def backend() -> float:
        return proc_cpu.cpu_seconds(pid) or 0.0

    outcomes: Counter[str] = Counter()
    server, own = backend(), time.process_time()
    for kind, key, arguments in sequence[WARM_UP:]:
        outcomes[crash.run_command(world, kind, key, arguments)] += 1
    return {
        "client_ms": (time.process_time() - own) * 1000 / commands,
        "backend_ms": (backend() - server) * 1000 / commands,
        "outcomes": dict(outcomes),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wt_funding_bench")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--commands", type=int, default=1000)
    parser.add_argument("--one", nargs=2, metavar=("MODE", "FIRST"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["WENDBAAR_DATABASE_URL"] = args.database_url
    os.environ["WENDBAAR_DEBUG"] = "false"
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]), args.commands)))
        return
    rng = random.Random(11)
    runs: dict[str, list[dict[str, object]]] = {"client": [], "server": []}
    load_before = os.getloadavg()
    for _round in range(args.rounds):
        for mode in ("client", "server"):
            first = rng.randrange(10**6, 10**8)  # fresh keys: most commands book, as in the crash test's start
            argv = [sys.executable, __file__, "--database-url", args.database_url, "--commands",
                    str(args.commands), "--one", mode, str(first)]  # fmt: skip
            done = subprocess.run(argv, check=True, capture_output=True, text=True)  # noqa: S603 - this script
            runs[mode].append(json.loads(done.stdout.strip().splitlines()[-1]))
    summary = {
        mode: {
            "client_cpu_ms_per_command": round(statistics.mean(float(r["client_ms"]) for r in rs), 3),  # type: ignore[arg-type]
            "backend_cpu_ms_per_command": round(statistics.mean(float(r["backend_ms"]) for r in rs), 3),  # type: ignore[arg-type]
            "runs": rs,
        }
        for mode, rs in runs.items()
    }
    result = {
        "benchmark": "ledger_binding",
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "commands_per_run": args.commands,
        "modes": summary,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }
    (ROOT / "bench" / "results" / "ledger_binding.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({m: {k: v for k, v in s.items() if k != "runs"} for m, s in summary.items()}, indent=2))


if __name__ == "__main__":
    main()
