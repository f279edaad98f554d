"""Use cases of the hub: the only place that writes. Every check runs before anything is written.

Errors come as one ValidationError with every field problem at once (the API answers them in one
400); an edit outside one's region raises PermissionDenied.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wendbaar.demand.models import Gap, Pool
from wendbaar.hub import access, indexing
from wendbaar.hub.constants import (
    PLACEMENT_KINDS,
    ActionStatus,
    EventKind,
    EvidenceKind,
    Factor,
    InitiativeStatus,
    LinkKind,
    RegistrationStatus,
    TargetGroup,
    Theme,
)
from wendbaar.hub.duplicates import likely_duplicates
from wendbaar.hub.models import (
    Action,
    ActionChange,
    ActionLink,
    AdoptionReport,
    Event,
    EventChange,
    Initiative,
    Profile,
    Registration,
    RegistrationNotice,
)
from wendbaar.regions import services as regions
from wendbaar.regions.constants import Sector
from wendbaar.regions.models import Membership, Organisation, Region
from wendbaar.skills.models import Concept, Kind

MAX_FACTOR_LENGTH = 80


class DuplicateInitiative(ValidationError):
    """An initiative that looks like one already there; `duplicates` are the likely twins."""

    def __init__(self, duplicates: list[Initiative]) -> None:
        first = duplicates[0]
        message = _(
            'There already is an initiative that looks much like this one: "%(title)s" (%(region)s, %(uuid)s). '
            "Check it first. Save only if yours really is a different initiative."
        ) % {"title": first.title, "region": first.region.code, "uuid": first.uuid}
        super().__init__({"title": [ValidationError(message, code="duplicate")]})
        self.duplicates = duplicates


def today_in_amsterdam() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- checks
def _check_choices(
    errors: dict[str, list[str]], field: str, values: Iterable[Any] | None, allowed: Iterable[str]
) -> list[str]:
    values = list(values or [])
    allowed_set = set(allowed)
    wrong = [str(v) for v in values if v not in allowed_set]
    if wrong:
        errors.setdefault(field, []).append(_("Unknown value: %(values)s.") % {"values": ", ".join(wrong)})
    return list(dict.fromkeys(str(v) for v in values))


def _check_factors(errors: dict[str, list[str]], field: str, values: Iterable[Any] | None) -> list[str]:
    out = []
    for value in values or []:
        text = str(value).strip()
        if not text:
            continue
        if len(text) > MAX_FACTOR_LENGTH:
            errors.setdefault(field, []).append(
                _("A factor is a short tag of at most %(n)d characters.") % {"n": MAX_FACTOR_LENGTH}
            )
            continue
        out.append(text if text not in Factor.values else str(Factor(text).value))
    return list(dict.fromkeys(out))


def _check_results(errors: dict[str, list[str]], results: Iterable[Any] | None) -> list[dict[str, str]]:
    out = []
    for number, item in enumerate(results or [], start=1):
        if not isinstance(item, dict):
            errors.setdefault("results", []).append(_("Result %(n)d is not a result.") % {"n": number})
            continue
        kind = str(item.get("kind", ""))
        label = str(item.get("label", "")).strip()
        value = str(item.get("value", "")).strip()
        url = str(item.get("url", "")).strip()
        if kind not in EvidenceKind.values:
            errors.setdefault("results", []).append(
                _("Result %(n)d: choose figure, link or document.") % {"n": number}
            )
        if not label:
            errors.setdefault("results", []).append(_("Result %(n)d: say what the result is.") % {"n": number})
        if kind == EvidenceKind.FIGURE and not value:
            errors.setdefault("results", []).append(_("Result %(n)d: a figure needs a value.") % {"n": number})
        if kind in (EvidenceKind.LINK, EvidenceKind.DOCUMENT) and urlparse(url).scheme not in ("http", "https"):
            errors.setdefault("results", []).append(
                _("Result %(n)d: give a web address that starts with https://.") % {"n": number}
            )
        out.append({"kind": kind, "label": label, "value": value, "url": url})
    return out


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------- initiatives
INITIATIVE_FIELDS = (
    "title", "goal", "description", "themes", "sectors", "target_groups", "status",
    "success_factors", "failure_factors", "results",
)  # fmt: skip


def _clean_initiative(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    clean["title"] = str(data.get("title") or "").strip()
    clean["goal"] = str(data.get("goal") or "").strip()
    clean["description"] = str(data.get("description") or "").strip()
    if not clean["title"]:
        errors["title"] = [_("Give the initiative a title.")]
    if not clean["goal"]:
        errors["goal"] = [_("Say what the initiative wants to achieve.")]
    if data.get("status") not in InitiativeStatus.values:
        errors["status"] = [_("Choose a status: idea, pilot, scaling up, structural or stopped.")]
    clean["status"] = data.get("status")
    clean["themes"] = _check_choices(errors, "themes", data.get("themes"), Theme.values)
    clean["sectors"] = _check_choices(errors, "sectors", data.get("sectors"), Sector.values)
    clean["target_groups"] = _check_choices(errors, "target_groups", data.get("target_groups"), TargetGroup.values)
    clean["success_factors"] = _check_factors(errors, "success_factors", data.get("success_factors"))
    clean["failure_factors"] = _check_factors(errors, "failure_factors", data.get("failure_factors"))
    clean["results"] = _check_results(errors, data.get("results"))
    _raise(errors)
    return clean


def create_initiative(
    *,
    by: Any,
    region: Region,
    actors: Sequence[Organisation] = (),
    contact: Any = None,
    confirm_duplicate: bool = False,
    **fields: Any,
) -> Initiative:
    """Add an initiative to `region`; refuse a likely duplicate unless `confirm_duplicate`."""
    access.require(
        access.takes_part_in(by, region), _("Only the partners and coordinators of a region add its initiatives.")
    )
    clean = _clean_initiative(fields)
    if not confirm_duplicate:
        duplicates = likely_duplicates(title=clean["title"], goal=clean["goal"], region=region)
        if duplicates:
            raise DuplicateInitiative(duplicates)
    with transaction.atomic():
        initiative = Initiative.objects.create(region=region, contact=contact or by, created_by=by, **clean)
        initiative.actors.set(actors)
        indexing.index_initiative(initiative, read_skills=True)
    return initiative


def update_initiative(
    *, by: Any, initiative: Initiative, actors: Sequence[Organisation] | None = None, **changes: Any
) -> Initiative:
    """Change an initiative (its region's coordinators, its author or contact person)."""
    access.require(access.may_edit_initiative(by, initiative))
    data = {name: getattr(initiative, name) for name in INITIATIVE_FIELDS}
    unknown = set(changes) - set(INITIATIVE_FIELDS) - {"contact"}
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in sorted(unknown)})
    data.update({k: v for k, v in changes.items() if k != "contact"})
    clean = _clean_initiative(data)
    texts_changed = (clean["title"], clean["goal"], clean["description"]) != (
        initiative.title, initiative.goal, initiative.description,
    )  # fmt: skip
    with transaction.atomic():
        for name, value in clean.items():
            setattr(initiative, name, value)
        if "contact" in changes:
            initiative.contact = changes["contact"]
        initiative.save()
        if actors is not None:
            initiative.actors.set(actors)
        indexing.index_initiative(initiative, read_skills=texts_changed)
    return initiative


