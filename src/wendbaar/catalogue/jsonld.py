"""schema.org `Course` with its `CourseInstance`s as JSON-LD, for public offering pages (search engines)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wendbaar.catalogue.models import Mode, Offering, Run

# schema.org courseMode values (free text in the vocabulary; these are the usual ones).
COURSE_MODE = {Mode.ON_SITE: "onsite", Mode.ONLINE: "online", Mode.HYBRID: "blended", Mode.WORKPLACE: "onsite"}
DAY_NAMES = {1: "Monday", 2: "Tuesday", 3: "Wednesday", 4: "Thursday", 5: "Friday", 6: "Saturday", 7: "Sunday"}


def course(offering: Offering, *, url: str, lang: str = "nl") -> dict[str, Any]:
    """Return the offering as a schema.org Course (with its runs as CourseInstance)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Course",
        "@id": url,
        "url": url,
        "identifier": str(offering.uuid),
        "name": offering.title(lang),
        "description": offering.description(lang),
        "inLanguage": offering.language,
        "provider": {"@type": "EducationalOrganization", "name": offering.provider.name},
        "educationalCredentialAwarded": offering.get_credential_type_display(),
        "teaches": [
            {
                "@type": "DefinedTerm",
                "name": o.skill.preferred_label(lang)[0],
                "termCode": o.skill.uri,
                "inDefinedTermSet": "http://data.europa.eu/esco/concept-scheme/skills",
            }
            for o in offering.skills.all()
            if not o.removed
        ],  # fmt: skip
        "offers": {
            "@type": "Offer",
            "category": "Paid" if offering.price_cents else "Free",
            "price": f"{offering.price_cents / 100:.2f}",
            "priceCurrency": "EUR",
        },
        "hasCourseInstance": [instance(run, offering) for run in offering.runs.all()],
    }
    if offering.crebo_id:
        data["courseCode"] = offering.crebo_id
    elif offering.code:
        data["courseCode"] = offering.code
    if offering.study_load_hours:
        data["timeRequired"] = f"PT{offering.study_load_hours}H"
    if offering.level:
        data["educationalLevel"] = offering.get_level_display()
    return data


def instance(run: Run, offering: Offering) -> dict[str, Any]:
    """Return a run as a schema.org CourseInstance."""
    data: dict[str, Any] = {
        "@type": "CourseInstance",
        "identifier": str(run.uuid),
        "courseMode": COURSE_MODE.get(Mode(offering.mode), "onsite"),
        "startDate": run.start_date.isoformat(),
        "endDate": run.end_date.isoformat(),
    }
    if offering.municipality is not None:
        data["location"] = {
            "@type": "Place",
            "name": run.location or offering.municipality.name,
            "address": {
                "@type": "PostalAddress",
                "addressLocality": offering.municipality.name,
                "addressCountry": "NL",
            },
        }
    if run.weekdays:
        schedule: dict[str, Any] = {
            "@type": "Schedule",
            "byDay": [f"https://schema.org/{DAY_NAMES[d]}" for d in run.weekdays],
            "repeatFrequency": "P1W",
            "startDate": run.start_date.isoformat(),
            "endDate": run.end_date.isoformat(),
        }
        if run.start_time:
            schedule["startTime"] = _time(run.start_time)
        if run.end_time:
            schedule["endTime"] = _time(run.end_time)
        data["courseSchedule"] = schedule
    if run.seats:
        data["maximumAttendeeCapacity"] = run.seats
    return data


def _time(value: dt.time) -> str:
    return value.strftime("%H:%M")
