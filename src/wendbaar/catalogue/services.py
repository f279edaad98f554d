"""Use cases of the catalogue: providers, offerings, runs and their skills. The only writer of its tables.

Every write validates everything first and reports every field error at once (a `ValidationError`
with a dict of field → messages); nothing is written unless all of it is valid. Runs' time-of-day
flags are derived here and in `Run.save`, and rolled up to the offering after every change of runs.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wendbaar.catalogue.models import (
    CREBO_TYPES,
    RUN_TYPES,
    CredentialType,
    Level,
    Mode,
    Offering,
    OfferingSkill,
    Provider,
    Qualification,
    Run,
    Status,
    run_is_evening,
    run_is_weekend,
)
from wendbaar.regions.constants import ActorType, Role
from wendbaar.regions.models import Municipality, Organisation
from wendbaar.regions.roles import organisation_ids, roles_of
from wendbaar.skills.models import Concept, Kind

User = AbstractBaseUser | AnonymousUser
Errors = dict[str, list[str]]

# Engine proposals below this score are noise for a course description (read on the demo offer).
PROPOSAL_MIN_SCORE = 0.35
PROPOSAL_LIMIT = 15

OFFERING_FIELDS = (
    "code", "title_nl", "title_en", "description_nl", "description_en", "credential_type", "crebo", "level",
    "study_load_hours", "language", "mode", "municipality", "price_cents", "funding_tags", "min_group_size",
    "max_group_size", "url", "status", "rio",
)  # fmt: skip
RUN_FIELDS = ("start_date", "end_date", "weekdays", "start_time", "end_time", "seats", "location", "rio")


# ---------------------------------------------------------------- access
def can_manage(user: User, provider: Organisation) -> bool:
    """Return whether `user` may change `provider`'s offerings: its provider staff, and admins."""
    if Role.ADMIN in roles_of(user):
        return True
    return provider.pk in organisation_ids(user, role=Role.PROVIDER)


def managed_providers(user: User) -> list[Organisation]:
    """Return the providers whose offerings `user` may change."""
    qs = Organisation.objects.filter(actor_type=ActorType.EDUCATION_PROVIDER)
    if Role.ADMIN not in roles_of(user):
        qs = qs.filter(pk__in=organisation_ids(user, role=Role.PROVIDER))
    return list(qs.order_by("name"))


def _check(user: User | None, provider: Organisation) -> None:
    if user is not None and not can_manage(user, provider):
        raise PermissionDenied(_("Only the staff of %(provider)s may change its offerings.") % {"provider": provider})


# ---------------------------------------------------------------- providers
def ensure_provider(*, organisation: Organisation, **details: str) -> Provider:
    """Return the provider row of an education provider, creating or updating its details."""
    if organisation.actor_type != ActorType.EDUCATION_PROVIDER:
        raise ValidationError({"provider": [_("%(name)s is not an education provider.") % {"name": organisation}]})
    provider, _created = Provider.objects.get_or_create(organisation=organisation)
    changed = [name for name, value in details.items() if getattr(provider, name) != value]
    for name in changed:
        setattr(provider, name, details[name])
    if changed:
        provider.save()
    return provider


# ---------------------------------------------------------------- validation
def _to_int(value: Any, field: str, errors: Errors, *, minimum: int | None = 0) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(_("Enter a whole number."))
        return None
    if minimum is not None and number < minimum:
        errors.setdefault(field, []).append(_("Must be %(min)s or more.") % {"min": minimum})
    return number