def adopt_initiative(*, by: Any, origin: Initiative, region: Region) -> Initiative:
    """Make a linked copy of `origin` in `region` (its coordinators), keeping the origin."""
    access.require(access.coordinates(by, region), _("Only a coordinator of the region adopts an initiative for it."))
    errors: dict[str, list[str]] = {}
    if origin.region_id == region.pk:
        errors["region"] = [_("This initiative already belongs to this region.")]
    elif Initiative.objects.filter(adopted_from=origin, region=region).exists():
        errors["region"] = [_("This region has already adopted this initiative.")]
    _raise(errors)
    with transaction.atomic():
        copy = Initiative.objects.create(
            region=region,
            title=origin.title,
            goal=origin.goal,
            description=origin.description,
            themes=list(origin.themes),
            sectors=list(origin.sectors),
            target_groups=list(origin.target_groups),
            status=InitiativeStatus.IDEA,
            skills=list(origin.skills),
            adopted_from=origin,
            contact=by,
            created_by=by,
        )
        indexing.index_initiative(copy, read_skills=False)
    return copy


def report_back(*, by: Any, adoption: Initiative, text: str) -> AdoptionReport:
    """Record what an adopting region learned, for the origin to read."""
    access.require(access.may_edit_initiative(by, adoption))
    errors: dict[str, list[str]] = {}
    if adoption.adopted_from_id is None:
        errors["adoption"] = [_("Only an adopted initiative reports back to its origin.")]
    if not text.strip():
        errors["text"] = [_("Write what you want to report.")]
    _raise(errors)
    return AdoptionReport.objects.create(adoption=adoption, author=by, text=text.strip())


