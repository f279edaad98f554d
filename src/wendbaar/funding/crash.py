"""The ledger's crash test: worker processes run random commands while a supervisor kills them.

Used by `bench/ledger_crash.py` (the full form) and the PostgreSQL tests (a short form). Each worker
runs a deterministic sequence of commands: command `i` of worker `w` always has the same key and the
same arguments, so a restarted worker that starts again a little before where it was killed sends
commands it may already have done — those must book nothing. Some commands are double submissions
of an earlier command on purpose, and some reuse an earlier key with other arguments (refused).

At the end the supervisor checks the ledger (`services.check_ledger`), checks that every transaction
booked exactly what its command asked, and re-sends a sample of commands to show they book nothing.

A worker sends its commands through `funding.services` on Django's connection, or (WENDBAAR_LEDGER_PIPELINE=N,
the benchmark's thin client, `Thin`) has the services compose each command and sends the `funding_book` call
itself on a libpq connection of its own, up to N in flight. Either way each command is stated and checked by
the services and booked by the database function the product uses.

    python -m wendbaar.funding.crash worker WORLD_FILE WORKER OPS PROGRESS_FILE
"""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from wendbaar import proc_cpu

# Relative to the day it runs (funds valid from a year ago to a year ahead), so it never expires on a fixed date.
TODAY = date.today()
VALID_FROM = TODAY - timedelta(days=365)
VALID_UNTIL = TODAY + timedelta(days=365)
AFTER_THE_END = VALID_UNTIL + timedelta(days=1)
PEOPLE = 40
RESUME_BEFORE = 40  # a restarted worker starts this many commands before its last recorded one
PROGRESS_EVERY = 10

# (kind, weight) of the commands a worker sends.
MIX = [
    ("deposit", 6), ("entitle", 20), ("top_up", 4), ("reserve", 24), ("pay", 20), ("release", 8),
    ("refund", 8), ("expire", 1), ("repeat", 6), ("conflict", 3),
]  # fmt: skip
KINDS = [kind for kind, _ in MIX]
WEIGHTS = [weight for _, weight in MIX]


def make_world() -> dict[str, Any]:
    """Create funders, two funds with money rules, providers, offerings and people; return their ids."""
    from django.contrib.auth import get_user_model

    from wendbaar.catalogue.models import CredentialType, Offering
    from wendbaar.funding.models import Fund
    from wendbaar.regions.constants import ActorType
    from wendbaar.regions.models import Organisation, Region

    tag = uuid.uuid4().hex[:8]
    region, _created = Region.objects.get_or_create(code="AM22", defaults={"name": "Rijnmond"})
    org = Organisation.objects.create
    state = org(name=f"crash {tag} Rijk", actor_type=ActorType.GOVERNMENT)
    sector = org(name=f"crash {tag} O&O fonds", actor_type=ActorType.FUND)
    employer = org(name=f"crash {tag} werkgever", actor_type=ActorType.EMPLOYER)
    provider = org(name=f"crash {tag} ROC", actor_type=ActorType.EDUCATION_PROVIDER)
    other = org(name=f"crash {tag} Leerhuis", actor_type=ActorType.EDUCATION_PROVIDER)
    rules = {"valid_from": VALID_FROM, "valid_until": VALID_UNTIL, "cap_per_person_cents": 10**9}
    state_fund = Fund.objects.create(funder=state, name=f"crash {tag} leerrekening", eligible_tags=["stap"], **rules)
    sector_fund = Fund.objects.create(funder=sector, name=f"crash {tag} sectorfonds", **rules)
    welding = Offering.objects.create(
        provider=provider, title_nl="Lassen", description_nl="Lassen.", credential_type=CredentialType.COURSE,
        price_cents=100_000, funding_tags=["stap"],
    )  # fmt: skip
    coaching = Offering.objects.create(
        provider=other, title_nl="Coachen", description_nl="Coachen.", credential_type=CredentialType.TRAINING,
        price_cents=50_000, funding_tags=["sector-fund"],
    )  # fmt: skip
    User = get_user_model()
    people = [User.objects.create_user(username=f"crash-{tag}-{i}").pk for i in range(PEOPLE)]
    return {
        "tag": tag, "region": region.pk, "funds": [state_fund.pk, sector_fund.pk], "employer": employer.pk,
        "offerings": [welding.pk, coaching.pk], "people": people,
    }  # fmt: skip


