"""did:web and did:key identifiers and DID documents (W3C DID Core, did:web method, Multikey)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from wendbaar.passport.credentials.keys import KeyPair
from wendbaar.passport.credentials.multibase import ed25519_from_multikey, ed25519_multikey

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
JWK_CONTEXT = "https://w3id.org/security/suites/jws-2020/v1"


def did_web(base_url: str, path: Sequence[str] = ()) -> str:
    """Return the did:web for `base_url` (scheme ignored; a port is percent-encoded) and a path."""
    parts = urlsplit(base_url)
    host = parts.hostname or "localhost"
    if parts.port:
        host = f"{host}%3A{parts.port}"
    segments = [s for s in parts.path.split("/") if s] + list(path)
    return ":".join(["did:web", host, *(quote(s, safe="") for s in segments)])


def did_web_document_url(did: str, *, http_hosts: Sequence[str] = ()) -> str:
    """Return the URL of a did:web's DID document: https, or http for a host in `http_hosts` (tests, development)."""
    if not did.startswith("did:web:"):
        raise ValueError("not a did:web")
    did = did.split("#", 1)[0]
    segments = did.removeprefix("did:web:").split(":")
    host = unquote(segments[0])
    path = "/".join(unquote(s) for s in segments[1:])
    scheme = "http" if host.split(":")[0] in http_hosts else "https"
    return f"{scheme}://{host}/{path}/did.json" if path else f"{scheme}://{host}/.well-known/did.json"


def verification_methods(did: str, keys: Sequence[KeyPair]) -> list[dict[str, Any]]:
    """Return the verification methods of `did` for every key (Ed25519 as Multikey, RSA as JsonWebKey)."""
    methods: list[dict[str, Any]] = []
    for key in keys:
        method: dict[str, Any] = {"id": f"{did}#{key.kid}", "controller": did}
        if key.algorithm == "Ed25519":
            method["type"] = "Multikey"
            method["publicKeyMultibase"] = ed25519_multikey(key.public_bytes())
        else:
            method["type"] = "JsonWebKey"
            method["publicKeyJwk"] = key.public_jwk()
        methods.append(method)
    return methods


def did_document(did: str, keys: Sequence[KeyPair]) -> dict[str, Any]:
    """Return the DID document of `did`, listing every key (current and rotated-out) for assertions."""
    methods = verification_methods(did, keys)
    ids = [m["id"] for m in methods]
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT, JWK_CONTEXT],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }


def did_key_document(did: str) -> dict[str, Any]:
    """Resolve a did:key (Ed25519 only) to its DID document, without any network."""
    if not did.startswith("did:key:z6Mk"):
        raise ValueError("only Ed25519 did:key identifiers are supported")
    multikey = did.removeprefix("did:key:").split("#", 1)[0]
    ed25519_from_multikey(multikey)  # raises on a malformed key
    base = f"did:key:{multikey}"
    method = {"id": f"{base}#{multikey}", "type": "Multikey", "controller": base, "publicKeyMultibase": multikey}
    return {"@context": [DID_CONTEXT], "id": base, "verificationMethod": [method], "assertionMethod": [method["id"]]}