# ---------------------------------------------------------------- profiles and learning ambassadors
def save_profile(
    *,
    user: Any,
    findable: bool,
    region: Region | None = None,
    organisation: Organisation | None = None,
    works_on: str = "",
    offers: str = "",
    seeks: str = "",
    themes: Iterable[str] = (),
    sectors: Iterable[str] = (),
    target_groups: Iterable[str] = (),
) -> Profile:
    """Create or change a person's own card; only a findable card is indexed for matchmaking."""
    errors: dict[str, list[str]] = {}
    clean_themes = _check_choices(errors, "themes", themes, Theme.values)
    clean_sectors = _check_choices(errors, "sectors", sectors, Sector.values)
    clean_groups = _check_choices(errors, "target_groups", target_groups, TargetGroup.values)
    if organisation is not None and not Membership.objects.filter(user=user, organisation=organisation).exists():
        errors["organisation"] = [_("Choose an organisation you work at.")]
    if findable and not (works_on.strip() or offers.strip() or seeks.strip()):
        errors["works_on"] = [_("Say what you work on, offer or seek, so others know why to contact you.")]
    _raise(errors)
    with transaction.atomic():
        profile, _created = Profile.objects.get_or_create(user=user)
        old_text = (profile.works_on, profile.offers, profile.seeks)
        profile.findable = findable
        profile.region = region
        profile.organisation = organisation
        profile.works_on, profile.offers, profile.seeks = works_on.strip(), offers.strip(), seeks.strip()
        profile.themes, profile.sectors, profile.target_groups = clean_themes, clean_sectors, clean_groups
        profile.save()
        indexing.index_profile(profile, read_skills=old_text != (profile.works_on, profile.offers, profile.seeks))
    return profile


