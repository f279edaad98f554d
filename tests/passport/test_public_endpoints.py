"""did:web documents, the status list at its stable URL, and POST /api/v1/credential-verifications."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.passport.conftest import WELDING
from wendbaar.passport import services, verification
from wendbaar.passport.credentials import dataintegrity, statuslist
from wendbaar.passport.credentials.multibase import ed25519_from_multikey

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(skills: Any, people: Any) -> Any:
    return services.issue_credential(
        issuer_organisation=people["provider_org"],
        recipient=people["learner"],
        achievement_name="Lassen",
        skills=[WELDING],
    )


def test_did_documents_are_served_for_the_platform_and_each_organisation(issued: Any, people: Any) -> None:
    client = Client()
    platform = client.get("/.well-known/did.json")
    assert platform.status_code == 200 and platform.json()["id"] == verification.platform_did()
    org = people["provider_org"]
    document = client.get(f"/organisations/{org.uuid}/did.json").json()
    assert document["id"] == issued.issuer_did
    method = next(
        m for m in document["verificationMethod"] if m["id"] == issued.document["proof"]["verificationMethod"]
    )
    dataintegrity.verify_proof(issued.document, public_key=ed25519_from_multikey(method["publicKeyMultibase"]))
    assert client.get("/organisations/00000000-0000-4000-8000-000000000000/did.json").status_code == 404


def test_status_list_is_a_signed_credential_that_shows_a_revocation_at_once(issued: Any) -> None:
    client = Client()
    url = issued.document["credentialStatus"]["statusListCredential"]
    path = url.split("://", 1)[1].split("/", 1)[1]
    index = int(issued.document["credentialStatus"]["statusListIndex"])
    listed = client.get("/" + path).json()
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert not statuslist.get_bit(statuslist.decode(listed["credentialSubject"]["encodedList"]), index)
    services.revoke_credential(credential=issued)
    listed = client.get("/" + path).json()
    assert statuslist.get_bit(statuslist.decode(listed["credentialSubject"]["encodedList"]), index)
    # The list itself is signed by its issuer (Data Integrity, the issuer's current key).
    method = next(
        m
        for m in verification.did_document(listed["issuer"])["verificationMethod"]
        if m["id"] == listed["proof"]["verificationMethod"]
    )
    dataintegrity.verify_proof(listed, public_key=ed25519_from_multikey(method["publicKeyMultibase"]))


def test_verification_api_answers_valid_or_why_not_without_an_account(issued: Any) -> None:
    client = Client()
    for form in (issued.jwt, issued.document):
        answer = client.post("/api/v1/credential-verifications", {"credential": form}, content_type="application/json")
        assert answer.status_code == 200 and answer.json()["valid"] is True and answer.json()["reasons"] == []
    services.revoke_credential(credential=issued)
    answer = client.post(
        "/api/v1/credential-verifications", {"credential": issued.jwt}, content_type="application/json"
    )
    assert answer.json()["valid"] is False and answer.json()["codes"] == ["revoked"] and answer.json()["reasons"]
    missing = client.post("/api/v1/credential-verifications", {}, content_type="application/json")
    assert missing.status_code == 400 and missing["Content-Type"].startswith("application/problem+json")
