"""Mapping between the catalogue and OOAPI v5 objects, both ways. Pure: reads model instances, builds dicts.

An offering that leads to an mbo qualification (mbo-certificaat, deelcertificaat, mbo-diploma: the
types with a crebo) is an OOAPI `Program` ("a collection of courses that lead to a certifiable
learning outcome") and its runs are `ProgramOffering`s; every other offering is a `Course` with
`CourseOffering`s. EVC procedures and praktijkverklaringen stay courses: neither is a set of courses
leading to a qualification of the crebo register (one is an assessment of prior learning, the other
a statement of practice learning), and OOAPI's program types (program, minor, honours,
specialization, track) have no place for them.

What OOAPI has no field for (runs' days and times, funding tags, ESCO URIs of the learning outcomes,
group sizes, our credential type and exact mode and level) goes into `ext.wendbaar`; the RIO consumer
fields go into `consumers` with `consumerKey: "rio"` and come back unchanged.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from wendbaar.catalogue.models import (
    CREBO_TYPES,
    CredentialType,
    Level,
    Mode,
    Offering,
    OfferingSkill,
    Qualification,
    Run,
)
from wendbaar.regions.models import Organisation

EXT = "wendbaar"
RIO = "rio"
CREBO_NAMESPACE = uuid.UUID("6f1c3a52-3c0e-4d7e-9a59-0b7a5d2f1c15")  # our namespace for crebo → UUID
LANG_TAGS = {"nl": "nl-NL", "en": "en-GB"}
TEACHING = {"nl": "nld", "en": "eng", "de": "deu", "pl": "pol", "fr": "fra", "ar": "ara", "tr": "tur", "uk": "ukr"}
TEACHING_BACK = {v: k for k, v in TEACHING.items()}
LEVELS = {Level.MBO1: 1, Level.MBO2: 2, Level.MBO3: 3, Level.MBO4: 4}
MBO_LEVEL = "secondary vocational education"
MODES = {Mode.ON_SITE: ["situated"], Mode.ONLINE: ["online"], Mode.HYBRID: ["hybrid"], Mode.WORKPLACE: ["situated"]}
MODES_BACK = {"situated": Mode.ON_SITE, "on campus": Mode.ON_SITE, "online": Mode.ONLINE,
              "distance-learning": Mode.ONLINE, "hybrid": Mode.HYBRID}  # fmt: skip
# Credential types after which OOAPI expects a result (a grade, a certificate).
RESULT_TYPES = {CredentialType.MBO_CERTIFICATE, CredentialType.PARTIAL_CERTIFICATE, CredentialType.MBO_DIPLOMA,
                CredentialType.PRACTICE_STATEMENT, CredentialType.MICRO_CREDENTIAL, CredentialType.EVC}  # fmt: skip
STAP_TAG = "stap"
# OOAPI program types of ours: every program we hold is a whole "opleiding" (programType program).
PROGRAM_TYPES = frozenset(CREBO_TYPES)
PROGRAM_TYPE = "program"
# NLQF level of an mbo level (mbo 1, the Entree level, is NLQF 1) and of our NLQF levels.
QUALIFICATION_LEVELS = {**{level: str(n) for level, n in LEVELS.items()},
                        **{Level(f"nlqf{n}"): str(n) for n in range(1, 9)}}  # fmt: skip
# Learning at the workplace is the dual route (BBL) in mbo terms: OOAPI's modeOfStudy "dual training".
DUAL = "dual training"


def crebo_uuid(code: str) -> uuid.UUID:
    """Return the education specification id of a crebo qualification (stable, derived from the code)."""
    return uuid.uuid5(CREBO_NAMESPACE, code)


def texts(nl: str, en: str = "") -> list[dict[str, str]]:
    """Return OOAPI LanguageTypedStrings, Dutch first."""
    out = [{"language": LANG_TAGS["nl"], "value": nl}]
    if en:
        out.append({"language": LANG_TAGS["en"], "value": en})
    return out


def text_in(values: Any, lang: str) -> str:
    """Return the value of an OOAPI LanguageTypedString list in `lang` ("nl", "en"), or ""."""
    for item in values or ():
        if isinstance(item, dict) and str(item.get("language", "")).lower().startswith(lang):
            return str(item.get("value", ""))
    return ""


def _level(offering: Offering) -> str:
    number = LEVELS.get(Level(offering.level)) if offering.level else None
    return f"{MBO_LEVEL} {number}" if number else "undefined"


def organization(provider: Organisation) -> dict[str, Any]:
    """Return a provider as an OOAPI Organization (root)."""
    details = getattr(provider, "provider", None)
    data: dict[str, Any] = {
        "organizationId": str(provider.uuid),
        "primaryCode": {"codeType": "organizationId", "code": str(provider.uuid)},
        "organizationType": "root",
        "name": texts(provider.name),
        "shortName": (details.short_name if details and details.short_name else provider.name)[:256],
    }
    other = []
    if details is not None and details.brin_code:
        other.append({"codeType": "brin", "code": details.brin_code})
    if provider.kvk:
        other.append({"codeType": "identifier", "code": f"kvk:{provider.kvk}"})
    if other:
        data["otherCodes"] = other
    if details is not None and details.homepage:
        data["link"] = details.homepage
    if details is not None and details.description:
        data["description"] = texts(details.description)
    data["ext"] = {EXT: {"regions": sorted(r.code for r in provider.regions.all())}}
    return data


def education_specification(qualification: Qualification) -> dict[str, Any]:
    """Return a crebo qualification as an OOAPI EducationSpecification."""
    data: dict[str, Any] = {
        "educationSpecificationId": str(crebo_uuid(qualification.code)),
        "primaryCode": {"codeType": "crohoCreboCode", "code": qualification.code},
        "educationSpecificationType": "program",
        "name": texts(qualification.name),
        "sector": MBO_LEVEL,
        "formalDocument": "diploma",
    }
    if qualification.level:
        data["level"] = f"{MBO_LEVEL} {qualification.level}"
        data["levelOfQualification"] = str(qualification.level)
    return data


def _outcomes(offering: Offering) -> list[OfferingSkill]:
    return [o for o in offering.skills.all() if not o.removed]


def is_program(offering: Offering) -> bool:
    """Return whether OOAPI calls `offering` a program (it leads to an mbo qualification) rather than a course."""
    return offering.credential_type in PROGRAM_TYPES


def _described(offering: Offering) -> dict[str, Any]:
    """Return what OOAPI's Course and Program share: names, codes, outcomes, RIO fields and our ext."""
    outcomes = _outcomes(offering)
    data: dict[str, Any] = {
        "primaryCode": {"codeType": "identifier", "code": offering.code or str(offering.uuid)},
        "name": texts(offering.title_nl, offering.title_en),
        "abbreviation": (offering.code or offering.title_nl)[:256],
        "description": texts(offering.description_nl, offering.description_en),
        "teachingLanguage": TEACHING.get(offering.language, "nld"),
        "level": _level(offering),
        "modeOfDelivery": MODES[Mode(offering.mode)],
        "learningOutcomes": [
            texts(o.skill.preferred_label("nl")[0], o.skill.preferred_label("en")[0]) for o in outcomes
        ],
        "organization": str(offering.provider.uuid),
    }
    if offering.study_load_hours:
        data["studyLoad"] = {"studyLoadUnit": "hour", "value": offering.study_load_hours}
    if offering.url:
        data["link"] = offering.url
    if offering.crebo_id:
        data["otherCodes"] = [{"codeType": "crohoCreboCode", "code": offering.crebo_id}]
        data["educationSpecification"] = str(crebo_uuid(offering.crebo_id))
    if offering.rio:
        data["consumers"] = [{"consumerKey": RIO, **offering.rio}]
    data["ext"] = {
        EXT: {
            "credentialType": offering.credential_type,
            "level": offering.level,
            "mode": offering.mode,
            "municipality": offering.municipality.code if offering.municipality else None,
            "priceCents": offering.price_cents,
            "fundingTags": list(offering.funding_tags),
            "minGroupSize": offering.min_group_size,
            "maxGroupSize": offering.max_group_size,
            "status": offering.status,
            "skills": [{"uri": o.skill.uri, "confirmed": o.confirmed} for o in outcomes],
        }
    }
    return data