def own_profile(*, user: Any) -> Profile:
    """Return the person's card, made (not findable) on first use: it carries their feed token."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def set_learning_ambassador(*, by: Any, membership: Membership, value: bool) -> Membership:
    """Flag a person as learning ambassador at their organisation (they themselves, or a coordinator)."""
    if membership.organisation is None:
        raise ValidationError({"membership": [_("A learning ambassador works at an organisation.")]})
    own = membership.user_id == by.pk
    coordinator = any(access.coordinates(by, region) for region in membership.organisation.regions.all())
    access.require(own or coordinator, _("Only the person or a coordinator of the region changes this."))
    with transaction.atomic():
        updated = regions.add_membership(
            user=membership.user, role=membership.role, organisation=membership.organisation,
            region=membership.region, is_learning_ambassador=value,
        )  # fmt: skip
        profile = Profile.objects.filter(user=membership.user).first()
        if profile is not None:
            indexing.index_profile(profile, read_skills=False)
    return updated


# ---------------------------------------------------------------- the human capital agenda
ACTION_FIELDS = (
    "title", "description", "owner", "owner_organisation", "deadline", "status",
    "initiative",
)  # fmt: skip
OWNER_FIELDS = frozenset({"status", "description"})


def _isco_code(target: str) -> str | None:
    """Return the ISCO group code of an ISCO code or an ESCO occupation URI the skills language knows."""
    if target.isdigit():
        known = Concept.objects.filter(kind=Kind.ISCO_GROUP, code=target).exists()
        return target if known and 1 <= len(target) <= 4 else None
    occupation = Concept.objects.filter(uri=target, kind=Kind.OCCUPATION).select_related("isco_group").first()
    if occupation is None or occupation.isco_group is None:
        return None
    return occupation.isco_group.code or None


def _check_link(kind: str, target: str, region: Region) -> tuple[str, str | None]:
    """Return (target as stored, error or None) of one link of an action in `region`."""
    if kind == LinkKind.RADAR_OCCUPATION:
        code = _isco_code(target)
        if code is None:
            return target, _("Occupation on the radar: %(target)s is not an occupation or ISCO code we know.") % {
                "target": target}  # fmt: skip
        return code, None
    if kind == LinkKind.RADAR_SKILL:
        if not Concept.objects.filter(uri=target, kind=Kind.SKILL).exists():
            return target, _("Skill on the radar: %(target)s is not a skill we know (give its ESCO address).") % {
                "target": target}  # fmt: skip
        return target, None
    try:
        key = str(uuid_module.UUID(target))
    except ValueError:
        return target, _("%(kind)s: %(target)s is not a number (UUID) of the demand.") % {
            "kind": LinkKind(kind).label, "target": target}  # fmt: skip
    if kind == LinkKind.POOL:
        pool = Pool.objects.filter(uuid=key).first()
        if pool is None:
            return key, _("Group in the demand: there is no group with the number %(target)s.") % {"target": key}
        if region.code not in (pool.region_codes or [pool.region.code if pool.region else ""]):
            return key, _("Group in the demand: group %(target)s is not in region %(region)s.") % {
                "target": key, "region": region.code}  # fmt: skip
        return key, None
    gap = Gap.objects.filter(uuid=key).first()
    if gap is None:
        return key, _("Gap in the offer: there is no gap with the number %(target)s.") % {"target": key}
    if gap.region_id != region.pk:
        return key, _("Gap in the offer: gap %(target)s is not in region %(region)s.") % {
            "target": key, "region": region.code}  # fmt: skip
    return key, None


def _check_links(errors: dict[str, list[str]], links: Iterable[Any], region: Region) -> list[tuple[str, str]]:
    """Return the links as (kind, target) to store; add an error naming each one that points at nothing."""
    out: list[tuple[str, str]] = []
    for item in links:
        kind, target = (item.get("kind"), item.get("target")) if isinstance(item, dict) else item
        kind, target = str(kind or ""), str(target or "").strip()
        if kind not in LinkKind.values:
            errors.setdefault("links", []).append(
                _("Unknown kind of link: %(kind)s. Choose %(choices)s.")
                % {"kind": kind, "choices": ", ".join(LinkKind.values)}
            )
            continue
        if not target:
            errors.setdefault("links", []).append(
                _("%(kind)s: say what it points at.") % {"kind": LinkKind(kind).label}
            )
            continue
        stored, error = _check_link(kind, target, region)
        if error:
            errors.setdefault("links", []).append(error)
        else:
            out.append((kind, stored))
    return list(dict.fromkeys(out))


def _check_action(data: dict[str, Any], region: Region, *, creating: bool) -> list[tuple[str, str]]:
    """Check an action's fields; return its links as they will be stored."""
    errors: dict[str, list[str]] = {}
    if not str(data.get("title") or "").strip():
        errors["title"] = [_("Give the action a title.")]
    if data.get("owner") is None:
        errors["owner"] = [_("Every action has exactly one owner. Choose the person who owns it.")]
    organisation = data.get("owner_organisation")
    if organisation is None:
        errors["owner_organisation"] = [_("Choose the organisation the owner acts for.")]
    elif not organisation.regions.filter(pk=region.pk).exists():
        errors["owner_organisation"] = [_("This organisation does not take part in the region.")]
    deadline = data.get("deadline")
    if not isinstance(deadline, dt.date):
        errors["deadline"] = [_("Give a deadline (a date).")]
    elif creating and deadline < today_in_amsterdam():
        errors["deadline"] = [_("The deadline lies in the past. Choose today or a later date.")]
    if data.get("status", ActionStatus.OPEN) not in ActionStatus.values:
        errors["status"] = [_("Choose a status: not started, in progress, done or cancelled.")]
    initiative = data.get("initiative")
    if initiative is not None and initiative.region_id != region.pk:
        errors["initiative"] = [_("Link an initiative of this region (adopt it first if it is from elsewhere).")]
    for partner in data.get("partners") or []:
        if not partner.regions.filter(pk=region.pk).exists():
            errors.setdefault("partners", []).append(
                _("%(name)s does not take part in the region.") % {"name": partner.name}
            )
    links = _check_links(errors, data.get("links") or [], region)
    _raise(errors)
    return links


