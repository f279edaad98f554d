"""Signing keys: Ed25519 (Data Integrity) and RSA >= 2048 bits (VC-JWT RS256), from PEM text or a key directory.

A key's id (`kid`) is derived from its public key (RFC 7638 thumbprint), so the same key has the same
id wherever it is loaded from. A key ring holds every key ever used: the newest of each algorithm
signs, the older ones stay in the DID documents so credentials signed with them keep verifying.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

MIN_RSA_BITS = 2048
PrivateKey = ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int_b64(number: int) -> str:
    return _b64url(number.to_bytes((number.bit_length() + 7) // 8, "big"))


@dataclass(frozen=True)
class KeyPair:
    private: PrivateKey

    @property
    def algorithm(self) -> str:
        return "Ed25519" if isinstance(self.private, ed25519.Ed25519PrivateKey) else "RSA"

    def public_bytes(self) -> bytes:
        """Raw 32-byte Ed25519 public key (Ed25519 keys only)."""
        assert isinstance(self.private, ed25519.Ed25519PrivateKey)
        return self.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def public_jwk(self) -> dict[str, Any]:
        """The public key as a JWK (with its kid)."""
        if isinstance(self.private, ed25519.Ed25519PrivateKey):
            jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(self.public_bytes())}
        else:
            numbers = self.private.public_key().public_numbers()
            jwk = {"kty": "RSA", "e": _int_b64(numbers.e), "n": _int_b64(numbers.n)}
        return {**jwk, "kid": self.kid}

    @cached_property
    def kid(self) -> str:
        return _thumbprint_kid(self.private)

    def private_pem(self) -> bytes:
        return self.private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


def _thumbprint_kid(private: PrivateKey) -> str:
    if isinstance(private, ed25519.Ed25519PrivateKey):
        raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        members = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}
        prefix = "ed25519"
    else:
        numbers = private.public_key().public_numbers()
        members = {"e": _int_b64(numbers.e), "kty": "RSA", "n": _int_b64(numbers.n)}
        prefix = "rsa"
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return f"{prefix}-{_b64url(hashlib.sha256(canonical).digest())[:16]}"


def load_pem_keys(text: bytes) -> list[KeyPair]:
    """Return every private key in PEM `text` (several PEM blocks may follow each other), in order."""
    keys = []
    marker = b"-----BEGIN"
    blocks = [marker + part for part in text.split(marker)[1:]]
    for block in blocks:
        private = serialization.load_pem_private_key(block, password=None)
        if not isinstance(private, (ed25519.Ed25519PrivateKey, rsa.RSAPrivateKey)):
            raise ValueError("only Ed25519 and RSA keys can sign credentials")
        if isinstance(private, rsa.RSAPrivateKey) and private.key_size < MIN_RSA_BITS:
            raise ValueError(f"an RSA key needs at least {MIN_RSA_BITS} bits (this one has {private.key_size})")
        keys.append(KeyPair(private))
    return keys


@dataclass(frozen=True)
class KeyRing:
    """All keys, oldest first; the last of each algorithm signs."""

    keys: tuple[KeyPair, ...]

    def active(self, algorithm: str) -> KeyPair:
        for key in reversed(self.keys):
            if key.algorithm == algorithm:
                return key
        raise LookupError(f"no {algorithm} signing key")

    def by_kid(self, kid: str) -> KeyPair | None:
        return next((k for k in self.keys if k.kid == kid), None)


def generate(*, rsa_bits: int = 2048) -> list[KeyPair]:
    """Return a new Ed25519 and a new RSA key."""
    return [
        KeyPair(ed25519.Ed25519PrivateKey.generate()),
        KeyPair(rsa.generate_private_key(public_exponent=65537, key_size=max(rsa_bits, MIN_RSA_BITS))),
    ]


def write_new_keys(directory: Path, *, rsa_bits: int = 2048) -> list[KeyPair]:
    """Add a new key pair of each algorithm to `directory` (rotation); older files stay. Return the new keys."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    new = generate(rsa_bits=rsa_bits)
    for key in new:
        path = directory / f"{stamp}-{key.kid}.pem"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key.private_pem())
    return new


def load_directory(directory: Path) -> list[KeyPair]:
    """Return the keys in `directory`'s *.pem files, oldest first (file names start with a timestamp)."""
    keys: list[KeyPair] = []
    for path in sorted(directory.glob("*.pem")):
        keys.extend(load_pem_keys(path.read_bytes()))
    return keys


def key_ring(*, pem: str = "", directory: Path | None = None, create: bool = False) -> KeyRing:
    """Return the key ring from PEM text (environment) and/or a key directory; create keys there if asked."""
    keys: list[KeyPair] = []
    if directory is not None and directory.exists():
        keys.extend(load_directory(directory))
    if pem.strip():
        keys.extend(load_pem_keys(pem.encode()))
    algorithms = {k.algorithm for k in keys}
    if {"Ed25519", "RSA"} - algorithms:
        if not create or directory is None:
            raise LookupError(
                "no credential signing keys: set WENDBAAR_CREDENTIAL_KEYS or WENDBAAR_CREDENTIAL_KEYS_DIR"
            )
        keys.extend(write_new_keys(directory))
    unique: dict[str, KeyPair] = {}
    for key in keys:
        unique.setdefault(key.kid, key)
    return KeyRing(tuple(unique.values()))


def public_keys(keys: Sequence[KeyPair]) -> list[dict[str, Any]]:
    return [k.public_jwk() for k in keys]
