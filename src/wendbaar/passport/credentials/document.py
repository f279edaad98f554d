"""Build an OpenBadgeCredential (VC 2.0 + OB 3.0 context) as a plain dict, ready to be signed."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
ESCO_FRAMEWORK = "ESCO"


@dataclass(frozen=True)
class Alignment:
    """An ESCO skill an achievement is aligned to."""

    uri: str
    name: str


@dataclass(frozen=True)
class Issuer:
    did: str
    name: str
    url: str = ""


@dataclass(frozen=True)
class StatusEntry:
    list_url: str
    index: int
    purpose: str = "revocation"


@dataclass
class CredentialData:
    """Everything an OpenBadgeCredential says; `build` turns it into the JSON-LD document."""

    credential_id: str
    issuer: Issuer
    achievement_id: str
    achievement_name: str
    achievement_type: str
    achievement_description: str
    criteria: str
    recipient_email: str
    valid_from: datetime
    valid_until: datetime | None = None
    alignments: Sequence[Alignment] = ()
    evidence_narrative: str = ""
    result_description: str = ""
    status: StatusEntry | None = None
    salt: str = field(default_factory=lambda: secrets.token_hex(8))


def iso(moment: datetime) -> str:
    """Return an XML Schema dateTime in UTC with a Z, to the second."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_hash(email: str, salt: str) -> str:
    """Return the OB 3.0 identityHash of an e-mail address: sha256 of address + salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def build(data: CredentialData) -> dict:
    """Return the unsigned OpenBadgeCredential document for `data`."""
    achievement: dict = {
        "id": data.achievement_id,
        "type": ["Achievement"],
        "name": data.achievement_name,
        "description": data.achievement_description or data.achievement_name,
        "criteria": {"narrative": data.criteria or data.achievement_description or data.achievement_name},
        "achievementType": data.achievement_type,
        "creator": {"id": data.issuer.did, "type": ["Profile"], "name": data.issuer.name},
    }
    if data.alignments:
        achievement["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": a.name,
                "targetUrl": a.uri,
                "targetFramework": ESCO_FRAMEWORK,
                "targetType": "ext:ESCOSkill",
            }
            for a in data.alignments
        ]
    subject: dict = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": identity_hash(data.recipient_email, data.salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": data.salt,
            }
        ],
        "achievement": achievement,
    }
    if data.result_description:
        subject["narrative"] = data.result_description
    issuer: dict = {"id": data.issuer.did, "type": ["Profile"], "name": data.issuer.name}
    if data.issuer.url:
        issuer["url"] = data.issuer.url
    document: dict = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": data.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": iso(data.valid_from),
        "name": data.achievement_name,
        "credentialSubject": subject,
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if data.valid_until is not None:
        document["validUntil"] = iso(data.valid_until)
    if data.evidence_narrative:
        document["evidence"] = [{"type": ["Evidence"], "narrative": data.evidence_narrative}]
    if data.status is not None:
        document["credentialStatus"] = {
            "id": f"{data.status.list_url}#{data.status.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": data.status.purpose,
            "statusListIndex": str(data.status.index),
            "statusListCredential": data.status.list_url,
        }
    return document
