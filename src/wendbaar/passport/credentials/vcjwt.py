"""VC-JWT: the credential as a JWS compact serialisation signed with RS256 (OB 3.0 §8.2, via joserfc)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from wendbaar.passport.credentials.keys import KeyPair

ALGORITHM = "RS256"
_REGISTRY = jws.JWSRegistry(algorithms=[ALGORITHM])  # built once, not per token


class JwtError(ValueError):
    """The VC-JWT is malformed or its signature does not match."""


def _timestamp(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def claims_for(credential: dict[str, Any]) -> dict[str, Any]:
    """Return the JWT claims: the credential itself plus iss, jti, nbf, exp and sub mapped from it."""
    claims = dict(credential)
    issuer = credential.get("issuer")
    claims["iss"] = issuer.get("id") if isinstance(issuer, dict) else issuer
    claims["jti"] = credential.get("id")
    if credential.get("validFrom"):
        claims["nbf"] = _timestamp(credential["validFrom"])
    if credential.get("validUntil"):
        claims["exp"] = _timestamp(credential["validUntil"])
    subject = credential.get("credentialSubject") or {}
    if isinstance(subject, dict) and subject.get("id"):
        claims["sub"] = subject["id"]
    return claims


# Loading an RSA private key checks it (~0.2 s with cryptography 50): done once per key, not per credential.
_signing_keys: dict[str, RSAKey] = {}


def _joserfc_key(key: KeyPair) -> RSAKey:
    found = _signing_keys.get(key.kid)
    if found is None:
        if not isinstance(key.private, rsa.RSAPrivateKey):
            raise ValueError("a VC-JWT (RS256) needs an RSA key")
        found = _signing_keys[key.kid] = RSAKey(key.private, key.private)
    return found


def sign(credential: dict[str, Any], *, key: KeyPair, verification_method: str) -> str:
    """Return the credential as a VC-JWT signed with `key` (RSA), naming `verification_method` as kid."""
    rsa_key = _joserfc_key(key)
    header = {"alg": ALGORITHM, "typ": "JWT", "kid": verification_method}
    payload = json.dumps(claims_for(credential), separators=(",", ":"), ensure_ascii=False).encode()
    return jws.serialize_compact(header, payload, rsa_key, registry=_REGISTRY)


_CLAIMS = frozenset({"iss", "jti", "nbf", "exp", "sub", "iat", "aud"})


@dataclass(frozen=True)
class Parsed:
    """A VC-JWT split once: its JOSE header, its JSON payload, and the joserfc object whose signature is checked."""

    header: dict[str, Any]
    payload: dict[str, Any]
    compact: jws.CompactSignature

    @property
    def credential(self) -> dict[str, Any]:
        """The credential carried (the payload or its `vc` claim) without the JWT's registered claims."""
        inner = self.payload.get("vc")
        credential: dict[str, Any] = inner if isinstance(inner, dict) else self.payload
        return {k: v for k, v in credential.items() if k not in _CLAIMS}


def parse(token: str) -> Parsed:
    """Return a compact JWS with a JSON object payload, split and decoded, signature unchecked; JwtError if not."""
    try:
        compact = jws.extract_compact(token.encode())
        payload = json.loads(compact.payload)
    except (JoseError, ValueError) as exc:
        raise JwtError("not a compact JWS with a JSON payload") from exc
    if not isinstance(payload, dict):
        raise JwtError("the JWT payload is not an object")
    return Parsed(header=dict(compact.protected), payload=payload, compact=compact)


def unverified_header(token: str) -> dict[str, Any]:
    """Return the JOSE header of a compact JWS without checking anything; JwtError if malformed."""
    try:
        return dict(jws.extract_compact(token.encode()).protected)
    except (JoseError, ValueError) as exc:
        raise JwtError("not a compact JWS") from exc


def unverified_credential(token: str) -> dict[str, Any]:
    """Return the credential carried by a VC-JWT (payload or its `vc` claim) without checking the signature."""
    return parse(token).credential


@lru_cache(maxsize=64)
def _public_key(n: str, e: str) -> RSAKey:
    return RSAKey.import_key({"kty": "RSA", "n": n, "e": e})


def verify(token: str | Parsed, *, public_jwk: dict[str, Any]) -> dict[str, Any]:
    """Check an RS256 VC-JWT's signature with an RSA public JWK; return the payload. JwtError if bad."""
    parsed = token if isinstance(token, Parsed) else parse(token)
    if parsed.header.get("alg") != ALGORITHM:
        raise JwtError(f"unsupported JWT algorithm {parsed.header.get('alg')!r} (RS256 expected)")
    try:
        key = _public_key(str(public_jwk.get("n", "")), str(public_jwk.get("e", "")))
        valid = jws.validate_compact(parsed.compact, key, registry=_REGISTRY)
    except (JoseError, ValueError) as exc:
        raise JwtError("the JWT signature does not match") from exc
    if not valid:
        raise JwtError("the JWT signature does not match")
    return parsed.payload
