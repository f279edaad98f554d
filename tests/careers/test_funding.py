"""Step (d) shows what the person's leerrekening would pay per course, by the funding app's own rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.careers.conftest import A_SKILLS, B_SKILLS, B, plant_offering
from tests.careers.test_pages import pdf_text
from wendbaar.careers import services
from wendbaar.careers.models import CheckUp
from wendbaar.catalogue.models import Offering
from wendbaar.funding import services as ledger
from wendbaar.funding.models import Fund
from wendbaar.regions.constants import ActorType
from wendbaar.regions.models import Organisation, Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_store(settings: Any, tmp_path: Path) -> None:
    settings.STORE_DIR = tmp_path / "store"


def plant_fund(person: User, name: str, *, tags: list[str], share_bp: int, amount: int = 100_000) -> Fund:
    """A fund of the region with money, and the person's entitlement in it."""
    today = dt.date.today()
    funder = Organisation.objects.create(name=f"Funder of {name}", actor_type=ActorType.FUND)
    fund = Fund.objects.create(
        funder=funder, name=name, cap_per_person_cents=amount, eligible_tags=tags, share_bp=share_bp,
        valid_from=today - dt.timedelta(days=30), valid_until=today + dt.timedelta(days=365),
    )  # fmt: skip
    region = Region.objects.get(code="AM22")
    fund.eligible_regions.add(region)
    ledger.deposit(fund=fund, amount_cents=amount, key=f"dep-{name}")
    ledger.entitle(fund=fund, person=person, amount_cents=amount, key=f"ent-{name}", region=region)
    return fund


def tagged(offering: Offering, tags: list[str]) -> Offering:
    Offering.objects.filter(pk=offering.pk).update(funding_tags=tags)
    offering.refresh_from_db()
    return offering


def gap_page(client: Client, person: User) -> str:
    client.force_login(person)
    checkup = services.start_checkup(
        person=person, by=person, skill_uris=A_SKILLS + B_SKILLS[:2], region_code="AM22", times=["evening"]
    )
    response = client.get(f"/loopbaan/apk/{checkup.uuid}/kloof/", {"beroep": B})
    assert response.status_code == 200
    return response.content.decode()


def test_a_fund_that_covers_the_course_shows_what_it_pays_and_the_own_share(
    taxonomy: Any, person: User, provider: Organisation, client: Client
) -> None:
    offering = tagged(plant_offering(provider, "Installaties testen (avond)", [B_SKILLS[2], B_SKILLS[3]]), ["stap"])
    plant_fund(person, "Leerrekening Rijnmond", tags=["stap"], share_bp=7_000)
    paid = services.funding_for(person=person, offering=offering)
    assert paid is not None
    assert (paid.fund_cents, paid.own_share_cents) == (31_500, 13_500)  # 70% of € 450
    page = gap_page(client, person)
    assert "Leerrekening Rijnmond</span> betaalt €\u00a0315,00." in page
    assert "Jij of je werkgever betaalt de rest: €\u00a0135,00." in page
    checkup = CheckUp.objects.get(person=person)  # the PDF of the check-up says the same
    text = " ".join(pdf_text(client.get(f"/loopbaan/apk/{checkup.uuid}/loopbaan-apk.pdf").content).split())
    assert "Installaties testen (avond)" in text and "€ 450,00" in text
    assert "Leerrekening Rijnmond betaalt € 315,00. Jij of je werkgever betaalt de rest: € 135,00." in text


def test_a_fund_that_pays_all_says_the_person_pays_nothing(
    taxonomy: Any, person: User, provider: Organisation, client: Client
) -> None:
    plant_offering(provider, "Installaties testen (avond)", [B_SKILLS[2], B_SKILLS[3]])
    plant_fund(person, "Ontwikkelbudget Techniek", tags=[], share_bp=10_000)
    page = gap_page(client, person)
    assert "Ontwikkelbudget Techniek</span> betaalt €\u00a0450,00." in page
    assert "Je betaalt zelf niets." in page


def test_a_fund_that_does_not_cover_the_course_pays_nothing_and_says_why(
    taxonomy: Any, person: User, provider: Organisation, client: Client
) -> None:
    offering = plant_offering(provider, "Installaties testen (avond)", [B_SKILLS[2], B_SKILLS[3]])
    plant_fund(person, "O&O-fonds Zorg", tags=["zorg"], share_bp=10_000)
    paid = services.funding_for(person=person, offering=offering)
    assert paid is not None and not paid.covered and paid.own_share_cents == 45_000
    page = gap_page(client, person)
    assert "betaalt €" not in page
    assert "Je leerrekening betaalt niet voor deze cursus." in page
    assert "Dit fonds betaalt niet voor dit soort cursus." in page


def test_without_a_learning_account_only_the_price_is_shown(
    taxonomy: Any, person: User, provider: Organisation, client: Client
) -> None:
    offering = plant_offering(provider, "Installaties testen (avond)", [B_SKILLS[2], B_SKILLS[3]])
    assert services.funding_for(person=person, offering=offering) is None
    page = gap_page(client, person)
    assert "Installaties testen (avond)" in page and "€ 450" in page
    assert "betaalt" not in page and "Je leerrekening" not in page


def test_the_api_gives_the_funds_and_the_own_share(
    taxonomy: Any, person: User, provider: Organisation, client: Client
) -> None:
    offering = tagged(plant_offering(provider, "Installaties testen (avond)", [B_SKILLS[2], B_SKILLS[3]]), ["stap"])
    fund = plant_fund(person, "Leerrekening Rijnmond", tags=["stap"], share_bp=7_000)
    other = plant_fund(person, "O&O-fonds Zorg", tags=["zorg"], share_bp=10_000)
    client.force_login(person)
    checkup = services.start_checkup(person=person, by=person, skill_uris=A_SKILLS, region_code="AM22")
    body = client.get(f"/api/v1/career-checkups/{checkup.uuid}/gap", {"occupation": B}).json()
    (way, *_rest) = body["offerings"][B_SKILLS[2]]
    assert way["offering"] == str(offering.uuid)
    assert way["funding"]["funds"] == [
        {"fund": str(fund.uuid), "name": "Leerrekening Rijnmond", "amount_cents": 31_500}
    ]
    assert (way["funding"]["fund_cents"], way["funding"]["own_share_cents"]) == (31_500, 13_500)
    assert [r["fund"] for r in way["funding"]["not_paying"]] == [str(other.uuid)]


def test_a_free_course_says_nothing_about_the_learning_account(
    taxonomy: Any, person: User, provider: Organisation, client: Client
) -> None:
    offering = plant_offering(provider, "Gratis kennismaking installatietechniek", [B_SKILLS[2], B_SKILLS[3]])
    Offering.objects.filter(pk=offering.pk).update(price_cents=0)
    plant_fund(person, "O&O-fonds Zorg", tags=["zorg"], share_bp=10_000)
    page = gap_page(client, person)
    assert "Gratis kennismaking installatietechniek" in page
    assert "Je leerrekening" not in page and "betaalt €" not in page