def course(offering: Offering) -> dict[str, Any]:
    """Return an offering as an OOAPI Course (with its skills in learningOutcomes and ext)."""
    return {"courseId": str(offering.uuid), **_described(offering)}


def program(offering: Offering) -> dict[str, Any]:
    """Return an offering that leads to an mbo qualification as an OOAPI Program (skills as in a course)."""
    data = {"programId": str(offering.uuid), "programType": PROGRAM_TYPE, **_described(offering)}
    data["sector"] = MBO_LEVEL
    if offering.level:
        data["levelOfQualification"] = QUALIFICATION_LEVELS[Level(offering.level)]
    if offering.mode == Mode.WORKPLACE:
        data["modeOfStudy"] = DUAL
    return data


def _price(offering: Offering) -> list[dict[str, Any]]:
    amount = f"{offering.price_cents // 100}.{offering.price_cents % 100:02d}"
    prices = [{"costType": "total costs", "amount": amount, "currency": "EUR"}]
    if STAP_TAG in offering.funding_tags:
        prices.append({"costType": "STAP eligible", "amount": amount, "currency": "EUR"})
    return prices


def run_offering(run: Run, offering: Offering) -> dict[str, Any]:
    """Return a run as an OOAPI ProgramOffering or CourseOffering, as its offering is a program or course."""
    kind = "program" if is_program(offering) else "course"
    data: dict[str, Any] = {
        "offeringId": str(run.uuid),
        "primaryCode": {"codeType": "offeringCode", "code": f"{offering.code or offering.uuid}-{run.start_date}"},
        "offeringType": kind,
        "name": texts(offering.title_nl, offering.title_en),
        "description": texts(offering.description_nl, offering.description_en),
        "teachingLanguage": TEACHING.get(offering.language, "nld"),
        "modeOfDelivery": MODES[Mode(offering.mode)],
        "resultExpected": offering.credential_type in RESULT_TYPES,
        "startDate": run.start_date.isoformat(),
        "endDate": run.end_date.isoformat(),
        "priceInformation": _price(offering),
        kind: str(offering.uuid),
        "organization": str(offering.provider.uuid),
    }
    if run.seats is not None:
        data["maxNumberStudents"] = run.seats
    if offering.min_group_size is not None:
        data["minNumberStudents"] = offering.min_group_size
    if offering.url:
        data["link"] = offering.url
    if run.rio:
        data["consumers"] = [{"consumerKey": RIO, **run.rio}]
    data["ext"] = {
        EXT: {
            "weekdays": list(run.weekdays),
            "startTime": _hhmm(run.start_time),
            "endTime": _hhmm(run.end_time),
            "location": run.location,
            "seats": run.seats,
            "isEvening": run.is_evening,
            "isWeekend": run.is_weekend,
        }
    }
    return data


