"""Benchmark: issuing and verifying Open Badges 3.0 credentials on one core.

Issue = build the OpenBadgeCredential, check it against the OB 3.0 schema, sign it both ways
(eddsa-rdfc-2022 Data Integrity proof and an RS256 VC-JWT). Verify = schema check, issuer key
lookup, signature, validity dates and the Bitstring Status List bit — for each proof format.
A 200-credential passport is verified in both formats. Pure code (no database): the status list
and DID document are in memory, as the platform holds them. The first document of a shape goes
through pyld in full (the canonicalisation cache's warm-up) and is reported separately.

    nice -n 15 .venv/bin/python bench/passport_credentials.py [--seconds 3]
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
from wendbaar.passport.credentials import canon_cache, contexts, did, schema, signing, statuslist, verify  # noqa: E402
from wendbaar.passport.credentials import document as doc  # noqa: E402
from wendbaar.passport.credentials.keys import KeyRing, generate  # noqa: E402

ISSUER = did.did_web("https://wendbaar.example.nl", ("organisations", "0b7e0b6e-8f43-4d55-9c43-1d1a3f1b2c3d"))
STATUS_URL = "https://wendbaar.example.nl/credentials/status/1"


def credential_data(i: int) -> doc.CredentialData:
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
        status=doc.StatusEntry(list_url=STATUS_URL, index=i),
    )


def issue(ring: KeyRing, i: int) -> tuple[dict, str]:
    unsigned = doc.build(credential_data(i))
    problems = schema.errors(unsigned)
    assert not problems, problems
    return signing.sign_both(unsigned, ring=ring, created=datetime.now(UTC))


def rate(fn, seconds: float) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn(n)
        n += 1
    return n / (time.perf_counter() - start), n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    contexts.configure(ROOT.parent / "shared" / "specs" / "open-badges-3.0" / "ob_v3p0" / "context-3.0.3.json")
    ring = KeyRing(tuple(generate(rsa_bits=2048)))
    did_document = did.did_document(ISSUER, ring.keys)
    bits = statuslist.set_bit(bytes(131_072 // 8), 3)  # credential 3 is revoked

    def resolve(identifier: str) -> dict | None:
        return did_document if identifier == ISSUER else None

    def read_status(url: str) -> bytes | None:
        return bits if url == STATUS_URL else None

    canon_cache.clear()
    start = time.perf_counter()
    issue(ring, 0)
    first_issue_ms = (time.perf_counter() - start) * 1000

    issue_rate, issued_n = rate(lambda i: issue(ring, i + 1000), args.seconds)
    # The parts: the RSA-2048 signature alone (the floor of any RS256 VC-JWT issuer), and issuing with the
    # Data Integrity proof only.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    rsa_private = ring.active("RSA").private
    rsa_rate, _ = rate(lambda i: rsa_private.sign(b"x" * 64, padding.PKCS1v15(), hashes.SHA256()), args.seconds / 2)  # type: ignore[union-attr, call-arg]
    ed = ring.active("Ed25519")

    def issue_di_only(i: int) -> None:
        unsigned = doc.build(credential_data(i))
        assert not schema.errors(unsigned)
        from wendbaar.passport.credentials import dataintegrity

        dataintegrity.add_proof(
            unsigned, private_key=ed.private, verification_method=f"{ISSUER}#{ed.kid}", created="2026-01-01T00:00:00Z"
        )  # type: ignore[arg-type]

    di_only_rate, _ = rate(issue_di_only, args.seconds / 2)
    pool = [issue(ring, i) for i in range(200)]
    documents = [p[0] for p in pool]
    tokens = [p[1] for p in pool]

    def check(value: object, expect: bool) -> None:
        result = verify.verify(value, resolve_did=resolve, read_status=read_status)
        assert result.valid == expect, result.reasons

    verify_jwt_rate, _ = rate(lambda i: check(tokens[i % 200], i % 200 != 3), args.seconds)
    verify_di_rate, _ = rate(lambda i: check(documents[i % 200], i % 200 != 3), args.seconds)

    passport_runs = {"jwt": [], "data_integrity": []}
    for _ in range(5):
        for name, forms in (("jwt", tokens), ("data_integrity", documents)):
            start = time.perf_counter()
            valid = sum(verify.verify(v, resolve_did=resolve, read_status=read_status).valid for v in forms)
            passport_runs[name].append(time.perf_counter() - start)
            assert valid == 199
    result = {
        "cpu": platform.processor() or platform.machine(),
        "cores_used": 1,
        "rsa_bits": 2048,
        "seconds_per_measure": args.seconds,
        "first_issue_of_a_new_shape_ms": round(first_issue_ms, 1),
        "issue_per_second": round(issue_rate, 1),
        "issued": issued_n,
        "rsa_2048_sign_only_per_second": round(rsa_rate, 1),
        "issue_data_integrity_only_per_second": round(di_only_rate, 1),
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),
        "verify_vc_jwt_per_second": round(verify_jwt_rate, 1),
        "verify_data_integrity_per_second": round(verify_di_rate, 1),
        "passport_200_verify_seconds_jwt_median": round(statistics.median(passport_runs["jwt"]), 4),
        "passport_200_verify_seconds_data_integrity_median": round(
            statistics.median(passport_runs["data_integrity"]), 4
        ),
        "target": "issue and verify >= 500/s each on one core; a 200-credential passport verified < 1 s",
    }
    out = write_result("passport_credentials", result)
    rows = [[k, v] for k, v in result.items() if k not in {"cpu", "target"}]
    print(table(rows, ["measure", "value"]))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
