"""The platform's credential signing keys, read from settings (environment or key directory), cached per process."""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

from wendbaar.passport.credentials import contexts
from wendbaar.passport.credentials.keys import KeyRing, key_ring, write_new_keys

_lock = threading.Lock()
_ring: dict[str, KeyRing] = {}


def keys_dir() -> Path:
    return Path(settings.CREDENTIAL_KEYS_DIR)


def ring() -> KeyRing:
    """Return the key ring; outside production a missing key directory is created with fresh keys."""
    cached = _ring.get("ring")
    if cached is not None:
        return cached
    with _lock:
        if "ring" not in _ring:
            contexts.configure(Path(settings.OB_CONTEXT_PATH))
            _ring["ring"] = key_ring(
                pem=str(settings.CREDENTIAL_KEYS), directory=keys_dir(), create=not settings.PRODUCTION
            )
        return _ring["ring"]


def rotate(*, rsa_bits: int = 2048) -> KeyRing:
    """Add new signing keys to the key directory (old ones keep verifying) and reload; return the ring."""
    write_new_keys(keys_dir(), rsa_bits=rsa_bits)
    forget()
    return ring()


def forget() -> None:
    """Drop the cached key ring (after rotation, or in tests)."""
    _ring.clear()
