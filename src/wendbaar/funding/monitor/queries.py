"""The monitor's figures: participation per region, sector, age band, education level, fund or provider.

The administrator's, one region's and one fund's figures are read from the rollup (`rollup`: a few hundred
cells plus the changes not yet folded in, exact); other scopes are counted from `funding.Participation`
(one narrow table, indexed by region and by fund, both with the year): one grouped query plus one for the
total.
Who sees what (`Scope`): an administrator everything, a coordinator the people of their region(s), a
funder the enrolments its own funds pay for. The figures leave here only through `disclosure.publish`.

Counting people distinct over a million rows takes seconds, so the figures are cached (the "monitor" cache)
under the table's version (`ParticipationVersion`, changed by the database in the same transaction as every
change to the table): a page after no change reads the cache; the first page after a change counts again.
The version is read in the same snapshot as the counting (PostgreSQL: REPEATABLE READ), so what is cached under
a version is exactly that version's table; the total, the same for every split, is counted once per scope and
year. Names (regions, funds, schools) and what may be shown are worked out on every page, after the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import Max, Min, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wendbaar.funding.constants import AgeBand, EducationLevel
from wendbaar.funding.models import Fund, Participation, ParticipationVersion
from wendbaar.funding.monitor import rollup
from wendbaar.funding.monitor.counting import COLUMNS, TAKING_PART, aggregates, mode, value_of
from wendbaar.funding.monitor.disclosure import SMALL_CELL, Counts, Published, publish
from wendbaar.regions.constants import Role, Sector
from wendbaar.regions.roles import coordinated_region_ids, organisation_ids, roles_of

DIMENSIONS = {
    "region": gettext_lazy("Region"),
    "sector": gettext_lazy("Sector"),
    "age_band": gettext_lazy("Age"),
    "education_level": gettext_lazy("Highest diploma"),
    "fund": gettext_lazy("Fund"),
    "provider": gettext_lazy("School or trainer"),
}
__all__ = ["SMALL_CELL", "DIMENSIONS", "TAKING_PART", "Scope", "Table", "participation", "scope_of", "years"]


@dataclass(frozen=True)
class Scope:
    """What one user may count: everything (an administrator), or the enrolments of these regions
    (a coordinator's) and of these funds (a funder's); a user with both roles sees both parts."""

    everything: bool = False
    region_ids: frozenset[int] = frozenset()
    fund_ids: frozenset[int] = frozenset()

    def filter(self, rows: QuerySet[Participation]) -> QuerySet[Participation]:
        if self.everything:
            return rows
        return rows.filter(Q(region_id__in=self.region_ids) | Q(fund_id__in=self.fund_ids))

    def cells(self) -> str | None:
        """The scope's name in the rollup ("all", "r<region>", "f<fund>"), None when the rollup does not hold it."""
        if self.everything:
            return "all"
        if len(self.region_ids) + len(self.fund_ids) != 1:
            return None
        return f"r{min(self.region_ids)}" if self.region_ids else f"f{min(self.fund_ids)}"

    def key(self) -> str:
        """A short name of the scope for the cache."""
        if self.everything:
            return "all"
        text = f"r{sorted(self.region_ids)}f{sorted(self.fund_ids)}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def scope_of(user: Any) -> Scope | None:
    """The user's scope; None when the user may not see the monitor at all."""
    roles = roles_of(user)
    if Role.ADMIN in roles:
        return Scope(everything=True)
    if not roles & {Role.COORDINATOR, Role.FUND}:
        return None
    funds: frozenset[int] = frozenset()
    if Role.FUND in roles:
        funders = organisation_ids(user, role=Role.FUND)
        funds = frozenset(Fund.objects.filter(funder_id__in=funders).values_list("pk", flat=True))
    regions = coordinated_region_ids(user) if Role.COORDINATOR in roles else frozenset()
    return Scope(region_ids=regions, fund_ids=funds)


