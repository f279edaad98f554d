"""Use cases of the loopbaan-APK: the check-up steps, adviser notes and the development plan.

Reads the passport (skills, consent), the taxonomy (mobility engine), the radar (via `outlook` only),
the catalogue (search) and the hub (trial placements); writes only careers models and, when the person
enters skills here, their passport (through `passport.services.add_skills`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wendbaar.careers import mobility
from wendbaar.careers.models import CheckUp, Note, Plan, PlanStep, StepKind, StepStatus, UnmetGap
from wendbaar.careers.outlook import NATIONAL, Outlook, outlooks, skill_frequency
from wendbaar.careers.sectors import sectors_of
from wendbaar.funding.accounts import queries as funding
from wendbaar.funding.accounts.queries import Coverage
from wendbaar.passport import services as passport
from wendbaar.passport.constants import SkillSource
from wendbaar.regions.models import Region
from wendbaar.skills.models import Concept, Kind, Label, LabelKind

TIMES = ("daytime", "evening", "weekend")
NEXT_CHECKUP_DAYS = 365
PATHS_SHOWN = 8
PATH_POOL = 40  # best fits looked at before the radar's outlook re-orders them
PROMISING_BONUS = 1.15  # growing or tight in the region
SHRINKING_MALUS = 0.85


def today() -> dt.date:
    return timezone.localdate()


# ---- labels -------------------------------------------------------------------------------------


def labels(uris: Iterable[str], lang: str | None = None) -> dict[str, str]:
    """Return {URI: preferred label} in the UI language, else English, else the URI."""
    wanted = list(dict.fromkeys(uris))
    lang = (lang or get_language() or "nl")[:2]
    rows = Label.objects.filter(
        concept__uri__in=wanted, kind=LabelKind.PREFERRED, language__in=[lang, "en"]
    ).values_list("concept__uri", "language", "text")
    found: dict[str, str] = {}
    for uri, language, text in rows:
        if language == lang or uri not in found:
            found[uri] = text
    return {uri: found.get(uri, uri) for uri in wanted}


# ---- choosing an occupation ---------------------------------------------------------------------


@dataclass(frozen=True)
class OccupationChoice:
    uri: str
    label: str  # the preferred label in the UI language
    matched: str  # the label (Dutch or English, a synonym) that matched what the person typed


def find_occupations(text: str, *, limit: int = 10) -> list[OccupationChoice]:
    """Occupations for what a person typed (Dutch or English, half a word or a typo), best first.

    The skills app's autocomplete (label prefixes, then the engine's fuzzy matches), so the list without
    JavaScript is the list the combobox shows (`/api/v1/suggestions?kind=occupation`).
    """
    from wendbaar.skills import search

    text = text.strip()[:200]
    if not text:
        return []
    hits = search.autocomplete(text, kind=Kind.OCCUPATION, k=limit)
    names = labels([h.uri for h in hits])
    return [OccupationChoice(h.uri, names[h.uri], h.label) for h in hits]


def choose_occupation(*, text: str, uri: str = "") -> tuple[str | None, list[OccupationChoice]]:
    """Turn a person's pick into an occupation: (URI or None, the occupations to choose from).

    A URI picked from a list wins; else a text that is exactly one occupation's label (or its URI); else
    nothing is chosen and the occupations that match the text are offered (empty when none does).
    """
    if uri and Concept.objects.filter(uri=uri, kind=Kind.OCCUPATION).exists():
        return uri, []
    text = text.strip()
    if not text:
        return None, []
    exact = set(
        Label.objects.filter(text__iexact=text, concept__kind=Kind.OCCUPATION).values_list("concept__uri", flat=True)
    )
    if len(exact) == 1:
        return exact.pop(), []
    if Concept.objects.filter(uri=text, kind=Kind.OCCUPATION).exists():
        return text, []
    choices = find_occupations(text)
    if exact:  # one label of several occupations ("lasser"): those first
        names = labels(sorted(exact))
        same = [OccupationChoice(u, names[u], text) for u in sorted(exact, key=lambda u: names[u].lower())]
        choices = same + [c for c in choices if c.uri not in exact]
    return None, choices


def suggest_skills(lines: Sequence[str], *, limit: int = 3) -> tuple[list[str], str]:
    """Skill names for lines a person typed that are no skill's name ("ik help oude mensen met wassen"),
    read by the engine (by meaning once the semantic layer is built, so other words and English-only
    skills count); return (names in the UI language, the engine layer that read them)."""
    from wendbaar.skills import reading

    uris: list[str] = []
    layer = reading.LEXICAL
    for line in lines:
        answer = reading.read_skills(line, limit=limit, lexical_min_score=0.5)
        layer = answer.layer
        uris.extend(m.uri for m in answer.matches if m.uri not in uris)
    names = labels(uris)
    return [names[u] for u in uris], layer


# ---- access -------------------------------------------------------------------------------------


def may_see(viewer: Any, person: Any) -> bool:
    """The person themself, or an adviser with the person's consent (passport consent)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    return viewer.pk == person.pk or passport.has_consent(viewer=viewer, person=person)