def _hhmm(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


# ---------------------------------------------------------------- back from OOAPI
def _ext(obj: dict[str, Any]) -> dict[str, Any]:
    ext = obj.get("ext")
    found = ext.get(EXT) if isinstance(ext, dict) else None
    return found if isinstance(found, dict) else {}


def _consumer(obj: dict[str, Any], key: str) -> dict[str, Any]:
    for consumer in obj.get("consumers") or ():
        if isinstance(consumer, dict) and consumer.get("consumerKey") == key:
            return {k: v for k, v in consumer.items() if k != "consumerKey"}
    return {}


def _code(obj: dict[str, Any], code_type: str) -> str:
    for entry in [obj.get("primaryCode"), *(obj.get("otherCodes") or ())]:
        if isinstance(entry, dict) and entry.get("codeType") == code_type:
            return str(entry.get("code", ""))
    return ""


def reference(value: Any, key: str) -> str:
    """Return the id of an OOAPI reference that is an id string or an expanded object."""
    if isinstance(value, dict):
        return str(value.get(key, ""))
    return str(value or "")


def offered(obj: dict[str, Any]) -> tuple[str, str]:
    """Return (key, id) of what an OOAPI offering offers: ("program", programId) or ("course", courseId)."""
    key = "program" if obj.get("offeringType") == "program" else "course"
    value = obj.get(key)
    return key, reference(value, f"{key}Id")


def foreign_credential_type(obj: dict[str, Any], *, has_crebo: bool) -> CredentialType:
    """Return the credential type of a course or program that does not carry ours in ext.

    A crebo code (in otherCodes or through its education specification) makes it an mbo-certificaat;
    a program without one is a training, a course a course.
    """
    if has_crebo:
        return CredentialType.MBO_CERTIFICATE
    return CredentialType.TRAINING if "programId" in obj else CredentialType.COURSE


def offering_values(obj: dict[str, Any]) -> dict[str, Any]:
    """Return the offering field values of an OOAPI Course or Program (for `services.clean_offering`)."""
    ext = _ext(obj)
    level = ext.get("level")
    if level is None:
        raw = str(obj.get("level") or "")
        level = f"mbo{raw[-1]}" if raw.startswith(MBO_LEVEL + " ") and raw[-1] in "1234" else ""
    mode = ext.get("mode")
    if mode is None and obj.get("modeOfStudy") == DUAL:
        mode = Mode.WORKPLACE
    if mode is None:
        modes = obj.get("modeOfDelivery") or []
        mode = MODES_BACK.get(modes[0], Mode.ON_SITE) if modes else Mode.ON_SITE
    study_load = obj.get("studyLoad") or {}
    hours = study_load.get("value") if study_load.get("studyLoadUnit") in ("hour", "sbu", "contacttime") else None
    crebo = _code(obj, "crohoCreboCode")
    credential_type = ext.get("credentialType") or foreign_credential_type(obj, has_crebo=bool(crebo))
    primary = obj.get("primaryCode") or {}
    object_id = str(obj.get("courseId") or obj.get("programId") or "")
    code = str(primary.get("code", "")) if primary.get("code") != object_id else ""
    return {
        "code": code,
        "title_nl": text_in(obj.get("name"), "nl") or text_in(obj.get("name"), ""),
        "title_en": text_in(obj.get("name"), "en"),
        "description_nl": text_in(obj.get("description"), "nl") or text_in(obj.get("description"), ""),
        "description_en": text_in(obj.get("description"), "en"),
        "credential_type": credential_type,
        "crebo": crebo or None,
        "level": level,
        "study_load_hours": int(hours) if isinstance(hours, (int, float)) else None,
        "language": TEACHING_BACK.get(str(obj.get("teachingLanguage", "")), "nl"),
        "mode": mode,
        "municipality": ext.get("municipality"),
        "price_cents": ext.get("priceCents", 0),
        "funding_tags": ext.get("fundingTags", []),
        "min_group_size": ext.get("minGroupSize"),
        "max_group_size": ext.get("maxGroupSize"),
        "url": str(obj.get("link") or ""),
        "status": ext.get("status", "published"),
        "rio": _consumer(obj, RIO),
    }


def skill_claims(obj: dict[str, Any]) -> list[tuple[str, bool]] | None:
    """Return [(ESCO URI, confirmed)] from ext, or None when the object carries no URIs (text outcomes only)."""
    skills = _ext(obj).get("skills")
    if not isinstance(skills, list):
        return None
    return [(str(s.get("uri", "")), bool(s.get("confirmed", True))) for s in skills if isinstance(s, dict)]


def outcome_text(obj: dict[str, Any]) -> str:
    """Return the learning outcomes' text (for the engine, when no URIs travel with them)."""
    lines = []
    for outcome in obj.get("learningOutcomes") or ():
        lines.append(text_in(outcome, "nl") or text_in(outcome, "en") or text_in(outcome, ""))
    return "\n".join(line for line in lines if line)


def run_values(obj: dict[str, Any]) -> dict[str, Any]:
    """Return the run field values of an OOAPI course or program offering (for `services.clean_run`)."""
    ext = _ext(obj)
    seats = ext.get("seats", obj.get("maxNumberStudents"))
    return {
        "start_date": obj.get("startDate"),
        "end_date": obj.get("endDate"),
        "weekdays": ext.get("weekdays", []),
        "start_time": ext.get("startTime"),
        "end_time": ext.get("endTime"),
        "seats": int(seats) if isinstance(seats, (int, float)) else None,
        "location": ext.get("location", ""),
        "rio": _consumer(obj, RIO),
    }


def price_from_offerings(objs: Iterable[dict[str, Any]]) -> int | None:
    """Return the price in cents from an OOAPI offering's priceInformation (total costs), if any."""
    for obj in objs:
        for cost in obj.get("priceInformation") or ():
            if cost.get("costType") == "total costs" and cost.get("amount"):
                euros, _dot, cents = str(cost["amount"]).partition(".")
                return int(euros) * 100 + int((cents + "00")[:2])
    return None
