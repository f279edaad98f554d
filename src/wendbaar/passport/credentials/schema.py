"""The OB 3.0 AchievementCredential's required shape as JSON Schema, written from the spec's data model
(`ob_v3p0/common_credentials.lines`: AchievementCredential, AchievementSubject, Achievement, Profile,
Criteria, Alignment, IdentityObject, Evidence, CredentialStatus, CredentialSchema, Proof).

Only what the model requires or constrains is checked; extension properties are allowed, as in the spec.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs

URI = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$"}
DATETIME_Z = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"}


def _types_containing(*names: str) -> dict[str, Any]:
    """An array-compacted `type`: a string or an array; it must name (one of) `names`."""
    return {
        "oneOf": [
            {"type": "string", "enum": list(names)},
            {"type": "array", "minItems": 1, "items": {"type": "string"}, "contains": {"enum": list(names)}},
        ]
    }


def _typed(name: str, required: list[str], properties: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["type", *required],
        "properties": {"type": _types_containing(name), **(properties or {})},
    }


PROFILE = _typed("Profile", ["id"], {"id": URI})
PROFILE_REF = {"oneOf": [URI, PROFILE]}
ALIGNMENT = _typed("Alignment", ["targetName", "targetUrl"], {"targetName": {"type": "string"}, "targetUrl": URI})
CRITERIA = {
    "type": "object",
    "anyOf": [{"required": ["id"]}, {"required": ["narrative"]}],
    "properties": {"id": URI, "narrative": {"type": "string"}},
}
ACHIEVEMENT = _typed(
    "Achievement",
    ["id", "criteria", "description", "name"],
    {
        "id": URI,
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "criteria": CRITERIA,
        "achievementType": {"type": "string"},
        "alignment": {"type": "array", "items": ALIGNMENT},
        "creator": PROFILE,
    },
)
IDENTITY_OBJECT = {
    "type": "object",
    "required": ["type", "hashed", "identityHash", "identityType"],
    "properties": {
        "type": {"const": "IdentityObject"},
        "hashed": {"type": "boolean"},
        "identityHash": {"type": "string"},
        "identityType": {"type": "string"},
        "salt": {"type": "string"},
    },
}
SUBJECT = _typed(
    "AchievementSubject",
    ["achievement"],
    {
        "id": URI,
        "achievement": ACHIEVEMENT,
        "identifier": {"oneOf": [IDENTITY_OBJECT, {"type": "array", "items": IDENTITY_OBJECT}]},
    },
)
ID_AND_TYPE = {"type": "object", "required": ["id", "type"], "properties": {"id": URI, "type": {"type": "string"}}}


def _one_or_many(item: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [item, {"type": "array", "items": item}]}


ACHIEVEMENT_CREDENTIAL: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["@context", "id", "type", "issuer", "validFrom", "credentialSubject"],
    "properties": {
        "@context": {
            "type": "array",
            "minItems": 2,
            "prefixItems": [
                {"const": "https://www.w3.org/ns/credentials/v2"},
                {
                    "type": "string",
                    "pattern": r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d\.\d)*\.json$",
                },
            ],
        },
        "id": URI,
        "type": {
            "type": "array",
            "allOf": [
                {"contains": {"const": "VerifiableCredential"}},
                {"contains": {"enum": ["AchievementCredential", "OpenBadgeCredential"]}},
            ],
        },
        "name": {"type": "string"},
        "issuer": PROFILE_REF,
        "validFrom": DATETIME_Z,
        "validUntil": DATETIME_Z,
        "credentialSubject": SUBJECT,
        "evidence": _one_or_many(_typed("Evidence", [])),
        "credentialStatus": ID_AND_TYPE,
        "credentialSchema": _one_or_many(ID_AND_TYPE),
        "proof": _one_or_many({"type": "object", "required": ["type"], "properties": {"type": {"type": "string"}}}),
    },
}

_validator = jsonschema_rs.validator_for(ACHIEVEMENT_CREDENTIAL)


def errors(credential: Any) -> list[str]:
    """Return every schema violation of an OB 3.0 credential as 'path: message' (empty when it conforms)."""
    if _validator.is_valid(credential):
        return []
    found = []
    for error in _validator.iter_errors(credential):
        path = "/".join(str(p) for p in error.instance_path) or "(credential)"
        found.append(f"{path}: {error.message}")
    return sorted(found)
