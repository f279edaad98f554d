"""Use cases of the demand app: register demand, pool it, match it, record gaps, invite and propose.

The only writer of the demand tables. Every write validates everything first and reports every
field error at once (a `ValidationError` with a dict of field → messages); nothing is written unless
all of it is valid. Who may see what is decided here too (`visible_demands`, `visible_pools`, …):
an organisation sees only its own demands; another organisation's demand simply does not exist
for it (404, not 403).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid as uuid_module
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wendbaar.catalogue import places
from wendbaar.catalogue import services as catalogue
from wendbaar.catalogue.models import Offering, Run
from wendbaar.catalogue.models import Status as OfferingStatus
from wendbaar.demand import points, repooling
from wendbaar.demand.matching import Match, ask_of_pool, match
from wendbaar.demand.models import (
    Demand,
    DemandMode,
    DemandSkill,
    DemandStatus,
    DemandUpload,
    Gap,
    Pool,
    PoolStatus,
    Proposal,
    TimeSlot,
)
from wendbaar.regions.constants import ActorType, Role
from wendbaar.regions.models import Municipality, Organisation
from wendbaar.regions.roles import coordinated_region_ids, organisation_ids, roles_of
from wendbaar.skills.models import Concept, Kind, OccupationSkill

log = logging.getLogger(__name__)
User = AbstractBaseUser | AnonymousUser
Errors = dict[str, list[str]]

# Who may register demand: employers for their staff; funds, municipalities and leerwerkloketten for others.
DEMAND_ACTORS = frozenset({ActorType.EMPLOYER, ActorType.FUND, ActorType.GOVERNMENT, ActorType.INTERMEDIARY})
DEMAND_ROLES = frozenset({Role.EMPLOYER, Role.FUND})
# Skills the engine reads from a demand's text below this score are noise (same bar as the catalogue's).
READ_MIN_SCORE = 0.35
READ_LIMIT = 12
MAX_TRAVEL_KM = 300
FIELDS = (
    "title", "text", "skills", "occupation", "people", "municipality", "travel_km", "earliest_start",
    "latest_end", "times", "weekdays", "mode", "max_price_cents", "show_name", "on_behalf_of",
)  # fmt: skip
# Day names a person or a CSV file may use for the ISO weekdays (Dutch first, English too).
DAY_NAMES = {
    name: number
    for number, names in enumerate((
        ("ma", "maandag", "mon", "monday"), ("di", "dinsdag", "tue", "tuesday"),
        ("wo", "woensdag", "wed", "wednesday"), ("do", "donderdag", "thu", "thursday"),
        ("vr", "vrijdag", "fri", "friday"), ("za", "zaterdag", "sat", "saturday"), ("zo", "zondag", "sun", "sunday"),
    ), start=1)
    for name in names
}  # fmt: skip


# ---------------------------------------------------------------- access
def demand_organisations(user: User) -> list[Organisation]:
    """Return the organisations on whose behalf `user` may register demand."""
    ids = organisation_ids(user, role=Role.EMPLOYER) | organisation_ids(user, role=Role.FUND)
    qs = Organisation.objects.filter(pk__in=ids, actor_type__in=DEMAND_ACTORS)
    if Role.ADMIN in roles_of(user):
        qs = Organisation.objects.filter(actor_type__in=DEMAND_ACTORS)
    return list(qs.order_by("name"))


def visible_demands(user: User) -> QuerySet[Demand]:
    """Return the demands `user` may read: their organisations' own; a coordinator's region's; all for admins."""
    qs = Demand.objects.select_related("organisation", "municipality", "region", "pool")
    roles = roles_of(user)
    if Role.ADMIN in roles:
        return qs
    condition = Q(
        organisation_id__in=organisation_ids(user, role=Role.EMPLOYER) | organisation_ids(user, role=Role.FUND)
    )
    if Role.COORDINATOR in roles:
        condition |= Q(region_id__in=coordinated_region_ids(user))
    return qs.filter(condition)


def provider_region_ids(user: User) -> frozenset[int]:
    ids = organisation_ids(user, role=Role.PROVIDER)
    return frozenset(
        Organisation.regions.through.objects.filter(organisation_id__in=ids).values_list("region_id", flat=True)
    )


def _pool_region_filter(region_ids: Iterable[int]) -> Q:
    ids = list(region_ids)
    codes = list(
        Organisation.regions.field.related_model.objects.filter(pk__in=ids).values_list("code", flat=True)  # type: ignore[attr-defined]
    )
    condition = Q(region_id__in=ids)
    for code in codes:
        condition |= Q(region_codes__icontains=code)
    return condition


