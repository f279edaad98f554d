"""Our own JSON schemas of the OOAPI v5 objects we import, written from the specification (not copied).

They check what the import reads (required fields, types, enumerations, date and UUID formats) and
our `ext.wendbaar` fields; every violation is reported with the object's id and a JSON pointer.
"""

from __future__ import annotations

import uuid
from typing import Any

import jsonschema_rs
from jsonschema import Draft7Validator, FormatChecker

LEVELS = [
    "secondary vocational education", "secondary vocational education 1", "secondary vocational education 2",
    "secondary vocational education 3", "secondary vocational education 4", "associate degree", "bachelor",
    "master", "doctoral", "undefined", "undivided", "nt2-1", "nt2-2",
]  # fmt: skip
MODES = ["distance-learning", "on campus", "online", "hybrid", "situated"]
UUID = {"type": "string", "format": "uuid"}
DATE = {"type": "string", "format": "date"}
TEXT = {
    "type": "object",
    "required": ["language", "value"],
    "properties": {
        "language": {"type": "string", "pattern": "^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"},
        "value": {"type": "string"},
    },
}
TEXTS = {"type": "array", "minItems": 1, "items": TEXT}
CODE = {
    "type": "object",
    "required": ["codeType", "code"],
    "properties": {"codeType": {"type": "string"}, "code": {"type": "string"}},
    "additionalProperties": False,
}
REFERENCE = {"oneOf": [UUID, {"type": "object"}]}
RIO_OFFERER = {"type": "string", "pattern": r"^(?:\d{3}A\d{3})$"}
RIO_LOCATION = {"type": "string", "pattern": r"^(?:\d{3}X\d{3})$"}
RIO_LANGUAGES = {"type": "array", "maxItems": 3, "items": {"type": "string", "pattern": "^[a-z]{3}$"}}
RIO_PARTNERS = {"type": "array", "minItems": 1, "items": RIO_OFFERER}
# The RIO consumer's fields (../shared/specs/ooapi-v5/consumers/RIO/V1): what RIO requires of a course,
# a program and an offering. The course's offerer code has its pattern inside its description in the
# spec, so only the program's is checked for form.
RIO_COURSE_PROPERTIES: dict[str, Any] = {
    "educationOffererCode": {"type": "string"},
    "educationLocationCode": RIO_LOCATION,
    "jointPartnerCodes": RIO_PARTNERS,
    "teachingLanguages": RIO_LANGUAGES,
    "lastStartDate": DATE,
}
RIO_COURSE = {"required": ["educationOffererCode"], "properties": RIO_COURSE_PROPERTIES}
RIO_PROGRAM = {
    "required": ["educationOffererCode"],
    "properties": {
        **RIO_COURSE_PROPERTIES,
        "educationOffererCode": RIO_OFFERER,
        "deficiency": {"enum": ["deficiencies", "no_deficiencies"]},
        "requirementsActivities": {"enum": ["requirements", "no_requirements"]},
        "propaedeuticPhase": {
            "enum": ["no_propaedeutic_phase", "propaedeutic_phase_exam", "propaedeutic_phase_no_exam"]
        },
        "studyChoiceCheck": {
            "enum": ["no_study_choice_check", "study_choice_check_available", "study_choice_check_mandatory"]
        },
        "acceleratedRoute": {"enum": ["accelerated_route", "no_accelerated_route"]},
    },
}
RIO_OFFERING = {
    "required": ["registrationStatus", "requiredPermissionRegistration"],
    "properties": {
        "registrationStatus": {"enum": ["open", "closed"]},
        "requiredPermissionRegistration": {"enum": ["yes", "no"]},
        "explanationRequiredPermission": {"type": "string"},
        "modeOfDelivery": {
            "type": "array",
            "items": {"enum": ["online", "hybrid", "situated", "lecture", "self-study", "coaching"]},
        },
    },
}


def _consumers(rio: dict[str, Any]) -> dict[str, Any]:
    """Consumers, each with a key; the RIO one (consumerKey "rio") checked against `rio`."""
    return {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["consumerKey"],
            "if": {"properties": {"consumerKey": {"const": "rio"}}},
            "then": rio,
        },
    }


TEACHING = {"type": "string", "pattern": "^[a-z]{3}$"}
NULLABLE_INT = {"type": ["integer", "null"], "minimum": 0}

COURSE_EXT = {
    "type": "object",
    "properties": {
        "credentialType": {"type": "string"},
        "level": {"type": "string"},
        "mode": {"type": "string"},
        "municipality": {"type": ["string", "null"], "pattern": "^GM[0-9]{4}$"},
        "priceCents": {"type": "integer"},
        "fundingTags": {"type": "array", "items": {"type": "string"}},
        "minGroupSize": NULLABLE_INT,
        "maxGroupSize": NULLABLE_INT,
        "status": {"type": "string"},
        "skills": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["uri"],
                "properties": {"uri": {"type": "string"}, "confirmed": {"type": "boolean"}},
            },
        },
    },
}
RUN_EXT = {
    "type": "object",
    "properties": {
        "weekdays": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 7}},
        "startTime": {"type": ["string", "null"], "pattern": "^[0-2][0-9]:[0-5][0-9]"},
        "endTime": {"type": ["string", "null"], "pattern": "^[0-2][0-9]:[0-5][0-9]"},
        "location": {"type": "string"},
        "seats": NULLABLE_INT,
    },
}


