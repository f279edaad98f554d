"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C VC Data Integrity EdDSA Cryptosuites v1.0).

Both the document (without `proof`) and the proof options (without `proofValue`, with the document's
`@context`) are canonicalised with RDF Dataset Canonicalization (RDFC-1.0 = URDNA2015) into N-Quads;
the signed data is sha256(proof options) followed by sha256(document), signed with Ed25519.
"""

from __future__ import annotations

import hashlib
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519
from pyld import jsonld

from wendbaar.passport.credentials import canon_cache, contexts
from wendbaar.passport.credentials.multibase import decode_multibase, encode_multibase

CRYPTOSUITE = "eddsa-rdfc-2022"


class ProofError(ValueError):
    """The proof is missing, malformed or does not match."""


def canonicalize(document: dict[str, Any]) -> str:
    """Return the RDFC-1.0 canonical N-Quads of a JSON-LD document (contexts served offline only).

    Documents of a shape seen before go through a cached template (canon_cache), others through pyld.
    """
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": contexts.loader()}

    def full() -> str:
        try:
            return str(jsonld.normalize(document, dict(options)))
        except jsonld.JsonLdError as exc:
            raise ProofError(f"cannot canonicalise the document: {_root_message(exc)}") from exc

    return canon_cache.canonicalize(document, options=options, verbatim=contexts.verbatim_keys(), full=full)


def _root_message(exc: BaseException) -> str:
    """Return the innermost cause's message, with the URL it concerns (pyld nests its errors)."""
    url = None
    current: BaseException | None = exc
    message = str(exc)
    while current is not None:
        details = getattr(current, "details", None)
        if isinstance(details, dict) and details.get("url"):
            url = details["url"]
        message = str(current.args[0]) if current.args else str(current)
        current = getattr(current, "cause", None) or current.__cause__
    return f"{message} ({url})" if url else message


def hash_data(document: dict[str, Any], proof_options: dict[str, Any]) -> bytes:
    """Return the 64 bytes that eddsa-rdfc-2022 signs for `document` and `proof_options`."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof_options.items() if k != "proofValue"}
    options["@context"] = unsecured.get("@context")
    proof_hash = hashlib.sha256(canonicalize(options).encode()).digest()
    document_hash = hashlib.sha256(canonicalize(unsecured).encode()).digest()
    return proof_hash + document_hash


def add_proof(
    document: dict[str, Any], *, private_key: ed25519.Ed25519PrivateKey, verification_method: str, created: str
) -> dict[str, Any]:
    """Return a copy of `document` with an embedded DataIntegrityProof (eddsa-rdfc-2022)."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(hash_data(document, options))
    secured = dict(document)  # shallow: only the top level gains `proof`
    secured["proof"] = {**options, "proofValue": encode_multibase(signature)}
    return secured


def proof_of(document: dict[str, Any]) -> dict[str, Any]:
    """Return the single eddsa-rdfc-2022 proof of a document; ProofError if there is none or it is malformed."""
    proof = document.get("proof")
    if isinstance(proof, list):
        proofs = [p for p in proof if isinstance(p, dict) and p.get("cryptosuite") == CRYPTOSUITE]
        proof = proofs[0] if proofs else None
    if not isinstance(proof, dict):
        raise ProofError("the credential has no eddsa-rdfc-2022 proof")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("unsupported proof type or cryptosuite")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof's purpose is not assertionMethod")
    for key in ("verificationMethod", "proofValue", "created"):
        if not isinstance(proof.get(key), str):
            raise ProofError(f"the proof has no {key}")
    return proof


def verify_proof(document: dict[str, Any], *, public_key: bytes) -> None:
    """Check the document's eddsa-rdfc-2022 proof against a raw Ed25519 public key; raise ProofError if bad."""
    proof = proof_of(document)
    try:
        signature = decode_multibase(proof["proofValue"])
    except ValueError as exc:
        raise ProofError("the proof value is not base58btc") from exc
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(public_key).verify(signature, hash_data(unsecured, proof))
    except (InvalidSignature, ValueError) as exc:
        raise ProofError("the signature does not match the credential") from exc