def visible_pools(user: User) -> QuerySet[Pool]:
    """Return the pools `user` may see: the ones holding their own demands; viable ones in a provider's regions;
    every pool in a coordinator's regions; all for admins."""
    qs = Pool.objects.select_related("region", "invited_run__offering")
    roles = roles_of(user)
    if Role.ADMIN in roles:
        return qs
    own = organisation_ids(user, role=Role.EMPLOYER) | organisation_ids(user, role=Role.FUND)
    condition = Q(pk__in=Demand.objects.filter(organisation_id__in=own, pool__isnull=False).values("pool_id"))
    if Role.COORDINATOR in roles:
        condition |= _pool_region_filter(coordinated_region_ids(user))
    if Role.PROVIDER in roles:
        condition |= _pool_region_filter(provider_region_ids(user)) & Q(
            status__in=[PoolStatus.VIABLE, PoolStatus.INVITED]
        )
    return qs.filter(condition).distinct()


def visible_gaps(user: User) -> QuerySet[Gap]:
    """Return the gaps `user` may see: a provider's and coordinator's regions; all for admins."""
    qs = Gap.objects.select_related("region")
    roles = roles_of(user)
    if Role.ADMIN in roles:
        return qs
    region_ids: set[int] = set()
    if Role.COORDINATOR in roles:
        region_ids |= coordinated_region_ids(user)
    if Role.PROVIDER in roles:
        region_ids |= provider_region_ids(user)
    return qs.filter(region_id__in=region_ids)


def may_see_names(user: User, pool: Pool) -> bool:
    """Coordinators and admins see every name in a pool; others only names of organisations that opted in."""
    return bool(roles_of(user) & {Role.ADMIN, Role.COORDINATOR})


def pool_members(pool: Pool, user: User) -> list[dict[str, Any]]:
    """Return the pool's demands as the user may see them: people, region, and a name only where allowed."""
    own = organisation_ids(user)
    everyone = may_see_names(user, pool)
    out = []
    for demand in pool.demands.filter(status=DemandStatus.OPEN).select_related("organisation", "municipality"):
        shown = everyone or demand.show_name or demand.organisation_id in own
        out.append(
            {
                "people": demand.people,
                "municipality": demand.municipality.name,
                "organisation": demand.organisation.name if shown else None,
                "own": demand.organisation_id in own,
            }
        )
    return out


