"""Benchmark (and CI gate): Wendbaar under load, served as in production, on loopback.

    .venv/bin/python bench/load_test.py [--users 50] [--duration 600] [--workers 3] [--threads 4]
        [--database postgres://postgres@127.0.0.1:5432/wendbaar_load] [--shared-data ../shared/data] [--var DIR]

The long run on the idle machine, SQLite then PostgreSQL (each sets up its own demo site first):

    export WENDBAAR_ENGINE_SEMANTIC=false
    .venv/bin/python bench/load_test.py --duration 600 --settle 400 --shared-data ../shared/data
    .venv/bin/python bench/load_test.py --duration 600 --settle 400 --shared-data ../shared/data
        --database postgres://postgres@127.0.0.1:5432/wendbaar_load --fresh-database

`--database` takes a PostgreSQL URL; the database is created when it does not exist. A fresh site (no
`--var`, or a new one) needs an empty database: `--fresh-database` drops and creates it first (it is
refused otherwise when the database has tables, so a run never mixes two demo sites).

Sets up a demo site in a fresh directory (production mode: DEBUG off, HTTPS with a self-signed
certificate, whitenoise for static files after `collectstatic`), serves it with gunicorn (three
gthread workers with four threads each, as the README recommends) and a background worker, and runs
locust headless over the plan of bench/load/plan.py (every page per role, search, suggestions, the
API, static files, uploads). Writes bench/results/load_<database>.json with p50/p95/p99 and errors
per kind of page, and prints a table.
Exit status 1 when any request failed (the gate). Target: p95 < 100 ms for pages without PDF.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from wendbaar import conf, proc_cpu

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"


def is_pdf(kind: str) -> bool:
    """Pages that render a PDF (WeasyPrint) are outside the p95 target: every `…-pdf` URL name."""
    return kind.endswith("-pdf")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def self_signed(directory: Path) -> tuple[Path, Path]:
    """Write a certificate for 127.0.0.1 and its key (loopback TLS, as behind a real certificate)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    import ipaddress

    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    return cert_path, key_path


