"""In Chromium: the full loop — a fund with a rule, a person's entitlement, enrolment in an evening course,
attendance by the provider, completion paying the provider in parts, a credential in the passport, and
the participation monitor counting it. Every page passes axe."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone

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
from wendbaar.enrolment.models import EnrolmentStatus, Session
from wendbaar.funding import services as ledger
from wendbaar.passport.models import Credential
from wendbaar.regions.constants import Role


def _axe_clean(page: Any) -> None:  # noqa: F811
    count, report = axe_violations(page)
    assert count == 0, report


@pytest.mark.browser
def test_the_leerrekening_loop(page: Any, live_server: Any, login_as: Any, browser_world: Any) -> None:  # noqa: F811
    leerrekening_loop(browser_world)
    learner = browser_world.users[Role.LEARNER]
    offering = Offering.objects.get(title_nl="Lassen in de avond (demo leerrekening)")
    start = timezone.localdate() - timedelta(days=21)
    run = Run.objects.create(
        offering=offering, start_date=start, end_date=start + timedelta(days=14), weekdays=[start.isoweekday()],
        start_time=time(19), end_time=time(21, 30), seats=12,
    )  # fmt: skip
    for week in range(3):
        Session.objects.create(run=run, date=start + timedelta(days=7 * week), start=time(19), end=time(21, 30))
    enrolment = services.enrol(person=learner, run=run, today=start - timedelta(days=1))

    login_as(page, Role.LEARNER)
    page.goto(f"{live_server.url}/leerrekening/")
    assert page.locator("h1").inner_text() == "Mijn leerrekening"
    assert "Ontwikkelbudget Techniek (demo)" in page.content()
    screenshot(page, "leerrekening-mine")
    _axe_clean(page)

    page.context.clear_cookies()
    login_as(page, Role.PROVIDER)
    page.goto(f"{live_server.url}/inschrijvingen/aanbieder/{run.uuid}/")
    for _ in range(3):
        page.get_by_role("button", name="was er op").first.click()
        page.wait_for_load_state()
    page.get_by_role("button", name="heeft de cursus afgerond").click()
    page.wait_for_load_state()
    screenshot(page, "enrolment-run")
    _axe_clean(page)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    stages = sorted(p.transaction.stage for p in ledger.provider_account(offering.provider).entries.all())
    assert stages == ["attendance", "completion", "start"]
    assert Credential.objects.filter(holder=learner).exists()
    page.goto(f"{live_server.url}/inschrijvingen/aanbieder/")
    _axe_clean(page)

    page.context.clear_cookies()
    login_as(page, Role.COORDINATOR)
    page.goto(f"{live_server.url}/leerrekening/monitor/")
    assert "< 10" in page.locator("table").first.inner_text()  # the people table (the second: money)
    screenshot(page, "leerrekening-monitor")
    _axe_clean(page)
    assert ledger.check_ledger() == []