def _version() -> int | None:
    """The monitor table's version as this transaction may use it for the cache, or None: not cached.

    On PostgreSQL the version changes at COMMIT (a deferred trigger), so a transaction that wrote anything
    yet may hold changes of its own that its version does not show: it counts without the cache.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT v.number FROM funding_participationversion v"
                " WHERE v.id = 1 AND pg_current_xact_id_if_assigned() IS NULL"
            )
            found = cursor.fetchone()
        return None if found is None else int(found[0])
    return ParticipationVersion.objects.filter(pk=1).values_list("number", flat=True).first()


@contextmanager
def _snapshot() -> Iterator[None]:
    """One snapshot for the version and the counting (PostgreSQL: REPEATABLE READ), so what is cached under a
    version is exactly that version's table, and figures counted apart (the groups, the total) fit together."""
    own = not connection.in_atomic_block  # inside a caller's transaction its snapshot rules
    with transaction.atomic():
        if own and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _cached(counts: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Each of `counts` (name: how to count it), cached under the monitor table's version; uncached when the
    version row is missing (only when the tables were emptied outside the migrations) or see `_version`."""
    with _snapshot():
        version = _version()
        if version is None:
            return {name: count() for name, count in counts.items()}
        cache = caches["monitor"]
        keys = {name: f"participation:{version}:{name}" for name in counts}
        found = cache.get_many(list(keys.values()))
        figures = {}
        for name, count in counts.items():
            if keys[name] in found:
                figures[name] = found[keys[name]]
            else:
                figures[name] = count()
                cache.set(keys[name], figures[name])
        return figures


def years(scope: Scope) -> list[int]:
    """The years from the scope's first enrolment to its last, newest first (from the indexes' ends, no scan)."""

    def count() -> list[int]:
        span = scope.filter(Participation.objects.order_by()).aggregate(first=Min("year"), last=Max("year"))
        if span["first"] is None:
            return []
        return list(range(span["last"], span["first"] - 1, -1))

    return list(_cached({f"years:{scope.key()}": count})[f"years:{scope.key()}"])


@dataclass(frozen=True)
class Table:
    dimension: str
    year: int | None
    rows: list[Published]
    total: Published


def participation(*, scope: Scope, dimension: str, year: int | None = None, direct: bool = False) -> Table:
    """The figures per group of `dimension` (one of DIMENSIONS) in the scope and year (None: all years).

    `direct`: count from the table even where the rollup holds the scope (the benchmark's baseline, the tests'
    reference); the figures are the same.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    cells = None if direct else scope.cells()
    if cells is not None:  # pending changes are added on read; the worker folds them in (funding.tasks.compact_later)
        groups, overall_count = (lambda: _rolled_up(cells, dimension, year)), (lambda: _rolled_up(cells, "", year)[0])
    else:
        groups, overall_count = (lambda: _groups(scope, dimension, year)), (lambda: _total(scope, year))
    # The total is the same whatever the split, so it is counted once per scope and year.
    source = "direct" if cells is None else "cells"
    by_group, overall = f"groups:{source}:{scope.key()}:{dimension}:{year}", f"total:{source}:{scope.key()}:{year}"
    figures = _cached({by_group: groups, overall: overall_count})
    grouped, totals = figures[by_group], figures[overall]
    column = COLUMNS[dimension]
    labels = _labels(dimension, [g[column] for g in grouped])
    counts = [_counts(str(g[column] or ""), labels.get(g[column]) or _("Not known"), g) for g in grouped]
    counts.sort(key=lambda c: (c.label == _("Not known"), c.label.lower()))
    published, total = publish(counts, _counts("", _("Total"), totals))
    return Table(dimension, year, published, total)


def _rows(scope: Scope, year: int | None) -> QuerySet[Participation]:
    rows = scope.filter(Participation.objects.filter(status__in=TAKING_PART))
    return (rows if year is None else rows.filter(year=year)).order_by()


def _whole(scope: Scope) -> bool:
    """A coordinator's or the administrator's scope holds all rows of an enrolment (the region is the
    enrolment's); a funder's may hold only some of them."""
    return scope.everything or not scope.fund_ids


def _groups(scope: Scope, dimension: str, year: int | None) -> list[dict[str, Any]]:
    """The figures per group, straight from the table. Split by fund, each row is its own enrolment."""
    count = aggregates(mode(whole=_whole(scope), dimension=dimension))
    return list(_rows(scope, year).values(COLUMNS[dimension]).annotate(**count))


def _total(scope: Scope, year: int | None) -> dict[str, Any]:
    return _rows(scope, year).aggregate(**aggregates(mode(whole=_whole(scope), dimension="")))


def _rolled_up(cells: str, dimension: str, year: int | None) -> list[dict[str, Any]]:
    """The figures per group from the rollup, in the direct count's form (the total: one group, or zeros)."""
    found = rollup.read(cells, dimension, year)
    column = COLUMNS.get(dimension, "")
    names = ("people", "enrolments", "completed", "dropped_out", "spent")
    groups = [{column: value_of(dimension, key), **dict(zip(names, figures, strict=True))}
              for key, figures in found.items()]  # fmt: skip
    return groups or ([] if dimension else [dict.fromkeys(names, 0)])


def _counts(key: str, label: str, figures: dict[str, Any]) -> Counts:
    return Counts(
        key, label, figures["people"], figures["enrolments"], figures["completed"], figures["dropped_out"],
        int(figures["spent"] or 0),
    )  # fmt: skip


def _labels(dimension: str, keys: list[Any]) -> dict[Any, str]:
    from wendbaar.regions.models import Organisation, Region

    if dimension == "region":
        return dict(Region.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "fund":
        return dict(Fund.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "provider":
        return dict(Organisation.objects.filter(pk__in=keys).values_list("pk", "name"))
    choices = {"sector": Sector, "age_band": AgeBand, "education_level": EducationLevel}[dimension]
    return {value: str(label) for value, label in choices.choices}