def environment(var: Path, database: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "WENDBAAR_PRODUCTION": "true",
        "WENDBAAR_DEBUG": "false",
        "WENDBAAR_SECRET_KEY": secrets.token_urlsafe(50),
        "WENDBAAR_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WENDBAAR_VAR_DIR": str(var),
        "WENDBAAR_STORE_DIR": str(var / "radar"),
        "WENDBAAR_ENGINE_PATH": str(var / "engine.bin"),
        "WENDBAAR_CREDENTIAL_KEYS_DIR": str(var / "keys"),
        "WENDBAAR_DATABASE_URL": database or f"sqlite:///{var / 'wendbaar.sqlite3'}",
        "WENDBAAR_TASKS_BACKEND": "database",
        "WENDBAAR_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    return env


def outside_paths() -> dict[str, str]:
    """The settings whose default lies outside the checkout (../shared), made absolute, so another
    checkout's code (a baseline exported to a temporary directory) finds the same files."""
    from wendbaar import conf

    return {f"WENDBAAR_{name}": str(conf.project_path(conf.get(name))) for name in ("SHARED_DATA", "OB_CONTEXT_PATH")}


def prepare_database(url: str, *, fresh_site: bool, recreate: bool) -> None:
    """Create the PostgreSQL database when missing; for a fresh site, it must be empty (or be recreated)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh_site and recreate:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
            return
    if fresh_site:
        with psycopg.connect(url) as db:
            tables = db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
        if tables and tables[0]:
            raise SystemExit(f"--database {url}: database {name!r} has tables from another site; a fresh "
                             "site needs an empty one: add --fresh-database to drop and create it, or reuse "
                             "its --var")  # fmt: skip


def run(command: list[str], env: dict[str, str], **kwargs: Any) -> None:
    subprocess.run(command, env=env, check=True, cwd=ROOT, **kwargs)  # noqa: S603 - our own commands


def set_up(var: Path, env: dict[str, str], shared_data: Path | None, fresh: bool, migrated: Path | None = None) -> None:
    """Prepare the site: migrate, the demo's data (fresh site), signing keys, static files, the load plan.

    All in one process (`--prepare-here`): Django, the apps and the engine are imported once, not in
    five processes. `migrated` is a SQLite file that `wendbaar migrate` made (the tests' `migrated_sqlite`):
    a fresh site starts from a copy of it and `migrate` only checks it.
    """
    if fresh and migrated is not None:
        shutil.copyfile(migrated, var / "wendbaar.sqlite3")
    # The demo (users with a known password) refuses production mode; the data it makes is served in it.
    # Background tasks run at once (the demo's uploads, the plan's demand pooling): there is no worker yet.
    site_env = {**env, "WENDBAAR_PRODUCTION": "false", "WENDBAAR_TASKS_BACKEND": "immediate"}
    command = [str(BIN / "python"), str(Path(__file__).resolve()), "--prepare-here", "--var", str(var)]
    if shared_data is not None:
        command += ["--shared-data", str(shared_data)]
    if fresh:
        command.append("--fresh-site")
    run(command, site_env, stdout=subprocess.DEVNULL)


def prepare_here(var: Path, shared_data: Path | None, fresh: bool) -> None:
    """The set-up's steps in this process (started by `set_up` with the site's environment)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    from wendbaar.web.demo import DEMO_STEPS, set_up_demo
    from wendbaar.web.demo_data import DATA_STEPS

    quiet = io.StringIO()
    # What `wendbaar demo --no-serve` does: migrate, then the demo's steps and the apps' data.
    call_command("migrate", interactive=False, verbosity=0)
    if fresh:
        set_up_demo(shared_data=shared_data or Path("/nonexistent"), steps=[*DEMO_STEPS, *DATA_STEPS])
    # Production mode never makes signing keys itself: make the site's keys once, as an operator would.
    call_command("passport_keys", stdout=quiet)
    # The static files as production mode collects them (hashed names, compressed copies for whitenoise).
    staticfiles = {"BACKEND": settings.PRODUCTION_STATICFILES_BACKEND}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": staticfiles}):
        call_command("collectstatic", interactive=False, verbosity=0)
    # Last: the plan's sample factories import tests/conftest.py, which changes this process's settings.
    sys.path.insert(0, str(ROOT))
    from bench.load import plan

    plan.main(var / "plan.json")


def serve(var: Path, env: dict[str, str], workers: int, port: int, threads: int = 1) -> list[subprocess.Popen[bytes]]:
    cert, key = self_signed(var)
    gunicorn = [str(BIN / "gunicorn"), "wendbaar.wsgi:application", "--workers", str(workers),
                "--bind", f"127.0.0.1:{port}", "--certfile", str(cert), "--keyfile", str(key),
                "--log-level", "warning", "--keep-alive", "30", "--timeout", "120"]  # fmt: skip
    if threads > 1:
        gunicorn += ["--worker-class", "gthread", "--threads", str(threads)]
    worker = [str(BIN / "wendbaar"), "db_worker", "--no-reload", "--queue-name", "*"]
    processes = [subprocess.Popen(gunicorn, env=env, cwd=ROOT), subprocess.Popen(worker, env=env, cwd=ROOT)]  # noqa: S603
    import ssl
    import urllib.request

    context = ssl._create_unverified_context()  # noqa: S323 - our own self-signed loopback certificate
    for _ in range(120):
        try:
            urllib.request.urlopen(f"https://127.0.0.1:{port}/", context=context, timeout=2)  # noqa: S310
            return processes
        except OSError:
            time.sleep(0.5)
    stop(processes)
    raise SystemExit("gunicorn did not answer within 60 s")


def settle(pid: int, limit: int) -> float:
    """Wait until the server's start-up work (warming its caches) is done: its CPU use stays under
    5% for three seconds, or `limit` seconds pass. Return the seconds waited."""
    started = time.perf_counter()
    quiet = 0
    last = proc_cpu.tree_cpu_seconds(pid)
    while quiet < 3 and time.perf_counter() - started < limit:
        time.sleep(1)
        now = proc_cpu.tree_cpu_seconds(pid)
        quiet = quiet + 1 if now - last < 0.05 else 0
        last = now
    return round(time.perf_counter() - started, 1)


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def load(
    plan: Path, port: int, users: int, duration: int, out: Path, planted: str | None = None
) -> tuple[list[dict], dict[str, int]]:
    """Run locust headless; return its per-name statistics rows and the failed requests per name.

    The statistics restart 5 s after every user runs (`WENDBAAR_LOAD_STATISTICS_AFTER`, in the locustfile):
    while locust starts its users (ten a second) it blocks its own event loop for hundreds of milliseconds
    per batch (each new user's HTTP session), so the requests then in flight measured the load generator,
    not the server (7 December: 48 of the first 123 requests over 150 ms with the server's own time under
    150 ms for all of them, 8 of the next 720). Restarting at the moment the last user started still
    counted the requests in flight then, which end after it (8 December: the 400 ms of a form page begun
    0.2 s before the restart set that page's p95). Failures are counted over the whole run, start
    included, so the gate misses none."""
    failures = Path(f"{out}_all_failures.json")
    failures.unlink(missing_ok=True)
    env = {**os.environ, "WENDBAAR_LOAD_PLAN": str(plan), "PYTHONWARNINGS": "ignore",
           "WENDBAAR_LOAD_FAILURES": str(failures)}  # fmt: skip
    if planted:
        env["WENDBAAR_LOAD_PLANTED_URL"] = planted
    spawn = max(1, users // 5)
    command = [str(BIN / "locust"), "-f", str(ROOT / "bench" / "load" / "locustfile.py"), "--headless",
               "--users", str(users), "--spawn-rate", str(spawn), "--run-time", f"{duration}s",
               "--host", f"https://127.0.0.1:{port}", "--csv", str(out), "--only-summary", "--stop-timeout", "10",
               "--loglevel", "WARNING"]  # fmt: skip
    subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,  # noqa: S603
                   check=False)  # fmt: skip
    with open(f"{out}_stats.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if not failures.exists():
        raise SystemExit(f"locust wrote no {failures.name}: it did not run to its end")
    return rows, json.loads(failures.read_text(encoding="utf-8"))


def _ms(value: str) -> float:
    """A percentile of locust's CSV: "N/A" for a kind asked only before the statistics restarted."""
    return float(value) if value and value != "N/A" else 0.0


def summarise(rows: list[dict], failures: dict[str, int]) -> dict[str, Any]:
    kinds = {}
    for row in rows:
        if row["Name"] == "Aggregated":
            continue
        kinds[row["Name"]] = {
            "requests": int(row["Request Count"]),
            "errors": max(int(row["Failure Count"]), failures.get(row["Name"], 0)),
            "p50_ms": _ms(row["50%"]),
            "p95_ms": _ms(row["95%"]),
            "p99_ms": _ms(row["99%"]),
            "rps": round(float(row["Requests/s"] or 0), 2),
        }
    total = next(row for row in rows if row["Name"] == "Aggregated")
    non_pdf = [v["p95_ms"] for k, v in kinds.items() if not is_pdf(k) and v["requests"]]
    return {
        "requests": int(total["Request Count"]),
        "errors": max(int(total["Failure Count"]), sum(failures.values())),
        "failed_kinds": dict(sorted(failures.items())),
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": _ms(total["50%"]),
        "p95_ms": _ms(total["95%"]),
        "p99_ms": _ms(total["99%"]),
        "worst_p95_without_pdf_ms": max(non_pdf) if non_pdf else None,
        "kinds": dict(sorted(kinds.items())),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=600, help="seconds of load")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--database", default=None,
                        help="postgres://USER@HOST:PORT/NAME (created when missing; default: SQLite in the "
                             "run directory)")
    parser.add_argument("--fresh-database", action="store_true",
                        help="drop and create the --database first when the site is fresh")  # fmt: skip
    parser.add_argument("--shared-data", type=Path, default=None, help="ESCO and region maps for the full demo")
    parser.add_argument("--var", type=Path, default=None, help="reuse this prepared directory (kept)")
    parser.add_argument("--planted", default=None, help="also request this URL (the gate's self-test)")
    parser.add_argument("--result", type=Path, default=None, help="JSON result file")
    parser.add_argument("--settle", type=int, default=0, help="first wait up to N s for the start-up work to end")
    # The README's recommended production set-up: three gthread workers with four threads each.
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread when > 1)")
    parser.add_argument("--source", type=Path, default=None, help="serve the code of this checkout (a baseline)")
    parser.add_argument("--migrated-sqlite", type=Path, default=None,
                        help="a fresh SQLite site starts from a copy of this migrated database file")  # fmt: skip
    parser.add_argument("--prepare-here", action="store_true", help=argparse.SUPPRESS)  # set_up's own process
    parser.add_argument("--fresh-site", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare_here:
        prepare_here(args.var, args.shared_data, args.fresh_site)
        return 0
    if args.migrated_sqlite and args.database:
        parser.error("--migrated-sqlite is a SQLite file; it cannot be used with --database")

    var = args.var or Path(tempfile.mkdtemp(prefix="wendbaar-load-"))
    fresh = not (var / "prepared").exists()
    var.mkdir(parents=True, exist_ok=True)
    env = environment(var, args.database)
    if args.database:
        prepare_database(args.database, fresh_site=fresh, recreate=args.fresh_database)
    started = time.perf_counter()
    set_up(var, env, args.shared_data, fresh, args.migrated_sqlite)
    (var / "prepared").touch()
    plan = var / "plan.json"
    setup_seconds = time.perf_counter() - started
    port = free_port()
    if args.source:
        # Serve another checkout's code (a baseline, `git archive REF src | tar -x -C DIR`) on the same site.
        env["PYTHONPATH"] = f"{args.source / 'src'}{os.pathsep}{env['PYTHONPATH']}"
        env.update(outside_paths())
    processes = serve(var, env, args.workers, port, args.threads)
    settled_s = settle(processes[0].pid, args.settle) if args.settle else None
    load_before = os.getloadavg()
    # Without --settle, start-up work (the dashboards' warm-up) is counted: it competes with the first visitors.
    cpu_before = [proc_cpu.tree_cpu_seconds(p.pid) for p in processes]
    try:
        rows, failures = load(plan, port, args.users, args.duration, var / "locust", args.planted)
        cpu_used = [proc_cpu.tree_cpu_seconds(p.pid) - before for p, before in zip(processes, cpu_before, strict=True)]
    finally:
        stop(processes)
    summary = summarise(rows, failures)
    per_request = {
        "web_cpu_ms_per_request": round(cpu_used[0] * 1000 / max(1, summary["requests"]), 1),
        "worker_cpu_ms_per_request": round(cpu_used[1] * 1000 / max(1, summary["requests"]), 1),
        "web_cpu_s": round(cpu_used[0], 1),
        "worker_cpu_s": round(cpu_used[1], 1),
    }
    database = "postgresql" if args.database else "sqlite"
    result = {
        "benchmark": "load",
        "database": database,
        "users": args.users,
        "duration_s": args.duration,
        "gunicorn_workers": args.workers,
        "gunicorn_threads": args.threads,
        "switch_interval_ms": conf.get("SWITCH_INTERVAL_MS"),  # what wendbaar.wsgi sets in each worker
        "settled_s": settled_s,  # seconds waited for the start-up work before the load (None: not waited)
        "source": str(args.source) if args.source else "this checkout",
        "setup_s": round(setup_seconds, 1),
        # The machine is shared: its load average says how much of the 2 cores the run really had.
        "load_average_before": [round(x, 1) for x in load_before],
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
        "served": "gunicorn over HTTPS (self-signed, loopback), production mode, whitenoise static files",
        "target": "p95 < 100 ms for pages without PDF, 0 errors",
        # CPU of the server processes over the run (web: gunicorn with its workers; worker: db_worker).
        **per_request,
        **summary,
    }
    path = args.result or RESULTS / f"load_{database}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{'kind':44} {'n':>6} {'err':>4} {'p50':>6} {'p95':>6} {'p99':>6}")
    for name, kind in summary["kinds"].items():
        print(f"{name:44} {kind['requests']:6} {kind['errors']:4} {kind['p50_ms']:6.0f} {kind['p95_ms']:6.0f} "
              f"{kind['p99_ms']:6.0f}")  # fmt: skip
    print(
        f"total {summary['requests']} requests, {summary['errors']} errors, {summary['rps']}/s, "
        f"p95 {summary['p95_ms']} ms; worst p95 without PDF {summary['worst_p95_without_pdf_ms']} ms -> {path}"
    )
    print(f"server CPU per request: web {per_request['web_cpu_ms_per_request']} ms, background worker "
          f"{per_request['worker_cpu_ms_per_request']} ms (load average {result['load_average_before']})")  # fmt: skip
    if args.var is None:
        shutil.rmtree(var, ignore_errors=True)
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
