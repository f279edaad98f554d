"""In Chromium: a fund's staff make a fund with its rules (errors first), give a person money, and a learner
reads their courses with the lessons (a cancelled one marked). Every page passes axe."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import (  # noqa: F401 - fixtures used by name
    axe_violations,
    browser,
    browser_world,
    login_as,
    page,
    screenshot,
)
from wendbaar.catalogue.models import Offering, Run
from wendbaar.enrolment import services
from wendbaar.enrolment.demo import leerrekening_loop
from wendbaar.enrolment.models import Session
from wendbaar.funding import services as ledger
from wendbaar.funding.models import Account, AccountKind, Fund
from wendbaar.regions.constants import Role

pytestmark = pytest.mark.browser


def _axe_clean(page: Any, name: str) -> None:  # noqa: F811
    screenshot(page, name)
    count, report = axe_violations(page)
    assert count == 0, f"{name}: {report}"


def test_fund_staff_make_a_fund_and_give_money(page: Any, live_server: Any, login_as: Any, browser_world: Any) -> None:  # noqa: F811
    learner = browser_world.users[Role.LEARNER]
    login_as(page, Role.FUND)
    page.goto(f"{live_server.url}/leerrekening/fondsen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jouw fondsen")
    _axe_clean(page, "funds")
    page.get_by_role("link", name="Nieuw fonds maken").click()
    _axe_clean(page, "fund-form")
    page.get_by_role("button", name="Fonds maken").click()  # empty: every required field is reported
    expect(page.locator(".error-summary")).to_be_visible()
    _axe_clean(page, "fund-form-errors")
    page.get_by_label("Organisatie die betaalt").select_option(index=1)
    page.get_by_label("Naam van het fonds").fill("Scholingsfonds Zorg")
    today = timezone.localdate()
    page.get_by_label("Geldig vanaf").fill(today.isoformat())
    page.get_by_label("Geldig tot en met").fill((today + timedelta(days=365)).isoformat())
    page.get_by_label("Geld dat je er nu in stort (hele euro's)").fill("2000")
    page.get_by_label("Hoogstens per persoon (hele euro's)").fill("500")
    page.get_by_label("Deel dat het fonds betaalt (%)").fill("70")
    page.get_by_role("button", name="Fonds maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scholingsfonds Zorg")
    _axe_clean(page, "fund")
    page.get_by_label("Gebruikersnaam of e-mailadres van de persoon").fill(learner.get_username())
    page.get_by_label("Bedrag voor deze persoon (hele euro's)").fill("300")
    page.get_by_role("button", name="Geld geven").click()
    expect(page.get_by_text("De persoon heeft het geld op de leerrekening gekregen.")).to_be_visible()
    fund = Fund.objects.get(name="Scholingsfonds Zorg")
    account = Account.objects.get(kind=AccountKind.ENTITLEMENT, fund=fund, person=learner)
    assert ledger.balance(account) == 30_000 and fund.share_bp == 7_000
    _axe_clean(page, "fund-granted")


def test_a_learner_reads_their_lessons(page: Any, live_server: Any, login_as: Any, browser_world: Any) -> None:  # noqa: F811
    leerrekening_loop(browser_world)
    learner = browser_world.users[Role.LEARNER]
    offering = Offering.objects.get(title_nl="Lassen in de avond (demo leerrekening)")
    start = timezone.localdate() + timedelta(days=7)
    run = Run.objects.create(offering=offering, start_date=start, end_date=start + timedelta(days=14), seats=12)
    lessons = [Session.objects.create(run=run, date=start + timedelta(days=7 * w), start=time(19), end=time(21, 30),
                                      location=f"Lokaal {w + 1}") for w in range(3)]  # fmt: skip
    services.enrol(person=learner, run=run)
    services.cancel_session(session=lessons[1], by=browser_world.users[Role.PROVIDER])
    login_as(page, Role.LEARNER)
    page.goto(f"{live_server.url}/inschrijvingen/mijn/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn cursussen")
    expect(page.get_by_text("Deze les gaat niet door")).to_have_count(1)
    assert "Lokaal 1" in page.content() and "Lokaal 3" in page.content()
    _axe_clean(page, "my-courses")
