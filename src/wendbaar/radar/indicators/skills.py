"""Skill indicators: share of vacancies asking a skill and its change, collection shares, co-occurring pairs."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa

from wendbaar.radar.indicators.scope import Scope, add_months, month_range, quarter_of
from wendbaar.radar.store.cache import store_cached
from wendbaar.radar.store.reading import query, shared_connection

# A skill must be asked in this many vacancies (both years together) before we call it rising or declining.
MIN_SKILL_VACANCIES = 20
# |z| above this (two-proportion z-test, two-sided 95%) marks a change as real rather than noise.
SIGNIFICANT_Z = 1.96


@dataclass(frozen=True)
class SkillShare:
    skill_uri: str
    vacancies: int  # vacancies asking the skill, last 12 months
    share: float  # of all vacancies in scope, last 12 months
    share_previous: float  # the 12 months before
    change: float  # share - share_previous (fraction, not percentage points)
    z: float
    status: str  # "rising", "declining", "stable" or "too_few"


@dataclass(frozen=True)
class CollectionShare:
    quarter: str
    collection: str
    vacancies: int
    share: float


@dataclass(frozen=True)
class SkillPair:
    skill_a: str
    skill_b: str
    together: int
    lift: float


def _two_proportion_z(k1: int, n1: int, k2: int, n2: int) -> float:
    if n1 == 0 or n2 == 0:
        return 0.0
    pooled = (k1 + k2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    return 0.0 if variance <= 0 else (k1 / n1 - k2 / n2) / math.sqrt(variance)


@store_cached
def vacancy_totals(scope: Scope, end: str) -> tuple[int, int]:
    """Return the number of vacancies in scope in the 12 months ending at `end` and the 12 before."""
    where, params = scope.where()
    row = shared_connection().execute(
        "SELECT count(*) FILTER (WHERE month > ?), count(*) FILTER (WHERE month <= ?) FROM vacancies "
        f"WHERE month BETWEEN ? AND ?{where}",
        [add_months(end, -12), add_months(end, -12), add_months(end, -23), end, *params],
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


@store_cached
def skill_shares(scope: Scope, end: str) -> list[SkillShare]:
    """Return every skill's share of vacancies now and a year before, most asked first."""
    total_now, total_before = vacancy_totals(scope, end)
    where, params = scope.where(skills_table=True)
    split = add_months(end, -12)
    frame = query(
        "SELECT skill_uri, count(*) FILTER (WHERE month > ?) AS now, count(*) FILTER (WHERE month <= ?) AS before "
        f"FROM vacancy_skills WHERE month BETWEEN ? AND ?{where} GROUP BY 1",
        [split, split, add_months(end, -23), end, *params],
    )
    result = []
    for skill, now, before in frame.itertuples(index=False):
        now, before = int(now), int(before)
        share = now / total_now if total_now else 0.0
        share_before = before / total_before if total_before else 0.0
        z = _two_proportion_z(now, total_now, before, total_before)
        if now + before < MIN_SKILL_VACANCIES or not total_before:
            status = "too_few"
        elif z > SIGNIFICANT_Z:
            status = "rising"
        elif z < -SIGNIFICANT_Z:
            status = "declining"
        else:
            status = "stable"
        result.append(SkillShare(str(skill), now, share, share_before, share - share_before, z, status))
    result.sort(key=lambda s: (-s.vacancies, s.skill_uri))
    return result


def collection_shares(
    scope: Scope, first: str, last: str, collections: Mapping[str, frozenset[str]]
) -> list[CollectionShare]:
    """Return per quarter the share of vacancies asking at least one skill of each collection."""
    if not collections:
        return []
    key = tuple(sorted((name, tuple(sorted(members))) for name, members in collections.items()))
    return _collection_shares(scope, first, last, key)


@store_cached
def _collection_shares(scope: Scope, first: str, last: str, collections: tuple) -> list[CollectionShare]:
    members = [(skill, name) for name, skills in collections for skill in skills]
    table = pa.table({"skill_uri": [m[0] for m in members], "collection": [m[1] for m in members]})
    con = shared_connection().cursor()
    con.register("skill_collections", table)
    quarter = "substr(month, 1, 4) || 'Q' || CAST((CAST(substr(month, 6, 2) AS INTEGER) + 2) // 3 AS VARCHAR)"
    where, params = scope.where()
    totals = dict(
        con.execute(
            f"SELECT {quarter} AS q, count(*) FROM vacancies WHERE month BETWEEN ? AND ?{where} GROUP BY 1",
            [first, last, *params],
        ).fetchall()
    )
    swhere, sparams = scope.where()
    rows = con.execute(
        f"SELECT {quarter} AS q, c.collection, count(DISTINCT s.vacancy_id) FROM vacancy_skills s "
        f"JOIN skill_collections c USING (skill_uri) WHERE month BETWEEN ? AND ?{swhere} GROUP BY 1, 2 ORDER BY 1, 2",
        [first, last, *sparams],
    ).fetchall()
    con.close()
    found = {(q, c): int(n) for q, c, n in rows}
    names = sorted({name for name, _ in collections})
    return [
        CollectionShare(q, name, found.get((q, name), 0), found.get((q, name), 0) / totals[q] if totals[q] else 0.0)
        for q in sorted(totals)
        for name in names
    ]


