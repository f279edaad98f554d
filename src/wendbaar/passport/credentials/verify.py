"""Verify an Open Badges 3.0 credential in either proof format, and say why not when it fails.

Pure: the caller supplies how to resolve an issuer's DID document and how to read a status list, so
the same code verifies credentials from here (no network) and from elsewhere (network only when asked).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from wendbaar.passport.credentials import dataintegrity, schema, statuslist, vcjwt
from wendbaar.passport.credentials.multibase import ed25519_from_multikey
from wendbaar.passport.credentials.signing import issuer_id

# Reason codes; the Django side words them for people.
MALFORMED = "malformed"
SCHEMA = "schema_violation"
UNKNOWN_ISSUER = "unknown_issuer"
BAD_SIGNATURE = "bad_signature"
EXPIRED = "expired"
NOT_YET_VALID = "not_yet_valid"
REVOKED = "revoked"
STATUS_UNAVAILABLE = "status_unavailable"

DidResolver = Callable[[str], dict[str, Any] | None]
# (status list URL) -> the list's bits, or None when it cannot be read.
StatusReader = Callable[[str], bytes | None]


@dataclass
class Reason:
    code: str
    detail: str = ""


@dataclass
class Result:
    credential: dict[str, Any] | None = None
    proof_format: str = ""
    reasons: list[Reason] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.reasons and self.credential is not None


def parse(value: Any) -> tuple[dict[str, Any] | None, str, vcjwt.Parsed | None]:
    """Return (credential, proof format 'jwt' | 'data-integrity', parsed VC-JWT or None) from a VC-JWT string or
    a JSON credential."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{"):
            try:
                value = json.loads(text)
            except ValueError as exc:
                raise ValueError(f"not JSON: {exc}") from exc
        else:
            parsed = vcjwt.parse(text)
            return parsed.credential, "jwt", parsed
    if not isinstance(value, dict):
        raise ValueError("a credential is a VC-JWT string or a JSON object")
    return value, "data-integrity", None


def _method(did_document: dict[str, Any], method_id: str) -> dict[str, Any] | None:
    methods = did_document.get("verificationMethod") or []
    allowed = {m if isinstance(m, str) else m.get("id") for m in did_document.get("assertionMethod") or []}
    for method in methods:
        if isinstance(method, dict) and method.get("id") == method_id and method_id in allowed:
            return method
    return None


def _timestamp(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def verify(value: Any, *, resolve_did: DidResolver, read_status: StatusReader, now: datetime | None = None) -> Result:
    """Verify a credential: schema, issuer known, signature, validity period, revocation. Collects every reason."""
    now = now or datetime.now(UTC)
    result = Result()
    try:
        credential, proof_format, token = parse(value)
    except ValueError as exc:
        result.reasons.append(Reason(MALFORMED, str(exc)))
        return result
    result.credential, result.proof_format = credential, proof_format
    assert credential is not None
    problems = schema.errors(credential)
    if problems:
        result.reasons.append(Reason(SCHEMA, "; ".join(problems[:10])))
        return result
    issuer = issuer_id(credential)
    did_document = resolve_did(issuer) if issuer.startswith("did:") else None
    if did_document is None:
        result.reasons.append(Reason(UNKNOWN_ISSUER, issuer))
    else:
        _check_signature(result, credential, token, issuer, did_document)
    _check_dates(result, credential, now)
    _check_status(result, credential, read_status)
    return result


def _check_signature(
    result: Result,
    credential: dict[str, Any],
    token: vcjwt.Parsed | None,
    issuer: str,
    did_document: dict[str, Any],
) -> None:
    try:
        if token is not None:
            kid = str(token.header.get("kid", ""))
            method_id = kid if kid.startswith("did:") else f"{issuer}#{kid.lstrip('#')}"
            method = _method(did_document, method_id) if method_id.split("#")[0] == issuer else None
            if method is None or not isinstance(method.get("publicKeyJwk"), dict):
                result.reasons.append(Reason(UNKNOWN_ISSUER, f"the issuer has no RSA key {kid}"))
                return
            payload = vcjwt.verify(token, public_jwk=method["publicKeyJwk"])
            if payload.get("iss") not in (None, issuer):
                result.reasons.append(Reason(BAD_SIGNATURE, "the JWT's iss is not the credential's issuer"))
        else:
            proof = dataintegrity.proof_of(credential)
            method_id = proof["verificationMethod"]
            method = _method(did_document, method_id) if method_id.split("#")[0] == issuer else None
            if method is None or "publicKeyMultibase" not in method:
                result.reasons.append(Reason(UNKNOWN_ISSUER, f"the issuer has no Ed25519 key {method_id}"))
                return
            dataintegrity.verify_proof(credential, public_key=ed25519_from_multikey(method["publicKeyMultibase"]))
    except (vcjwt.JwtError, dataintegrity.ProofError, ValueError) as exc:
        result.reasons.append(Reason(BAD_SIGNATURE, str(exc)))


def _check_dates(result: Result, credential: dict[str, Any], now: datetime) -> None:
    try:
        if _timestamp(credential["validFrom"]) > now:
            result.reasons.append(Reason(NOT_YET_VALID, credential["validFrom"]))
        if credential.get("validUntil") and _timestamp(credential["validUntil"]) <= now:
            result.reasons.append(Reason(EXPIRED, credential["validUntil"]))
    except ValueError as exc:
        result.reasons.append(Reason(SCHEMA, f"validFrom/validUntil: {exc}"))


def _check_status(result: Result, credential: dict[str, Any], read_status: StatusReader) -> None:
    entries = credential.get("credentialStatus")
    for entry in entries if isinstance(entries, list) else [entries] if entries else []:
        if entry.get("type") != "BitstringStatusListEntry" or entry.get("statusPurpose") != "revocation":
            continue
        bits = read_status(str(entry.get("statusListCredential", "")))
        if bits is None:
            result.reasons.append(Reason(STATUS_UNAVAILABLE, str(entry.get("statusListCredential", ""))))
            continue
        try:
            if statuslist.get_bit(bits, int(entry.get("statusListIndex", -1))):
                result.reasons.append(Reason(REVOKED))
        except (IndexError, ValueError) as exc:
            result.reasons.append(Reason(SCHEMA, f"credentialStatus: {exc}"))