def command(world: dict[str, Any], worker: int, i: int) -> tuple[str, str, dict[str, Any]]:
    """Return (kind, key, arguments) of command `i` of `worker`: always the same for the same (worker, i)."""
    rng = random.Random(f"{world['tag']}:{worker}:{i}")
    kind = rng.choices(KINDS, WEIGHTS)[0]
    key = f"{world['tag']}:w{worker}:{i}"
    if kind in ("repeat", "conflict") and i > 0:
        earlier_kind, earlier_key, earlier = command(world, worker, rng.randrange(max(0, i - 200), i))
        if kind == "conflict" and "amount" in earlier:
            earlier = {**earlier, "amount": earlier["amount"] + 1}
        return earlier_kind, earlier_key, earlier
    if kind in ("repeat", "conflict"):
        kind = "deposit"
    fund = rng.randrange(2)
    person = rng.randrange(len(world["people"]))
    args: dict[str, Any] = {"fund": fund, "person": person}
    if kind == "deposit":
        args["amount"] = rng.randint(10_000, 50_000)
    elif kind in ("entitle", "top_up"):
        args["amount"] = rng.randint(100, 2_000)
    elif kind == "reserve":
        args["amount"] = rng.randint(50, 1_500)
        args["reference"] = key
    elif kind in ("pay", "release", "refund"):
        # A reservation this worker may have made a little earlier (it may not exist: then nothing to do).
        args["reservation"] = rng.randrange(max(0, i - 100), i) if i else -1
        args["worker"] = worker
        args["amount"] = rng.randint(10, 400)
        args["whole"] = kind == "release" and rng.random() < 0.5
    return kind, key, args


def _objects(world: dict[str, Any]) -> dict[str, Any]:
    """The world's funds, region, employer, offerings and people as objects: looked up once per worker process
    (or once in the supervisor, before it forks the workers), with the accounts the worker came across."""
    from django.contrib.auth import get_user_model

    from wendbaar.catalogue.models import Offering
    from wendbaar.funding.models import Fund
    from wendbaar.regions.models import Organisation, Region

    cache: dict[str, Any] = world.setdefault("_objects", {})
    if not cache:
        cache["funds"] = [
            Fund.objects.select_related("funder").prefetch_related("eligible_regions", "eligible_providers").get(pk=pk)
            for pk in world["funds"]
        ]
        cache["region"] = Region.objects.get(pk=world["region"])
        cache["employer"] = Organisation.objects.get(pk=world["employer"])
        cache["offerings"] = [Offering.objects.select_related("provider").get(pk=pk) for pk in world["offerings"]]
        cache["accounts"] = {}
        cache["people"] = [get_user_model()(pk=pk) for pk in world["people"]]
    return cache


