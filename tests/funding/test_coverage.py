"""What a person's learning accounts would pay for an offering (`queries.coverage_for`), read without booking."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import translation

from wendbaar.catalogue.models import Offering
from wendbaar.enrolment.services import funding_plan
from wendbaar.funding import services as ledger
from wendbaar.funding.accounts import queries
from wendbaar.funding.models import Account, Fund, LedgerTransaction

from .conftest import AFTER_THE_END, TODAY, LedgerWorld


@pytest.fixture(autouse=True)
def in_english() -> Any:
    with translation.override("en"):
        yield


def _entitle(world: LedgerWorld, fund: Fund, person: Any, amount: int, key: str) -> None:
    ledger.deposit(fund=fund, amount_cents=500_000, key=f"dep-{key}")
    ledger.entitle(fund=fund, person=person, amount_cents=amount, key=f"ent-{key}", region=world.region, today=TODAY)


def _reserve(account: Account, offering: Offering, amount: int, reference: str) -> None:
    ledger.reserve(
        entitlement=account, offering=offering, amount_cents=amount, reference=reference, key=reference, today=TODAY
    )


def test_a_fund_pays_its_share_up_to_its_cap_and_the_person_pays_the_rest(world: LedgerWorld) -> None:
    person = world.people[0]
    _entitle(world, world.state_fund, person, 100_000, "s")
    booked = LedgerTransaction.objects.count()
    covered = queries.coverage_for(person=person, offering=world.welding, today=TODAY)
    assert covered is not None
    # 70% of € 1,200 is € 840, over the cap of € 800 per course: the fund pays € 800, the person € 400.
    assert [(line.fund_name, line.amount_cents) for line in covered.lines] == [("Leerrekening Rijnmond", 80_000)]
    assert (covered.fund_cents, covered.own_share_cents, covered.price_cents) == (80_000, 40_000, 120_000)
    assert covered.covered and covered.reason == "" and covered.fund_name == "Leerrekening Rijnmond"
    assert LedgerTransaction.objects.count() == booked  # a question, not a reservation


def test_a_fund_that_does_not_cover_the_offering_pays_nothing_and_says_why(world: LedgerWorld) -> None:
    person = world.people[0]
    _entitle(world, world.state_fund, person, 100_000, "s")
    covered = queries.coverage_for(person=person, offering=world.coaching, today=TODAY)  # tagged "sector-fund"
    assert covered is not None
    assert covered.lines == () and not covered.covered
    assert covered.own_share_cents == covered.price_cents == 40_000
    assert covered.reason == "This fund does not pay for this kind of course."
    assert [r.fund_name for r in covered.refusals] == ["Leerrekening Rijnmond"]


def test_no_learning_account_gives_no_answer(world: LedgerWorld) -> None:
    assert queries.coverage_for(person=world.people[1], offering=world.welding, today=TODAY) is None
    assert queries.coverage_for_offerings(person=world.people[1], offerings=[world.welding], today=TODAY) == {}


def test_an_expired_entitlement_and_an_empty_account_say_why(world: LedgerWorld) -> None:
    person = world.people[0]
    _entitle(world, world.state_fund, person, 100_000, "s")
    expired = queries.coverage_for(person=person, offering=world.welding, today=AFTER_THE_END + timedelta(days=1))
    assert expired is not None and not expired.covered
    assert expired.reason == "This money can no longer be used: its end date has passed."
    # The sector fund pays all of any course, but this person's money in it is spent.
    other = world.people[2]
    _entitle(world, world.sector_fund, other, 50_000, "o")
    account = ledger.entitlement_account(fund=world.sector_fund, person=other)
    _reserve(account, world.coaching, 50_000, "x")
    empty = queries.coverage_for(person=other, offering=world.welding, today=TODAY)
    assert empty is not None and empty.own_share_cents == 120_000
    assert empty.reason == "There is not enough money in this learning account."


def test_what_is_left_of_the_cap_per_offering_counts(world: LedgerWorld) -> None:
    person = world.people[0]
    _entitle(world, world.state_fund, person, 100_000, "s")
    account = ledger.entitlement_account(fund=world.state_fund, person=person)
    _reserve(account, world.welding, 50_000, "a")
    covered = queries.coverage_for(person=person, offering=world.welding, today=TODAY)
    assert covered is not None and covered.fund_cents == 30_000  # € 800 cap less € 500 already set apart
    _reserve(account, world.welding, 30_000, "b")
    used = queries.coverage_for(person=person, offering=world.welding, today=TODAY)
    assert used is not None and not used.covered
    assert used.reason == "You have already used what this fund pays for this course."


def test_two_funds_share_the_price_as_enrolling_would(world: LedgerWorld) -> None:
    person = world.people[0]
    _entitle(world, world.state_fund, person, 100_000, "s")
    _entitle(world, world.sector_fund, person, 30_000, "b")
    for offering in (world.welding, world.coaching):
        covered = queries.coverage_for(person=person, offering=offering, today=TODAY)
        plan = funding_plan(person=person, offering=offering, today=TODAY)
        assert covered is not None
        assert [(line.fund_uuid, line.amount_cents) for line in covered.lines] == [
            (str(line.fund.uuid), line.amount_cents) for line in plan.lines
        ]
        assert covered.own_share_cents == plan.own_share_cents
    welding = queries.coverage_for(person=person, offering=world.welding, today=TODAY)
    assert welding is not None
    # The sector fund pays all it has left (€ 300), the state fund its capped share (€ 800), the person € 100.
    assert [line.amount_cents for line in welding.lines] == [30_000, 80_000]
    assert welding.own_share_cents == 10_000


def test_several_offerings_are_answered_at_once(world: LedgerWorld) -> None:
    person = world.people[0]
    _entitle(world, world.state_fund, person, 100_000, "s")
    many = queries.coverage_for_offerings(
        person=person, offerings=[world.welding, world.coaching, world.welding], today=TODAY
    )
    assert set(many) == {world.welding.pk, world.coaching.pk}
    assert many[world.welding.pk] == queries.coverage_for(person=person, offering=world.welding, today=TODAY)