def clean_offering(data: Mapping[str, Any], *, current: Offering | None = None) -> tuple[dict[str, Any], Errors]:
    """Return (cleaned values, errors) for offering fields in `data` merged over `current`."""
    errors: Errors = {}
    unknown = set(data) - set(OFFERING_FIELDS)
    for name in sorted(unknown):
        errors.setdefault(name, []).append(_("Unknown field."))
    values: dict[str, Any] = {}
    if current is not None:
        values = {name: getattr(current, name) for name in OFFERING_FIELDS}
    values.update({k: v for k, v in data.items() if k in OFFERING_FIELDS})

    for name in ("title_nl", "description_nl"):
        values[name] = str(values.get(name) or "").strip()
        if not values[name]:
            errors.setdefault(name, []).append(_("This field is required."))
    for name in ("code", "title_en", "description_en", "url", "language"):
        values[name] = str(values.get(name) or "").strip()
    if len(values["title_nl"]) > 200:
        errors.setdefault("title_nl", []).append(_("At most 200 characters."))
    values["language"] = values["language"] or "nl"
    _choice(values, "credential_type", CredentialType.values, errors, required=True)
    _choice(values, "level", Level.values, errors, default="")
    _choice(values, "mode", Mode.values, errors, default=Mode.ON_SITE)
    _choice(values, "status", Status.values, errors, default=Status.PUBLISHED)
    values["study_load_hours"] = _to_int(values.get("study_load_hours"), "study_load_hours", errors)
    price = _to_int(values.get("price_cents"), "price_cents", errors)
    if price is not None and price < 0:
        errors["price_cents"] = [_("A price cannot be negative.")]
    values["price_cents"] = price if price is not None and price >= 0 else 0
    low = _to_int(values.get("min_group_size"), "min_group_size", errors, minimum=1)
    high = _to_int(values.get("max_group_size"), "max_group_size", errors, minimum=1)
    if low is not None and high is not None and low > high:
        errors.setdefault("min_group_size", []).append(
            _("The minimum group size (%(min)s) is above the maximum (%(max)s).") % {"min": low, "max": high}
        )
    values["min_group_size"], values["max_group_size"] = low, high
    values["funding_tags"] = _tags(values.get("funding_tags"), errors)
    values["rio"] = values.get("rio") or {}
    if not isinstance(values["rio"], dict):
        errors.setdefault("rio", []).append(_("Must be an object."))
    values["crebo"] = _crebo(values.get("crebo"), values.get("credential_type"), errors)
    values["municipality"] = _municipality(values.get("municipality"), errors)
    if (
        values["mode"] in (Mode.ON_SITE, Mode.HYBRID)
        and values["municipality"] is None
        and "municipality" not in errors
    ):
        errors.setdefault("municipality", []).append(_("An offering on site needs a municipality."))
    return values, errors


def _choice(
    values: dict[str, Any], name: str, allowed: list[str], errors: Errors, *, default: str = "", required: bool = False
) -> None:
    value = values.get(name)
    value = default if value in (None, "") else str(value)
    if required and not value:
        errors.setdefault(name, []).append(_("This field is required."))
    elif value not in allowed:
        errors.setdefault(name, []).append(_("%(value)r is not a valid choice.") % {"value": value})
    values[name] = value


def _tags(raw: Any, errors: Errors) -> list[str]:
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        raw = [part for part in raw.replace(";", ",").split(",")]
    if not isinstance(raw, (list, tuple)) or not all(isinstance(tag, str) for tag in raw):
        errors.setdefault("funding_tags", []).append(_("Give a list of words."))
        return []
    return sorted({tag.strip().lower() for tag in raw if tag.strip()})


def _crebo(raw: Any, credential_type: Any, errors: Errors) -> Qualification | None:
    if isinstance(raw, Qualification):
        qualification: Qualification | None = raw
    elif raw in (None, ""):
        qualification = None
    else:
        qualification = Qualification.objects.filter(code=str(raw).strip()).first()
        if qualification is None:
            errors.setdefault("crebo", []).append(_("Unknown crebo code %(code)s.") % {"code": raw})
            return None
    if credential_type in CREBO_TYPES and qualification is None and "crebo" not in errors:
        errors.setdefault("crebo", []).append(_("An mbo-certificaat or diploma needs its crebo code."))
    return qualification