def _check(viewer: Any, person: Any) -> None:
    if not may_see(viewer, person):
        raise PermissionDenied(_("You can only see this check-up when the person has given you consent."))


def checkups_visible_to(viewer: Any) -> list[CheckUp]:
    own = list(CheckUp.objects.filter(person=viewer).select_related("person", "occupation", "region"))
    return own


# ---- step (a): starting, where I stand ----------------------------------------------------------


def start_checkup(
    *,
    person: Any,
    by: Any,
    region_code: str = "",
    occupation_uri: str = "",
    skill_uris: Sequence[str] = (),
    times: Sequence[str] = (),
) -> CheckUp:
    """Start a check-up; entered skills also go into the person's passport. All errors in one go."""
    _check(by, person)
    errors: dict[str, list[str]] = {}
    region = None
    if region_code and region_code != NATIONAL:
        region = Region.objects.filter(code=region_code.upper()).first()
        if region is None:
            errors.setdefault("region", []).append(_("We do not know region %(code)s.") % {"code": region_code})
    occupation = None
    if occupation_uri:
        occupation = Concept.objects.filter(uri=occupation_uri, kind=Kind.OCCUPATION).first()
        if occupation is None:
            errors.setdefault("occupation", []).append(
                _("We do not know this occupation. Choose one from the list, or leave it empty.")
            )
    bad_times = [t for t in times if t not in TIMES]
    if bad_times:
        errors.setdefault("times", []).append(_("Choose daytime, evening or weekend."))
    if skill_uris:
        try:
            passport.resolve_skills(skill_uris)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if skill_uris:
            passport.add_skills(person=person, skill_uris=list(skill_uris), source=SkillSource.MANUAL)
        return CheckUp.objects.create(
            person=person,
            started_by=by,
            region=region,
            occupation=occupation,
            times=list(dict.fromkeys(times)),
        )


def update_checkup(
    *, checkup: CheckUp, by: Any, skill_uris: Sequence[str] = (), times: Sequence[str] | None = None
) -> CheckUp:
    _check(by, checkup.person)
    if times is not None and any(t not in TIMES for t in times):
        raise ValidationError({"times": [_("Choose daytime, evening or weekend.")]})
    with transaction.atomic():
        if skill_uris:
            passport.add_skills(person=checkup.person, skill_uris=list(skill_uris), source=SkillSource.MANUAL)
        if times is not None:
            checkup.times = list(dict.fromkeys(times))
            checkup.save(update_fields=["times", "updated_at"])
    return checkup


def region_code(checkup: CheckUp) -> str:
    return checkup.region.code if checkup.region_id and checkup.region else NATIONAL


@dataclass
class Standing:
    skills: list[tuple[str, str]]  # (URI, label)
    occupation: tuple[str, str] | None
    region: str
    outlook: Outlook | None
    message: str = ""  # e.g. no skills yet: how to add some


def standing(*, checkup: CheckUp, by: Any) -> Standing:
    _check(by, checkup.person)
    held = sorted(passport.skill_uris_of(checkup.person))
    names = labels(held + ([checkup.occupation.uri] if checkup.occupation else []))
    message = ""
    if not held:
        message = _(
            "You have no skills in your passport yet. Add a few skills first: what can you do at work or at home?"
        )
    occupation = (checkup.occupation.uri, names[checkup.occupation.uri]) if checkup.occupation else None
    outlook = None
    if checkup.occupation:
        outlook = outlooks({checkup.occupation.uri: checkup.occupation.code}, region_code(checkup))[
            checkup.occupation.uri
        ]
    return Standing(
        skills=sorted(((u, names[u]) for u in held), key=lambda p: p[1].lower()),
        occupation=occupation,
        region=region_code(checkup),
        outlook=outlook,
        message=message,
    )


