"""Benchmark: issuing and verifying Open Badges 3.0 credentials on one core.

Issue = build the OpenBadgeCredential, check it against the OB 3.0 schema, draw a random free index
in the issuer's Bitstring Status List, and sign it: both ways (eddsa-rdfc-2022 Data Integrity proof
and an RS256 VC-JWT), or one way only. Verify = schema check, issuer key lookup, signature, validity
dates and the status list bit — for each proof format. A 200-credential passport is verified in both
formats. Pure code (no database): the status list and DID document are in memory, as the platform
holds them. The first document of a shape goes through pyld in full (the canonicalisation cache's
warm-up) and is reported separately. Then (`--platform N`, default 199) the same through the platform:
N credentials (plus a warm-up one: a 200-credential passport) issued by `passport.services` on a fresh SQLite
database, and that passport verified as the platform does, with its DID documents and status lists
read from the database. Every rate is given per wall second and per CPU second of this
process (the machine is shared: the load average is recorded at the start and the end).

    nice -n 15 .venv/bin/python bench/passport_credentials.py [--seconds 3] [--platform 199]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from _engine_data import table, write_result  # noqa: E402
from wendbaar.passport.credentials import (  # noqa: E402
    canon_cache,
    contexts,
    dataintegrity,
    did,
    schema,
    signing,
    statuslist,
    vcjwt,
    verify,
)
from wendbaar.passport.credentials import document as doc  # noqa: E402
from wendbaar.passport.credentials.keys import KeyRing, generate  # noqa: E402

ISSUER = did.did_web("https://wendbaar.example.nl", ("organisations", "0b7e0b6e-8f43-4d55-9c43-1d1a3f1b2c3d"))
STATUS_URL = "https://wendbaar.example.nl/credentials/status/1"


def credential_data(i: int, index: int) -> doc.CredentialData:
    return doc.CredentialData(
        credential_id=f"urn:uuid:00000000-0000-4000-8000-{i:012d}",
        issuer=doc.Issuer(did=ISSUER, name="ROC Demo"),
        achievement_id=f"urn:uuid:10000000-0000-4000-8000-{i % 50:012d}",
        achievement_name=f"Lassen MIG/MAG module {i % 50}",
        achievement_type="Certificate",
        achievement_description="Lassen volgens de norm",
        criteria="Praktijkexamen gehaald",
        recipient_email=f"deelnemer{i}@example.nl",
        valid_from=datetime.now(UTC) - timedelta(days=1),
        alignments=[
            doc.Alignment(uri="http://data.europa.eu/esco/skill/2ee57de4-bffd-4194-b009-0060edec77cc", name="weld"),
            doc.Alignment(uri=f"http://data.europa.eu/esco/skill/{i:08d}-0000-4000-8000-000000000000", name="skill"),
        ],
        status=doc.StatusEntry(list_url=STATUS_URL, index=index),
    )


class Issuer:
    """Issues as the platform does, minus the database: the given-out indexes are a bitmap in memory."""

    def __init__(self, ring: KeyRing) -> None:
        self.ring = ring
        self.allocated = bytes(statuslist.MIN_SIZE // 8)
        self.given = 0

    def unsigned(self, i: int) -> dict:
        if self.given > statuslist.MIN_SIZE // 2:  # a fresh list, as the platform opens one when full
            self.allocated, self.given = bytes(statuslist.MIN_SIZE // 8), 0
        (index,) = statuslist.pick_free(self.allocated, 1)
        self.allocated = statuslist.set_bits(self.allocated, [index])
        self.given += 1
        unsigned = doc.build(credential_data(i, index))
        problems = schema.errors(unsigned)
        assert not problems, problems
        return unsigned

    def both(self, i: int, created: datetime | None = None) -> tuple[dict, str]:
        return signing.sign_both(self.unsigned(i), ring=self.ring, created=created or datetime.now(UTC))

    def jwt_only(self, i: int) -> str:
        rsa_key = self.ring.active("RSA")
        return vcjwt.sign(self.unsigned(i), key=rsa_key, verification_method=f"{ISSUER}#{rsa_key.kid}")

    def data_integrity_only(self, i: int) -> dict:
        ed = self.ring.active("Ed25519")
        return dataintegrity.add_proof(
            self.unsigned(i),
            private_key=ed.private,  # type: ignore[arg-type]
            verification_method=f"{ISSUER}#{ed.kid}",
            created=doc.iso(datetime.now(UTC)),
        )


def rate(fn, seconds: float) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Run fn(0), fn(1), … for `seconds` of wall time; return the rate per wall second and per CPU second."""
    n, start, cpu_start = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        fn(n)
        n += 1
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return {
        "per_second": round(n / wall, 1),
        "per_cpu_second": round(n / cpu, 1),
        "n": n,
        "cpu_share": round(cpu / wall, 2),
    }