# ---------------------------------------------------------------- validation
def _error(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _int(raw: Any, name: str, errors: Errors) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        _error(errors, name, _("Enter a whole number."))
        return None


def _date(raw: Any, name: str, errors: Errors) -> dt.date | None:
    if isinstance(raw, dt.date):
        return raw
    if raw in (None, ""):
        _error(errors, name, _("This field is required."))
        return None
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        _error(errors, name, _("Enter a date as YYYY-MM-DD."))
        return None


def _list(raw: Any) -> list[Any]:
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        return [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]
    if isinstance(raw, (list, tuple)):
        return list(raw)
    return [raw]


def _weekdays(raw: Any, errors: Errors) -> list[int]:
    """Return the preferred ISO weekdays (1 = Monday … 7 = Sunday) from numbers or day names."""
    days: set[int] = set()
    bad = []
    for item in _list(raw.replace("|", ",") if isinstance(raw, str) else raw):
        text = str(item).strip().lower()
        number = DAY_NAMES.get(text) or (int(text) if text.isdigit() else 0)
        if 1 <= number <= 7:
            days.add(number)
        else:
            bad.append(str(item))
    if bad:
        message = _("Unknown day: %(values)s. Give days as 1 (Monday) to 7 (Sunday), or as ma, di, wo, do, vr, za, zo.")
        _error(errors, "weekdays", message % {"values": ", ".join(bad)})
    return sorted(days)


def _bool(raw: Any) -> bool:
    if isinstance(raw, str):
        return raw.strip().lower() in ("1", "true", "yes", "ja", "on")
    return bool(raw)


def workplace(raw: Any, errors: Errors) -> Municipality | None:
    """Return the Dutch municipality named by code (GM0599) or name; an error if it is not one."""
    if isinstance(raw, Municipality):
        return raw
    value = str(raw or "").strip()
    if not value:
        _error(errors, "municipality", _("This field is required."))
        return None
    found = Municipality.objects.filter(code__iexact=value).select_related("region").first()
    if found is None:
        found = Municipality.objects.filter(name__iexact=value).select_related("region").first()
    if found is None:
        _error(
            errors,
            "municipality",
            _("%(value)s is not a municipality in the Netherlands. Choose the Dutch municipality of the workplace.")
            % {"value": value},
        )
    return found


@dataclass
class ReadSkill:
    concept: Concept
    essential: bool
    source: str
    evidence: list[str]
    # Which layer of the engine read it (skills.models.FoundBy); "" when not read from the text.
    found_by: str = ""


def essential_skills(occupation_uri: str) -> list[str]:
    """Return the URIs of an occupation's essential skills (ESCO), for a demand to start from."""
    return list(
        OccupationSkill.objects.filter(occupation__uri=occupation_uri, relation="essential")
        .order_by("skill__uri")
        .values_list("skill__uri", flat=True)
    )


def read_text(text: str) -> list[tuple[str, list[str], str]]:
    """Return (skill URI, evidence, found by: words, meaning or both) the engine reads in a demand's
    text, best first."""
    from wendbaar.skills import reading

    if not text.strip():
        return []
    read = reading.read_skills(text, limit=READ_LIMIT, lexical_min_score=READ_MIN_SCORE)
    return [(m.uri, [str(e) for e in reading.evidence_of(m)[:3]], m.found_by) for m in read.matches]


def _skills(values: Mapping[str, Any], errors: Errors) -> list[ReadSkill]:
    picked: list[tuple[str, bool]] = []
    for item in _list(values.get("skills")):
        if isinstance(item, Mapping):
            picked.append((str(item.get("uri") or "").strip(), _bool(item.get("essential", True))))
        else:
            picked.append((str(item).strip(), True))
    picked = [(uri, essential) for uri, essential in picked if uri]
    found = {c.uri: c for c in Concept.objects.filter(uri__in=[uri for uri, _e in picked], kind=Kind.SKILL)}
    unknown = [uri for uri, _e in picked if uri not in found]
    if unknown:
        _error(errors, "skills", _("Unknown skill URI: %(uris)s") % {"uris": ", ".join(unknown)})
    out: dict[str, ReadSkill] = {}
    for uri, essential in picked:
        if uri in found:
            out[uri] = ReadSkill(found[uri], essential, DemandSkill.Source.PICKED, [])
    occupation = values.get("occupation")
    if occupation:
        concept = Concept.objects.filter(uri=str(occupation).strip(), kind=Kind.OCCUPATION).first()
        if concept is None:
            _error(errors, "occupation", _("Unknown occupation URI: %(uri)s") % {"uri": occupation})
        elif not picked:
            # Taken from the occupation: its essential skills (the asker edits them afterwards).
            for relation in OccupationSkill.objects.filter(occupation=concept, relation="essential").select_related(
                "skill"
            ):
                out.setdefault(relation.skill.uri, ReadSkill(relation.skill, True, DemandSkill.Source.OCCUPATION, []))
    text = str(values.get("text") or "")
    if not picked and text.strip():
        read = read_text(text)
        concepts = {c.uri: c for c in Concept.objects.filter(uri__in=[uri for uri, _e, _f in read], kind=Kind.SKILL)}
        for uri, evidence, found_by in read:
            if uri in concepts:
                out.setdefault(uri, ReadSkill(concepts[uri], True, DemandSkill.Source.TEXT, evidence, found_by))
    if not out and "skills" not in errors and "occupation" not in errors:
        if text.strip():
            _error(errors, "skills", _("We could not find skills in your text. Choose the skills from the list."))
        else:
            _error(errors, "skills", _("Tell us what people must learn: type it or choose skills from the list."))
    return list(out.values())


def clean_demand(
    data: Mapping[str, Any], *, current: Demand | None = None
) -> tuple[dict[str, Any], list[ReadSkill] | None, Errors]:
    """Return (cleaned values, skills or None when unchanged, errors) for demand fields merged over `current`."""
    errors: Errors = {}
    for name in sorted(set(data) - set(FIELDS)):
        _error(errors, name, _("Unknown field."))
    values: dict[str, Any] = {}
    if current is not None:
        values = {name: getattr(current, name) for name in FIELDS if name not in ("skills", "occupation")}
        values["municipality"] = current.municipality
    values.update({k: v for k, v in data.items() if k in FIELDS})
    for name, limit in (("title", 200), ("on_behalf_of", 200)):
        values[name] = str(values.get(name) or "").strip()
        if len(values[name]) > limit:
            _error(errors, name, _("At most %(n)s characters.") % {"n": limit})
    values["text"] = str(values.get("text") or "").strip()
    people = _int(values.get("people"), "people", errors)
    if people is None and "people" not in errors:
        _error(errors, "people", _("This field is required."))
    elif people is not None and people < 1:
        _error(errors, "people", _("A demand is for at least 1 person."))
    values["people"] = people
    travel = _int(values.get("travel_km"), "travel_km", errors)
    if travel is not None and not 0 <= travel <= MAX_TRAVEL_KM:
        _error(errors, "travel_km", _("Give a distance from 0 to %(max)s km.") % {"max": MAX_TRAVEL_KM})
    values["travel_km"] = 25 if travel is None else travel
    start = _date(values.get("earliest_start"), "earliest_start", errors)
    end = _date(values.get("latest_end"), "latest_end", errors)
    if start and end and end < start:
        _error(errors, "latest_end", _("The latest end date is before the earliest start date."))
    values["earliest_start"], values["latest_end"] = start, end
    times = [str(t).strip() for t in _list(values.get("times"))]
    bad = [t for t in times if t not in TimeSlot.values]
    if bad:
        _error(
            errors,
            "times",
            _("Unknown time: %(values)s. Choose from %(choices)s.")
            % {"values": ", ".join(bad), "choices": ", ".join(TimeSlot.values)},
        )
    values["times"] = sorted(set(times) - set(bad))
    values["weekdays"] = _weekdays(values.get("weekdays"), errors)
    mode = str(values.get("mode") or "").strip()
    if mode not in DemandMode.values:
        _error(errors, "mode", _("%(value)r is not a valid choice.") % {"value": mode})
    values["mode"] = mode
    price = _int(values.get("max_price_cents"), "max_price_cents", errors)
    if price is not None and price < 0:
        _error(errors, "max_price_cents", _("A price cannot be negative."))
    values["max_price_cents"] = price
    values["show_name"] = _bool(values.get("show_name"))
    values["municipality"] = workplace(values.get("municipality"), errors)
    skills = None
    if current is None or any(name in data for name in ("skills", "occupation", "text")):
        skills = _skills(values, errors)
    values.pop("skills", None)
    values.pop("occupation", None)
    return values, skills, errors


def _person(user: User | None) -> Any:
    return user if user is not None and user.is_authenticated else None


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError({name: messages for name, messages in errors.items()})


def _check_organisation(organisation: Organisation, by: User | None, errors: Errors) -> None:
    if organisation.actor_type not in DEMAND_ACTORS:
        _error(errors, "organisation", _("%(name)s cannot register learning demand.") % {"name": organisation})
    if (
        by is not None
        and Role.ADMIN not in roles_of(by)
        and organisation.pk not in {o.pk for o in demand_organisations(by)}
    ):
        raise PermissionDenied(_("You cannot register demand for %(name)s.") % {"name": organisation})


def _located(values: dict[str, Any]) -> dict[str, Any]:
    municipality: Municipality = values["municipality"]
    point = places.point_of(municipality.code)
    lat, lon = point if point else (None, None)
    return {**values, "region": municipality.region, "lat": lat, "lon": lon}


def _write_skills(demand: Demand, skills: Sequence[ReadSkill]) -> None:
    demand.skills.all().delete()
    DemandSkill.objects.bulk_create(
        DemandSkill(
            demand=demand,
            skill=s.concept,
            essential=s.essential,
            source=s.source,
            evidence=s.evidence,
            found_by=s.found_by,
        )
        for s in skills
    )


# ---------------------------------------------------------------- demands
def create_demand(
    *, organisation: Organisation, data: Mapping[str, Any], by: User | None = None, repool: bool = True
) -> Demand:
    """Register a demand, all or nothing; pooling then runs in the background."""
    errors: Errors = {}
    _check_organisation(organisation, by, errors)
    values, skills, more = clean_demand(data)
    errors.update(more)
    _raise(errors)
    if not values["title"] and skills:
        # A demand without a title is named after its skills, in Dutch (the platform's first language).
        values["title"] = ", ".join(s.concept.preferred_label("nl")[0] for s in skills[:3])[:200]
    with transaction.atomic():
        demand = Demand(
            organisation=organisation, created_by=_person(by),
            **_located(values),
        )  # fmt: skip
        demand.save()
        _write_skills(demand, skills or [])
    if repool:
        _enqueue(demand, added=True)
    return demand


def update_demand(*, demand: Demand, data: Mapping[str, Any], by: User | None = None) -> Demand:
    """Change a demand, all or nothing; pooling runs again."""
    errors: Errors = {}
    _check_organisation(demand.organisation, by, errors)
    values, skills, more = clean_demand(data, current=demand)
    errors.update(more)
    _raise(errors)
    with transaction.atomic():
        for name, value in _located(values).items():
            setattr(demand, name, value)
        demand.save()
        if skills is not None:
            _write_skills(demand, skills)
    _enqueue(demand, added=False)
    return demand


def record_upload(
    *, organisation: Organisation, by: User | None, file_name: str, read: int, created: int, rejected: int,
    rejects: list[dict[str, str]],
) -> DemandUpload:  # fmt: skip
    """Keep what an upload from the page loaded and refused, for its rejects file."""
    return DemandUpload.objects.create(
        organisation=organisation, created_by=_person(by), file_name=file_name[:255], read=read, created=created,
        rejected=rejected, rejects=rejects,
    )  # fmt: skip


def visible_uploads(user: User) -> QuerySet[DemandUpload]:
    """Return the uploads `user` may read: their organisations' (the rejects name nobody else's demand)."""
    return DemandUpload.objects.filter(organisation__in=demand_organisations(user))


def withdraw_demand(*, demand: Demand, by: User | None = None) -> None:
    """Withdraw a demand: it leaves its pool, and pooling runs again."""
    _check_organisation(demand.organisation, by, {})
    demand.status = DemandStatus.WITHDRAWN
    demand.pool = None
    demand.save(update_fields=["status", "pool", "updated_at"])
    _enqueue(demand, added=False)


def _enqueue(demand: Demand, *, added: bool) -> None:
    from wendbaar.demand import tasks

    tasks.repool.enqueue(str(demand.uuid) if added else None)


# ---------------------------------------------------------------- pooling
# Pooling reads and writes through `demand.repooling`; these are its use cases.
run_pooling = repooling.run_pooling
add_to_pools = repooling.add_to_pools
PoolingReport = repooling.PoolingReport


# ---------------------------------------------------------------- matching
def matches_for_demand(demand: Demand, *, limit: int = 10) -> list[Match]:
    """Return the best offerings for one demand, with a score breakdown."""
    weights = points.skill_weights([demand.pk]).get(demand.pk, {})
    return match(points.ask_of(demand, weights), points.offering_index(weights), limit=limit)


def matches_for_pool(pool: Pool, *, limit: int = 10) -> list[Match]:
    """Return the best offerings for a pool: its shared skills, common window and times."""
    members = list(pool.demands.filter(status=DemandStatus.OPEN).select_related("municipality", "region"))
    if not members:
        return []
    weights = points.skill_weights(d.pk for d in members)
    first = members[0]
    ask = ask_of_pool(
        [weights.get(d.pk, {}) for d in members],
        window=(pool.window_start.toordinal(), pool.window_end.toordinal()) if pool.window_start and pool.window_end
        else (first.earliest_start.toordinal(), first.latest_end.toordinal()),
        people=pool.people, times=points.times_of(pool.times), weekdays=points.weekdays_of(pool.weekdays),
        modes=frozenset.intersection(*(points.modes_of(d.mode) for d in members)),
        municipality=first.municipality.code, lat=first.lat, lon=first.lon,
        travel_km=float(min(d.travel_km for d in members)),
    )  # fmt: skip
    return match(ask, points.offering_index(ask.skills), limit=limit)


def offerings_by_key(keys: Iterable[str]) -> dict[str, Offering]:
    return {
        str(o.uuid): o for o in Offering.objects.filter(uuid__in=list(keys)).select_related("provider", "municipality")
    }


def runs_by_key(keys: Iterable[str]) -> dict[str, Run]:
    return {str(r.uuid): r for r in Run.objects.filter(uuid__in=[k for k in keys if k])}


# ---------------------------------------------------------------- invitations and proposals
def invite_pool(*, pool: Pool, run: Run, by: User) -> Pool:
    """A provider invites a viable pool to one of its runs; the pool's employers see it."""
    offering = run.offering
    if not catalogue.can_manage(by, offering.provider):
        raise PermissionDenied(
            _("Only the staff of %(provider)s may invite to its runs.") % {"provider": offering.provider}
        )
    errors: Errors = {}
    if not pool.viable:
        _error(errors, "pool", _("This group is not big enough yet to start."))
    if pool.window_end and run.start_date > pool.window_end:
        _error(errors, "run", _("This run starts after the group's time window ends."))
    _raise(errors)
    pool.status = PoolStatus.INVITED
    pool.invited_run = run
    pool.invited_by = offering.provider
    pool.invited_at = timezone.now()
    pool.save(update_fields=["status", "invited_run", "invited_by", "invited_at", "updated_at"])
    return pool


def propose(*, gap: Gap, provider: Organisation, data: Mapping[str, Any], by: User) -> Proposal:
    """A provider answers a gap: "we can offer this"."""
    if not catalogue.can_manage(by, provider):
        raise PermissionDenied(_("Only the staff of %(provider)s may answer for it.") % {"provider": provider})
    errors: Errors = {}
    message = str(data.get("message") or "").strip()
    if not message:
        _error(errors, "message", _("Tell what you can offer."))
    start = data.get("start_date")
    start_date = None
    if start:
        start_date = _date(start, "start_date", errors)
    offering = _own_offering(data.get("offering"), provider, errors)
    _raise(errors)
    return Proposal.objects.create(
        gap=gap, provider=provider, message=message, start_date=start_date, offering=offering, created_by=_person(by)
    )


def proposable_offerings(providers: Iterable[Organisation]) -> QuerySet[Offering]:
    """Return the offerings a proposal of `providers` may link to: their own, not archived."""
    return (
        Offering.objects.filter(provider__in=list(providers))
        .exclude(status=OfferingStatus.ARCHIVED)
        .select_related("provider")
        .order_by("provider__name", "title_nl", "id")
    )


def _own_offering(raw: Any, provider: Organisation, errors: Errors) -> Offering | None:
    """Return the offering (uuid) a proposal links to, or None; an error unless it is one of `provider`'s own."""
    value = str(raw or "").strip()
    if not value:
        return None
    try:
        key = uuid_module.UUID(value)
    except ValueError:
        _error(
            errors, "offering", _("%(value)s is not an offering. Choose one of your own offerings.") % {"value": value}
        )
        return None
    offering = Offering.objects.filter(uuid=key).select_related("provider").first()
    if offering is None:
        _error(
            errors,
            "offering",
            _("Offering %(value)s does not exist. Choose one of your own offerings.") % {"value": value},
        )
    elif offering.provider_id != provider.pk:
        _error(
            errors, "offering",
            _("“%(title)s” is an offering of another provider. Choose one of the offerings of %(provider)s.")
            # A draft is the other provider's own business: named by the uuid that was sent, not its title.
            % {"title": offering.title_nl if offering.status == OfferingStatus.PUBLISHED else value,
               "provider": provider.name},
        )  # fmt: skip
        return None
    elif offering.status == OfferingStatus.ARCHIVED:
        _error(
            errors,
            "offering",
            _("“%(title)s” is archived. Choose an offering that still runs.") % {"title": offering.title_nl},
        )
        return None
    return offering


GAP_COLUMNS = ("gap", "region", "people", "organisations", "window_start", "window_end", "best_coverage",
               "missing_skills", "skills", "proposals", "proposed_offerings")  # fmt: skip


def gap_proposals() -> Prefetch:
    """Prefetch a gap's proposals with their provider and linked offering (pages, export and API alike)."""
    return Prefetch("proposals", queryset=Proposal.objects.select_related("provider", "offering", "offering__provider"))


def gap_rows(gaps: QuerySet[Gap]) -> Iterable[list[str]]:
    """Yield the export rows of gaps (header first), for the regional table; a linked offering is named with
    its provider and uuid."""
    yield list(GAP_COLUMNS)
    for gap in gaps.prefetch_related(gap_proposals()):
        proposals = list(gap.proposals.all())
        yield [
            str(gap.uuid), gap.region.code if gap.region else "", str(gap.people), str(gap.organisations),
            gap.window_start.isoformat() if gap.window_start else "",
            gap.window_end.isoformat() if gap.window_end else "", f"{gap.best_coverage:.2f}",
            " ".join(gap.missing), " ".join(gap.skills), str(len(proposals)),
            "; ".join(f"{p.offering.title_nl} ({p.provider.name}, {p.offering.uuid})" for p in proposals if p.offering),
        ]  # fmt: skip