# ---- step (b): where I could go -----------------------------------------------------------------


@dataclass
class Suggestion:
    occupation: str
    label: str
    fit: float
    essential_held: int
    essential_total: int
    gap: tuple[str, ...]
    outlook: Outlook

    @property
    def percent(self) -> int:
        return round(self.fit * 100)

    @property
    def explanation(self) -> str:
        return _("You already have %(held)d of the %(total)d most important skills of %(name)s.") % {
            "held": self.essential_held,
            "total": self.essential_total,
            "name": self.label,
        }


def _order_score(fit: float, outlook: Outlook) -> float:
    if outlook.promising:
        return fit * PROMISING_BONUS
    if outlook.status == "shrinking":
        return fit * SHRINKING_MALUS
    return fit


def where_i_could_go(*, checkup: CheckUp, by: Any, limit: int = PATHS_SHOWN) -> list[Suggestion]:
    """Occupations that share many of the person's skills, the promising ones in the region first."""
    _check(by, checkup.person)
    held = passport.skill_uris_of(checkup.person)
    if not held:
        return []
    index = mobility.index()
    exclude = [checkup.occupation.uri] if checkup.occupation else []
    pool = index.paths(held, limit=PATH_POOL, exclude=exclude, min_fit=0.01)
    if not pool:
        return []
    codes = dict(Concept.objects.filter(uri__in=[p.occupation for p in pool]).values_list("uri", "code"))
    seen = outlooks(codes, region_code(checkup))
    names = labels(codes)
    suggestions = [
        Suggestion(
            p.occupation, names[p.occupation], p.fit, p.essential_held, p.essential_total, p.gap, seen[p.occupation]
        )
        for p in pool
    ]
    suggestions.sort(key=lambda s: (-_order_score(s.fit, s.outlook), s.occupation))
    return suggestions[:limit]


# ---- step (c): what is missing ------------------------------------------------------------------


@dataclass
class GapSkill:
    uri: str
    label: str
    share: float | None  # share of the occupation's vacancies asking it (radar), None when unknown
    partly: bool  # held partly via a broader or narrower skill

    @property
    def explanation(self) -> str:
        if self.share is not None and self.share > 0:
            return _("%(percent)d out of 100 vacancies for this job ask for this skill.") % {
                "percent": round(self.share * 100)
            }
        if self.partly:
            return _("You have a skill close to this one, so you may learn it quickly.")
        return _("This is one of the most important skills for this job.")


@dataclass
class Gap:
    occupation: str
    label: str
    fit: float
    skills: list[GapSkill]
    frequency_scope: str  # region / national / none
    message: str = ""

    @property
    def percent(self) -> int:
        return round(self.fit * 100)


def _target(uri: str) -> Concept:
    target = Concept.objects.filter(uri=uri, kind=Kind.OCCUPATION).first()
    if target is None or uri not in mobility.index().occupation_row:
        raise ValidationError({"occupation": [_("We do not know this occupation.")]})
    return target


def gap(*, checkup: CheckUp, by: Any, occupation_uri: str) -> Gap:
    """The essential skills of the occupation the person lacks, most asked in the region's vacancies first."""
    _check(by, checkup.person)
    target = _target(occupation_uri)
    held = passport.skill_uris_of(checkup.person)
    path = mobility.index().path_to(held, target.uri)
    frequency, scope = skill_frequency(target.uri, region_code(checkup))
    names = labels([*path.gap, target.uri])
    skills = [
        GapSkill(uri, names[uri], frequency.get(uri) if scope != "none" else None, uri in path.partly)
        for uri in path.gap
    ]
    skills.sort(key=lambda s: (-(s.share or 0.0), s.label.lower(), s.uri))
    message = ""
    if not skills:
        message = _("You already have all the most important skills for this job.")
    if checkup.target_id != target.pk:
        CheckUp.objects.filter(pk=checkup.pk).update(target=target)
        checkup.target = target
    return Gap(target.uri, names[target.uri], path.fit, skills, scope, message)