def _set_links(action: Action, links: list[tuple[str, str]]) -> None:
    action.links.all().delete()
    ActionLink.objects.bulk_create([ActionLink(action=action, kind=kind, target=target) for kind, target in links])


def create_action(
    *, by: Any, region: Region, partners: Sequence[Organisation] = (), links: Sequence[Any] = (), **fields: Any
) -> Action:
    """Put an action on the region's agenda (its coordinators): one owner, a deadline not in the past.

    `links` are (kind, target) pairs or {"kind", "target"} dicts (constants.LinkKind): an ISCO code or ESCO
    occupation URI, an ESCO skill URI, or the UUID of a pool or gap in the region; one that points at
    nothing is an error naming it.
    """
    access.require(access.coordinates(by, region), _("Only a coordinator of the region adds actions to its agenda."))
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    clean_links = _check_action({**fields, "partners": partners, "links": links}, region, creating=True)
    with transaction.atomic():
        action = Action.objects.create(region=region, **fields)
        action.partners.set(partners)
        _set_links(action, clean_links)
        ActionChange.objects.create(action=action, changed_by=by, changes={"created": [None, action.title]})
    return action


def _shown(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


def update_action(
    *,
    by: Any,
    action: Action,
    partners: Sequence[Organisation] | None = None,
    links: Sequence[Any] | None = None,
    note: str = "",
    **changes: Any,
) -> Action:
    """Change an action and record who changed what; an owner changes only status and description."""
    access.require(
        access.may_edit_action(by, action), _("Only the region's coordinators and the owner change this action.")
    )
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    if not access.coordinates(by, action.region):
        beyond = (set(changes) - OWNER_FIELDS) | ({"partners"} if partners is not None else set())
        beyond |= {"links"} if links is not None else set()
        access.require(
            not beyond, _("As owner you change the status and the description; ask a coordinator for the rest.")
        )
    data = {name: getattr(action, name) for name in ACTION_FIELDS}
    data.update(changes)
    data["partners"] = partners if partners is not None else list(action.partners.all())
    old_links = [(link.kind, link.target) for link in action.links.all()]
    data["links"] = links if links is not None else old_links
    clean_links = _check_action(data, action.region, creating=False)
    diff = {
        name: [_shown(getattr(action, name)), _shown(value)]
        for name, value in changes.items()
        if getattr(action, name) != value
    }
    if partners is not None:
        old = sorted(p.name for p in action.partners.all())
        new = sorted(p.name for p in partners)
        if old != new:
            diff["partners"] = [old, new]
    if links is not None and sorted(clean_links) != sorted(old_links):
        diff["links"] = [[f"{k}:{t}" for k, t in sorted(old_links)], [f"{k}:{t}" for k, t in sorted(clean_links)]]
    with transaction.atomic():
        for name, value in changes.items():
            setattr(action, name, value)
        action.save()
        if partners is not None:
            action.partners.set(partners)
        if links is not None:
            _set_links(action, clean_links)
        if diff or note.strip():
            ActionChange.objects.create(action=action, changed_by=by, changes=diff, note=note.strip())
    return action


# ---------------------------------------------------------------- events and registrations
EVENT_FIELDS = (
    "kind", "title", "description", "organiser", "contact", "starts_at", "ends_at", "location",
    "online_url", "capacity", "sectors", "occupation_uri",
)  # fmt: skip


def _check_event(data: dict[str, Any], region: Region) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.get("kind") not in EventKind.values:
        errors["kind"] = [_("Choose the kind of event.")]
    if not str(data.get("title") or "").strip():
        errors["title"] = [_("Give the event a title.")]
    organiser = data.get("organiser")
    if organiser is None:
        errors["organiser"] = [_("Choose the organisation that organises it.")]
    elif not organiser.regions.filter(pk=region.pk).exists():
        errors["organiser"] = [_("This organisation does not take part in the region.")]
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if not isinstance(starts, dt.datetime):
        errors["starts_at"] = [_("Give the start date and time.")]
    if not isinstance(ends, dt.datetime):
        errors["ends_at"] = [_("Give the end date and time.")]
    elif isinstance(starts, dt.datetime) and ends <= starts:
        errors["ends_at"] = [_("The event ends before it starts. The end must come after the start.")]
    if not str(data.get("location") or "").strip() and not str(data.get("online_url") or "").strip():
        errors["location"] = [_("Give a place, or a link for an online event.")]
    capacity = data.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or capacity < 1):
        errors["capacity"] = [_("The number of places is 1 or more (leave it empty for no limit).")]
    _check_choices(errors, "sectors", data.get("sectors"), Sector.values)
    return errors


