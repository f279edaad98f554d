"""Search across regions and matchmaking, both on the precomputed term tables, with explanations.

One SQL statement per question, on an index of (term, owner): search requires every query stem and
every filter tag; matchmaking sums the weight of shared features, rarer features counting more
(inverse document frequency), so sharing a skill or a small target group says more than sharing
one of the four themes.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.utils.translation import gettext as _

from wendbaar.hub import indexing, terms
from wendbaar.hub.constants import TargetGroup, Theme
from wendbaar.hub.models import Initiative, InitiativeTerm, Profile, ProfileTerm
from wendbaar.regions.constants import Sector
from wendbaar.regions.models import Membership

SEARCH_PAGE = 20
SUGGESTIONS = 8
# A profile's free text is long; its first distinct stems stand for what the person works on.
PROFILE_WORD_FEATURES = 12


@dataclass
class Table:
    model: type[models.Model]
    owner_column: str

    @property
    def name(self) -> str:
        return self.model._meta.db_table


INITIATIVES = Table(InitiativeTerm, "initiative_id")
PEOPLE = Table(ProfileTerm, "profile_id")


def _stats(table: Table, wanted: Iterable[str]) -> dict[str, tuple[int, float]]:
    """Return {term: (number of owners with it, highest weight)} for the terms that occur."""
    wanted = list(wanted)
    if not wanted:
        return {}
    marks = ", ".join(["%s"] * len(wanted))
    sql = f"SELECT term, COUNT(*), MAX(weight) FROM {table.name} WHERE term IN ({marks}) GROUP BY term"  # noqa: S608 - table names are ours
    with connection.cursor() as cursor:
        cursor.execute(sql, wanted)
        return {term: (int(count), float(top)) for term, count, top in cursor.fetchall()}


def _idf(table: Table, wanted: Iterable[str], total: int) -> dict[str, float]:
    stats = _stats(table, wanted)
    return {t: math.log(1 + total / count) for t, (count, _top) in stats.items()}


def _rank(
    table: Table,
    multipliers: Mapping[str, float],
    *,
    require_all: bool,
    exclude: Iterable[int] = (),
    limit: int,
    offset: int = 0,
) -> tuple[list[tuple[int, float]], int | None]:
    """Return ([(owner id, score)], total or None) of the owners with the terms of `multipliers`."""
    wanted = list(multipliers)
    if not wanted:
        return [], 0
    marks = ", ".join(["%s"] * len(wanted))
    cases = " ".join(["WHEN %s THEN %s"] * len(wanted))
    case_params: list[Any] = [v for t in wanted for v in (t, float(multipliers[t]))]
    exclude = list(exclude)
    where = f"term IN ({marks})"
    params: list[Any] = [*wanted]
    if exclude:
        where += f" AND {table.owner_column} NOT IN ({', '.join(['%s'] * len(exclude))})"
        params += exclude
    having = f"HAVING COUNT(*) = {len(wanted)}" if require_all else ""
    owner = table.owner_column
    sql = (
        f"SELECT {owner}, SUM(weight * CASE term {cases} ELSE 0 END) AS score FROM {table.name} "  # noqa: S608 - names from code, values are parameters
        f"WHERE {where} GROUP BY {owner} {having} ORDER BY score DESC, {owner} DESC LIMIT %s OFFSET %s"
    )
    total = None
    with connection.cursor() as cursor:
        cursor.execute(sql, [*case_params, *params, limit, offset])
        rows = [(int(r[0]), float(r[1] or 0.0)) for r in cursor.fetchall()]
        if require_all:
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT {owner} FROM {table.name} WHERE {where} GROUP BY {owner} {having}) AS m",  # noqa: S608 - names from code, values bound
                params,
            )
            total = int(cursor.fetchone()[0])
    return rows, total


# ---------------------------------------------------------------- search
@dataclass
class SearchFilters:
    theme: str = ""
    status: str = ""
    sector: str = ""
    target_group: str = ""
    factor: str = ""
    region: str = ""

    def tags(self) -> list[str]:
        pairs = [("theme", self.theme), ("status", self.status), ("sector", self.sector),
                 ("target", self.target_group), ("factor", self.factor), ("region", self.region)]  # fmt: skip
        return [terms.tag(kind, value) for kind, value in pairs if value]


@dataclass
class SearchPage:
    total: int
    initiatives: list[Initiative]


def search_initiatives(*, q: str = "", filters: SearchFilters | None = None, limit: int = SEARCH_PAGE,
                       offset: int = 0) -> SearchPage:  # fmt: skip
    """Return the initiatives of every region with all words of `q` (Dutch stems) and all filters, best first."""
    filters = filters or SearchFilters()
    words = terms.query_terms(q)
    tags = filters.tags()
    if not words and not tags:
        queryset = Initiative.objects.select_related("region")
        return SearchPage(total=queryset.count(), initiatives=list(queryset[offset : offset + limit]))
    idf = _idf(INITIATIVES, words, Initiative.objects.count()) if words else {}
    if any(w not in idf for w in words):  # a word no initiative has: nothing can match all of them
        return SearchPage(total=0, initiatives=[])
    multipliers = {**{t: 0.0 for t in tags}, **idf}
    rows, total = _rank(INITIATIVES, multipliers, require_all=True, limit=limit, offset=offset)
    by_id = Initiative.objects.select_related("region").in_bulk([pk for pk, _score in rows])
    return SearchPage(total=total or 0, initiatives=[by_id[pk] for pk, _score in rows if pk in by_id])


# ---------------------------------------------------------------- matchmaking
@dataclass
class Suggestion:
    """An initiative or a person working on similar things, and why."""

    score: float
    reason: str
    shared: dict[str, list[str]] = field(default_factory=dict)
    initiative: Initiative | None = None
    profile: Profile | None = None


def initiative_features(initiative: Initiative) -> tuple[dict[str, float], dict[str, str]]:
    """Return (features, surface word of each title stem) of an initiative."""
    features = terms.features(indexing.initiative_terms(initiative), title=initiative.title)
    return features, _surfaces(initiative.title)


def profile_features(profile: Profile) -> tuple[dict[str, float], dict[str, str]]:
    """Return (features, surface word of each stem) of a profile: its tags and first words."""
    all_terms = terms.document_terms(
        tags={
            "theme": profile.themes,
            "sector": profile.sectors,
            "target": profile.target_groups,
            "skill": [uri for uri, _label in profile.skills],
        }
    )
    text = " ".join([profile.works_on, profile.seeks])
    surfaces = _surfaces(text)
    for stem in list(surfaces)[:PROFILE_WORD_FEATURES]:
        all_terms[terms.WORD + stem] = terms.TITLE_FEATURE_WEIGHT
    return all_terms, surfaces


def _surfaces(text: str) -> dict[str, str]:
    from wendbaar.engine.normalise import is_stopword, stem, tokens

    out: dict[str, str] = {}
    for word, start, end in tokens(text):
        if start and text[start - 1] in "'’":  # the "ers" of "zzp'ers" is no word to explain with
            continue
        if len(word) >= 2 and not is_stopword(word, "nl") and not word.isdigit():
            out.setdefault(stem(word, "nl"), text[start:end])
    return out


# Matchmaking reads the rows of a source's rarer features first (at most this many), ranks a pool of
# candidates by them and completes the pool's scores with the common features. Candidates therefore
# share at least one of the rarer features (a skill, a sector, a distinctive title word): someone who
# only shares one of the four themes is no suggestion worth making. When the MaxScore bound shows no
# owner outside the pool could reach the last kept score, the answer equals ranking everyone; with
# EXACT_MATCHES the full ranking is run whenever it cannot show that (tests; small installations).
RARE_ROWS = 6_000
POOL = 300
EXACT_MATCHES = False


def _matches(
    table: Table, features: Mapping[str, float], total: int, *, exclude: list[int], limit: int
) -> list[tuple[int, float]]:
    """Return the `limit` best owners by Σ weight × feature weight × idf over shared features."""
    stats = _stats(table, features)
    multipliers = {t: features[t] * math.log(1 + total / count) for t, (count, _top) in stats.items()}
    ordered = sorted(multipliers, key=lambda t: stats[t][0])
    rare: list[str] = []
    rows = 0
    for term in ordered:
        if rare and rows + stats[term][0] > RARE_ROWS:
            break
        rare.append(term)
        rows += stats[term][0]
    common = [t for t in ordered if t not in rare]
    if not common:
        return _rank(table, multipliers, require_all=False, exclude=exclude, limit=limit)[0]
    pool, _total = _rank(table, {t: multipliers[t] for t in rare}, require_all=False, exclude=exclude, limit=POOL)
    scores = dict(pool)
    owner = table.owner_column
    if pool:
        ids = [pk for pk, _score in pool]
        sql = (
            f"SELECT {owner}, term, weight FROM {table.name} "  # noqa: S608 - names from code, values are parameters - table names are ours
            f"WHERE {owner} IN ({', '.join(['%s'] * len(ids))}) AND term IN ({', '.join(['%s'] * len(common))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*ids, *common])
            for pk, term, weight in cursor.fetchall():
                scores[pk] += weight * multipliers[term]
    best = sorted(scores.items(), key=lambda item: (-item[1], -item[0]))[:limit]
    bound = sum(multipliers[t] * stats[t][1] for t in common)
    outside = (pool[-1][1] if len(pool) == POOL else 0.0) + bound
    if not EXACT_MATCHES or (len(best) == limit and best[-1][1] >= outside):
        return best
    return _rank(table, multipliers, require_all=False, exclude=exclude, limit=limit)[0]


# idf needs the number of owners, not to the last one: counting 50,000 cards on every suggestion cost
# more than the ranking. Each process re-counts at most every COUNT_TTL seconds.
COUNT_TTL = 60.0
_counts: dict[str, tuple[float, int]] = {}


def owner_count(table: Table) -> int:
    """Return the number of initiatives, or of findable cards, counted at most COUNT_TTL seconds ago."""
    now = time.monotonic()
    cached = _counts.get(table.name)
    if cached is not None and now - cached[0] < COUNT_TTL:
        return cached[1]
    count = Initiative.objects.count() if table is INITIATIVES else Profile.objects.filter(findable=True).count()
    _counts[table.name] = (now, count)
    return count


def _shared_terms(table: Table, ids: list[int], features: Iterable[str]) -> dict[int, list[str]]:
    features = list(features)
    if not ids or not features:
        return {}
    filter_kwargs = {f"{table.owner_column}__in": ids, "term__in": features}
    shared: dict[int, list[str]] = defaultdict(list)
    for owner, term in table.model.objects.filter(**filter_kwargs).values_list(table.owner_column, "term"):  # type: ignore[attr-defined]
        shared[owner].append(term)
    return shared


def _labels(shared: Iterable[str], skills: Mapping[str, str], surfaces: Mapping[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for term in sorted(shared):
        kind, value = terms.split(term)
        if kind == "theme" and value in Theme.values:
            out["themes"].append(str(Theme(value).label))
        elif kind == "sector" and value in Sector.values:
            out["sectors"].append(str(Sector(value).label))
        elif kind == "target" and value in TargetGroup.values:
            out["target_groups"].append(str(TargetGroup(value).label))
        elif kind == "skill":
            out["skills"].append(skills.get(value, value))
        elif kind == "w":
            out["words"].append(surfaces.get(value, value).lower())
    return dict(out)


def explain(shared: Mapping[str, list[str]], *, where: str = "", ambassador_at: str = "") -> str:
    """Say in one sentence why a suggestion was made: 'also works on collecting the demand, for …, in AM13 …'."""
    parts = []
    if shared.get("themes"):
        parts.append(_("also works on %(themes)s") % {"themes": ", ".join(shared["themes"])})
    if shared.get("sectors"):
        parts.append(_("for %(sectors)s") % {"sectors": ", ".join(shared["sectors"])})
    if shared.get("target_groups"):
        parts.append(_("with %(groups)s") % {"groups": ", ".join(shared["target_groups"])})
    if shared.get("skills"):
        parts.append(_("uses the skills %(skills)s") % {"skills": ", ".join(shared["skills"][:4])})
    if shared.get("words"):
        parts.append(_("also about %(words)s") % {"words": ", ".join(shared["words"][:4])})
    if ambassador_at:
        parts.append(_("learning ambassador at %(organisation)s") % {"organisation": ambassador_at})
    if where:
        parts.append(_("in %(region)s") % {"region": where})
    sentence = ", ".join(parts)
    return sentence[:1].upper() + sentence[1:] + "." if sentence else ""


def _initiative_suggestions(
    features: dict[str, float], surfaces: dict[str, str], skills: dict[str, str], *, exclude: Iterable[int], limit: int
) -> list[Suggestion]:
    rows = _matches(INITIATIVES, features, owner_count(INITIATIVES), exclude=list(exclude), limit=limit)
    ids = [pk for pk, _score in rows]
    shared = _shared_terms(INITIATIVES, ids, features)
    by_id = Initiative.objects.select_related("region").in_bulk(ids)
    out = []
    for pk, score in rows:
        initiative = by_id[pk]
        labels = _labels(shared.get(pk, []), {**skills, **dict(initiative.skills)}, surfaces)
        out.append(Suggestion(score=score, reason=explain(labels, where=str(initiative.region)), shared=labels,
                              initiative=initiative))  # fmt: skip
    return out


def _people_suggestions(
    features: dict[str, float], surfaces: dict[str, str], skills: dict[str, str], *, exclude: Iterable[int], limit: int
) -> list[Suggestion]:
    rows = _matches(PEOPLE, features, owner_count(PEOPLE), exclude=list(exclude), limit=limit)
    ids = [pk for pk, _score in rows]
    shared = _shared_terms(PEOPLE, ids, features)
    by_id = Profile.objects.select_related("region", "organisation", "user").in_bulk(ids)
    ambassadors = dict(
        Membership.objects.filter(user_id__in=[p.user_id for p in by_id.values()], is_learning_ambassador=True)
        .values_list("user_id", "organisation__name")
    )
    out = []
    for pk, score in rows:
        profile = by_id[pk]
        if not profile.findable:  # terms are removed on opting out; this guards a race with that
            continue
        labels = _labels(shared.get(pk, []), {**skills, **dict(profile.skills)}, surfaces)
        reason = explain(labels, where=str(profile.region or ""), ambassador_at=ambassadors.get(profile.user_id) or "")
        out.append(Suggestion(score=score, reason=reason, shared=labels, profile=profile))
    return out


def similar_to_initiative(
    initiative: Initiative, *, limit: int = SUGGESTIONS
) -> tuple[list[Suggestion], list[Suggestion]]:
    """Return (initiatives, people) working on things like `initiative`, each explained."""
    features, surfaces = initiative_features(initiative)
    skills = dict(initiative.skills)
    contact = initiative.contact_id
    exclude_people = list(Profile.objects.filter(user__pk=contact).values_list("pk", flat=True)) if contact else []
    # Its adoptions and its origin are linked on the page already; suggestions are the ones not yet known.
    linked = [initiative.pk, *initiative.adoptions.values_list("pk", flat=True)]
    if initiative.adopted_from_id:
        linked.append(initiative.adopted_from_id)
    return (
        _initiative_suggestions(features, surfaces, skills, exclude=linked, limit=limit),
        _people_suggestions(features, surfaces, skills, exclude=exclude_people, limit=limit),
    )


def matches_for_profile(profile: Profile, *, limit: int = SUGGESTIONS) -> tuple[list[Suggestion], list[Suggestion]]:
    """Return (initiatives, people) working on what the person works on, each explained."""
    features, surfaces = profile_features(profile)
    skills = dict(profile.skills)
    return (
        _initiative_suggestions(features, surfaces, skills, exclude=[], limit=limit),
        _people_suggestions(features, surfaces, skills, exclude=[profile.pk], limit=limit),
    )
