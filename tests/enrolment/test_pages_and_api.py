"""Pages and API of the leerrekening and enrolment: each role sees only its own."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tests.api_client import as_user
from wendbaar.catalogue.models import Run
from wendbaar.enrolment import services
from wendbaar.enrolment.models import Session
from wendbaar.funding import services as ledger
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership

from ..funding.conftest import LATER, TODAY, LedgerWorld, make_world

# The pages record attendance on the real date, so this run began last week; people enrolled before that.
RUN_START = TODAY - timedelta(days=7)
ENROLLED_ON = RUN_START - timedelta(days=1)


@pytest.fixture
def setup(db: None) -> dict[str, Any]:
    world: LedgerWorld = make_world()
    ledger.deposit(fund=world.state_fund, amount_cents=1_000_000, key="dep")
    for i, person in enumerate(world.people[:2]):
        ledger.entitle(fund=world.state_fund, person=person, amount_cents=100_000, key=f"ent{i}",
                       region=world.region, today=TODAY)  # fmt: skip
        Membership.objects.create(user=person, role=Role.LEARNER)
    run = Run.objects.create(offering=world.welding, start_date=RUN_START, end_date=RUN_START + timedelta(days=7),
                             start_time=time(19), end_time=time(21), seats=10)  # fmt: skip
    session = Session.objects.create(run=run, date=RUN_START, start=time(19), end=time(21))
    enrolment = services.enrol(person=world.people[0], run=run, today=ENROLLED_ON)
    users = {}
    for name, role, org in [("docent", Role.PROVIDER, world.provider), ("ander", Role.PROVIDER, world.other_provider),
                            ("fonds", Role.FUND, world.sector_fund.funder)]:  # fmt: skip
        users[name] = get_user_model().objects.create_user(username=name)
        Membership.objects.create(user=users[name], role=role, organisation=org)
    return {"world": world, "run": run, "session": session, "enrolment": enrolment, "users": users}


def test_a_person_sees_only_their_own_account(setup: dict[str, Any]) -> None:
    world = setup["world"]
    mine = as_user(world.people[0]).get("/api/v1/learning-accounts").json()
    theirs = as_user(world.people[1]).get("/api/v1/learning-accounts").json()
    assert [a["available_cents"] for a in mine["results"]] == [20_000]  # 100,000 less the 80,000 reserved
    assert [a["available_cents"] for a in theirs["results"]] == [100_000]
    other_uuid = theirs["results"][0]["uuid"]
    assert as_user(world.people[0]).get(f"/api/v1/learning-accounts/{other_uuid}").status_code == 404
    page = as_user(world.people[0]).get("/leerrekening/")
    assert page.status_code == 200
    assert "€\u00a0200,00" in page.content.decode() and "€\u00a0800,00" in page.content.decode()


def test_a_provider_sees_only_its_runs_and_payments(setup: dict[str, Any]) -> None:
    run, users = setup["run"], setup["users"]
    docent = as_user(users["docent"])
    response = docent.post(f"/inschrijvingen/aanbieder/{run.uuid}/", {
        "session": setup["session"].uuid, "enrolment": setup["enrolment"].uuid, "action": "present"})  # fmt: skip
    assert response.status_code == 302  # recorded; the start part is paid
    assert as_user(users["ander"]).get(f"/inschrijvingen/aanbieder/{run.uuid}/").status_code == 404
    assert as_user(users["ander"]).post(f"/inschrijvingen/aanbieder/{run.uuid}/", {
        "session": setup["session"].uuid, "enrolment": setup["enrolment"].uuid}).status_code == 404  # fmt: skip
    assert docent.get(f"/inschrijvingen/aanbieder/{run.uuid}/").status_code == 200
    assert "Lassen in de avond" in docent.get("/inschrijvingen/aanbieder/").content.decode()
    assert "Lassen" not in as_user(users["ander"]).get("/inschrijvingen/aanbieder/").content.decode()
    services.record_attendance(staff=users["docent"], session=setup["session"], enrolment=setup["enrolment"],
                               present=True, today=LATER)  # fmt: skip  # again: nothing is paid twice
    payments = docent.get("/api/v1/provider-payments").json()["results"]
    assert sorted(p["stage"] for p in payments) == ["attendance", "start"]  # the only session: 100% attended
    assert as_user(users["ander"]).get("/api/v1/provider-payments").json()["results"] == []
    export = docent.get(f"/inschrijvingen/aanbieder/{run.uuid}/deelnemers.csv")
    assert export.status_code == 200 and b"person0" in export.content
    assert len(as_user(users["ander"]).get("/api/v1/enrolments").json()["results"]) == 0
    assert len(docent.get("/api/v1/enrolments").json()["results"]) == 1


def test_a_fund_sees_only_its_funds(setup: dict[str, Any]) -> None:
    funds = as_user(setup["users"]["fonds"]).get("/api/v1/funds").json()["results"]
    assert [f["name"] for f in funds] == ["Ontwikkelbudget Bouw"]
    assert as_user(setup["users"]["fonds"]).get(f"/api/v1/funds/{setup['world'].state_fund.uuid}").status_code == 404
    monitor = as_user(setup["users"]["fonds"]).get("/leerrekening/monitor/").content.decode()
    assert "Leerrekening Rijnmond" not in monitor
    assert as_user(setup["world"].people[0]).get("/leerrekening/monitor/").status_code == 403


def test_the_monitor_hides_small_numbers(setup: dict[str, Any]) -> None:
    admin = get_user_model().objects.create_user(username="beheer", is_superuser=True)
    page = as_user(admin).get("/leerrekening/monitor/").content.decode()
    assert "&lt; 10" in page
