"""Who may get money from a fund: region, sector, diploma and work, with the reasons shown to the person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from wendbaar.funding import services as ledger
from wendbaar.funding.accounts import queries
from wendbaar.funding.accounts.services import set_situation, situation_of
from wendbaar.funding.constants import EducationLevel, EmploymentStatus
from wendbaar.funding.funds.rules import eligibility
from wendbaar.funding.models import Fund, LedgerTransaction
from wendbaar.regions.constants import Role, Sector
from wendbaar.regions.models import Membership

from .conftest import AFTER_THE_END, TODAY, LedgerWorld


@pytest.fixture
def construction_fund(world: LedgerWorld) -> Fund:
    """The sector fund, only for construction workers without a startkwalificatie who have a job."""
    fund = world.sector_fund
    fund.eligible_sectors = [Sector.F]
    fund.eligible_education_levels = [EducationLevel.NONE, EducationLevel.VMBO, EducationLevel.MBO1]
    fund.eligible_employment_statuses = [EmploymentStatus.EMPLOYED]
    fund.save()
    ledger.deposit(fund=fund, amount_cents=100_000, key="dep")
    return fund


def test_every_rule_that_is_not_met_gives_its_own_reason(world: LedgerWorld, construction_fund: Fund) -> None:
    person = world.people[0]
    with translation.override("nl"):
        unknown = eligibility(fund=construction_fund, situation=None, today=TODAY)
        assert not unknown.eligible
        assert unknown.reasons == [
            "Vertel ons in welke sector je werkt.", "Vertel ons wat je hoogste diploma is.",
            "Vertel ons of je werkt of werk zoekt.",
        ]  # fmt: skip
        situation = set_situation(
            person=person, region=world.region, sector=Sector.P, education_level=EducationLevel.HBO,
            employment_status=EmploymentStatus.JOB_SEEKER,
        )  # fmt: skip
        wrong = eligibility(fund=construction_fund, situation=situation, today=TODAY)
    assert len(wrong.reasons) == 3
    assert "werken in: Bouw" in wrong.reasons[0] or "werken in: Construction" in wrong.reasons[0]
    assert "mbo niveau 1 (entree)" in wrong.reasons[1]
    assert "Ik werk bij een werkgever" in wrong.reasons[2]
    closed = eligibility(fund=construction_fund, situation=situation, today=AFTER_THE_END + timedelta(days=59))
    assert len(closed.reasons) == 4


def test_a_person_who_fits_the_rules_gets_money_and_one_who_does_not_is_refused(
    world: LedgerWorld, construction_fund: Fund
) -> None:
    fits, does_not = world.people[0], world.people[1]
    set_situation(person=fits, region=world.region, sector=Sector.F, education_level=EducationLevel.VMBO,
                         employment_status=EmploymentStatus.EMPLOYED)  # fmt: skip
    set_situation(person=does_not, region=world.region, sector=Sector.F, education_level=EducationLevel.MBO4,
                         employment_status=EmploymentStatus.EMPLOYED)  # fmt: skip
    assert eligibility(fund=construction_fund, situation=situation_of(fits), today=TODAY).eligible
    ledger.entitle(fund=construction_fund, person=fits, amount_cents=10_000, key="e1", today=TODAY)
    before = LedgerTransaction.objects.count()
    with pytest.raises(ValidationError) as refused:
        ledger.entitle(fund=construction_fund, person=does_not, amount_cents=10_000, key="e2", today=TODAY)
    assert refused.value.error_dict["person"][0].code == "not_eligible"
    assert LedgerTransaction.objects.count() == before
    assert ledger.check_ledger() == []


def test_a_bad_answer_is_refused(world: LedgerWorld) -> None:
    with pytest.raises(ValidationError) as refused:
        set_situation(person=world.people[0], region=None, sector="Z", education_level="phd",
                             employment_status="")  # fmt: skip
    assert set(refused.value.error_dict) == {"sector", "education_level"}


def test_the_learning_account_page_shows_why_a_fund_is_not_for_you(
    world: LedgerWorld, construction_fund: Fund, settings: object
) -> None:
    person = world.people[0]
    Membership.objects.create(user=person, role=Role.LEARNER)
    client = Client()
    client.force_login(person)
    page = client.get("/leerrekening/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Vertel ons in welke sector je werkt." in page
    answered = client.post(
        "/leerrekening/situatie/",
        {"region": world.region.pk, "sector": "F", "education_level": "mbo4", "employment_status": "employed"},
    )
    assert answered.status_code == 302
    situation = situation_of(person)
    assert situation is not None and situation.education_level == EducationLevel.MBO4
    page = client.get("/leerrekening/").content.decode()
    assert "alleen voor mensen met dit diploma" in page


def test_what_the_funds_would_pay_for_an_offering(world: LedgerWorld) -> None:
    person = world.people[0]
    ledger.deposit(fund=world.state_fund, amount_cents=500_000, key="d")
    ledger.entitle(fund=world.state_fund, person=person, amount_cents=100_000, key="e", region=world.region,
                   today=TODAY)  # fmt: skip
    welding = queries.coverage_for(person=person, offering=world.welding, today=TODAY)
    # 70% of 1,200 euro is 840, capped at 800 per offering; the rest is the person's (or employer's).
    assert welding is not None
    assert [(line.fund_name, line.amount_cents) for line in welding.lines] == [(world.state_fund.name, 80_000)]
    assert welding.own_share_cents == world.welding.price_cents - 80_000
    other = queries.coverage_for(person=person, offering=world.coaching, today=TODAY)
    assert other is not None and not other.covered and other.reason and other.fund_cents == 0