def _municipality(raw: Any, errors: Errors) -> Municipality | None:
    if isinstance(raw, Municipality) or raw in (None, ""):
        return raw or None
    found = Municipality.objects.filter(code=str(raw).strip()).select_related("region").first()
    if found is None:
        found = Municipality.objects.filter(name__iexact=str(raw).strip()).select_related("region").first()
    if found is None:
        errors.setdefault("municipality", []).append(_("Unknown municipality %(value)s.") % {"value": raw})
    return found


def clean_run(data: Mapping[str, Any], *, current: Run | None = None) -> tuple[dict[str, Any], Errors]:
    """Return (cleaned values, errors) for run fields in `data` merged over `current`."""
    errors: Errors = {}
    for name in sorted(set(data) - set(RUN_FIELDS)):
        errors.setdefault(name, []).append(_("Unknown field."))
    values: dict[str, Any] = {name: getattr(current, name) for name in RUN_FIELDS} if current else {}
    values.update({k: v for k, v in data.items() if k in RUN_FIELDS})
    for name in ("start_date", "end_date"):
        values[name] = _date(values.get(name), name, errors, required=True)
    for name in ("start_time", "end_time"):
        values[name] = _time(values.get(name), name, errors)
    if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
        errors.setdefault("end_date", []).append(_("A run cannot end before it starts."))
    if values["start_time"] and values["end_time"] and values["end_time"] <= values["start_time"]:
        errors.setdefault("end_time", []).append(_("The end time must be after the start time."))
    values["weekdays"] = _weekdays(values.get("weekdays"), errors)
    values["seats"] = _to_int(values.get("seats"), "seats", errors, minimum=1)
    values["location"] = str(values.get("location") or "").strip()
    values["rio"] = values.get("rio") or {}
    return values, errors


def _date(raw: Any, name: str, errors: Errors, *, required: bool) -> dt.date | None:
    if isinstance(raw, dt.date):
        return raw
    if raw in (None, ""):
        if required:
            errors.setdefault(name, []).append(_("This field is required."))
        return None
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        errors.setdefault(name, []).append(_("Enter a date as YYYY-MM-DD."))
        return None


def _time(raw: Any, name: str, errors: Errors) -> dt.time | None:
    if isinstance(raw, dt.time) or raw in (None, ""):
        return raw or None
    try:
        return dt.time.fromisoformat(str(raw))
    except ValueError:
        errors.setdefault(name, []).append(_("Enter a time as HH:MM."))
        return None


def _weekdays(raw: Any, errors: Errors) -> list[int]:
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        raw = [part for part in raw.replace(";", ",").split(",") if part.strip()]
    try:
        days = sorted({int(day) for day in raw})
    except (TypeError, ValueError):
        errors.setdefault("weekdays", []).append(_("Give days as numbers 1 (Monday) to 7 (Sunday)."))
        return []
    if any(day < 1 or day > 7 for day in days):
        errors.setdefault("weekdays", []).append(_("Give days as numbers 1 (Monday) to 7 (Sunday)."))
    return days


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError({name: messages for name, messages in errors.items()})


def _prefixed(prefix: str, errors: Errors) -> Errors:
    return {f"{prefix}.{name}": messages for name, messages in errors.items()}


# ---------------------------------------------------------------- offerings
def create_offering(
    *,
    provider: Organisation,
    data: Mapping[str, Any],
    runs: Sequence[Mapping[str, Any]] = (),
    skills: Sequence[str] | None = None,
    by: User | None = None,
    propose: bool = True,
) -> Offering:
    """Create an offering with its runs, all or nothing; the engine proposes its skills unless `skills` are given."""
    _check(by, provider)
    values, errors = clean_offering(data)
    if provider.actor_type != ActorType.EDUCATION_PROVIDER:
        errors.setdefault("provider", []).append(_("%(name)s is not an education provider.") % {"name": provider})
    cleaned_runs = []
    for index, run in enumerate(runs):
        run_values, run_errors = clean_run(run)
        errors.update(_prefixed(f"runs.{index}", run_errors))
        cleaned_runs.append(run_values)
    if values.get("status") == Status.PUBLISHED and values.get("credential_type") in RUN_TYPES and not runs:
        errors.setdefault("runs", []).append(_("This type of offering needs at least one run."))
    concepts = _skill_concepts(skills, errors) if skills is not None else None
    _raise(errors)
    with transaction.atomic():
        offering = Offering(provider=provider, **_with_region(values))
        offering.save()
        for run_values in cleaned_runs:
            Run(offering=offering, **run_values).save()
        refresh_time_flags(offering=offering)
        if concepts is not None:
            _set_skills(offering, concepts, source=OfferingSkill.Source.PROVIDER, confirmed=True)
        elif propose:
            propose_skills(offering=offering)
    return offering


