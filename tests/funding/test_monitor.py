"""The participation monitor: counted through enrolment's services, seen only within the user's scope."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api_client import as_user
from wendbaar.catalogue.models import Run
from wendbaar.enrolment import services as enrolment
from wendbaar.enrolment.models import Enrolment, Outcome, Session
from wendbaar.funding import services as ledger
from wendbaar.funding.accounts.services import set_situation
from wendbaar.funding.constants import EducationLevel
from wendbaar.funding.models import Participation, ParticipationVersion
from wendbaar.regions.constants import Role, Sector
from wendbaar.regions.models import Membership, Region

from .conftest import LATER, RUN_START, TODAY, make_world


def _people(prefix: str, count: int, **situation: Any) -> list[Any]:
    people = []
    for i in range(count):
        person = get_user_model().objects.create_user(username=f"{prefix}{i}")
        set_situation(person=person, employment_status="", **situation)
        people.append(person)
    return people


def _user(name: str, role: str, **membership: Any) -> Any:
    user = get_user_model().objects.create_user(username=name)
    Membership.objects.create(user=user, role=role, **membership)
    return user


@pytest.fixture
def monitored(db: None) -> dict[str, Any]:
    """12 people of Rijnmond on the state fund (4 stop), 3 of Amsterdam on the sector fund."""
    return _monitored()


@pytest.fixture
def monitored_committed(transactional_db: None) -> dict[str, Any]:
    """The same, committed: every service call its own transaction, as on the site (the cache's case)."""
    return _monitored()


def _monitored() -> dict[str, Any]:
    world = make_world()
    amsterdam, _ = Region.objects.get_or_create(code="AM01", defaults={"name": "Groot Amsterdam"})
    ledger.deposit(fund=world.state_fund, amount_cents=10_000_000, key="dep-state")
    ledger.deposit(fund=world.sector_fund, amount_cents=10_000_000, key="dep-sector")
    staff = _user("docent", Role.PROVIDER, organisation=world.provider)
    welding = Run.objects.create(offering=world.welding, start_date=RUN_START, end_date=RUN_START + timedelta(days=7),
                                 start_time=time(19), end_time=time(21))  # fmt: skip
    session = Session.objects.create(run=welding, date=RUN_START, start=time(19), end=time(21))
    coaching = Run.objects.create(offering=world.coaching, start_date=RUN_START, end_date=RUN_START + timedelta(days=7),
                                  start_time=time(19), end_time=time(21))  # fmt: skip
    rijnmond = _people("r", 12, region=world.region, sector=Sector.F, education_level=EducationLevel.MBO2,
                       birth_year=1990)  # fmt: skip
    for i, person in enumerate(rijnmond):
        ledger.entitle(fund=world.state_fund, person=person, amount_cents=100_000, key=f"ent-r{i}",
                       region=world.region, today=TODAY)  # fmt: skip
        done = enrolment.enrol(person=person, run=welding, today=TODAY)
        enrolment.record_attendance(staff=staff, session=session, enrolment=done, present=True, today=LATER)
        if i < 4:
            enrolment.drop_out(staff=staff, enrolment=done, outcome=Outcome.MOVED)
    for i, person in enumerate(_people("a", 3, region=amsterdam, sector=Sector.Q, education_level="")):
        ledger.entitle(fund=world.sector_fund, person=person, amount_cents=50_000, key=f"ent-a{i}", today=TODAY)
        enrolment.enrol(person=person, run=coaching, today=TODAY)
    users = {
        "coordinator": _user("coord", Role.COORDINATOR, region=world.region),
        "coordinator_amsterdam": _user("coord-a", Role.COORDINATOR, region=amsterdam),
        "sector_fund": _user("fonds", Role.FUND, organisation=world.sector_fund.funder),
        "state_fund": _user("rijk", Role.FUND, organisation=world.state_fund.funder),
        "learner": rijnmond[0],
    }
    Membership.objects.create(user=rijnmond[0], role=Role.LEARNER)
    return {"world": world, "users": users, "staff": staff, "welding": welding, "session": session}


def _figures(user: Any, **params: Any) -> dict[str, Any]:
    response = as_user(user).get("/api/v1/participation-figures", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_enrolments_are_counted_with_the_situation_at_enrolment(monitored: dict[str, Any]) -> None:
    rows = Participation.objects.filter(sector=Sector.F)
    assert rows.count() == 12
    assert set(rows.values_list("status", flat=True)) == {"enrolled", "dropped_out"}
    assert rows.filter(status="dropped_out").count() == 4
    assert set(rows.values_list("education_level", "age_band")) == {("mbo2", "35-44")}


def test_a_coordinator_sees_only_their_region(monitored: dict[str, Any]) -> None:
    figures = _figures(monitored["users"]["coordinator"], dimension="region")
    assert [r["name"] for r in figures["rows"]] == ["Rijnmond"]
    total = figures["total"]
    assert (total["people"], total["enrolments"], total["dropped_out"]) == (12, 12, None)  # 4 stopped: hidden
    # the only session attended: the start and attendance parts paid, 30% + 30% of the fund's 80,000 cents
    assert total["spent_cents"] == 12 * 48_000
    by_sector = _figures(monitored["users"]["coordinator"], dimension="sector")["rows"]
    assert [(r["key"], r["people"]) for r in by_sector] == [("F", 12)]
    amsterdam = _figures(monitored["users"]["coordinator_amsterdam"], dimension="region")
    assert amsterdam["total"]["people"] is None and [r["people"] for r in amsterdam["rows"]] == [None]


def test_a_fund_sees_only_its_own_funds(monitored: dict[str, Any]) -> None:
    sector = _figures(monitored["users"]["sector_fund"], dimension="fund")
    assert [r["name"] for r in sector["rows"]] == ["Ontwikkelbudget Bouw"]
    assert sector["total"]["people"] is None  # three people: hidden
    state = _figures(monitored["users"]["state_fund"], dimension="provider")
    assert [r["name"] for r in state["rows"]] == ["ROC Rijnmond"]
    page = as_user(monitored["users"]["sector_fund"]).get("/leerrekening/monitor/?dimension=fund").content.decode()
    assert "Ontwikkelbudget Bouw" in page and "Leerrekening Rijnmond" not in page


def test_the_administrator_cannot_work_out_a_hidden_region(monitored: dict[str, Any]) -> None:
    admin = get_user_model().objects.create_user(username="beheer", is_superuser=True)
    figures = _figures(admin, dimension="region")
    assert [r["people"] for r in figures["rows"]] == [None, None]  # Amsterdam (3) hidden, so Rijnmond too
    assert figures["total"]["people"] == 15


def test_a_learner_and_a_provider_may_not_look(monitored: dict[str, Any]) -> None:
    learner = as_user(monitored["users"]["learner"])
    assert learner.get("/leerrekening/monitor/").status_code == 403
    assert learner.get("/api/v1/participation-figures").status_code == 403
    provider = as_user(get_user_model().objects.get(username="docent"))
    assert provider.get("/api/v1/participation-figures").status_code == 403


def test_bad_filters_are_one_problem_answer(monitored: dict[str, Any]) -> None:
    response = as_user(monitored["users"]["coordinator"]).get(
        "/api/v1/participation-figures", {"dimension": "shoe-size", "year": "soon"}
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert {p["name"] for p in response.json()["invalidParams"]} == {"dimension", "year"}


def test_the_page_draws_charts_with_tables_and_csv(monitored: dict[str, Any]) -> None:
    client = as_user(monitored["users"]["coordinator"])
    page = client.get("/leerrekening/monitor/", {"dimension": "age_band"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<svg role="img"') == 2 and ("35 tot 44" in html or "35 to 44" in html)
    assert "&lt; 10" in html  # the four who stopped
    download = client.get("/leerrekening/monitor/", {"dimension": "age_band", "download": "people-age_band"})
    assert download["Content-Type"].startswith("text/csv")
    lines = download.content.decode().splitlines()
    assert lines[1].endswith(",12,12,0,< 10")
    assert client.get("/leerrekening/monitor/", {"download": "nothing"}).status_code == 404


def _counting(user: Any, **params: Any) -> tuple[dict[str, Any], int]:
    """The figures and how many queries read the monitor's table for them."""
    with CaptureQueriesContext(connection) as queries:
        figures = _figures(user, **params)
    return figures, sum('"funding_participation"' in q["sql"] for q in queries.captured_queries)


def test_figures_are_counted_once_per_change_and_never_stale(monitored_committed: dict[str, Any]) -> None:
    coordinator, world = monitored_committed["users"]["coordinator"], monitored_committed["world"]
    first, counted = _counting(coordinator, dimension="region")
    assert first["total"]["people"] == 12 and counted == 2  # the groups and their total
    again, counted = _counting(coordinator, dimension="region")
    assert again == first and counted == 0  # no change: read from the cache
    by_sector, counted = _counting(coordinator, dimension="sector")
    assert by_sector["total"] == first["total"] and counted == 1  # only the groups: the total is the same
    # A new enrolment is seen at once.
    (newcomer,) = _people("n", 1, region=world.region, sector=Sector.F, education_level=EducationLevel.MBO2)
    ledger.entitle(fund=world.state_fund, person=newcomer, amount_cents=100_000, key="ent-n", today=TODAY)
    done = enrolment.enrol(person=newcomer, run=monitored_committed["welding"], today=TODAY)
    after, counted = _counting(coordinator, dimension="region")
    assert (after["total"]["people"], after["total"]["enrolments"]) == (13, 13) and counted == 2
    # Money paid by the ledger (the booking engine's copy) is seen at once.
    enrolment.record_attendance(staff=monitored_committed["staff"], session=monitored_committed["session"],
                                enrolment=done, present=True, today=LATER)  # fmt: skip
    assert _figures(coordinator, dimension="region")["total"]["spent_cents"] == 13 * 48_000
    # So is a status: a fifth person stops.
    assert _figures(coordinator, dimension="region")["total"]["dropped_out"] is None  # 4: hidden
    enrolment.drop_out(staff=monitored_committed["staff"], enrolment=done, outcome=Outcome.FOUND_WORK)
    assert _figures(coordinator, dimension="region")["total"]["dropped_out"] is None  # 5: still hidden
    for stopping in Enrolment.objects.filter(status="enrolled", run=monitored_committed["welding"])[:5]:
        enrolment.drop_out(staff=monitored_committed["staff"], enrolment=stopping, outcome=Outcome.FOUND_WORK)
    assert _figures(coordinator, dimension="region")["total"]["dropped_out"] == 10


def test_a_change_inside_an_open_transaction_is_counted_without_the_cache(monitored: dict[str, Any]) -> None:
    coordinator, world = monitored["users"]["coordinator"], monitored["world"]
    assert _figures(coordinator, dimension="sector")["total"]["people"] == 12
    (newcomer,) = _people("n", 1, region=world.region, sector=Sector.F, education_level=EducationLevel.MBO2)
    ledger.entitle(fund=world.state_fund, person=newcomer, amount_cents=100_000, key="ent-n", today=TODAY)
    enrolment.enrol(person=newcomer, run=monitored["welding"], today=TODAY)
    assert _figures(coordinator, dimension="sector")["total"]["people"] == 13


def test_every_change_to_the_table_changes_its_version(db: None) -> None:
    world = make_world()
    person = get_user_model().objects.create_user(username="p")

    def version() -> int | None:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE") if connection.vendor == "postgresql" else None
        return ParticipationVersion.objects.filter(pk=1).values_list("number", flat=True).first()

    seen = [version()]
    row = Participation.objects.create(enrolment_id=1, person=person, provider=world.provider, year=2026,
                                       status="enrolled")  # fmt: skip
    seen.append(version())
    Participation.objects.filter(pk=row.pk).update(paid_cents=100)
    seen.append(version())
    person.delete()  # the cascade
    seen.append(version())
    assert None not in seen[1:] and len(set(seen)) == 4