def create_event(*, by: Any, region: Region, **fields: Any) -> Event:
    """Put an event on the region's calendar (its coordinators, or a partner organising it)."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    errors = _check_event(fields, region)
    organiser = fields.get("organiser")
    if not errors and organiser is not None:
        from wendbaar.regions.roles import organisation_ids

        allowed = access.coordinates(by, region) or organiser.pk in organisation_ids(by)
        access.require(allowed, _("Only the region's coordinators and the organiser's people add this event."))
    _raise(errors)
    with transaction.atomic():
        event = Event.objects.create(region=region, created_by=by, **{"sectors": [], **fields})
        if event.kind in (EventKind.TRIAL_PLACEMENT, EventKind.JOB_ROTATION):
            event.skills = indexing.skills_in(f"{event.title}. {event.description}")
            event.save(update_fields=["skills"])
    return event


def _event_shown(name: str, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "pk"):
        return str(value)
    return value


def _fit_capacity(event: Event) -> None:
    """Keep the registered within the capacity: the last to register move to the waiting list (they are
    told); when places came free, the first waiting move up. Call with the event row locked."""
    registered = event.registrations.filter(status=RegistrationStatus.REGISTERED)
    if event.capacity is not None:
        over = registered.count() - event.capacity
        if over > 0:
            last = list(registered.order_by("-created_at", "-pk")[:over])
            for registration in last:
                registration.status = RegistrationStatus.WAITING
                registration.notice = RegistrationNotice.TO_WAITING
                # Ahead of everyone who was already waiting, in their old order.
                registration.save(update_fields=["status", "notice", "updated_at"])
            return
    free = None if event.capacity is None else event.capacity - registered.count()
    queue = event.registrations.filter(status=RegistrationStatus.WAITING).order_by("created_at", "pk")
    for waiting in queue if free is None else queue[: max(free, 0)]:
        waiting.status = RegistrationStatus.REGISTERED
        waiting.notice = RegistrationNotice.MOVED_UP
        waiting.save(update_fields=["status", "notice", "updated_at"])


def update_event(*, by: Any, event: Event, **changes: Any) -> Event:
    """Change an event (the region's coordinators, the organiser's people) with the rules of creation.

    A lower capacity moves the last registrations to the waiting list (never over capacity); a higher
    one lets the first waiting move up. The change is recorded and shown to the people registered.
    """
    access.require(
        access.may_manage_event(by, event), _("Only the region's coordinators and the organiser's people change this.")
    )
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    errors: dict[str, list[str]] = {}
    if event.cancelled:
        errors["event"] = [_("This event has been cancelled. It can no longer change.")]
    data = {name: getattr(event, name) for name in EVENT_FIELDS}
    data.update(changes)
    errors.update(_check_event(data, event.region))
    organiser = changes.get("organiser")
    if not errors and organiser is not None and organiser.pk != event.organiser_id:
        from wendbaar.regions.roles import organisation_ids

        allowed = access.coordinates(by, event.region) or organiser.pk in organisation_ids(by)
        access.require(allowed, _("Only the region's coordinators and the organiser's people add this event."))
    _raise(errors)
    diff = {
        name: [_event_shown(name, getattr(event, name)), _event_shown(name, value)]
        for name, value in changes.items()
        if getattr(event, name) != value
    }
    if not diff:
        return event
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
        if locked.kind in PLACEMENT_KINDS and ({"title", "description", "kind"} & set(diff)):
            locked.skills = indexing.skills_in(f"{locked.title}. {locked.description}")
        locked.sequence += 1
        locked.save()
        if "capacity" in diff:
            _fit_capacity(locked)
        EventChange.objects.create(event=locked, changed_by=by, sequence=locked.sequence, changes=diff)
    return locked


def cancel_event(*, by: Any, event: Event) -> Event:
    """Call an event off; it stays in the feeds as cancelled, so calendars update, and the people registered
    see it on their page."""
    access.require(access.may_manage_event(by, event))
    if event.cancelled:
        return event
    with transaction.atomic():
        event.cancelled = True
        event.sequence += 1
        event.save(update_fields=["cancelled", "sequence", "updated_at"])
        EventChange.objects.create(
            event=event, changed_by=by, sequence=event.sequence, changes={"cancelled": [False, True]}
        )
    return event


def news_for(*, user: Any) -> list[Registration]:
    """Return the person's registrations with something they have not seen: the event changed, was
    cancelled, or their place moved (to the waiting list or up from it). Soonest event first."""
    active = [RegistrationStatus.REGISTERED, RegistrationStatus.WAITING]
    rows = (
        Registration.objects.filter(user=user, status__in=active)
        .filter(Q(event__sequence__gt=F("seen_sequence")) | ~Q(notice=""))
        .select_related("event", "event__region")
        .order_by("event__starts_at", "pk")
    )
    return list(rows)


def changes_unseen(registration: Registration) -> list[EventChange]:
    """Return the changes of the registration's event after the person last saw it."""
    return list(registration.event.changes.filter(sequence__gt=registration.seen_sequence))


