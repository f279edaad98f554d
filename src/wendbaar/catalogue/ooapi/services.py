"""OOAPI v5 import and export: the catalogue's exchange with providers' systems, RIO and eduXchange-like consumers.

Import is a one-way flow of small steps (read files → check each object against our schema → resolve
references → plan each object → write in one transaction). It reports per object: created, updated,
unchanged or refused with reasons (file, object id, JSON pointer or field). By default one refused
object refuses the whole import and nothing is written; `partial=True` writes the objects that are
valid. Re-importing the same files changes nothing. Export writes what a provider holds as OOAPI
JSON that the import reads back to the same offerings.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Prefetch

from wendbaar.catalogue import services
from wendbaar.catalogue.models import RUN_TYPES, Offering, OfferingSkill, Provider, Qualification, Run, Status
from wendbaar.catalogue.ooapi import mapping, schemas
from wendbaar.regions import services as regions
from wendbaar.regions.constants import ActorType
from wendbaar.regions.models import Municipality, Organisation
from wendbaar.skills.models import Concept, Kind
from wendbaar.skills.services import preferred_labels

ORDER = ("organization", "educationSpecification", "course", "program", "offering")
DUMP_KEYS = {
    "organizations": "organization",
    "educationSpecifications": "educationSpecification",
    "courses": "course",
    "programs": "program",
    "offerings": "offering",
}


class OoapiImportError(ValueError):
    """An import that could not be read at all (a missing file, broken JSON); names the file and position."""


@dataclass
class ObjectResult:
    kind: str
    id: str
    source: str  # file and position in it
    outcome: str = ""  # created, updated, unchanged, refused
    reasons: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    objects: list[ObjectResult] = field(default_factory=list)
    written: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.objects if o.outcome == outcome)

    @property
    def refused(self) -> list[ObjectResult]:
        return [o for o in self.objects if o.outcome == "refused"]

    def summary(self) -> str:
        counts = ", ".join(f"{name}: {self.count(name)}" for name in ("created", "updated", "unchanged", "refused"))
        return counts + ("" if self.written else " (nothing written)")


@dataclass
class _Item:
    kind: str
    obj: dict[str, Any]
    result: ObjectResult


# ---------------------------------------------------------------- reading
def _files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.json") if p.is_file())
        elif path.is_file():
            yield path
        else:
            raise OoapiImportError(f"{path}: no such file or directory")


def read_objects(paths: Sequence[Path]) -> list[_Item]:
    """Return every OOAPI object in the files: single objects, lists, pages (`items`) or API dumps."""
    items: list[_Item] = []
    for path in _files(paths):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise OoapiImportError(f"{path}: not UTF-8 text: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise OoapiImportError(f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}") from exc
        for where, kind, obj in _walk(data, str(path)):
            object_id = str(obj.get(schemas.ID_KEYS[kind], "")) if kind and isinstance(obj, dict) else ""
            result = ObjectResult(kind or "unknown", object_id, where)
            if kind is None:
                result.outcome, result.reasons = "refused", ["not an OOAPI object this import reads (no id key)"]
            items.append(_Item(kind or "unknown", obj if isinstance(obj, dict) else {}, result))
    return items


def _walk(data: Any, where: str) -> Iterator[tuple[str, str | None, Any]]:
    if isinstance(data, dict) and any(key in data for key in DUMP_KEYS):
        for key, kind in DUMP_KEYS.items():
            for index, obj in enumerate(data.get(key) or []):
                yield f"{where}: {key}[{index}]", kind, obj
    elif isinstance(data, dict) and isinstance(data.get("items"), list):
        for index, obj in enumerate(data["items"]):
            yield f"{where}: items[{index}]", schemas.kind_of(obj), obj
    elif isinstance(data, list):
        for index, obj in enumerate(data):
            yield f"{where}: [{index}]", schemas.kind_of(obj), obj
    else:
        yield where, schemas.kind_of(data), data


# ---------------------------------------------------------------- import
@dataclass
class _Context:
    default_provider: Organisation | None
    default_regions: list[str]
    only: Organisation | None = None  # a provider's own import: nothing of other providers
    organisations: dict[str, Organisation] = field(default_factory=dict)  # OOAPI organizationId → ours
    specifications: dict[str, str] = field(default_factory=dict)  # educationSpecificationId → crebo
    offerings: dict[str, Offering] = field(default_factory=dict)  # courseId → ours (planned or existing)
    run_counts: dict[str, int] = field(default_factory=dict)  # courseId → runs in this import
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    qualifications: dict[str, Qualification] = field(default_factory=dict)
    skills: dict[str, Concept] = field(default_factory=dict)
    prices: dict[str, int] = field(default_factory=dict)
    existing_offerings: dict[str, Offering] = field(default_factory=dict)  # courseId → stored, with runs counted
    existing_runs: dict[str, Run] = field(default_factory=dict)  # offeringId → stored
    named: set[str] = field(default_factory=set)  # courseIds and programIds in the files
    # New rows are written in bulk after planning (10,000 courses one by one took minutes).
    new_offerings: list[Offering] = field(default_factory=list)
    new_runs: list[Run] = field(default_factory=list)
    new_skills: list[OfferingSkill] = field(default_factory=list)
    touched: dict[str, Offering] = field(default_factory=dict)  # stored offerings whose runs changed


def import_ooapi(
    *,
    paths: Sequence[Path],
    provider: Organisation | None = None,
    region_codes: Sequence[str] = (),
    partial: bool = False,
    propose: bool = True,
    only_provider: Organisation | None = None,
) -> ImportReport:
    """Import OOAPI v5 files; return the per-object report. All or nothing unless `partial`.

    With `only_provider` (a provider's staff importing on the provider pages) every course goes to
    that provider, and objects of other organisations are refused.
    """
    items = read_objects(paths)
    report = ImportReport(objects=[item.result for item in items])
    for item in items:
        if item.result.outcome != "refused":
            item.result.reasons = schemas.violations(item.kind, item.obj)
            if item.result.reasons:
                item.result.outcome = "refused"
    context = _Context(
        default_provider=only_provider or provider, default_regions=list(region_codes), only=only_provider
    )
    _preload(context, items)
    with transaction.atomic():
        writers = []
        for kind in ORDER:
            for item in items:
                if item.kind == kind and item.result.outcome != "refused":
                    writer = PLANNERS[kind](item, context)
                    if writer is not None:
                        writers.append((item, writer))
        if report.refused and not partial:
            for _item, _writer in writers:
                _item.result.outcome = _item.result.outcome if _item.result.outcome == "refused" else "not written"
            transaction.set_rollback(True)
            return report
        proposals: list[Offering] = []
        for item, writer in writers:
            if item.result.outcome == "refused":
                continue
            writer(proposals)
        _flush(context)
        if propose:
            for offering in proposals:
                services.propose_skills(offering=offering)
        report.written = True
    return report


def _preload(context: _Context, items: list[_Item]) -> None:
    """Look up every municipality, crebo code and skill the files name, in a few queries."""
    gm, crebo, uris = set(), set(), set()
    for item in items:
        ext = item.obj.get("ext", {}).get(mapping.EXT, {}) if isinstance(item.obj.get("ext"), dict) else {}
        if isinstance(ext, dict):
            if isinstance(ext.get("municipality"), str):
                gm.add(ext["municipality"])
            for skill in ext.get("skills") or ():
                if isinstance(skill, dict) and isinstance(skill.get("uri"), str):
                    uris.add(skill["uri"])
        for entry in [item.obj.get("primaryCode"), *(item.obj.get("otherCodes") or [])]:
            if isinstance(entry, dict) and entry.get("codeType") == "crohoCreboCode":
                crebo.add(str(entry.get("code")))
    context.municipalities = {m.code: m for m in Municipality.objects.filter(code__in=gm).select_related("region")}
    context.qualifications = {q.code: q for q in Qualification.objects.filter(code__in=crebo)}
    context.skills = {c.uri: c for c in Concept.objects.filter(uri__in=uris, kind=Kind.SKILL)}
    course_ids = [
        str(i.obj.get("courseId") or i.obj.get("programId")) for i in items if i.kind in ("course", "program")
    ]
    stored = (
        Offering.objects.filter(uuid__in=[c for c in course_ids if _is_uuid(c)])
        .select_related("provider")
        .annotate(run_total=Count("runs", distinct=True))
        .prefetch_related(Prefetch("skills", queryset=OfferingSkill.objects.filter(removed=False), to_attr="taught"))
    )
    context.existing_offerings = {str(o.uuid): o for o in stored}
    context.named = set(course_ids)
    run_ids = [str(i.obj.get("offeringId")) for i in items if i.kind == "offering"]
    runs = Run.objects.filter(uuid__in=[r for r in run_ids if _is_uuid(r)])
    context.existing_runs = {str(r.uuid): r for r in runs}
    for item in items:
        if item.kind == "offering":
            _key, course_id = mapping.offered(item.obj)
            price = mapping.price_from_offerings([item.obj])
            if course_id and price is not None:
                context.prices.setdefault(course_id, price)
            if course_id:
                context.run_counts[course_id] = context.run_counts.get(course_id, 0) + 1


def _refuse(item: _Item, *reasons: str) -> None:
    item.result.outcome = "refused"
    item.result.reasons.extend(reasons)


Writer = Any  # Callable[[list[Offering]], None]


def _plan_organization(item: _Item, context: _Context) -> Writer:
    obj = item.obj
    name = mapping.text_in(obj.get("name"), "nl") or mapping.text_in(obj.get("name"), "")
    existing = Organisation.objects.filter(uuid=obj["organizationId"]).first()
    if existing is None:
        existing = Organisation.objects.filter(name__iexact=name).first()
    if existing is not None and existing.actor_type != ActorType.EDUCATION_PROVIDER:
        _refuse(item, f"/name: {name} is an organisation that is not an education provider")
        return None
    if context.only is not None and (existing is None or existing.pk != context.only.pk):
        _refuse(item, f"/organizationId: you can only import the offer of {context.only.name}")
        return None
    brin = next((c.get("code", "") for c in obj.get("otherCodes") or [] if c.get("codeType") == "brin"), "")
    details = {
        "short_name": "" if obj.get("shortName") == name else str(obj.get("shortName", ""))[:40],
        "brin_code": str(brin)[:4],
        "homepage": str(obj.get("link", "")),
    }
    region_codes = obj.get("ext", {}).get(mapping.EXT, {}).get("regions") or context.default_regions
    if existing is None and not region_codes:
        _refuse(item, "/ext/wendbaar/regions: a new provider needs a region (give --region)")
        return None
    current = getattr(existing, "provider", None) if existing else None
    same = current is not None and all(getattr(current, k) == v for k, v in details.items())
    item.result.outcome = "unchanged" if same else ("updated" if existing else "created")
    if existing is not None:
        context.organisations[obj["organizationId"]] = existing

    def write(_proposals: list[Offering]) -> None:
        organisation = existing or regions.create_organisation(
            name=name, actor_type=ActorType.EDUCATION_PROVIDER, region_codes=list(region_codes)
        )
        context.organisations[obj["organizationId"]] = organisation
        if not same:
            services.ensure_provider(organisation=organisation, **details)

    if existing is None:
        # Courses later in this import refer to it before it is written: a placeholder resolved on write.
        context.organisations[obj["organizationId"]] = _Pending(name)  # type: ignore[assignment]
    return write


class _Pending:
    """An organisation that this import will create (courses may refer to it)."""

    def __init__(self, name: str) -> None:
        self.name = name


def _plan_specification(item: _Item, context: _Context) -> Writer:
    obj = item.obj
    code = next(
        (str(c.get("code")) for c in [obj.get("primaryCode"), *(obj.get("otherCodes") or [])]
         if isinstance(c, dict) and c.get("codeType") == "crohoCreboCode"),
        "",
    )  # fmt: skip
    if not code:
        _refuse(item, "/primaryCode: an education specification needs a crebo code (codeType crohoCreboCode)")
        return None
    if code not in context.qualifications:
        _refuse(item, f"/primaryCode/code: unknown crebo code {code} (load the register with import-crebo)")
        return None
    context.specifications[obj["educationSpecificationId"]] = code
    item.result.outcome = "unchanged"  # the crebo register is the source of qualifications; nothing to write
    return None


def _provider_of(item: _Item, context: _Context) -> Organisation | _Pending | None:
    ref = mapping.reference(item.obj.get("organization"), "organizationId")
    if ref:
        if ref in context.organisations:
            return context.organisations[ref]
        found = (
            Organisation.objects.filter(uuid=ref, actor_type=ActorType.EDUCATION_PROVIDER).first()
            if _is_uuid(ref)
            else None
        )
        if found is not None:
            context.organisations[ref] = found
            return found
        if context.default_provider is None:
            return None
    return context.default_provider


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _plan_course(item: _Item, context: _Context) -> Writer:
    obj = item.obj
    object_id = str(obj.get("courseId") or obj.get("programId"))
    provider = _provider_of(item, context)
    if provider is None:
        _refuse(item, "/organization: unknown provider (give the organization in the files or --provider)")
        return None
    if context.only is not None and provider is not context.only and getattr(provider, "pk", None) != context.only.pk:
        _refuse(item, f"/organization: you can only import the offer of {context.only.name}")
        return None
    values = mapping.offering_values(obj)
    spec_ref = mapping.reference(obj.get("educationSpecification"), "educationSpecificationId")
    if spec_ref and not values["crebo"]:
        values["crebo"] = context.specifications.get(spec_ref)
        if values["crebo"] and "credentialType" not in obj.get("ext", {}).get(mapping.EXT, {}):
            values["credential_type"] = mapping.foreign_credential_type(obj, has_crebo=True)
    if "priceCents" not in obj.get("ext", {}).get(mapping.EXT, {}) and object_id in context.prices:
        values["price_cents"] = context.prices[object_id]
    reasons: list[str] = []
    for name, lookup in (("municipality", context.municipalities), ("crebo", context.qualifications)):
        code = values[name]
        if code:
            if code in lookup:
                values[name] = lookup[code]
            else:
                pointer = "/ext/wendbaar/municipality" if name == "municipality" else "/otherCodes"
                reasons.append(f"{pointer}: unknown {name} {code}")
                values[name] = None
    cleaned, errors = services.clean_offering(values)
    reasons += [f"{name}: {message}" for name, messages in errors.items() for message in messages]
    claims = mapping.skill_claims(obj)
    if claims is not None:
        unknown = [uri for uri, _confirmed in claims if uri not in context.skills]
        if unknown:
            reasons.append(f"/ext/wendbaar/skills: unknown skill URI {', '.join(unknown)}")
    existing = context.existing_offerings.get(object_id)
    if existing is not None and isinstance(provider, Organisation) and existing.provider_id != provider.pk:
        reasons.append(f"/organization: {item.kind} {object_id} belongs to another provider ({existing.provider.name})")
    runs_known = context.run_counts.get(object_id, 0) + (getattr(existing, "run_total", 0) if existing else 0)
    if cleaned.get("status") == Status.PUBLISHED and cleaned.get("credential_type") in RUN_TYPES and not runs_known:
        reasons.append("offerings: this type of course needs at least one offering (run)")
    if reasons:
        _refuse(item, *reasons)
        return None
    wanted_skills = None if claims is None else [(context.skills[uri], confirmed) for uri, confirmed in claims]
    region = cleaned["municipality"].region if cleaned["municipality"] is not None else None
    if existing is not None:
        same = all(_same(getattr(existing, name), cleaned[name]) for name in services.OFFERING_FIELDS)
        same = same and existing.region_id == (region.pk if region else None)
        if wanted_skills is not None:
            have = {(o.skill_id, o.confirmed) for o in getattr(existing, "taught", [])}
            same = same and have == {(c.pk, confirmed) for c, confirmed in wanted_skills}
        item.result.outcome = "unchanged" if same else "updated"
        context.offerings[object_id] = existing
        if same:
            return None
    else:
        item.result.outcome = "created"
        context.offerings[object_id] = Offering(uuid=object_id)  # placeholder until written

    def write(proposals: list[Offering]) -> None:
        owner = (
            provider
            if isinstance(provider, Organisation)
            else context.organisations[mapping.reference(obj.get("organization"), "organizationId")]
        )
        offering = existing or Offering(uuid=object_id, provider=owner)  # type: ignore[misc]
        for name in services.OFFERING_FIELDS:
            setattr(offering, name, cleaned[name])
        offering.region = region
        context.offerings[object_id] = offering
        if existing is None:
            context.new_offerings.append(offering)
            if wanted_skills is None:
                proposals.append(offering)
            for concept, confirmed in wanted_skills or ():
                context.new_skills.append(
                    OfferingSkill(offering=offering, skill=concept, source=OfferingSkill.Source.OOAPI,
                                  confirmed=confirmed, score=1.0)
                )  # fmt: skip
            return
        offering.save()
        if wanted_skills is not None:
            _write_skills(offering, wanted_skills)

    return write


def _same(current: Any, wanted: Any) -> bool:
    if hasattr(current, "pk") or hasattr(wanted, "pk"):
        return getattr(current, "pk", None) == getattr(wanted, "pk", None)
    return bool(current == wanted)


def _write_skills(offering: Offering, wanted: list[tuple[Concept, bool]]) -> None:
    existing = {o.skill_id: o for o in offering.skills.all()}
    keep = set()
    for concept, confirmed in wanted:
        keep.add(concept.pk)
        row = existing.get(concept.pk)
        if row is None:
            OfferingSkill.objects.create(
                offering=offering, skill=concept, source=OfferingSkill.Source.OOAPI, confirmed=confirmed, score=1.0
            )
        elif row.confirmed != confirmed or row.removed:
            row.confirmed, row.removed = confirmed, False
            row.save(update_fields=["confirmed", "removed"])
    OfferingSkill.objects.filter(offering=offering, removed=False).exclude(skill_id__in=keep).update(
        removed=True, confirmed=False
    )


def _plan_offering(item: _Item, context: _Context) -> Writer:
    obj = item.obj
    key, course_id = mapping.offered(obj)  # a course's or a program's id: both are offerings of ours
    offering = context.offerings.get(course_id)
    if offering is None and _is_uuid(course_id):
        offering = Offering.objects.filter(uuid=course_id).first()
        if offering is not None and context.only is not None and offering.provider_id != context.only.pk:
            _refuse(item, f"/{key}: {key} {course_id} belongs to another provider")
            return None
        if offering is not None:
            context.offerings[course_id] = offering
    if offering is None:
        why = "refused in this import" if course_id in context.named else "not in these files, not in the catalogue"
        _refuse(item, f"/{key}: unknown {key} {course_id or '(none)'} ({why})")
        return None
    values, errors = services.clean_run(mapping.run_values(obj))
    reasons = [
        f"{'/endDate' if name == 'end_date' else name}: {m}" for name, messages in errors.items() for m in messages
    ]
    existing = context.existing_runs.get(str(obj["offeringId"]))
    if existing is not None and offering.pk is not None and existing.offering_id != offering.pk:
        reasons.append(f"/{key}: offering {obj['offeringId']} belongs to another {key}")
    if reasons:
        _refuse(item, *reasons)
        return None
    if existing is not None:
        same = all(getattr(existing, name) == values[name] for name in services.RUN_FIELDS)
        item.result.outcome = "unchanged" if same else "updated"
        if same:
            return None
    else:
        item.result.outcome = "created"

    def write(_proposals: list[Offering]) -> None:
        target = context.offerings[course_id] if course_id in context.offerings else offering
        run = existing or Run(uuid=obj["offeringId"], offering=target)
        for name, value in values.items():
            setattr(run, name, value)
        run.derive_flags()
        if existing is None:
            context.new_runs.append(run)
        else:
            run.save()
        if target.pk is not None:
            context.touched[course_id] = target

    return write


def _flush(context: _Context) -> None:
    """Write the new offerings, runs and outcomes in bulk; roll the runs' flags up to their offerings."""
    by_offering: dict[int, list[Run]] = {}
    for run in context.new_runs:
        by_offering.setdefault(id(run.offering), []).append(run)
    for offering in context.new_offerings:
        runs = by_offering.get(id(offering), [])
        offering.is_evening = any(r.is_evening for r in runs)
        offering.is_weekend = any(r.is_weekend for r in runs)
        offering.is_daytime = any(not r.is_evening and not r.is_weekend for r in runs)
    Offering.objects.bulk_create(context.new_offerings, batch_size=500)
    Run.objects.bulk_create(context.new_runs, batch_size=1000)
    OfferingSkill.objects.bulk_create(context.new_skills, batch_size=2000)
    for offering in context.touched.values():
        services.refresh_time_flags(offering=offering)


PLANNERS = {
    "organization": _plan_organization,
    "educationSpecification": _plan_specification,
    "course": _plan_course,
    "program": _plan_course,
    "offering": _plan_offering,
}


# ---------------------------------------------------------------- export
@dataclass
class ExportReport:
    files: list[str]
    organizations: int
    courses: int
    programs: int
    offerings: int  # every OOAPI offering written: course and program offerings
    program_offerings: int  # of them, the offerings of programs
    education_specifications: int


def _json_lines(objects: list[dict[str, Any]]) -> str:
    """Return a JSON array with one object per line.

    json.dumps with `indent` falls back to the pure-Python encoder; one compact object per line keeps
    the C encoder and files that still read (and diff) object by object.
    """
    if not objects:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(obj, ensure_ascii=False) for obj in objects) + "\n]\n"