# ---- step (d): how to close it ------------------------------------------------------------------


def funding_for(*, person: Any, offering: Any) -> Coverage | None:
    """What the person's leerrekening (the funds they hold money in) would pay for `offering`, and their own share.

    The funding app's read-only answer (`funding.accounts.queries.coverage_for`, the ledger's own rules); None when
    the person has no learning account, so the check-up shows the price only.
    """
    return funding.coverage_for(person=person, offering=offering)


@dataclass
class Way:
    kind: str  # offering / evc / trial
    title: str
    skill_uris: list[str]
    explanation: str
    offering: Any = None
    run: Any = None
    event: Any = None
    funding: Coverage | None = None


@dataclass
class Ways:
    per_skill: dict[str, list[Way]] = field(default_factory=dict)
    evc: list[Way] = field(default_factory=list)
    trials: list[Way] = field(default_factory=list)  # trial placements and job rotation
    open_days: list[Way] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)  # gap skills no offering teaches here
    messages: list[str] = field(default_factory=list)


def _run_for(offering: Any, times: Sequence[str]) -> Any:
    runs = [r for r in offering.runs.all() if r.end_date >= today()]
    for run in runs:
        if not times or ("evening" in times and run.is_evening) or ("weekend" in times and run.is_weekend):
            return run
        if "daytime" in times and not run.is_evening and not run.is_weekend:
            return run
    return runs[0] if runs else None


def ways_to_close(*, checkup: CheckUp, by: Any, occupation_uri: str, limit: int = 3) -> Ways:
    """Offerings that teach the gap near the person at their times, an EVC hint, and trial placements."""
    from wendbaar.catalogue.search import SearchQuery, search

    the_gap = gap(checkup=checkup, by=by, occupation_uri=occupation_uri)
    ways = Ways()
    uris = [s.uri for s in the_gap.skills]
    names = {s.uri: s.label for s in the_gap.skills}
    region = region_code(checkup)
    if uris:
        query = SearchQuery(
            skills=uris, region="" if region == NATIONAL else region, times=list(checkup.times), limit=50
        )
        result = search(query)
        offerings = [h.offering for h in result.hits]
        runs = (
            {
                o.pk: o
                for o in type(offerings[0]).objects.filter(pk__in=[o.pk for o in offerings]).prefetch_related("runs")
            }
            if offerings
            else {}
        )
        shown: list[Way] = []
        for uri in uris:
            found: list[Way] = []
            for hit in result.hits:
                if any(a.uri == uri for a in hit.covered) and len(found) < limit:
                    offering = runs[hit.offering.pk]
                    run = _run_for(offering, checkup.times)
                    covered = [a.uri for a in hit.covered]
                    found.append(
                        Way(
                            "offering",
                            offering.title_nl,
                            covered,
                            _("This course teaches %(skill)s.") % {"skill": names[uri]}
                            if len(covered) == 1
                            else _("This course teaches %(n)d of the skills you miss, including %(skill)s.")
                            % {"n": len(covered), "skill": names[uri]},
                            offering=offering,
                            run=run,
                        )
                    )
            ways.per_skill[uri] = found
            shown.extend(found)
            if not found:
                ways.unmet.append(uri)
        # One read of the learning accounts for every course shown (a course may be shown under several skills).
        paid = funding.coverage_for_offerings(person=checkup.person, offerings=[w.offering for w in shown])
        for way in shown:
            way.funding = paid.get(way.offering.pk)
        if ways.unmet:
            ways.messages.append(
                _(
                    "We found no course near you for: %(skills)s. We count this anonymously, "
                    "so the region can see that this course is missing."
                )
                % {"skills": ", ".join(names[u] for u in ways.unmet)}
            )
    partly = [s for s in the_gap.skills if s.partly]
    if partly:
        ways.evc.append(
            Way(
                "evc",
                _("Have your experience recognised (EVC)"),
                [s.uri for s in partly],
                _("You have skills close to %(skills)s: an EVC procedure may show you already master them.")
                % {"skills": ", ".join(s.label for s in partly)},
            )
        )
    ways.trials, ways.open_days = hub_ways(the_gap, region, limit=limit)
    return ways