def update_offering(
    *, offering: Offering, data: Mapping[str, Any], by: User | None = None, propose: bool = True
) -> Offering:
    """Change an offering's fields, all or nothing; a changed description has the engine propose again."""
    _check(by, offering.provider)
    values, errors = clean_offering(data, current=offering)
    if (
        values.get("status") == Status.PUBLISHED
        and values.get("credential_type") in RUN_TYPES
        and not offering.runs.exists()
    ):
        errors.setdefault("runs", []).append(_("This type of offering needs at least one run."))
    _raise(errors)
    text_changed = any(
        values[name] != getattr(offering, name) for name in ("title_nl", "description_nl", "description_en")
    )
    with transaction.atomic():
        for name, value in _with_region(values).items():
            setattr(offering, name, value)
        offering.save()
        if propose and text_changed:
            propose_skills(offering=offering)
    return offering


def delete_offering(*, offering: Offering, by: User | None = None) -> None:
    """Delete an offering with its runs and outcomes."""
    _check(by, offering.provider)
    offering.delete()


def _with_region(values: dict[str, Any]) -> dict[str, Any]:
    municipality = values.get("municipality")
    return {**values, "region": municipality.region if municipality is not None else None}


# ---------------------------------------------------------------- runs
def create_run(*, offering: Offering, data: Mapping[str, Any], by: User | None = None) -> Run:
    """Add a run to an offering; return it."""
    _check(by, offering.provider)
    values, errors = clean_run(data)
    _raise(errors)
    with transaction.atomic():
        run = Run(offering=offering, **values)
        run.save()
        refresh_time_flags(offering=offering)
    return run


def update_run(*, run: Run, data: Mapping[str, Any], by: User | None = None) -> Run:
    """Change a run; return it."""
    _check(by, run.offering.provider)
    values, errors = clean_run(data, current=run)
    _raise(errors)
    with transaction.atomic():
        for name, value in values.items():
            setattr(run, name, value)
        run.save()
        refresh_time_flags(offering=run.offering)
    return run


def delete_run(*, run: Run, by: User | None = None) -> None:
    """Delete a run, unless it is the last run of a published offering whose type needs runs."""
    offering = run.offering
    _check(by, offering.provider)
    if (
        offering.status == Status.PUBLISHED
        and offering.credential_type in RUN_TYPES
        and not offering.runs.exclude(pk=run.pk).exists()
    ):
        raise ValidationError({"runs": [_("This type of offering needs at least one run.")]})
    with transaction.atomic():
        run.delete()
        refresh_time_flags(offering=offering)


def refresh_time_flags(*, offering: Offering) -> None:
    """Roll the runs' evening/weekend flags up to the offering (derived, never typed)."""
    runs = list(offering.runs.all())
    flags = {
        "is_evening": any(run_is_evening(run.start_time) for run in runs),
        "is_weekend": any(run_is_weekend(run.weekdays) for run in runs),
        "is_daytime": any(not run_is_evening(run.start_time) and not run_is_weekend(run.weekdays) for run in runs),
    }
    if any(getattr(offering, name) != value for name, value in flags.items()):
        Offering.objects.filter(pk=offering.pk).update(**flags)
        for name, value in flags.items():
            setattr(offering, name, value)


