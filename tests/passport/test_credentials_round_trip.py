"""Issue → verify → revoke → verify fails, in both proof formats; bad credentials refused with their reason."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.passport.conftest import FORKLIFT, WELDING
from tests.passport.independent_verifier import verify_data_integrity, verify_jwt
from wendbaar.passport import issuer_keys, services, verification
from wendbaar.passport.credentials import dataintegrity, did, vcjwt
from wendbaar.passport.credentials.document import iso
from wendbaar.passport.credentials.keys import KeyPair, KeyRing
from wendbaar.passport.credentials.multibase import ed25519_multikey
from wendbaar.passport.models import Credential

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(skills: Any, people: Any) -> Credential:
    return services.issue_credential(
        issuer_organisation=people["provider_org"],
        recipient=people["learner"],
        achievement_name="Lassen MIG/MAG",
        skills=[WELDING, FORKLIFT],
        criteria="Praktijkexamen gehaald",
    )


def test_issue_verify_revoke_verify_fails_in_both_proof_formats(issued: Credential) -> None:
    for form in (issued.document, issued.jwt, json.dumps(issued.document)):
        outcome = services.verify_credential(credential=form)
        assert outcome.valid, outcome.reasons
    services.revoke_credential(credential=issued)
    for form in (issued.document, issued.jwt):
        outcome = services.verify_credential(credential=form)
        assert not outcome.valid and outcome.codes == ["revoked"]
    entry = services.skills_of(issued.holder).get(skill__uri=WELDING)
    assert entry.strength == 20  # a revoked credential counts no more than a self-assessment


def test_a_credential_issued_here_verifies_with_an_independent_implementation(issued: Credential) -> None:
    did_doc = verification.did_document(issued.issuer_did)
    payload = verify_jwt(issued.jwt, did_doc)
    assert payload["jti"] == issued.document["id"]
    assert payload["credentialSubject"]["achievement"]["name"] == "Lassen MIG/MAG"
    ob_context = json.loads(settings.OB_CONTEXT_PATH.read_text())
    verify_data_integrity(issued.document, did_doc, ob_context)
    tampered = copy.deepcopy(issued.document)
    tampered["credentialSubject"]["achievement"]["name"] = "Lassen en snijden"
    with pytest.raises(InvalidSignature):
        verify_data_integrity(tampered, did_doc, ob_context)


def test_tampered_credentials_are_refused_as_bad_signature(issued: Credential) -> None:
    tampered = copy.deepcopy(issued.document)
    tampered["name"] = "Iets anders"
    assert services.verify_credential(credential=tampered).codes == ["bad_signature"]
    head, body, signature = issued.jwt.split(".")
    payload = vcjwt.unverified_credential(issued.jwt)
    payload["name"] = "Iets anders"
    import base64

    forged_body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    assert services.verify_credential(credential=f"{head}.{forged_body}.{signature}").codes == ["bad_signature"]


def test_a_credential_signed_with_a_key_the_issuer_does_not_have_is_refused(issued: Credential) -> None:
    stranger = ed25519.Ed25519PrivateKey.generate()
    unsigned = {k: v for k, v in issued.document.items() if k != "proof"}
    forged = dataintegrity.add_proof(
        unsigned, private_key=stranger, verification_method=f"{issued.issuer_did}#stranger", created=iso(timezone.now())
    )
    assert services.verify_credential(credential=forged).codes == ["unknown_issuer"]


def test_expired_and_not_yet_valid_credentials_are_refused(skills: Any, people: Any) -> None:
    soon = services.issue_credential(
        issuer_organisation=None,
        recipient=people["learner"],
        achievement_name="Kort geldig",
        skills=[WELDING],
        valid_until=timezone.now() + timedelta(minutes=1),
    )
    later = timezone.now() + timedelta(days=1)
    from wendbaar.passport.credentials import verify as verifier

    resolvers = verification.Resolvers()
    result = verifier.verify(soon.jwt, resolve_did=resolvers.resolve_did, read_status=resolvers.read_status, now=later)
    assert [r.code for r in result.reasons] == ["expired"]
    early = timezone.now() - timedelta(days=1)
    result = verifier.verify(
        soon.document, resolve_did=resolvers.resolve_did, read_status=resolvers.read_status, now=early
    )
    assert [r.code for r in result.reasons] == ["not_yet_valid"]


def test_schema_violations_and_garbage_are_refused_with_the_reason(issued: Credential) -> None:
    broken = copy.deepcopy(issued.document)
    del broken["credentialSubject"]["achievement"]["criteria"]
    outcome = services.verify_credential(credential=broken)
    assert outcome.codes == ["schema_violation"] and "criteria" in outcome.reasons[0]
    assert services.verify_credential(credential="not.a.jwt").codes == ["malformed"]
    assert services.verify_credential(credential=["x"]).codes == ["malformed"]


def test_unknown_did_web_issuer_is_refused_without_network(issued: Credential) -> None:
    unsigned = {k: v for k, v in issued.document.items() if k != "proof"}
    unsigned["issuer"] = {"id": "did:web:issuer.example.org", "type": ["Profile"], "name": "Elders"}
    key = issuer_keys.ring().active("Ed25519")
    forged = dataintegrity.add_proof(
        unsigned,
        private_key=key.private,  # type: ignore[arg-type]
        verification_method=f"did:web:issuer.example.org#{key.kid}",
        created=iso(timezone.now()),
    )
    assert "unknown_issuer" in services.verify_credential(credential=forged).codes


def test_did_key_credential_from_elsewhere_is_imported_and_counts_as_evidence(skills: Any, people: Any) -> None:
    private = ed25519.Ed25519PrivateKey.generate()
    pair = KeyPair(private)
    did_key = f"did:key:{ed25519_multikey(pair.public_bytes())}"
    issued = services.issue_credential(
        issuer_organisation=None, recipient=people["other"], achievement_name="Heftruck", skills=[FORKLIFT]
    )
    unsigned = {k: v for k, v in issued.document.items() if k not in {"proof", "credentialStatus"}}
    unsigned["id"] = "urn:uuid:6f0b7c1e-0000-4000-8000-000000000001"
    unsigned["issuer"] = {"id": did_key, "type": ["Profile"], "name": "Opleider elders"}
    signed = dataintegrity.add_proof(
        unsigned,
        private_key=private,
        verification_method=f"{did_key}#{did_key.removeprefix('did:key:')}",
        created=iso(timezone.now()),
    )
    stored, unknown = services.import_credential(person=people["learner"], credential=signed, allow_network=False)
    assert unknown == [] and stored.origin == "imported" and stored.skill_uris == [FORKLIFT]
    entry = services.skills_of(people["learner"]).get(skill__uri=FORKLIFT)
    assert services.strength_label(entry.strength) == "verified"
    with pytest.raises(ValidationError, match="al in je paspoort"):
        services.import_credential(person=people["learner"], credential=signed, allow_network=False)


def test_key_rotation_keeps_old_credentials_verifiable(issued: Credential, tmp_path: Any) -> None:
    old_kid = issued.document["proof"]["verificationMethod"].split("#")[1]
    ring = issuer_keys.rotate()
    assert ring.active("Ed25519").kid != old_kid
    assert services.verify_credential(credential=issued.document).valid
    assert services.verify_credential(credential=issued.jwt).valid
    fresh = services.issue_credential(
        issuer_organisation=None, recipient=issued.holder, achievement_name="Na rotatie", skills=[WELDING]
    )
    assert fresh.document["proof"]["verificationMethod"].endswith(ring.active("Ed25519").kid)
    assert services.verify_credential(credential=fresh.jwt).valid


def test_did_web_names_and_urls() -> None:
    assert did.did_web("https://wendbaar.example.nl") == "did:web:wendbaar.example.nl"
    assert did.did_web("http://localhost:8000", ("organisations", "x")) == "did:web:localhost%3A8000:organisations:x"
    assert did.did_web_document_url("did:web:wendbaar.example.nl") == "https://wendbaar.example.nl/.well-known/did.json"
    assert (
        did.did_web_document_url("did:web:localhost%3A8000:organisations:x")
        == "https://localhost:8000/organisations/x/did.json"
    )  # https unless a host is named for plain http (WENDBAAR_DID_WEB_HTTP_HOSTS, tests and development)
    assert (
        did.did_web_document_url("did:web:localhost%3A8000:organisations:x", http_hosts=["localhost"])
        == "http://localhost:8000/organisations/x/did.json"
    )
    assert isinstance(KeyRing(()), KeyRing)


def test_import_from_an_unreachable_did_web_issuer_says_so_and_stores_nothing(issued: Credential, people: Any) -> None:
    unsigned = {k: v for k, v in issued.document.items() if k not in {"proof", "credentialStatus"}}
    unsigned["issuer"] = {"id": "did:web:127.0.0.1%3A9", "type": ["Profile"], "name": "Elders"}
    key = issuer_keys.ring().active("Ed25519")
    forged = dataintegrity.add_proof(
        unsigned,
        private_key=key.private,  # type: ignore[arg-type]
        verification_method=f"did:web:127.0.0.1%3A9#{key.kid}",
        created=iso(timezone.now()),
    )
    before = Credential.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.import_credential(person=people["other"], credential=forged, allow_network=True)
    text = " ".join(caught.value.messages)
    assert "127.0.0.1:9/.well-known/did.json" in text
    assert Credential.objects.count() == before


def test_a_whole_passport_is_verified_with_one_lookup_per_issuer_and_status_list(
    skills: Any, people: Any, django_assert_max_num_queries: Any
) -> None:
    issued = [
        services.issue_credential(
            issuer_organisation=people["provider_org"], recipient=people["learner"], achievement_name=f"Module {n}"
        )
        for n in range(6)
    ]
    services.revoke_credential(credential=issued[2])
    credentials = list(services.credentials_of(people["learner"]))
    with django_assert_max_num_queries(2):  # the organisation's DID and its status list, once each
        outcomes = services.verify_credentials(credentials=credentials)
    assert {c.pk for c in issued if outcomes[c.pk].valid} == {c.pk for c in issued} - {issued[2].pk}
    assert outcomes[issued[2].pk].codes == ["revoked"]