def mark_seen(*, user: Any, event: Event) -> None:
    """The person read the news of this event: clear it."""
    Registration.objects.filter(user=user, event=event).update(
        seen_sequence=event.sequence, notice="", updated_at=timezone.now()
    )


def register(*, user: Any, event: Event, now: dt.datetime | None = None) -> Registration:
    """Give `user` a place, or a place on the waiting list when the event is full; never over capacity."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if event.cancelled:
        errors["event"] = [_("This event has been cancelled.")]
    elif event.ends_at <= now:
        errors["event"] = [_("This event is over.")]
    _raise(errors)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)  # one registration at a time per event
        existing = Registration.objects.filter(event=locked, user=user).first()
        if existing is not None and existing.status != RegistrationStatus.CANCELLED:
            return existing
        registered = locked.registrations.filter(status=RegistrationStatus.REGISTERED).count()
        full = locked.capacity is not None and registered >= locked.capacity
        status = RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED
        if existing is not None:
            existing.status = status
            existing.created_at = now  # back of the queue
            existing.seen_sequence, existing.notice = locked.sequence, ""
            existing.save(update_fields=["status", "created_at", "seen_sequence", "notice", "updated_at"])
            return existing
        return Registration.objects.create(event=locked, user=user, status=status, seen_sequence=locked.sequence)


def cancel_registration(*, user: Any, event: Event) -> Registration | None:
    """Give up a place; the first person on the waiting list moves up."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        registration = Registration.objects.filter(event=locked, user=user).first()
        if registration is None or registration.status == RegistrationStatus.CANCELLED:
            return registration
        had_place = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        if had_place:
            queue = locked.registrations.filter(status=RegistrationStatus.WAITING)
            waiting = queue.order_by("created_at", "pk").first()
            if waiting is not None:
                waiting.status = RegistrationStatus.REGISTERED
                waiting.notice = RegistrationNotice.MOVED_UP
                waiting.save(update_fields=["status", "notice", "updated_at"])
    return registration