# ---------------------------------------------------------------- skills
def _skill_concepts(uris: Iterable[str], errors: Errors, *, field: str = "skills") -> list[Concept]:
    wanted = list(dict.fromkeys(uri.strip() for uri in uris if uri and uri.strip()))
    found = {c.uri: c for c in Concept.objects.filter(uri__in=wanted, kind=Kind.SKILL)}
    unknown = [uri for uri in wanted if uri not in found]
    if unknown:
        errors.setdefault(field, []).append(_("Unknown skill URI: %(uris)s") % {"uris": ", ".join(unknown)})
    return [found[uri] for uri in wanted if uri in found]


def _set_skills(offering: Offering, concepts: list[Concept], *, source: str, confirmed: bool) -> None:
    existing = {row.skill_id: row for row in offering.skills.all()}
    for concept in concepts:
        row = existing.get(concept.pk)
        if row is None:
            OfferingSkill.objects.create(
                offering=offering, skill=concept, source=source, confirmed=confirmed, score=1.0
            )
        elif row.removed or row.confirmed != confirmed:
            row.removed, row.confirmed = False, confirmed
            row.save(update_fields=["removed", "confirmed"])


def set_skills(
    *, offering: Offering, uris: Sequence[str], by: User | None = None, source: str = OfferingSkill.Source.PROVIDER
) -> None:
    """Make `uris` the offering's confirmed outcomes; others the provider set or confirmed are removed."""
    _check(by, offering.provider)
    errors: Errors = {}
    concepts = _skill_concepts(uris, errors)
    _raise(errors)
    keep = {c.pk for c in concepts}
    with transaction.atomic():
        _set_skills(offering, concepts, source=source, confirmed=True)
        offering.skills.exclude(skill_id__in=keep).filter(removed=False).update(removed=True, confirmed=False)


def add_skill(*, offering: Offering, uri: str, by: User | None = None) -> OfferingSkill:
    """Add a confirmed outcome by URI; return it."""
    _check(by, offering.provider)
    errors: Errors = {}
    concepts = _skill_concepts([uri], errors, field="skill")
    _raise(errors)
    with transaction.atomic():
        _set_skills(offering, concepts, source=OfferingSkill.Source.PROVIDER, confirmed=True)
    return offering.skills.get(skill=concepts[0])


def confirm_skill(*, outcome: OfferingSkill, by: User | None = None) -> None:
    """The provider confirms a proposed outcome."""
    _check(by, outcome.offering.provider)
    outcome.confirmed, outcome.removed = True, False
    outcome.save(update_fields=["confirmed", "removed"])


def remove_skill(*, outcome: OfferingSkill, by: User | None = None) -> None:
    """The provider removes an outcome; it stays recorded so the engine does not propose it again."""
    _check(by, outcome.offering.provider)
    outcome.confirmed, outcome.removed = False, True
    outcome.save(update_fields=["confirmed", "removed"])


def offering_text(offering: Offering) -> str:
    """Return the text the engine reads for an offering's skills."""
    parts = [offering.title_nl, offering.description_nl, offering.title_en, offering.description_en]
    return "\n".join(part for part in parts if part)


