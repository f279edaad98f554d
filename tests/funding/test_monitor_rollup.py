"""The monitor's rollup gives the same figures as counting the table, after any changes, whoever writes."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wendbaar.funding.models import Participation, ParticipationCell, ParticipationChange
from wendbaar.funding.monitor import queries, rollup
from wendbaar.regions.models import Region

from .conftest import make_world

STATUSES = ("enrolled", "completed", "dropped_out", "waiting", "cancelled")
YEARS = (2025, 2026)
ENROLMENTS, PEOPLE = 6, 4

_enrol = st.tuples(
    st.just("enrol"), st.integers(1, ENROLMENTS), st.integers(0, PEOPLE - 1),
    st.lists(st.integers(0, 1), max_size=2, unique=True), st.integers(0, 2), st.sampled_from("AB"),
    st.sampled_from(YEARS), st.sampled_from(STATUSES), st.integers(0, 1),
)  # fmt: skip
CHANGES = st.lists(
    st.one_of(
        _enrol,
        st.tuples(st.just("status"), st.integers(1, ENROLMENTS), st.sampled_from(STATUSES)),
        st.tuples(st.just("paid"), st.integers(1, ENROLMENTS), st.sampled_from((0, 24_000, -24_000))),
        st.tuples(st.just("move"), st.integers(1, ENROLMENTS), st.integers(0, PEOPLE - 1)),
        st.tuples(st.just("drop"), st.integers(1, ENROLMENTS)),
        st.tuples(st.just("forget"), st.integers(0, PEOPLE - 1)),  # a deleted user: the cascade
        st.tuples(st.just("compact")),
    ),
    max_size=14,
)


@pytest.fixture
def place(db: None) -> dict[str, Any]:
    world = make_world()
    other, _ = Region.objects.get_or_create(code="AM01", defaults={"name": "Groot Amsterdam"})
    return {"funds": [world.state_fund, world.sector_fund], "regions": [None, world.region, other],
            "providers": [world.provider, world.other_provider]}  # fmt: skip


def _apply(change: tuple[Any, ...], place: dict[str, Any], people: list[Any]) -> None:
    kind, *args = change
    rows = Participation.objects.filter(enrolment_id=args[0]) if kind not in ("forget", "compact") else None
    if kind == "enrol":  # as monitor.services.record_enrolment: its rows replaced, one per paying fund
        enrolment, person, funds, region, sector, year, status, provider = args
        if people[person] is None:
            return
        rows.delete()
        common = {"enrolment_id": enrolment, "person": people[person], "provider": place["providers"][provider],
                  "region": place["regions"][region], "sector": sector, "year": year, "status": status,
                  "age_band": "25-34" if person % 2 else ""}  # fmt: skip
        Participation.objects.bulk_create([
            Participation(fund=place["funds"][f], first_line=i == 0, paid_cents=24_000 * (f + 1), **common)
            for i, f in enumerate(funds)
        ] or [Participation(first_line=True, **common)])  # fmt: skip
    elif kind == "status":
        rows.update(status=args[1])
    elif kind == "paid":  # the booking engine's copy of the money paid
        rows.exclude(fund=None).update(paid_cents=F("paid_cents") + args[1])
    elif kind == "move" and people[args[1]] is not None:
        rows.update(person=people[args[1]])
    elif kind == "drop":
        rows.delete()
    elif kind == "forget" and people[args[0]] is not None:
        people[args[0]].delete()
        people[args[0]] = None
    elif kind == "compact":
        rollup.compact()


def _raw(scope: queries.Scope, dimension: str, year: int | None) -> tuple[dict[Any, tuple[int, ...]], tuple[int, ...]]:
    """The unpublished figures per group, and the total, from the rollup or counted."""

    def figures(group: dict[str, Any]) -> tuple[int, ...]:
        names = ("people", "enrolments", "completed", "dropped_out")
        return (*(group[n] for n in names), int(group["spent"] or 0))

    column = queries.COLUMNS[dimension]
    counted = {g[column]: figures(g) for g in queries._groups(scope, dimension, year)}
    counted_total = figures(queries._total(scope, year))
    cells = scope.cells()
    assert cells is not None
    rolled = {g[column]: figures(g) for g in queries._rolled_up(cells, dimension, year)}
    rolled_total = figures(queries._rolled_up(cells, "", year)[0])
    assert rolled == counted, (scope, dimension, year)
    assert rolled_total == counted_total, (scope, year)
    return counted, counted_total


def _compare(place: dict[str, Any], *, published: bool = False) -> None:
    scopes = [queries.Scope(everything=True)]
    scopes += [queries.Scope(region_ids=frozenset({r.pk})) for r in place["regions"] if r is not None]
    scopes += [queries.Scope(fund_ids=frozenset({f.pk})) for f in place["funds"]]
    for scope in scopes:
        for dimension in queries.DIMENSIONS:
            for year in (*YEARS, None):
                _raw(scope, dimension, year)
                if not published:
                    continue
                caches["monitor"].clear()  # versions repeat after a rollback: never a figure of another example
                assert queries.participation(scope=scope, dimension=dimension, year=year) == queries.participation(
                    scope=scope, dimension=dimension, year=year, direct=True
                )


# 12 random histories per run (each compared for every scope, dimension and year, three times): about 20 s of
# a CI pass; every run draws new ones.
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=CHANGES)
def test_the_rollup_counts_what_the_table_holds(place: dict[str, Any], changes: list[tuple[Any, ...]]) -> None:
    with transaction.atomic():
        people = [get_user_model().objects.create_user(username=f"rollup{i}") for i in range(PEOPLE)]
        for change in changes:
            _apply(change, place, people)
        _compare(place, published=True)  # the cells and the changes still pending; and as the page shows them
        rollup.compact()
        assert not ParticipationChange.objects.exists()
        _compare(place)  # all folded in
        rollup.rebuild()
        _compare(place)  # counted afresh
        transaction.set_rollback(True)


def test_a_rebuild_counts_the_table_and_forgets_the_pending_changes(place: dict[str, Any]) -> None:
    person = get_user_model().objects.create_user(username="p")
    Participation.objects.create(enrolment_id=1, person=person, provider=place["providers"][0], year=2026,
                                 status="completed", fund=place["funds"][0], paid_cents=100)  # fmt: skip
    assert ParticipationChange.objects.count() == 1 and not ParticipationCell.objects.exists()
    rollup.rebuild()
    assert not ParticipationChange.objects.exists()
    everything = {(c.scope, c.dimension, c.year) for c in ParticipationCell.objects.filter(dimension="")}
    fund = place["funds"][0].pk
    assert everything == {("all", "", 2026), ("all", "", 0), (f"f{fund}", "", 2026), (f"f{fund}", "", 0)}
    assert queries.participation(scope=queries.Scope(everything=True), dimension="fund").total.spent_cents is None


def test_the_command_folds_the_changes_in_or_counts_again(place: dict[str, Any]) -> None:
    person = get_user_model().objects.create_user(username="p")
    Participation.objects.create(enrolment_id=1, person=person, provider=place["providers"][0], year=2026,
                                 status="enrolled")  # fmt: skip
    out = io.StringIO()
    call_command("funding", "rollup", stdout=out)
    assert out.getvalue().startswith("1 pending changes folded")
    assert not ParticipationChange.objects.exists()
    assert ParticipationCell.objects.get(scope="all", dimension="", year=0).people == 1
    call_command("funding", "rollup", "--rebuild", stdout=out)
    assert ParticipationCell.objects.get(scope="all", dimension="", year=0).people == 1