def run_command(world: dict[str, Any], kind: str, key: str, args: dict[str, Any]) -> str:
    """Send one command; return "booked", "replayed", "refused" or "skipped"."""
    from django.core.exceptions import ValidationError

    from wendbaar.funding import services as ledger
    from wendbaar.funding.models import Account, AccountKind

    cache = _objects(world)
    known = cache["accounts"]
    fund = cache["funds"][args["fund"]]
    person = cache["people"][args["person"]]
    try:
        if kind == "deposit":
            booked = ledger.deposit(fund=fund, amount_cents=args["amount"], key=key)
        elif kind == "entitle":
            booked = ledger.entitle(
                fund=fund, person=person, amount_cents=args["amount"], key=key, region=cache["region"], today=TODAY
            )
        elif kind == "top_up":
            booked = ledger.top_up(
                employer=cache["employer"], fund=fund, person=person, amount_cents=args["amount"], key=key
            )
        elif kind in ("reserve", "expire"):
            # Accounts never change who or what they are for, so a client may keep them (not their balances).
            entitlement = known.get(("entitlement", fund.pk, person.pk))
            if entitlement is None:
                found = _look_up(
                    "SELECT id, expires_on FROM funding_account WHERE kind = 'entitlement' AND fund_id = %s "
                    "AND person_id = %s", [fund.pk, person.pk],
                )  # fmt: skip
                if found is None:
                    return "skipped"
                entitlement = Account(
                    pk=found[0], kind=AccountKind.ENTITLEMENT, fund_id=fund.pk, person_id=person.pk,
                    expires_on=found[1],
                )  # fmt: skip
                entitlement.fund = fund  # the cached fund, with its rules prefetched
                known[("entitlement", fund.pk, person.pk)] = entitlement
            if kind == "expire":
                booked = ledger.expire(entitlement=entitlement, key=key, today=AFTER_THE_END)
            else:
                offering = cache["offerings"][args["fund"]]
                booked = ledger.reserve(
                    entitlement=entitlement, offering=offering, amount_cents=args["amount"],
                    reference=args["reference"], key=key, today=TODAY,
                )  # fmt: skip
                _remember(world, args, booked.reservation_id)
        else:
            # The client knows which of its commands made the reservation: command j of this worker.
            j = args["reservation"]
            made_by = command(world, args["worker"], j) if j >= 0 else ("", "", {})
            if made_by[0] != "reserve":
                return "skipped"
            reference = made_by[2]["reference"]
            if reference not in known:  # looked up once: command j came before, in this process too
                fund_id, person_id = world["funds"][made_by[2]["fund"]], world["people"][made_by[2]["person"]]
                found = _look_up(
                    "SELECT id, organisation_id, offering_id FROM funding_account WHERE kind = 'reservation' "
                    "AND fund_id = %s AND person_id = %s AND reference = %s", [fund_id, person_id, reference],
                )  # fmt: skip
                known[reference] = found and Account(
                    pk=found[0], kind=AccountKind.RESERVATION, fund_id=fund_id, person_id=person_id,
                    organisation_id=found[1], offering_id=found[2], reference=reference,
                )  # fmt: skip
            held = known[reference]
            if held is None:
                return "skipped"
            if kind == "pay":
                booked = ledger.pay(reservation=held, amount_cents=args["amount"], key=key, stage="attendance")
            elif kind == "release":
                amount = None if args["whole"] else args["amount"]
                booked = ledger.release(reservation=held, key=key, amount_cents=amount)
            else:
                booked = ledger.refund(reservation=held, amount_cents=args["amount"], key=key)
    except ValidationError:
        return "refused"
    return "replayed" if booked.replayed else "booked"


