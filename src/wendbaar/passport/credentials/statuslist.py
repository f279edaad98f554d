"""W3C Bitstring Status List v1.0: the encoded list (GZIP, base64url multibase) and bit access.

Bit 0 is the most significant bit of the first byte (§3.2 of the specification).
"""

from __future__ import annotations

import base64
import gzip
import random
import secrets

MIN_SIZE = 131_072  # entries (16 KB): the specification's minimum length, so one list hides a holder in a crowd
_system_random = secrets.SystemRandom()


def get_bit(bits: bytes, index: int) -> bool:
    if index < 0 or index >= len(bits) * 8:
        raise IndexError(f"status index {index} outside the list of {len(bits) * 8}")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytes, index: int, value: bool = True) -> bytes:
    if index < 0 or index >= len(bits) * 8:
        raise IndexError(f"status index {index} outside the list of {len(bits) * 8}")
    data = bytearray(bits)
    if value:
        data[index // 8] |= 0x80 >> (index % 8)
    else:
        data[index // 8] &= ~(0x80 >> (index % 8)) & 0xFF
    return bytes(data)


def pick_free(taken: bytes, count: int, *, rng: random.Random | None = None) -> list[int]:
    """Return `count` distinct indexes whose bits are 0 in `taken`, chosen uniformly at random.

    Random, not sequential: an index then says nothing about when a credential was issued, and
    neighbouring indexes do not belong to neighbouring credentials (the specification's advice for
    herd privacy). ValueError when fewer than `count` are free.
    """
    rng = rng or _system_random
    size = len(taken) * 8
    picked: dict[int, None] = {}  # in the order drawn, so a batch's order says nothing either
    # Drawing and retrying is fast while the list is at most three quarters full; past that, choose
    # among the free indexes listed (the last quarter of a list costs a scan per allocation).
    tries = 0
    while len(picked) < count and tries < count * 8:
        tries += 1
        index = rng.randrange(size)
        if not taken[index >> 3] & (0x80 >> (index & 7)):
            picked[index] = None
    if len(picked) < count:
        free = [i for i in range(size) if not taken[i >> 3] & (0x80 >> (i & 7)) and i not in picked]
        if len(free) < count - len(picked):
            raise ValueError(f"the status list has {len(free) + len(picked)} free entries, {count} asked")
        picked.update(dict.fromkeys(rng.sample(free, count - len(picked))))
    return list(picked)


def set_bits(bits: bytes, indexes: list[int]) -> bytes:
    """Return `bits` with every index in `indexes` set to 1."""
    data = bytearray(bits)
    for index in indexes:
        if index < 0 or index >= len(data) * 8:
            raise IndexError(f"status index {index} outside the list of {len(data) * 8}")
        data[index >> 3] |= 0x80 >> (index & 7)
    return bytes(data)


def encode(bits: bytes) -> str:
    """Return the `encodedList`: multibase base64url (no padding) of the GZIP-compressed bitstring."""
    compressed = gzip.compress(bits, compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def decode(encoded: str) -> bytes:
    """Return the bitstring of an `encodedList`; ValueError if it is not one."""
    if not encoded.startswith("u"):
        raise ValueError("an encodedList is multibase base64url and starts with 'u'")
    body = encoded[1:]
    try:
        return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (OSError, ValueError) as exc:
        raise ValueError("the encodedList is not GZIP-compressed base64url") from exc


def status_list_credential(*, url: str, issuer: str, bits: bytes, valid_from: str, purpose: str = "revocation") -> dict:
    """Return the (unsigned) BitstringStatusListCredential for a list."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode(bits),
        },
    }