def _ext(ours: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": {"wendbaar": ours}}


COURSE_PROPERTIES = {
    "primaryCode": CODE,
    "name": TEXTS,
    "abbreviation": {"type": "string", "maxLength": 256},
    "description": TEXTS,
    "teachingLanguage": TEACHING,
    "level": {"type": "string", "enum": LEVELS},
    "modeOfDelivery": {"type": "array", "items": {"type": "string", "enum": MODES}},
    "studyLoad": {"type": "object", "properties": {"value": {"type": "number", "minimum": 0}}},
    "learningOutcomes": {"type": "array", "items": {"type": "array", "minItems": 1, "items": TEXT}},
    "link": {"type": "string", "maxLength": 2048},
    "otherCodes": {"type": "array", "items": CODE},
    "educationSpecification": REFERENCE,
    "organization": REFERENCE,
    "ext": _ext(COURSE_EXT),
}
PROGRAM_TYPES = ["program", "minor", "honours", "specialization", "track"]

SCHEMAS: dict[str, dict[str, Any]] = {
    "organization": {
        "type": "object",
        "required": ["organizationId", "organizationType", "name", "shortName", "primaryCode"],
        "properties": {
            "organizationId": UUID,
            "organizationType": {"enum": ["root", "institute", "department", "faculty", "branch", "academy", "school"]},
            "name": TEXTS,
            "shortName": {"type": "string", "maxLength": 256},
            "primaryCode": CODE,
            "otherCodes": {"type": "array", "items": CODE},
            "link": {"type": "string"},
            "ext": _ext({"type": "object", "properties": {"regions": {"type": "array", "items": {"type": "string"}}}}),
        },
    },
    "educationSpecification": {
        "type": "object",
        "required": ["educationSpecificationId", "primaryCode", "educationSpecificationType", "name"],
        "properties": {
            "educationSpecificationId": UUID,
            "primaryCode": CODE,
            "otherCodes": {"type": "array", "items": CODE},
            "educationSpecificationType": {"enum": ["program", "privateProgram", "programCluster", "course"]},
            "name": {"type": "array", "items": TEXT},
        },
    },
    "course": {
        "type": "object",
        "required": ["courseId", "name", "abbreviation", "description", "teachingLanguage", "level", "primaryCode"],
        "properties": {"courseId": UUID, **COURSE_PROPERTIES, "consumers": _consumers(RIO_COURSE)},
    },
    "program": {
        "type": "object",
        "required": [
            "programId",
            "programType",
            "name",
            "abbreviation",
            "description",
            "primaryCode",
            "teachingLanguage",
        ],
        "properties": {
            "programId": UUID,
            "programType": {"enum": PROGRAM_TYPES},
            **COURSE_PROPERTIES,
            "consumers": _consumers(RIO_PROGRAM),
        },
    },
    "offering": {
        "type": "object",
        "required": [
            "offeringId",
            "primaryCode",
            "offeringType",
            "name",
            "description",
            "teachingLanguage",
            "resultExpected",
            "startDate",
            "endDate",
        ],  # fmt: skip
        "properties": {
            "offeringId": UUID,
            "primaryCode": CODE,
            "offeringType": {"enum": ["program", "course", "component"]},
            "name": TEXTS,
            "description": TEXTS,
            "teachingLanguage": TEACHING,
            "resultExpected": {"type": "boolean"},
            "startDate": DATE,
            "endDate": DATE,
            "maxNumberStudents": {"type": "number", "minimum": 0},
            "minNumberStudents": {"type": "number", "minimum": 0},
            "priceInformation": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["costType"],
                    "properties": {"amount": {"type": "string", "pattern": r"^\d+(?:\.\d+)?$"}},
                },
            },
            "course": REFERENCE,
            "program": REFERENCE,
            "consumers": _consumers(RIO_OFFERING),
            "ext": _ext(RUN_EXT),
        },
    },
}
ID_KEYS = {
    "organization": "organizationId",
    "educationSpecification": "educationSpecificationId",
    "course": "courseId",
    "program": "programId",
    "offering": "offeringId",
}
_VALIDATORS = {kind: Draft7Validator(schema, format_checker=FormatChecker()) for kind, schema in SCHEMAS.items()}


def _is_uuid(value: str) -> bool:
    """The "uuid" format as jsonschema's FormatChecker reads it (draft 7 itself has no uuid format)."""
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) > 23 and all(value[position] == "-" for position in (8, 13, 18, 23))


# The same schemas in the Rust validator: it answers "valid?" for a 10,000-course import in a fraction of
# the time (jsonschema's Python walk was 60% of the import's CPU); jsonschema then words the violations
# of the objects that are not valid, so the messages stay the same.
_FAST = {
    kind: jsonschema_rs.Draft7Validator(schema, validate_formats=True, formats={"uuid": _is_uuid})
    for kind, schema in SCHEMAS.items()
}


def kind_of(obj: Any) -> str | None:
    """Return which OOAPI object `obj` is, by its id key (offerings first: they may embed a course)."""
    if not isinstance(obj, dict):
        return None
    for kind in ("offering", "course", "program", "educationSpecification", "organization"):
        if ID_KEYS[kind] in obj:
            return kind
    return None


def violations(kind: str, obj: dict[str, Any]) -> list[str]:
    """Return every schema violation of `obj` as "/json/pointer: message", in document order."""
    if _FAST[kind].is_valid(obj):
        return []
    found = []
    for error in sorted(_VALIDATORS[kind].iter_errors(obj), key=lambda e: [str(p) for p in e.absolute_path]):
        pointer = "/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in error.absolute_path)
        found.append(f"{pointer}: {error.message}")
    return found