def propose_skills(*, offering: Offering) -> int:
    """Have the engine propose outcomes from the offering's text; return how many are new.

    Earlier engine proposals the provider did not confirm and the text no longer evidences go;
    confirmed and removed outcomes stay as they are.
    """
    from wendbaar.skills import reading

    read = reading.read_skills(offering_text(offering), limit=PROPOSAL_LIMIT, lexical_min_score=PROPOSAL_MIN_SCORE)
    matches = read.matches
    concepts = {c.uri: c for c in Concept.objects.filter(uri__in=[m.uri for m in matches], kind=Kind.SKILL)}
    existing = {row.skill.uri: row for row in offering.skills.select_related("skill")}
    found = set()
    new = 0
    for match in matches:
        concept = concepts.get(match.uri)
        if concept is None:
            continue
        found.add(match.uri)
        row = existing.get(match.uri)
        evidence = list(reading.evidence_of(match))[:5]
        if row is None:
            OfferingSkill.objects.create(
                offering=offering,
                skill=concept,
                source=OfferingSkill.Source.ENGINE,
                score=match.score,
                evidence=evidence,
                found_by=match.found_by,
            )
            new += 1
        elif row.source == OfferingSkill.Source.ENGINE and (
            row.score != match.score or row.evidence != evidence or row.found_by != match.found_by
        ):
            row.score, row.evidence, row.found_by = match.score, evidence, match.found_by
            row.save(update_fields=["score", "evidence", "found_by"])
    stale = [
        row.pk
        for uri, row in existing.items()
        if uri not in found and row.source == OfferingSkill.Source.ENGINE and not row.confirmed and not row.removed
    ]
    OfferingSkill.objects.filter(pk__in=stale).delete()
    return new


# ---------------------------------------------------------------- crebo
@dataclass
class CreboReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


CREBO_COLUMNS = {
    "code": "code", "naam": "name", "niveau": "level", "niveau_naam": "level_name", "leerweg": "learning_routes",
    "dossier_code": "dossier_code", "dossier_naam": "dossier_name", "sectorkamer_code": "sector_chamber_code",
    "sectorkamer_naam": "sector_chamber_name",
}  # fmt: skip


class CreboImportError(ValueError):
    """A crebo file that cannot be imported; the message names file, line and field."""


def import_crebo(*, path: Path) -> CreboReport:
    """Load the crebo register (DUO/SBB CSV) all or nothing; re-importing the same file changes nothing."""
    rows: list[dict[str, Any]] = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [column for column in ("code", "naam") if column not in (reader.fieldnames or [])]
        if missing:
            raise CreboImportError(f"{path}:1: missing column(s) {', '.join(missing)}")
        problems = []
        for line, record in enumerate(reader, start=2):
            code = (record.get("code") or "").strip()
            if not (code.isdigit() and 1 <= len(code) <= 5):
                problems.append(f"{path}:{line}: field 'code': {code!r} is not a crebo code (1-5 digits)")
                continue
            if not (record.get("naam") or "").strip():
                problems.append(f"{path}:{line}: field 'naam': empty")
                continue
            level = (record.get("niveau") or "").strip()
            if level and not level.isdigit():
                problems.append(f"{path}:{line}: field 'niveau': {level!r} is not a level")
                continue
            values = {attr: (record.get(column) or "").strip() for column, attr in CREBO_COLUMNS.items()}
            values["level"] = int(level) if level else None
            rows.append(values)
        if problems:
            raise CreboImportError("\n".join(problems[:50]))
    report = CreboReport()
    with transaction.atomic():
        known = {q.code: q for q in Qualification.objects.all()}
        new = []
        for values in rows:
            current = known.get(values["code"])
            if current is None:
                new.append(Qualification(**values))
                report.created += 1
            elif any(getattr(current, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(current, k, v)
                current.save()
                report.updated += 1
            else:
                report.unchanged += 1
        Qualification.objects.bulk_create(new, batch_size=1000)
    return report


# ---------------------------------------------------------------- places
def import_places(*, path: Path) -> int:
    """Set every known municipality's point (WGS84) from a gemeente TopoJSON file; return how many have one."""
    from wendbaar.catalogue.models import Place
    from wendbaar.regions.topojson import read_features, representative_point

    points = {f.code: representative_point(f.geometry) for f in read_features(path) if f.code.startswith("GM")}
    with transaction.atomic():
        known = {m.code: m for m in Municipality.objects.filter(code__in=points)}
        for code, (lon, lat) in points.items():
            municipality = known.get(code)
            if municipality is not None:
                Place.objects.update_or_create(municipality=municipality, defaults={"lat": lat, "lon": lon})
    return Place.objects.count()