def export_ooapi(*, provider: Organisation, out_dir: Path) -> ExportReport:
    """Write a provider's offer as OOAPI v5 JSON (one file per collection) into `out_dir`; return what it wrote.

    Offerings leading to an mbo qualification go out as programs with program offerings, the others
    as courses with course offerings (`mapping.is_program`); OOAPI's `/offerings` holds both kinds, so
    `offerings.json` does too.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    provider = Organisation.objects.prefetch_related("regions").select_related("provider").get(pk=provider.pk)
    Provider.objects.get_or_create(organisation=provider)
    offerings = list(
        Offering.objects.filter(provider=provider)
        .select_related("provider", "municipality", "crebo")
        .prefetch_related(
            Prefetch(
                "skills",
                queryset=OfferingSkill.objects.select_related("skill").prefetch_related(preferred_labels("skill__labels")),
            ),
            "runs",
        )
        .order_by("id")
    )
    qualifications = sorted({o.crebo for o in offerings if o.crebo is not None}, key=lambda q: q.code)
    programs = [o for o in offerings if mapping.is_program(o)]
    courses = [o for o in offerings if not mapping.is_program(o)]
    collections = {
        "organizations.json": [mapping.organization(provider)],
        "education-specifications.json": [mapping.education_specification(q) for q in qualifications],
        "programs.json": [mapping.program(o) for o in programs],
        "courses.json": [mapping.course(o) for o in courses],
        "offerings.json": [mapping.run_offering(run, o) for o in offerings for run in o.runs.all()],
    }
    for name, objects in collections.items():
        (out_dir / name).write_text(_json_lines(objects), encoding="utf-8")
    program_offerings = sum(len(o.runs.all()) for o in programs)
    return ExportReport(
        files=[str(out_dir / name) for name in collections],
        organizations=1,
        courses=len(courses),
        programs=len(programs),
        offerings=len(collections["offerings.json"]),
        program_offerings=program_offerings,
        education_specifications=len(qualifications),
    )
