"""W3C Bitstring Status List v1.0: the encoded list (GZIP, base64url multibase) and bit access.

Bit 0 is the most significant bit of the first byte (§3.2 of the specification).
"""

from __future__ import annotations

import base64
import gzip


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