def _look_up(sql: str, params: list[Any]) -> tuple[Any, ...] | None:
    """One row of an account the client looks up (its identity and what the services read of it): plain SQL on
    Django's connection, not a queryset (a queryset's compilation cost the client ten times the look-up)."""
    from django.db import connection

    if os.environ.get("WENDBAAR_LEDGER_ORM_LOOK_UPS") == "1":  # as before (the benchmark's "orm" mode)
        return _look_up_orm(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()  # type: ignore[no-any-return]


def _look_up_orm(sql: str, params: list[Any]) -> tuple[Any, ...] | None:
    """The same look-up through a queryset, as the client did before (kept to measure against)."""
    from wendbaar.funding.models import Account

    if "'entitlement'" in sql:
        found = Account.objects.filter(kind="entitlement", fund_id=params[0], person_id=params[1]).first()
        return None if found is None else (found.pk, found.expires_on)
    found = Account.objects.filter(
        kind="reservation", fund_id=params[0], person_id=params[1], reference=params[2]
    ).first()
    return None if found is None else (found.pk, found.organisation_id, found.offering_id)


def _remember(world: dict[str, Any], args: dict[str, Any], reservation_id: int | None) -> None:
    """Keep the reservation a reserve was answered with: the client uses it, as a web client keeps what the API
    answered, instead of looking it up when it pays, releases or refunds on it."""
    from wendbaar.funding.models import Account, AccountKind

    cache = _objects(world)
    offering = cache["offerings"][args["fund"]]
    cache["accounts"][args["reference"]] = Account(
        pk=reservation_id, kind=AccountKind.RESERVATION, fund_id=world["funds"][args["fund"]],
        person_id=world["people"][args["person"]], organisation_id=offering.provider_id, offering_id=offering.pk,
        reference=args["reference"],
    )  # fmt: skip


def _looks_up(world: dict[str, Any], worker: int, kind: str, args: dict[str, Any]) -> bool:
    """Whether `run_command` will look an account up in the database for this command (so commands still in
    flight must be answered first: one of them may make that account)."""
    known = _objects(world)["accounts"]
    if kind in ("reserve", "expire"):
        return ("entitlement", world["funds"][args["fund"]], world["people"][args["person"]]) not in known
    if kind in ("pay", "release", "refund") and args["reservation"] >= 0:
        made_by = command(world, args["worker"], args["reservation"])
        return made_by[0] == "reserve" and made_by[2]["reference"] not in known
    return False


class Thin:
    """The thin client of a worker: each command is still stated and checked by `funding.services` (composed,
    `booking.composing()`: the rules are written once, there), but sent by the worker itself on a libpq
    connection of its own, in pipeline mode: up to `depth` calls of `funding_book` in flight, each its own
    transaction (a Sync after each), answered in order. A command whose account the client must look up first
    (one an earlier command in flight may make) waits until those are answered.

    What the supervisor counts is the same: the transactions committed, and the invariants at the end."""

    def __init__(self, world: dict[str, Any], worker: int, depth: int) -> None:
        import psycopg
        from django.db import connection

        from wendbaar.funding import booking

        if not 1 <= depth < RESUME_BEFORE:  # a restart re-sends the last RESUME_BEFORE: all those in flight
            raise ValueError(f"a pipeline depth of 1 to {RESUME_BEFORE - 1}")
        self.world, self.worker, self.depth = world, worker, depth
        self.booking, self.errors = booking, psycopg.errors
        settings = connection.settings_dict
        conninfo = psycopg.conninfo.make_conninfo(
            dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"] or None,
            host=settings["HOST"] or None, port=str(settings["PORT"]) if settings["PORT"] else None,
        )  # fmt: skip
        self.pg = psycopg.pq.PGconn.connect(conninfo.encode())
        if self.pg.status != psycopg.pq.ConnStatus.OK:
            raise psycopg.OperationalError(self.pg.get_error_message())
        booking._prepare(self.pg)
        self.pg.enter_pipeline_mode()
        self.flight: list[tuple[str, dict[str, Any]]] = []
        self.counts: Counter[str] = Counter()
        self._sync = psycopg.pq.ExecStatus.PIPELINE_SYNC
        self._ok = psycopg.pq.ExecStatus.TUPLES_OK
        self._connected = psycopg.pq.ConnStatus.OK

    def run(self, i: int) -> None:
        """Compose and send command `i` (answering those in flight first when it needs them)."""
        kind, key, args = command(self.world, self.worker, i)
        if self.flight and _looks_up(self.world, self.worker, kind, args):
            self.answer()
        try:
            with self.booking.composing():
                outcome = run_command(self.world, kind, key, args)
        except self.booking.Composed as composed:
            self.pg.send_query_prepared(self.booking._STATEMENT, [composed.command.encode()], None, 1)
            self.pg.pipeline_sync()
            self.flight.append((kind, args))
            if len(self.flight) >= self.depth:
                self.answer()
            return
        self.counts[outcome] += 1  # refused by services before any call, or skipped

    def answer(self) -> None:
        """Read the answers of the calls in flight, in the order they were sent."""
        for kind, args in self.flight:
            result = None
            while True:
                got = self.pg.get_result()
                if got is None:  # the end of a call's results, before its Sync's
                    if self.pg.status != self._connected:
                        raise self.errors.OperationalError(self.pg.get_error_message())
                    continue
                if got.status == self._sync:
                    break
                result = got
            assert result is not None
            if result.status == self._ok:
                row = self.booking._row(result)
                self.counts["replayed" if row[4] else "booked"] += 1
                if kind == "reserve":
                    _remember(self.world, args, row[3])
                continue
            error = self.errors.error_from_result(result)
            if error.sqlstate in ("WL001", "WL002"):  # a check refused; the key was used for another request
                self.counts["refused"] += 1
            elif error.sqlstate == "23505":  # a twin (a killed run's backend) booked the key meanwhile
                self.counts["replayed"] += 1
            else:
                raise error
        self.flight.clear()

    def close(self) -> None:
        if self.flight:
            self.answer()
        self.pg.exit_pipeline_mode()
        self.pg.finish()


def worker_main(world_file: str, worker: int, ops: int, progress_file: str) -> None:
    run_worker(json.loads(Path(world_file).read_text()), worker, ops, progress_file)


def run_worker(world: dict[str, Any], worker: int, ops: int, progress_file: str) -> None:
    """Send commands `start`..`ops` of `worker`, from a little before where its last run got (`progress_file`)."""
    progress = Path(progress_file)
    start = max(0, int(progress.read_text() or 0) - RESUME_BEFORE) if progress.exists() else 0
    counts: Counter[str] = Counter()
    # The CPU of this process before its first command (Python, Django, the connection) and of its commands,
    # so the supervisor can tell the ledger's CPU from the restarts' (the last stretch before a kill is lost).
    started = time.process_time()
    cpu = progress.with_name(f"{progress.name}.cpu-{os.getpid()}")
    # Both records are rewritten in place by one pwrite of a fixed width: a SIGKILL ends a process between
    # system calls, so a reader finds the old record or the new one, never half of one (and no file is made,
    # renamed or synced per record: a few microseconds instead of a rename's journal work).
    at = os.open(progress, os.O_RDWR | os.O_CREAT, 0o644)
    own = os.open(cpu, os.O_RDWR | os.O_CREAT, 0o644)
    depth = int(os.environ.get("WENDBAAR_LEDGER_PIPELINE", "0"))  # 0: through the services, Django's connection
    thin = Thin(world, worker, depth) if depth else None
    try:
        for i in range(start, ops):
            if thin is not None:
                thin.run(i)
            else:
                kind, key, args = command(world, worker, i)
                counts[run_command(world, kind, key, args)] += 1
            if i % PROGRESS_EVERY == 0:
                _record(at, str(i))
                _record(own, json.dumps([started, time.process_time() - started]))
        if thin is not None:
            thin.close()
            counts = thin.counts
        _record(own, json.dumps([started, time.process_time() - started]))
        _record(at, str(ops))
    finally:
        os.close(at)
        os.close(own)
    progress.with_suffix(".done").write_text(json.dumps(counts))


def _record(fd: int, text: str) -> None:
    """Replace the record in file `fd` with `text` in one system call (padded: the old one may be longer)."""
    os.pwrite(fd, text.ljust(_RECORD).encode(), 0)


_RECORD = 64  # bytes of a progress or CPU record (JSON and int() ignore the padding)


def _of(world: dict[str, Any]) -> Any:
    """The transactions of this world's commands (their keys start with its tag; a range the key's unique index
    serves), whatever else the database books meanwhile."""
    from wendbaar.funding.models import LedgerTransaction

    return LedgerTransaction.objects.filter(key__gte=f"{world['tag']}:", key__lt=f"{world['tag']};")


def booked_in(world: dict[str, Any]) -> int:
    """How many transactions this world's commands booked so far."""
    return int(_of(world).count())


def supervise(*, database_url: str, workers: int, ops_per_worker: int, min_kills: int, workdir: Path,
              seed: int = 0, start_method: str = "fork") -> dict[str, Any]:  # fmt: skip
    """Run the crash test against `database_url` (already migrated); return figures and the check.

    `start_method` "fork" starts each worker (and each restart after a kill) as a fork of this process, which
    has Python, Django and the ledger's modules loaded already (`database_url` must then be the database this
    process uses); "spawn" starts a fresh interpreter (`python -m wendbaar.funding.crash worker …`).
    """

    rng = random.Random(seed)
    world = make_world()
    world_file = workdir / "world.json"
    world_file.write_text(json.dumps(world))
    env = {
        **os.environ, "WENDBAAR_DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "wendbaar.settings",
        "WENDBAAR_DEBUG": "false",  # workers run as in production (no query log)
    }  # fmt: skip

    def start(w: int) -> Forked | subprocess.Popen[bytes]:
        if start_method == "fork":
            return Forked.start(world, w, ops_per_worker, workdir / f"progress-{w}")
        argv = [sys.executable, "-m", "wendbaar.funding.crash", "worker", str(world_file), str(w),
                str(ops_per_worker), str(workdir / f"progress-{w}")]  # fmt: skip
        return subprocess.Popen(argv, env=env)  # noqa: S603 - our own module, no outside input

    from django.db import connection, connections

    if start_method == "fork":
        _prepare_fork(world)

    database = str(connection.settings_dict["NAME"]) if connection.vendor == "postgresql" else ""
    backends: dict[int, float] = {}
    before = booked_in(world)
    machine_before, children_before = proc_cpu.machine_cpu(), resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = os.getloadavg()
    began = time.perf_counter()
    samples = 0
    if start_method == "fork":
        connections.close_all()  # forks share no connection: each child opens its own; this one reopens at the end
    running = {w: start(w) for w in range(workers)}
    kills = 0
    # Until `min_kills`, a kill every 0.3-1.2 s, or every 0.05-0.3 s for forked workers (a restart costs them
    # milliseconds, and the test's short form ran 1,800 commands in about two seconds on an idle machine, with
    # one kill): a faster ledger must not finish before it was killed enough.
    soon = (0.05, 0.3) if start_method == "fork" else (0.3, 1.2)
    next_kill = time.perf_counter() + rng.uniform(*soon)
    while running:
        time.sleep(0.05)
        samples += 1
        if database and samples % 4 == 0:
            proc_cpu.backends_cpu(database, backends)
        for w, process in list(running.items()):
            if process.poll() is not None:
                if process.returncode != 0 and process.returncode != -signal.SIGKILL:
                    raise RuntimeError(f"worker {w} failed with exit code {process.returncode}")
                if (workdir / f"progress-{w}.done").exists():
                    del running[w]
                else:
                    running[w] = start(w)
        # Kills are spread over the run (a restart costs a few seconds), until there were enough.
        if running and time.perf_counter() >= next_kill:
            w = rng.choice(sorted(running))
            if running[w].poll() is None:
                running[w].send_signal(signal.SIGKILL)
                running[w].wait()
                kills += 1
                running[w] = start(w)
            next_kill = time.perf_counter() + (rng.uniform(*soon) if kills < min_kills else rng.uniform(5, 15))
    elapsed = time.perf_counter() - began
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    machine_after = proc_cpu.machine_cpu()
    workers_cpu = (children.ru_utime + children.ru_stime) - (children_before.ru_utime + children_before.ru_stime)
    database_cpu = sum(backends.values())  # sampled every 0.2 s: a killed worker's last moments are missed
    booked = booked_in(world) - before
    recorded = [json.loads(f.read_text() or "[0, 0]") for f in workdir.glob("progress-*.cpu-*")]
    startup_cpu, commands_cpu = sum(r[0] for r in recorded), sum(r[1] for r in recorded)
    counts: Counter[str] = Counter()
    for w in range(workers):
        counts.update(json.loads((workdir / f"progress-{w}.done").read_text()))
    return {
        "workers": workers,
        "operations": workers * ops_per_worker,
        "kills": kills,
        "seconds": round(elapsed, 2),
        "committed_transactions": booked,
        "committed_per_second": round(booked / elapsed, 1),
        # Every command ran at least once (a restarted worker sends up to RESUME_BEFORE of them again).
        "commands_per_second": round(workers * ops_per_worker / elapsed, 1),
        "outcomes_after_last_restart": dict(counts),
        "cpu_seconds": {
            "workers": round(workers_cpu, 1),
            # of which in the kernel (sockets, scheduling, the progress records)
            "workers_system": round(children.ru_stime - children_before.ru_stime, 1),
            # of which: starting (each start and restart) and commands, as the workers recorded them
            "workers_starting": round(startup_cpu, 1),
            "workers_commands": round(commands_cpu, 1),
            "database_backends": round(database_cpu, 1),
            "whole_machine_busy": round(machine_after[0] - machine_before[0], 1),
            "whole_machine_available": round(machine_after[1] - machine_before[1], 1),
        },
        "committed_per_cpu_second": round(booked / max(workers_cpu + database_cpu, 0.001), 1),
        # The ledger's own: the workers' commands and the backends (whose connection starts are included).
        "committed_per_command_cpu_second": round(booked / max(commands_cpu + database_cpu, 0.001), 1),
        # CPU milliseconds per committed transaction: the workers' commands, their backends, and both.
        "cpu_ms_per_committed": {
            "workers_commands": round(commands_cpu * 1000 / max(booked, 1), 3),
            "database_backends": round(database_cpu * 1000 / max(booked, 1), 3),
            "total": round((commands_cpu + database_cpu) * 1000 / max(booked, 1), 3),
        },
        "worker_starts": workers + kills,
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in os.getloadavg()],
        "problems": check(world, workers, ops_per_worker, rng),
    }