def hub_ways(the_gap: Gap, region: str, *, limit: int) -> tuple[list[Way], list[Way]]:
    """Upcoming trial placements and open days of the hub in the region for the path's occupation or sector.

    An event matches when it offers the occupation itself, names one of the occupation's sectors
    (`sectors.sectors_of` its ISCO code), or names no sector and is organised by an organisation in one.
    Those for the occupation itself come first, then the soonest.
    """
    from wendbaar.hub.constants import PLACEMENT_KINDS, EventKind
    from wendbaar.hub.models import Event
    from wendbaar.regions.constants import Sector

    code = Concept.objects.filter(uri=the_gap.occupation).values_list("code", flat=True).first() or ""
    wanted = sectors_of(code)
    events = Event.objects.filter(
        kind__in=[*PLACEMENT_KINDS, EventKind.OPEN_DAY], cancelled=False, ends_at__gt=timezone.now()
    ).select_related("region", "organiser")
    if region != NATIONAL:
        events = events.filter(region__code=region)
    if wanted:
        events = events.filter(Q(occupation_uri=the_gap.occupation) | Q(organiser__sector__in=wanted) | _naming(wanted))
    else:
        events = events.filter(occupation_uri=the_gap.occupation)
    trials: list[Way] = []
    open_days: list[Way] = []
    for event in sorted(events[:200], key=lambda e: (e.occupation_uri != the_gap.occupation, e.starts_at, e.pk)):
        own = event.occupation_uri == the_gap.occupation
        named = [s for s in event.sectors or [] if s in wanted]
        if not own and event.sectors and not named:
            continue  # organised by a company of the sector, but for other sectors
        sector = str(Sector(named[0] if named else event.organiser.sector or wanted[0]).label).lower() if wanted else ""
        values = {"name": the_gap.label, "organiser": event.organiser.name, "sector": sector}
        if event.kind == EventKind.OPEN_DAY:
            if len(open_days) < limit:
                text = (
                    _("Visit %(organiser)s on an open day and see the work of %(name)s.")
                    if own
                    else _("Visit %(organiser)s on an open day and see the work in %(sector)s.")
                )
                open_days.append(Way("open_day", event.title, list(event.skills or []), text % values, event=event))
        elif len(trials) < limit:
            text = (
                _("Try the job of %(name)s for a day or a few weeks at %(organiser)s.")
                if own
                else _("Try work in %(sector)s for a day or a few weeks at %(organiser)s.")
            )
            trials.append(Way("trial", event.title, list(event.skills or []), text % values, event=event))
    return trials, open_days


def _naming(sectors: Sequence[str]) -> Q:
    """Events whose `sectors` list names one of `sectors` (a JSON list: matched on its quoted item)."""
    query = Q()
    for sector in sectors:
        query |= Q(sectors__icontains=f'"{sector}"')
    return query


@transaction.atomic
def count_unmet(*, checkup: CheckUp, skill_uris: Iterable[str]) -> None:
    """Count, anonymously per region, the gap skills no offering teaches: once per check-up and skill.

    Looking at the page again (or printing it) does not count again; the check-up remembers what it counted.
    """
    locked = CheckUp.objects.select_for_update().get(pk=checkup.pk)
    counted = set(locked.unmet_counted)
    new = [uri for uri in dict.fromkeys(skill_uris) if uri not in counted]
    concepts = list(Concept.objects.filter(uri__in=new))
    for concept in concepts:
        row, _created = UnmetGap.objects.get_or_create(region=locked.region, skill=concept)
        UnmetGap.objects.filter(pk=row.pk).update(count=F("count") + 1)
    if concepts:
        locked.unmet_counted = sorted(counted | {c.uri for c in concepts})
        locked.save(update_fields=["unmet_counted"])


# ---- step (e): the plan -------------------------------------------------------------------------