def timed(fn) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    start, cpu_start = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu_start


def platform_measures(count: int) -> dict[str, object]:
    """Issue `count` credentials to one person through `passport.services` on a fresh SQLite database (status
    list allocation, database writes, skills as evidence), then verify that passport the way the platform does
    (our DID documents and status lists read from the database), in each proof format."""
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="wendbaar-bench-passport-"))
    os.environ["WENDBAAR_DATABASE_URL"] = f"sqlite:///{work / 'db.sqlite3'}"
    os.environ["WENDBAAR_CREDENTIAL_KEYS_DIR"] = str(work / "keys")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from wendbaar.passport import services, verification
    from wendbaar.regions.constants import ActorType
    from wendbaar.regions.models import Organisation
    from wendbaar.skills.models import Concept, Kind

    call_command("migrate", verbosity=0)
    uris = [f"http://data.europa.eu/esco/skill/bench-{n:03d}" for n in range(20)]
    Concept.objects.bulk_create([Concept(uri=uri, kind=Kind.SKILL) for uri in uris])
    provider = Organisation.objects.create(name="ROC Bench", actor_type=ActorType.EDUCATION_PROVIDER)
    learner = User.objects.create_user(username="leerling", email="leerling@example.nl")
    services.issue_credential(issuer_organisation=provider, recipient=learner, achievement_name="Warm-up")
    start, cpu_start = time.perf_counter(), time.process_time()
    issued = [
        services.issue_credential(
            issuer_organisation=provider,
            recipient=learner,
            achievement_name=f"Module {n}",
            skills=[uris[n % 20], uris[(n * 7 + 3) % 20]],
        )
        for n in range(count)
    ]
    issue_wall, issue_cpu = time.perf_counter() - start, time.process_time() - cpu_start
    runs: dict[str, list[tuple[float, float]]] = {"jwt": [], "data_integrity": []}
    for _ in range(5):
        for name in runs:

            def whole(name: str = name) -> None:
                credentials = services.credentials_of(learner)  # read from the database each time
                forms = [c.jwt if name == "jwt" else c.document for c in credentials]
                resolvers = verification.Resolvers()  # one lookup per DID document and status list
                valid = sum(services.verify_credential(credential=f, resolvers=resolvers).valid for f in forms)
                assert valid == count + 1

            runs[name].append(timed(whole))
    assert len(issued) == count

    def median(name: str, part: int) -> float:
        return round(statistics.median(run[part] for run in runs[name]), 4)

    return {
        "platform_issue_per_second": round(count / issue_wall, 1),
        "platform_issue_per_cpu_second": round(count / issue_cpu, 1),
        "platform_passport_credentials": count + 1,
        "platform_passport_verify_seconds_jwt_median": median("jwt", 0),
        "platform_passport_verify_cpu_seconds_jwt_median": median("jwt", 1),
        "platform_passport_verify_seconds_data_integrity_median": median("data_integrity", 0),
        "platform_passport_verify_cpu_seconds_data_integrity_median": median("data_integrity", 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument(
        "--platform", type=int, default=199, help="credentials issued and verified through the services (0: skip)"
    )
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    contexts.configure(ROOT.parent / "shared" / "specs" / "open-badges-3.0" / "ob_v3p0" / "context-3.0.3.json")
    ring = KeyRing(tuple(generate(rsa_bits=2048)))
    issuer = Issuer(ring)
    did_document = did.did_document(ISSUER, ring.keys)
    bits = statuslist.set_bit(bytes(statuslist.MIN_SIZE // 8), 3)  # credential 3 is revoked

    def resolve(identifier: str) -> dict | None:
        return did_document if identifier == ISSUER else None

    def read_status(url: str) -> bytes | None:
        return bits if url == STATUS_URL else None

    canon_cache.clear()
    first_issue_wall, first_issue_cpu = timed(lambda: issuer.both(0))
    issue_both = rate(lambda i: issuer.both(i + 1000), args.seconds)
    issue_jwt = rate(lambda i: issuer.jwt_only(i + 1000), args.seconds)
    issue_di = rate(lambda i: issuer.data_integrity_only(i + 1000), args.seconds)
    # The floor of any RS256 VC-JWT issuer: the RSA-2048 signature alone.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    rsa_private = ring.active("RSA").private
    rsa_only = rate(lambda i: rsa_private.sign(b"x" * 64, padding.PKCS1v15(), hashes.SHA256()), args.seconds / 2)  # type: ignore[union-attr, call-arg]

    # A passport's credentials were issued at different moments: each has its own `created`.
    base = datetime.now(UTC) - timedelta(days=30)
    pool = [issuer.both(i, created=base + timedelta(minutes=7 * i)) for i in range(200)]
    for position in range(200):  # credential 3 is the revoked one
        index = int(pool[position][0]["credentialStatus"]["statusListIndex"])
        bits = statuslist.set_bit(bits, index, value=position == 3)
    documents = [p[0] for p in pool]
    tokens = [p[1] for p in pool]

    def check(value: object, expect: bool) -> None:
        result = verify.verify(value, resolve_did=resolve, read_status=read_status)
        assert result.valid == expect, result.reasons

    verify_jwt = rate(lambda i: check(tokens[i % 200], i % 200 != 3), args.seconds)
    verify_di = rate(lambda i: check(documents[i % 200], i % 200 != 3), args.seconds)

    passport_runs: dict[str, list[tuple[float, float]]] = {"jwt": [], "data_integrity": []}
    for _ in range(5):
        for name, forms in (("jwt", tokens), ("data_integrity", documents)):

            def whole(forms: list = forms) -> None:
                valid = sum(verify.verify(v, resolve_did=resolve, read_status=read_status).valid for v in forms)
                assert valid == 199

            passport_runs[name].append(timed(whole))

    def median(name: str, part: int) -> float:
        return round(statistics.median(run[part] for run in passport_runs[name]), 4)

    result = {
        "cpu": platform.processor() or platform.machine(),
        "cores_used": 1,
        "rsa_bits": 2048,
        "seconds_per_measure": args.seconds,
        "load_average_1min_at_start": round(load_at_start, 2),
        "first_issue_of_a_new_shape_ms": round(first_issue_wall * 1000, 1),
        "first_issue_of_a_new_shape_cpu_ms": round(first_issue_cpu * 1000, 1),
        "issue_both_proofs": issue_both,
        "issue_vc_jwt_only": issue_jwt,
        "issue_data_integrity_only": issue_di,
        "rsa_2048_sign_only": rsa_only,
        "verify_vc_jwt": verify_jwt,
        "verify_data_integrity": verify_di,
        "passport_200_verify_seconds_jwt_median": median("jwt", 0),
        "passport_200_verify_cpu_seconds_jwt_median": median("jwt", 1),
        "passport_200_verify_seconds_data_integrity_median": median("data_integrity", 0),
        "passport_200_verify_cpu_seconds_data_integrity_median": median("data_integrity", 1),
        **(platform_measures(args.platform) if args.platform else {}),
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),
        "target": "issue and verify >= 500/s each on one core; a 200-credential passport verified < 1 s",
    }
    out = write_result("passport_credentials", result)
    rows = []
    for key, value in result.items():
        if key in {"cpu", "target"}:
            continue
        if isinstance(value, dict):
            rows.append([key, f"{value['per_second']}/s wall, {value['per_cpu_second']}/s per CPU second"])
        else:
            rows.append([key, value])
    print(table(rows, ["measure", "value"]))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
