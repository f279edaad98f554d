"""A second verifier for credentials issued here, sharing no code with the issuer.

No maintained OB 3.0 / VC library on PyPI verifies both proof formats offline (didkit needs a native
build and network DID resolution; openbadgeslib does VC-JWT only), so this one is written against
`cryptography` (signatures), `hashlib`/`base64` (encodings) and, for the RDF canonicalisation that
eddsa-rdfc-2022 requires, pyld used directly — not wendbaar.passport.credentials.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from pyld import jsonld
from pyld.documentloader.frozen import BUNDLED_CONTEXTS, FrozenDocumentLoader

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _b58(text: str) -> bytes:
    n = 0
    for c in text:
        n = n * 58 + B58.index(c)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + raw


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _method(did_doc: dict[str, Any], method_id: str) -> dict[str, Any]:
    assert method_id in did_doc["assertionMethod"], "key not listed for assertions"
    return next(m for m in did_doc["verificationMethod"] if m["id"] == method_id)


def verify_jwt(token: str, did_doc: dict[str, Any]) -> dict[str, Any]:
    """Return the payload of an RS256 VC-JWT after checking it with the issuer's key; AssertionError if bad."""
    head_b64, body_b64, sig_b64 = token.split(".")
    header = json.loads(_b64(head_b64))
    assert header["alg"] == "RS256"
    jwk = _method(did_doc, header["kid"])["publicKeyJwk"]
    public = rsa.RSAPublicNumbers(
        int.from_bytes(_b64(jwk["e"]), "big"), int.from_bytes(_b64(jwk["n"]), "big")
    ).public_key()
    public.verify(_b64(sig_b64), f"{head_b64}.{body_b64}".encode(), padding.PKCS1v15(), hashes.SHA256())
    payload = json.loads(_b64(body_b64))
    assert payload["iss"] == did_doc["id"]
    return payload


def verify_data_integrity(credential: dict[str, Any], did_doc: dict[str, Any], ob_context: dict[str, Any]) -> None:
    """Check an eddsa-rdfc-2022 proof with the issuer's Multikey; raises on any mismatch."""
    loader = FrozenDocumentLoader(
        documents={**BUNDLED_CONTEXTS, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": ob_context}
    )

    def nquads(doc: dict[str, Any]) -> bytes:
        options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader}
        return str(jsonld.normalize(doc, options)).encode()

    proof = dict(credential["proof"])
    signature = _b58(proof.pop("proofValue")[1:])
    document = {k: v for k, v in credential.items() if k != "proof"}
    proof["@context"] = document["@context"]
    data = hashlib.sha256(nquads(proof)).digest() + hashlib.sha256(nquads(document)).digest()
    multikey = _b58(_method(did_doc, proof["verificationMethod"])["publicKeyMultibase"][1:])
    assert multikey[:2] == b"\xed\x01"
    ed25519.Ed25519PublicKey.from_public_bytes(multikey[2:]).verify(signature, data)
