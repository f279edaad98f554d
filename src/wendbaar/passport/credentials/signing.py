"""Sign an unsigned credential both ways OB 3.0 certifies: embedded eddsa-rdfc-2022 proof and an RS256 VC-JWT."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519

from wendbaar.passport.credentials import dataintegrity, vcjwt
from wendbaar.passport.credentials.document import iso
from wendbaar.passport.credentials.keys import KeyRing


def issuer_id(credential: dict[str, Any]) -> str:
    issuer = credential.get("issuer")
    return str(issuer.get("id") if isinstance(issuer, dict) else issuer)


def sign_both(unsigned: dict[str, Any], *, ring: KeyRing, created: datetime) -> tuple[dict[str, Any], str]:
    """Return (credential with DataIntegrityProof, VC-JWT of the credential) signed with the ring's active keys."""
    did = issuer_id(unsigned)
    ed_key = ring.active("Ed25519")
    assert isinstance(ed_key.private, ed25519.Ed25519PrivateKey)
    document = dataintegrity.add_proof(
        unsigned, private_key=ed_key.private, verification_method=f"{did}#{ed_key.kid}", created=iso(created)
    )
    rsa_key = ring.active("RSA")
    token = vcjwt.sign(unsigned, key=rsa_key, verification_method=f"{did}#{rsa_key.kid}")
    return document, token
