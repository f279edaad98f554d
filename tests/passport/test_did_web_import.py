"""Importing a credential from another did:web issuer over HTTP: a real server in a thread serves the
issuer's DID document and status list; the import verifies both proof formats end to end, refuses a
revoked one, and names the URL when the server is silent (timeout) or plain http is not allowed."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError

from tests.passport.conftest import FORKLIFT, WELDING
from wendbaar.passport import services
from wendbaar.passport.credentials import contexts, did, signing, statuslist
from wendbaar.passport.credentials import document as doc
from wendbaar.passport.credentials.keys import KeyRing, generate
from wendbaar.passport.models import Credential

pytestmark = pytest.mark.django_db


class ForeignIssuer:
    """Another platform: its own keys, did:web:127.0.0.1%3A<port>:issuers:elders, and a status list."""

    def __init__(self, port: int) -> None:
        contexts.configure(Path(django_settings.OB_CONTEXT_PATH))  # as the platform does when it loads its keys
        self.ring = KeyRing(tuple(generate(rsa_bits=2048)))
        self.did = f"did:web:127.0.0.1%3A{port}:issuers:elders"
        self.status_url = f"http://127.0.0.1:{port}/issuers/elders/status/1"
        self.bits = bytes(statuslist.MIN_SIZE // 8)
        self.requests: list[str] = []

    def documents(self) -> dict[str, dict[str, Any]]:
        status = statuslist.status_list_credential(
            url=self.status_url, issuer=self.did, bits=self.bits, valid_from="2026-01-01T00:00:00Z"
        )
        return {
            "/issuers/elders/did.json": did.did_document(self.did, self.ring.keys),
            "/issuers/elders/status/1": status,
        }

    def issue(self, number: int, index: int) -> tuple[dict[str, Any], str]:
        unsigned = doc.build(
            doc.CredentialData(
                credential_id=f"urn:uuid:7a1c0000-0000-4000-8000-{number:012d}",
                issuer=doc.Issuer(did=self.did, name="Opleider Elders"),
                achievement_id="urn:uuid:7a1c0000-0000-4000-8000-ffffffffffff",
                achievement_name=f"Lassen en heftruck {number}",
                achievement_type="Certificate",
                achievement_description="Lassen en heftruck rijden",
                criteria="Praktijkexamen",
                recipient_email="anna@example.org",
                valid_from=datetime.now(UTC) - timedelta(days=1),
                alignments=[doc.Alignment(uri=WELDING, name="weld"), doc.Alignment(uri=FORKLIFT, name="forklift")],
                status=doc.StatusEntry(list_url=self.status_url, index=index),
            )
        )
        return signing.sign_both(unsigned, ring=self.ring, created=datetime.now(UTC))


@pytest.fixture
def foreign() -> Iterator[ForeignIssuer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    issuer = ForeignIssuer(server.server_address[1])

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            issuer.requests.append(self.path)
            found = issuer.documents().get(self.path)
            body = json.dumps(found).encode() if found is not None else b"{}"
            self.send_response(200 if found is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
            pass

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield issuer
    server.shutdown()
    server.server_close()


@pytest.fixture
def http_for_localhost(settings: Any) -> None:
    """The explicit settings that let did:web use plain http and a loopback server, here for 127.0.0.1 only."""
    settings.DID_WEB_HTTP_HOSTS = ["127.0.0.1"]
    settings.CREDENTIAL_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]


def test_a_did_web_credential_is_fetched_verified_and_imported_in_both_proof_formats(
    foreign: ForeignIssuer, http_for_localhost: None, skills: Any, people: Any
) -> None:
    document, _token = foreign.issue(1, index=4711)
    _document, token = foreign.issue(2, index=90_001)
    stored, unknown = services.import_credential(person=people["learner"], credential=document)
    assert unknown == [] and stored.origin == "imported" and stored.issuer_did == foreign.did
    assert stored.issuer_name == "Opleider Elders" and sorted(stored.skill_uris) == sorted([WELDING, FORKLIFT])
    from_jwt, _ = services.import_credential(person=people["learner"], credential=token)
    assert from_jwt.jwt == token and from_jwt.document["id"].endswith("000000000002")
    assert foreign.requests.count("/issuers/elders/did.json") == 2
    assert foreign.requests.count("/issuers/elders/status/1") == 2
    entry = services.skills_of(people["learner"]).get(skill__uri=FORKLIFT)
    assert services.strength_label(entry.strength) == "verified"


def test_a_credential_revoked_by_its_foreign_issuer_is_refused(
    foreign: ForeignIssuer, http_for_localhost: None, skills: Any, people: Any
) -> None:
    document, token = foreign.issue(3, index=12_345)
    foreign.bits = statuslist.set_bit(foreign.bits, 12_345)
    for form in (document, token):
        with pytest.raises(ValidationError, match="ingetrokken"):
            services.import_credential(person=people["learner"], credential=form)
    assert not Credential.objects.filter(holder=people["learner"]).exists()


def test_without_the_setting_did_web_uses_https_and_a_plain_http_server_is_not_trusted(
    foreign: ForeignIssuer, skills: Any, people: Any
) -> None:
    document, _token = foreign.issue(4, index=1)
    with pytest.raises(ValidationError) as caught:
        services.import_credential(person=people["learner"], credential=document)
    text = " ".join(caught.value.messages)
    assert "https://127.0.0.1:" in text and "/issuers/elders/did.json" in text
    assert not Credential.objects.filter(holder=people["learner"]).exists()


def test_an_issuer_server_that_does_not_answer_times_out_with_a_clear_message(
    http_for_localhost: None, settings: Any, skills: Any, people: Any
) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # connections are accepted by the kernel, but nothing is ever answered
    port = silent.getsockname()[1]
    settings.CREDENTIAL_FETCH_TIMEOUT = 0.5
    try:
        issuer = ForeignIssuer(port)
        document, _token = issuer.issue(5, index=2)
        started = datetime.now(UTC)
        with pytest.raises(ValidationError) as caught:
            services.import_credential(person=people["learner"], credential=document)
        took = datetime.now(UTC) - started
    finally:
        silent.close()
    text = " ".join(caught.value.messages)
    assert f"http://127.0.0.1:{port}/issuers/elders/did.json" in text and "0.5" in text
    assert took < timedelta(seconds=10)
    assert not Credential.objects.filter(holder=people["learner"]).exists()


def test_a_status_list_on_a_link_local_address_is_not_fetched_and_the_import_says_why(
    foreign: ForeignIssuer, http_for_localhost: None, skills: Any, people: Any
) -> None:
    """A credential cannot make the server call the cloud metadata address (SSRF, passport/remote.py)."""
    foreign.status_url = "https://169.254.169.254/latest/meta-data/status"
    document, _token = foreign.issue(6, index=3)
    with pytest.raises(ValidationError) as caught:
        services.import_credential(person=people["learner"], credential=document)
    text = " ".join(caught.value.messages)
    assert "169.254.169.254" in text
    assert foreign.requests == ["/issuers/elders/did.json"]
    assert not Credential.objects.filter(holder=people["learner"]).exists()
