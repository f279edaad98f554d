"""Base58btc multibase and the Ed25519 multikey encoding used by did:key and Multikey."""

from __future__ import annotations

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
ED25519_PUB_PREFIX = b"\xed\x01"  # multicodec ed25519-pub, as a varint


def b58encode(data: bytes) -> str:
    """Return the base58 (Bitcoin alphabet) text of `data`."""
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rest = divmod(number, 58)
        out.append(ALPHABET[rest])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    """Return the bytes of base58 `text`; ValueError on a character outside the alphabet."""
    number = 0
    for char in text:
        if char not in _INDEX:
            raise ValueError(f"not base58: {char!r}")
        number = number * 58 + _INDEX[char]
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + body


def encode_multibase(data: bytes) -> str:
    return "z" + b58encode(data)


def decode_multibase(text: str) -> bytes:
    if not text.startswith("z"):
        raise ValueError("only base58btc multibase (z…) is supported")
    return b58decode(text[1:])


def ed25519_multikey(public: bytes) -> str:
    """Return the Multikey `publicKeyMultibase` (z6Mk…) of a raw 32-byte Ed25519 public key."""
    return encode_multibase(ED25519_PUB_PREFIX + public)


def ed25519_from_multikey(text: str) -> bytes:
    """Return the raw Ed25519 public key of a z6Mk… multikey; ValueError if it is not one."""
    raw = decode_multibase(text)
    if not raw.startswith(ED25519_PUB_PREFIX) or len(raw) != 34:
        raise ValueError("not an Ed25519 multikey")
    return raw[2:]
