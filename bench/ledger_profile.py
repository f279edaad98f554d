"""One ledger command, profiled: statements and round trips per command kind, CPU per command (this process and
the PostgreSQL backend), and where the Python time goes.

    python bench/ledger_profile.py [--database-url postgres://postgres@127.0.0.1:5432/wt_funding_bench]
                                   [--commands 3000] [--profile]

Runs the crash test's command sequence of one worker in this process (no kills), so the figures are those
of the commands `bench/ledger_crash.py` sends. Writes bench/results/ledger_profile.json.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections import Counter, defaultdict
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from _django_site import open_site  # noqa: E402 - after the path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wt_funding_bench")
    parser.add_argument("--commands", type=int, default=3000)
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of the commands")
    parser.add_argument(
        "--against", choices=["python", "0010", "cursor"], default="python",
        help="the baseline: the Python path (default), or 0010: migration 0010's funding_book (made for the run as "
        "funding_book_0010, dropped after), called as Django sends a statement (not prepared), or cursor: today's "
        "call through psycopg's cursor instead of libpq directly",
    )  # fmt: skip
    parser.add_argument("--out", help="the result's file name in bench/results (default: ledger_profile.json)")
    args = parser.parse_args()
    os.environ["WENDBAAR_DEBUG"] = "false"
    open_site(args.database_url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wendbaar.funding import crash

    world = crash.make_world()
    commands = [crash.command(world, 0, i) for i in range(args.commands)]
    # Statements (round trips) per command kind and outcome, from Django's log.
    statements: dict[str, Counter[int]] = defaultdict(Counter)
    outcomes: Counter[str] = Counter()
    from wendbaar.funding import booking

    current_call = booking._BOOK
    call_0010 = current_call.replace("funding_book(", "funding_book_0010(")
    if args.against == "0010":
        before = import_module("wendbaar.funding.migrations.0010_book_function").FUNCTION
        with connection.cursor() as cursor:
            cursor.execute(before.replace("funding_book(command jsonb)", "funding_book_0010(command jsonb)"))

    def use(mode: str) -> None:
        """The baseline or the new path for the next commands."""
        if args.against == "0010":
            booking.SERVER_FUNCTION = True
            booking.PREPARED = mode == "new"
            booking._BOOK = current_call if mode == "new" else call_0010
        elif args.against == "cursor":
            booking.LIBPQ = mode == "new"
        else:
            booking.SERVER_FUNCTION = mode == "new"

    for index, (kind, key, arguments) in enumerate(commands[: args.commands // 3]):
        use("new" if index % 2 == 1 else "baseline")
        with CaptureQueriesContext(connection) as captured:
            outcome = crash.run_command(world, kind, key, arguments)
        outcomes[outcome] += 1
        mode = "new" if index % 2 == 1 else "baseline"
        # Each statement Django logs is one round trip (the Python path's BEGIN and COMMIT ride along).
        statements[f"{mode}:{kind}:{outcome}"][len(captured.captured_queries)] += 1
    from wendbaar import proc_cpu

    pid = proc_cpu.backend_pid(connection)

    def backend_cpu() -> float:
        return proc_cpu.cpu_seconds(pid) or 0.0

    from wendbaar.funding import booking

    # The timed commands in blocks of 50, alternating the baseline (the Python path: lock, check in Python,
    # write) and the new path (one call of the database function funding_book), so both see the same load;
    # CPU = this process + its PostgreSQL backend.
    rest = commands[args.commands // 3 :]
    figures = {
        mode: {"own": 0.0, "server": 0.0, "wall": 0.0, "commands": 0, "committed": 0} for mode in ("baseline", "new")
    }
    profiler = cProfile.Profile() if args.profile else None
    for block, start in enumerate(range(0, len(rest), 50)):
        mode = "baseline" if block % 2 == 0 else "new"
        use(mode)
        before_tx = crash.booked_in(world)
        server, own, wall = backend_cpu(), time.process_time(), time.perf_counter()
        if profiler and mode == "new":
            profiler.enable()
        for kind, key, arguments in rest[start : start + 50]:
            crash.run_command(world, kind, key, arguments)
        if profiler and mode == "new":
            profiler.disable()
        spent = figures[mode]
        spent["own"] += time.process_time() - own
        spent["server"] += backend_cpu() - server
        spent["wall"] += time.perf_counter() - wall
        spent["commands"] += len(rest[start : start + 50])
        spent["committed"] += crash.booked_in(world) - before_tx
    use("new")
    if args.against == "0010":
        with connection.cursor() as cursor:
            cursor.execute("DROP FUNCTION funding_book_0010(jsonb)")
    per_mode = {
        mode: {
            "commands": f["commands"],
            "committed": f["committed"],
            "client_cpu_ms_per_command": round(f["own"] * 1000 / f["commands"], 3),
            "backend_cpu_ms_per_command": round(f["server"] * 1000 / f["commands"], 3),
            "cpu_ms_per_committed": round((f["own"] + f["server"]) * 1000 / max(f["committed"], 1), 3),
            "wall_ms_per_command": round(f["wall"] * 1000 / f["commands"], 3),
        }
        for mode, f in figures.items()
    }
    result = {
        "benchmark": "ledger_profile",
        "engine": connection.vendor,
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "statements_per_command": {k: dict(v) for k, v in sorted(statements.items())},
        "baseline": {
            "0010": "migration 0010's funding_book, not prepared",
            "cursor": "funding_book prepared, through psycopg's cursor",
        }.get(args.against, "the Python path"),
        "note": "statements (= round trips) as Django logs them; baseline = the Python path (BEGIN and COMMIT "
        "ride along its two statements), new = one call of funding_book; the timed commands alternate in blocks "
        "of 50; backend CPU in 10 ms ticks",
        "modes": per_mode,
        "load": [round(x, 2) for x in os.getloadavg()],
    }
    (ROOT / "bench" / "results" / (args.out or "ledger_profile.json")).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(35)
        print(out.getvalue())


if __name__ == "__main__":
    main()
