"""Catalogue search: find offerings by skill, occupation, free text, place, time of day, date, price and kind.

The asked skills come from three sources: skill URIs, an occupation's essential skills, and the skills
the engine reads in a free text. An offering matches when it teaches at least one asked skill (an
outcome the provider did not remove); results rank by how many asked skills they cover, then by how
many of those the provider confirmed. Every hit says which asked skills it covers and which it misses.
Without asked skills, results are the filtered offerings by title (a free text the engine cannot
read into skills is matched against titles instead). Read-only: nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from wendbaar.catalogue import places
from wendbaar.catalogue.models import CredentialType, Level, Mode, Offering, OfferingSkill, Run, Status
from wendbaar.regions.geo import distance_km
from wendbaar.regions.models import Municipality, Region
from wendbaar.skills.models import Concept, Kind, OccupationSkill, RelationType
from wendbaar.skills.services import preferred_labels

TIMES = ("daytime", "evening", "weekend")
# Engine readings of a search text below this score are too unsure to search on.
TEXT_MIN_SCORE = 0.35
TEXT_SKILLS = 8
MAX_LIMIT = 100


@dataclass
class SearchQuery:
    """What a searcher asks; every field optional. `times` holds any of daytime/evening/weekend (OR)."""

    skills: list[str] = field(default_factory=list)
    occupation: str = ""
    text: str = ""
    lang: str = "nl"
    region: str = ""
    near: str = ""
    distance_km: float | None = None
    times: list[str] = field(default_factory=list)
    start_after: dt.date | None = None
    start_before: dt.date | None = None
    max_price_cents: int | None = None
    mode: str = ""
    level: str = ""
    credential_type: str = ""
    provider: str = ""
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class AskedSkill:
    uri: str
    label: str
    source: str  # "skill", "occupation" or "text"
    evidence: tuple[str, ...] = ()


@dataclass
class Hit:
    offering: Offering
    covered: list[AskedSkill]
    missing: list[AskedSkill]
    confirmed: int = 0
    distance_km: float | None = None

    @property
    def coverage(self) -> float:
        asked = len(self.covered) + len(self.missing)
        return len(self.covered) / asked if asked else 1.0


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    asked: list[AskedSkill]
    text_as_words: bool = False  # the text was matched against titles (the engine read no skills in it)


def _error(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def search(query: SearchQuery) -> SearchResult:
    """Return the offerings that match `query`, best first, each with its explanation."""
    errors: dict[str, list[str]] = {}
    asked = _asked_skills(query, errors)
    pairs, ors, distances = _filtered(query, errors)
    if errors:
        raise ValidationError(errors)
    limit = max(1, min(query.limit, MAX_LIMIT))
    offset = max(0, query.offset)
    text_as_words = bool(query.text.strip()) and not any(a.source == "text" for a in asked)
    base = _apply(Offering.objects.all(), pairs, ors)
    if text_as_words:
        base = base.filter(_words(query.text))
    ids = list(Concept.objects.filter(uri__in=[a.uri for a in asked]).values_list("pk", "uri"))
    uri_of = dict(ids)
    taught: dict[int, set[str]] = defaultdict(set)
    if ids:
        order, total, confirmed = _rank(uri_of, pairs, ors, query, text_as_words, offset, limit, taught)
    else:
        total = base.count()
        order = list(base.order_by("title_nl", "id").values_list("pk", flat=True)[offset : offset + limit])
        confirmed = {}
    offerings = Offering.objects.filter(pk__in=order).select_related("provider", "municipality", "region", "crebo")
    by_pk = {o.pk: o for o in offerings}
    hits = []
    for pk in order:
        offering = by_pk[pk]
        covered = [a for a in asked if a.uri in taught[pk]]
        missing = [a for a in asked if a.uri not in taught[pk]]
        distance = distances.get(offering.municipality_id) if offering.municipality_id else None
        hits.append(Hit(offering, covered, missing, confirmed.get(pk, 0), distance))
    return SearchResult(total=total, hits=hits, asked=asked, text_as_words=text_as_words)


# Above this many offerings teaching an asked skill, the filters go in as a subquery, not a list of ids.
RANK_IN_PYTHON_MAX = 20_000


def _rank(
    uri_of: dict[int, str],
    pairs: list[tuple[str, Any]],
    ors: list[list[str]],
    query: SearchQuery,
    text_as_words: bool,
    offset: int,
    limit: int,
    taught: dict[int, set[str]],
) -> tuple[list[int], int, dict[int, int]]:
    """Return (page of offering ids, total, confirmed count per id), best coverage first; fill `taught`.

    The outcome rows of the asked skills come first (by the skill index), then the filters are applied
    to those few offerings: SQLite's planner, without statistics, otherwise walked every offering of
    the region (~60 ms at 50,000 offerings).
    """
    rows = OfferingSkill.objects.filter(skill_id__in=uri_of, removed=False).values_list(
        "offering_id", "skill_id", "confirmed"
    )
    covered: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    skills_of: dict[int, set[str]] = defaultdict(set)
    for offering_id, skill_id, is_confirmed in rows.iterator(chunk_size=5000):
        counts = covered[offering_id]
        counts[0] += 1
        counts[1] += int(is_confirmed)
        skills_of[offering_id].add(uri_of[skill_id])
    if len(covered) > RANK_IN_PYTHON_MAX:
        candidates: Any = _apply(Offering.objects.all(), pairs, ors).values("pk")
    else:
        candidates = list(covered)
    allowed = _apply(Offering.objects.filter(pk__in=candidates), pairs, ors)
    if text_as_words:
        allowed = allowed.filter(_words(query.text))
    ranked = sorted(
        (pk for pk in allowed.values_list("pk", flat=True) if pk in covered),
        key=lambda pk: (-covered[pk][0], -covered[pk][1], pk),
    )
    order = ranked[offset : offset + limit]
    for pk in order:
        taught[pk] = skills_of[pk]
    return order, len(ranked), {pk: covered[pk][1] for pk in order}


def _words(text: str, prefix: str = "") -> Q:
    condition = Q()
    for word in text.split()[:8]:
        condition &= (
            Q(**{f"{prefix}title_nl__icontains": word})
            | Q(**{f"{prefix}title_en__icontains": word})
            | Q(**{f"{prefix}description_nl__icontains": word})
        )
    return condition


# ---------------------------------------------------------------- asked skills
def _asked_skills(query: SearchQuery, errors: dict[str, list[str]]) -> list[AskedSkill]:
    asked: dict[str, AskedSkill] = {}
    wanted = list(dict.fromkeys(uri.strip() for uri in query.skills if uri.strip()))
    known = set(Concept.objects.filter(uri__in=wanted, kind=Kind.SKILL).values_list("uri", flat=True))
    unknown = [uri for uri in wanted if uri not in known]
    if unknown:
        _error(errors, "skill", _("Unknown skill URI: %(uris)s") % {"uris": ", ".join(unknown)})
    for uri in wanted:
        if uri in known:
            asked[uri] = AskedSkill(uri, "", "skill")
    if query.occupation.strip():
        occupation = query.occupation.strip()
        if not Concept.objects.filter(uri=occupation, kind=Kind.OCCUPATION).exists():
            _error(errors, "occupation", _("Unknown occupation URI: %(uri)s") % {"uri": occupation})
        essential = OccupationSkill.objects.filter(occupation__uri=occupation, relation=RelationType.ESSENTIAL)
        for uri in essential.values_list("skill__uri", flat=True).order_by("skill__uri"):
            asked.setdefault(uri, AskedSkill(uri, "", "occupation"))
    if query.text.strip():
        for uri, evidence in read_text(query.text, lang=query.lang):
            asked.setdefault(uri, AskedSkill(uri, "", "text", evidence))
    return _labelled(list(asked.values()), query.lang)


def read_text(text: str, *, lang: str | None = None) -> list[tuple[str, tuple[str, ...]]]:
    """Return (skill URI, evidence) the engine reads in a search text.

    By meaning (the semantic layer, once built) the text is read for the skills it names, short or long:
    its threshold is calibrated, and it also finds skills named with other words or only in English. By
    words, a short text is linked like a title (one or a few words, as people type them) and a longer one
    is read for the skills it names.
    """
    from wendbaar.skills import reading

    language = lang if lang in ("nl", "en") else None
    if reading.current_layer() == reading.SEMANTIC:
        read = reading.read_skills(text, lang=language, limit=TEXT_SKILLS)
        return [(m.uri, reading.evidence_of(m) or (m.label,)) for m in read.matches]
    found: list[tuple[str, tuple[str, ...]]] = []
    if len(text.split()) <= 4:
        for match in reading.link(text, kind="skill", k=3, lang=language, lexical=True).matches:
            if match.score >= TEXT_MIN_SCORE:
                found.append((match.uri, match.evidence or (match.label,)))
    if not found:
        read = reading.read_skills(text, lang=language, limit=TEXT_SKILLS, lexical_min_score=TEXT_MIN_SCORE)
        found = [(m.uri, m.evidence or (m.label,)) for m in read.matches]
    return found


def _labelled(asked: list[AskedSkill], lang: str) -> list[AskedSkill]:
    concepts = Concept.objects.filter(uri__in=[a.uri for a in asked]).prefetch_related(preferred_labels())
    labels = {c.uri: c.preferred_label(lang)[0] for c in concepts}
    return [AskedSkill(a.uri, labels.get(a.uri, a.uri), a.source, a.evidence) for a in asked]


# ---------------------------------------------------------------- filters
def _filtered(
    query: SearchQuery, errors: dict[str, list[str]]
) -> tuple[list[tuple[str, Any]], list[list[str]], dict[int, float]]:
    """Return the offering filters as (lookup, value) pairs and OR-conditions, with the distances found.

    They are kept apart from a queryset so the skill ranking can apply them through its join
    (`offering__…`): driven by the few outcome rows of the asked skills, not by every offering that
    passes the filters (an `IN (subquery)` of thousands of ids cost SQLite ~90 ms at 50,000 offerings).
    """
    pairs: list[tuple[str, Any]] = [("status", Status.PUBLISHED)]
    ors: list[list[str]] = []  # any of these time-of-day flags
    distances: dict[int, float] = {}
    if query.region:
        region_id = Region.objects.filter(code=query.region.upper()).values_list("pk", flat=True).first()
        if region_id is None:
            _error(errors, "region", _("Unknown region %(code)s.") % {"code": query.region})
        pairs.append(("region_id", region_id))
    if query.near or query.distance_km is not None:
        distances = _within(query, errors)
        pairs.append(("municipality_id__in", list(distances)))
    times = [t for t in query.times if t]
    for name in times:
        if name not in TIMES:
            _error(errors, "time", _("%(value)r is not one of daytime, evening, weekend.") % {"value": name})
    wanted = sorted(set(times) & set(TIMES))
    if len(wanted) == 1:
        pairs.append((f"is_{wanted[0]}", True))
    elif wanted:
        ors.append(wanted)
    if query.start_after or query.start_before:
        runs = Run.objects.all()
        if query.start_after:
            runs = runs.filter(start_date__gte=query.start_after)
        if query.start_before:
            runs = runs.filter(start_date__lte=query.start_before)
        pairs.append(("pk__in", runs.values("offering_id")))
    if query.max_price_cents is not None:
        if query.max_price_cents < 0:
            _error(errors, "max_price", _("A price cannot be negative."))
        pairs.append(("price_cents__lte", query.max_price_cents))
    for name, allowed in (("mode", Mode.values), ("level", Level.values), ("credential_type", CredentialType.values)):
        value = getattr(query, name)
        if value:
            if value not in allowed:
                _error(errors, name, _("%(value)r is not a valid choice.") % {"value": value})
            pairs.append((name, value))
    if query.provider:
        try:
            pairs.append(("provider__uuid", uuid.UUID(query.provider)))
        except ValueError:
            _error(errors, "provider", _("Give the provider's UUID."))
    return pairs, ors, distances


def _apply(qs: QuerySet[Any], pairs: list[tuple[str, Any]], ors: list[list[str]], prefix: str = "") -> QuerySet[Any]:
    """Filter `qs` by the offering filters, reached through `prefix` ("" on offerings, "offering__" on outcomes)."""
    qs = qs.filter(**{prefix + lookup: value for lookup, value in pairs})
    for names in ors:
        condition = Q()
        for name in names:
            condition |= Q(**{f"{prefix}is_{name}": True})
        qs = qs.filter(condition)
    return qs


def _within(query: SearchQuery, errors: dict[str, list[str]]) -> dict[int, float]:
    """Return {municipality id: km} of the municipalities within the asked distance of `near`."""
    if not query.near:
        _error(errors, "near", _("Choose a municipality to measure the distance from."))
        return {}
    if query.distance_km is None or query.distance_km < 0:
        _error(errors, "distance", _("Give a distance of 0 km or more."))
        return {}
    near = query.near.strip()
    origin = Municipality.objects.filter(Q(code=near) | Q(name__iexact=near)).first()
    if origin is None:
        _error(errors, "near", _("Unknown municipality %(value)s.") % {"value": near})
        return {}
    points = places.all_points()
    if origin.pk not in points:
        _error(errors, "near", _("The location of %(name)s is not known yet.") % {"name": origin.name})
        return {}
    lat0, lon0 = points[origin.pk]
    found = {}
    for pk, (lat, lon) in points.items():
        km = distance_km(lat0, lon0, lat, lon)
        if km <= query.distance_km:
            found[pk] = round(km, 1)
    return found


def query_from_params(params: Any) -> tuple[SearchQuery, dict[str, list[str]]]:
    """Build a SearchQuery from GET parameters (API and page alike); return it with parse errors."""
    errors: dict[str, list[str]] = {}

    def number(name: str, kind: type) -> Any:
        raw = (params.get(name) or "").strip()
        if not raw:
            return None
        try:
            return kind(raw.replace(",", "."))
        except ValueError:
            _error(errors, name, _("Enter a number."))
            return None

    def date(name: str) -> dt.date | None:
        raw = (params.get(name) or "").strip()
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            _error(errors, name, _("Enter a date as YYYY-MM-DD."))
            return None

    price = number("max_price", float)
    query = SearchQuery(
        skills=[s for value in params.getlist("skill") for s in value.split(",") if s.strip()],
        occupation=(params.get("occupation") or "").strip(),
        text=(params.get("q") or "").strip(),
        lang=(params.get("lang") or "nl").strip(),
        region=(params.get("region") or "").strip(),
        near=(params.get("near") or "").strip(),
        distance_km=number("distance", float),
        times=[t for value in params.getlist("time") for t in value.split(",") if t.strip()],
        start_after=date("start_after"),
        start_before=date("start_before"),
        max_price_cents=round(price * 100) if price is not None else None,
        mode=(params.get("mode") or "").strip(),
        level=(params.get("level") or "").strip(),
        credential_type=(params.get("type") or "").strip(),
        provider=(params.get("provider") or "").strip(),
    )
    page = number("page", int) or 1
    size = number("pageSize", int) or 20
    query.limit = max(1, min(size, MAX_LIMIT))
    query.offset = (max(1, page) - 1) * query.limit
    return query, errors