def choose_first_step(
    *,
    checkup: CheckUp,
    by: Any,
    occupation_uri: str,
    steps: Sequence[dict[str, Any]],
    next_checkup: dt.date | None = None,
) -> Plan:
    """Save a development plan with the chosen steps (the first one first); all or nothing."""
    from wendbaar.catalogue.models import Offering, Run
    from wendbaar.hub.models import Event

    _check(by, checkup.person)
    target = _target(occupation_uri)
    errors: dict[str, list[str]] = {}
    if not steps:
        errors["steps"] = [_("Choose at least one first step.")]
    cleaned = []
    seen: set[tuple[str, int | None, int | None]] = set()
    for n, raw in enumerate(steps):
        kind = raw.get("kind", "")
        if kind not in StepKind.values:
            errors.setdefault("steps", []).append(_("Step %(n)d: unknown kind of step.") % {"n": n + 1})
            continue
        offering = run = event = None
        if raw.get("offering"):
            offering = Offering.objects.filter(uuid=raw["offering"]).first()
            if offering is None:
                errors.setdefault("steps", []).append(_("Step %(n)d: unknown course.") % {"n": n + 1})
        if raw.get("run"):
            run = Run.objects.filter(uuid=raw["run"]).first()
        if raw.get("event"):
            event = Event.objects.filter(uuid=raw["event"]).first()
            if event is None:
                errors.setdefault("steps", []).append(_("Step %(n)d: unknown trial placement.") % {"n": n + 1})
        title = (raw.get("title") or (offering.title_nl if offering else event.title if event else "")).strip()
        if not title:
            title = str(StepKind(kind).label)
        starts = run.start_date if run else (timezone.localtime(event.starts_at).date() if event else None)
        key = (kind, offering.pk if offering else None, event.pk if event else None)
        if key in seen and kind != StepKind.OTHER:
            continue  # the same course chosen under two skills is one step
        seen.add(key)
        cleaned.append((kind, title[:300], offering, run, event, list(raw.get("skill_uris") or []), starts))
    if next_checkup is not None and next_checkup <= today():
        errors.setdefault("next_checkup", []).append(_("The next check-up must be after today."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = Plan.objects.create(
            person=checkup.person,
            checkup=checkup,
            target=target,
            next_checkup=next_checkup or today() + dt.timedelta(days=NEXT_CHECKUP_DAYS),
        )
        for position, (kind, title, offering, run, event, skill_uris, starts) in enumerate(cleaned):
            PlanStep.objects.create(
                plan=plan,
                position=position,
                kind=kind,
                title=title,
                offering=offering,
                run=run,
                event=event,
                skill_uris=skill_uris,
                starts_on=starts,
            )
        CheckUp.objects.filter(pk=checkup.pk).update(target=target, completed_at=timezone.now())
    return plan


def set_step_status(*, step: PlanStep, by: Any, status: str) -> PlanStep:
    _check(by, step.plan.person)
    if status not in StepStatus.values:
        raise ValidationError({"status": [_("Choose to do, busy, done or not doing.")]})
    step.status = status
    step.save(update_fields=["status"])
    return step


def add_note(*, checkup: CheckUp, author: Any, text: str) -> Note:
    """An adviser (with consent) or the person adds a note; the person sees every note."""
    _check(author, checkup.person)
    if not text.strip():
        raise ValidationError({"text": [_("Write a note first.")]})
    return Note.objects.create(checkup=checkup, author=author, text=text.strip())


def due_plan(person: Any) -> Plan | None:
    """The person's latest plan whose next check-up is due (for the reminder on the home page)."""
    if not getattr(person, "is_authenticated", False):
        return None
    latest = Plan.objects.filter(person=person).select_related("target").first()
    return latest if latest and latest.next_checkup <= today() else None


# ---- who could move into this occupation --------------------------------------------------------


@dataclass
class Mover:
    occupation: str
    label: str
    fit: float

    @property
    def percent(self) -> int:
        return round(self.fit * 100)

    @property
    def explanation(self) -> str:
        return _("People who work as %(name)s already have about %(percent)d%% of the skills.") % {
            "name": self.label,
            "percent": self.percent,
        }


def movers_into(*, occupation_uri: str, limit: int = 20) -> list[Mover]:
    target = _target(occupation_uri)
    found = mobility.index().movers_into(target.uri, limit=limit)
    names = labels([uri for uri, _f in found])
    return [Mover(uri, names[uri], fit) for uri, fit in found]