@store_cached
def skill_pairs(
    scope: Scope, end: str, *, skill_uri: str | None = None, top: int = 60, min_together: int = 5
) -> list[SkillPair]:
    """Return skill pairs asked together in the last 12 months with their lift, highest lift first.

    Lift = P(a and b) / (P(a)·P(b)) over the vacancies in scope; above 1 means the skills go together
    more often than chance. Without `skill_uri` only the `top` most asked skills are paired, to bound the work.
    """
    where, params = scope.where()
    first = add_months(end, -11)
    total = shared_connection().execute(
        f"SELECT count(*) FROM vacancies WHERE month BETWEEN ? AND ?{where}", [first, end, *params]
    ).fetchone()
    n = int(total[0]) if total else 0
    if n == 0:
        return []
    if skill_uri:
        pair_filter, pair_params = "a.skill_uri = ? AND b.skill_uri <> a.skill_uri", [skill_uri]
    else:
        pair_filter = (
            "a.skill_uri < b.skill_uri AND a.skill_uri IN (SELECT skill_uri FROM top) "
            "AND b.skill_uri IN (SELECT skill_uri FROM top)"
        )
        pair_params = []
    frame = query(
        f"""
        WITH base AS (SELECT vacancy_id, skill_uri FROM vacancy_skills WHERE month BETWEEN ? AND ?{where}),
        freq AS (SELECT skill_uri, count(*) AS c FROM base GROUP BY 1),
        top AS (SELECT skill_uri FROM freq ORDER BY c DESC, skill_uri LIMIT {int(top)}),
        pairs AS (
            SELECT a.skill_uri AS sa, b.skill_uri AS sb, count(*) AS ab
            FROM base a JOIN base b ON a.vacancy_id = b.vacancy_id
            WHERE {pair_filter} GROUP BY 1, 2 HAVING count(*) >= ?
        )
        SELECT sa, sb, ab, ab * ? / (fa.c * fb.c) AS lift
        FROM pairs JOIN freq fa ON fa.skill_uri = sa JOIN freq fb ON fb.skill_uri = sb
        ORDER BY lift DESC, ab DESC, sa, sb
        """,
        [first, end, *params, *pair_params, min_together, float(n)],
    )
    return [SkillPair(str(a), str(b), int(ab), float(lift)) for a, b, ab, lift in frame.itertuples(index=False)]


@store_cached
def skill_by_quarter(scope: Scope, skill_uri: str, first: str, last: str) -> list[tuple[str, int, int]]:
    """Return (quarter, vacancies asking the skill, all vacancies) per quarter of the months `first`..`last`."""
    where, params = scope.where()
    con = shared_connection()
    totals = dict(
        con.execute(
            f"SELECT month, count(*) FROM vacancies WHERE month BETWEEN ? AND ?{where} GROUP BY 1",
            [first, last, *params],
        ).fetchall()
    )
    asked = dict(
        con.execute(
            "SELECT month, count(*) FROM vacancy_skills "
            f"WHERE month BETWEEN ? AND ? AND skill_uri = ?{where} GROUP BY 1",
            [first, last, skill_uri, *params],
        ).fetchall()
    )
    by_quarter: dict[str, list[int]] = {}
    for month in month_range(first, last):
        entry = by_quarter.setdefault(quarter_of(month), [0, 0])
        entry[0] += int(asked.get(month, 0))
        entry[1] += int(totals.get(month, 0))
    return [(q, a, t) for q, (a, t) in sorted(by_quarter.items())]


@store_cached
def occupations_asking(scope: Scope, skill_uri: str, end: str, limit: int = 10) -> list[tuple[str, int]]:
    """Return the ISCO unit groups with the most vacancies asking the skill in the 12 months ending at `end`."""
    where, params = scope.where()
    rows = (
        shared_connection()
        .execute(
            "SELECT substr(isco_code, 1, 4), count(*) FROM vacancy_skills "
            f"WHERE skill_uri = ? AND month BETWEEN ? AND ?{where} "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?",
            [skill_uri, add_months(end, -11), end, *params, limit],
        )
        .fetchall()
    )
    return [(str(g), int(n)) for g, n in rows]