def check(world: dict[str, Any], workers: int, ops: int, rng: random.Random) -> list[str]:
    """The invariants, each transaction booked as asked, and a sample of commands re-sent books nothing."""
    from wendbaar.funding import services as ledger
    from wendbaar.funding.models import LedgerTransaction

    problems = ledger.check_ledger()
    booked = _of(world).prefetch_related("entries")
    for transaction in booked.iterator(chunk_size=2000):
        moved = sum(entry.amount_cents for entry in transaction.entries.all() if entry.amount_cents > 0)
        asked = transaction.request.get("amount")
        if asked is not None and moved != asked:
            problems.append(f"{transaction.key}: booked {moved}, asked {asked}")
    count = LedgerTransaction.objects.count()
    for _ in range(200):
        w, i = rng.randrange(workers), rng.randrange(ops)
        kind, key, args = command(world, w, i)
        if LedgerTransaction.objects.filter(key=key).exists():
            outcome = run_command(world, kind, key, args)
            if outcome not in ("replayed", "refused"):
                problems.append(f"re-sent {key} gave {outcome}")
    if LedgerTransaction.objects.count() != count:
        problems.append("re-sending done commands booked new transactions")
    return problems


def _choose_path() -> None:
    """The path a worker takes, as the benchmark's mode set it (bench/ledger_crash.py --compare)."""
    from wendbaar.funding import booking

    if os.environ.get("WENDBAAR_LEDGER_BASELINE") == "1":  # the Python path (lock, check in Python, write)
        booking.SERVER_FUNCTION = False
    if os.environ.get("WENDBAAR_LEDGER_LIBPQ") == "0":  # funding_book through psycopg's cursor, not libpq
        booking.LIBPQ = False


def _prepare_fork(world: dict[str, Any]) -> None:
    """Load in the supervisor what every worker needs before its first command, so a fork has it already: the
    ledger's modules and the world's funds, offerings and people (a worker's first `run_command` looks them up)."""
    from wendbaar.funding import booking, services  # noqa: F401 - imported once here, inherited by the forks

    _objects(world)


class Forked:
    """A worker forked from the supervisor, with the part of `subprocess.Popen` the supervisor uses."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    @classmethod
    def start(cls, world: dict[str, Any], worker: int, ops: int, progress: Path) -> Forked:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            return cls(pid)
        code = 1
        try:  # the child: Django is set up; its first query opens its own connection
            _choose_path()
            run_worker(world, worker, ops, str(progress))
            code = 0
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)  # no atexit of the supervisor's (pytest's, Django's) in the child

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            _pid, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, sig)


if __name__ == "__main__":
    if sys.argv[1:2] != ["worker"]:
        sys.exit(__doc__)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    import django

    django.setup()
    _choose_path()
    worker_main(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
