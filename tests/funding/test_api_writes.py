"""The funding API's writes: rounds by a fund's staff for their own funds only; a person's own situation only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tests.api_client import invalid
from wendbaar.funding.models import Round, Situation
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership

from .conftest import LedgerWorld


def _client(name: str, role: str, **membership: Any) -> tuple[Client, Any]:
    user = get_user_model().objects.create_user(username=name)
    Membership.objects.create(user=user, role=role, **membership)
    client = Client()
    client.force_login(user)
    return client, user


def _round(world: LedgerWorld, **changes: Any) -> dict[str, Any]:
    opens = timezone.now() + timedelta(days=7)
    return {
        "fund": str(world.sector_fund.uuid), "name": "Ronde voorjaar", "opens_at": opens.isoformat(),
        "closes_at": (opens + timedelta(days=14)).isoformat(), "amount_per_person_cents": 10_000,
        "budget_cents": 50_000, "rule": "priority", **changes,
    }  # fmt: skip


def test_a_fund_opens_a_round_for_its_own_fund_and_the_seed_stays_secret(world: LedgerWorld) -> None:
    staff, _user = _client("fonds", Role.FUND, organisation=world.sector_fund.funder)
    response = staff.post("/api/v1/allocation-rounds", _round(world), content_type="application/json")
    assert response.status_code == 201, response.content
    made = response.json()
    round = Round.objects.get(uuid=made["uuid"])
    assert (round.fund, round.rule, made["seats"]) == (world.sector_fund, "priority", 5)
    assert made["seed_commitment"] == round.seed_commitment and made["seed"] is None and round.seed
    learner, _person = _client("leerder", Role.LEARNER)
    seen = learner.get(f"/api/v1/allocation-rounds/{round.uuid}").json()
    assert seen["seed"] is None and seen["seed_commitment"] == round.seed_commitment


def test_no_round_for_another_funders_fund_nor_by_other_roles(world: LedgerWorld) -> None:
    staff, _user = _client("fonds", Role.FUND, organisation=world.sector_fund.funder)
    other = _round(world, fund=str(world.state_fund.uuid))
    refused = staff.post("/api/v1/allocation-rounds", other, content_type="application/json")
    assert invalid(refused) == {"fund": "not_your_fund"}
    assert "eigen organisatie" in refused.json()["invalidParams"][0]["reason"]
    for role, membership in ((Role.LEARNER, {}), (Role.COORDINATOR, {"region": world.region})):
        client, _user = _client(f"user-{role}", role, **membership)
        response = client.post("/api/v1/allocation-rounds", _round(world), content_type="application/json")
        assert response.status_code == 403
    assert Client().post("/api/v1/allocation-rounds", _round(world), content_type="application/json").status_code in (
        401, 403,
    )  # fmt: skip
    assert not Round.objects.exists()


def test_a_bad_round_names_every_field_and_writes_nothing(world: LedgerWorld) -> None:
    staff, _user = _client("fonds", Role.FUND, organisation=world.sector_fund.funder)
    past = (timezone.now() - timedelta(days=1)).isoformat()
    bad = _round(world, opens_at=past, closes_at=past, amount_per_person_cents=-5, budget_cents=1.5, rule="fastest")
    codes = invalid(staff.post("/api/v1/allocation-rounds", bad, content_type="application/json"))
    assert {"budget_cents", "rule"} <= set(codes)  # the serializer's types first
    bad = _round(world, opens_at=past, closes_at=past, amount_per_person_cents=-5)
    codes = invalid(staff.post("/api/v1/allocation-rounds", bad, content_type="application/json"))
    assert set(codes) == {"opens_at", "closes_at", "amount_per_person_cents"}  # the service's rules, all at once
    assert not Round.objects.exists()


def test_a_person_reads_and_writes_only_their_own_situation(world: LedgerWorld) -> None:
    person, user = _client("leerder", Role.LEARNER)
    empty = person.get("/api/v1/funding-situations/me").json()
    assert empty["region"] is None and empty["sector"] == ""
    answers = {"region": world.region.code, "sector": "F", "education_level": "mbo2",
               "employment_status": "employed", "birth_year": 1990}  # fmt: skip
    response = person.put("/api/v1/funding-situations/me", answers, content_type="application/json")
    assert response.status_code == 200, response.content
    assert {k: response.json()[k] for k in answers} == answers
    saved = Situation.objects.get(person=user)
    assert (saved.region, saved.sector, saved.birth_year) == (world.region, "F", 1990)
    # another person sees their own (empty) situation, never this one
    other, _other = _client("ander", Role.LEARNER)
    assert other.get("/api/v1/funding-situations/me").json()["sector"] == ""
    # a fund or a provider has no situation here
    staff, _staff = _client("fonds", Role.FUND, organisation=world.sector_fund.funder)
    assert staff.put("/api/v1/funding-situations/me", answers, content_type="application/json").status_code == 403


def test_a_bad_situation_names_the_fields_and_keeps_the_old_answers(world: LedgerWorld) -> None:
    person, user = _client("leerder", Role.LEARNER)
    person.put("/api/v1/funding-situations/me", {"sector": "F"}, content_type="application/json")
    bad = {"region": "XX99", "sector": "shoes", "birth_year": 1850}
    codes = invalid(person.put("/api/v1/funding-situations/me", bad, content_type="application/json"))
    assert {"region", "sector"} <= set(codes)
    response = person.put("/api/v1/funding-situations/me", {"birth_year": 1850}, content_type="application/json")
    assert set(invalid(response)) == {"birth_year"}
    assert "geboortejaar" in response.json()["invalidParams"][0]["reason"]
    assert Situation.objects.get(person=user).sector == "F"


@pytest.fixture(autouse=True)
def _dutch(settings: Any) -> None:
    settings.LANGUAGE_CODE = "nl"


def _open_round(world: LedgerWorld, opens_in: timedelta = timedelta(hours=-1)) -> Round:
    """A round of the sector fund whose window opened an hour ago (made a day before it opened)."""
    from wendbaar.funding.allocation import services as allocation

    now = timezone.now()
    return allocation.open_round(
        fund=world.sector_fund, name="Ronde nu", opens_at=now + opens_in, closes_at=now + timedelta(days=3),
        amount_per_person_cents=10_000, budget_cents=20_000, now=now + opens_in - timedelta(days=1),
    )  # fmt: skip


def test_a_person_applies_once_and_reads_only_their_own_application(world: LedgerWorld) -> None:
    round = _open_round(world)
    person, user = _client("leerder", Role.LEARNER)
    address = f"/api/v1/allocation-rounds/{round.uuid}/application"
    first = person.post(address)
    assert first.status_code == 201, first.content
    assert first.json()["outcome"] == "waiting" and first.json()["rank"] is None
    assert first.json()["explanation"][0].startswith("Wanneer je")  # B1, "je"
    assert person.post(address).json()["uuid"] == first.json()["uuid"]  # a double submission: the same one
    assert person.get(address).json()["uuid"] == first.json()["uuid"]
    assert round.applications.count() == 1
    other, _other = _client("ander", Role.LEARNER)
    assert other.get(address).status_code == 404  # nobody reads another person's application
    staff, _staff = _client("fonds", Role.FUND, organisation=world.sector_fund.funder)
    assert staff.post(address).status_code == 403


def test_applying_outside_the_window_names_the_round_and_writes_nothing(world: LedgerWorld) -> None:
    later = _open_round(world, opens_in=timedelta(days=1))
    person, _user = _client("leerder", Role.LEARNER)
    response = person.post(f"/api/v1/allocation-rounds/{later.uuid}/application")
    assert set(invalid(response)) == {"round"}
    assert "nog niet" in response.json()["invalidParams"][0]["reason"]
    assert not later.applications.exists()
    assert person.post("/api/v1/allocation-rounds/00000000-0000-0000-0000-000000000000/application").status_code == 404
