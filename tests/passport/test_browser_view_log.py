"""In Chromium: the passport's view log, read a page at a time, in Dutch and English, by keyboard, axe clean."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser import conftest as browser_fixtures
from tests.browser.conftest import axe_violations, screenshot
from wendbaar.passport.models import ViewLog
from wendbaar.passport.views.sharing import ViewLogView
from wendbaar.regions.constants import Role
from wendbaar.web.demo import DemoWorld

pytestmark = pytest.mark.browser

browser = browser_fixtures.browser
page = browser_fixtures.page
browser_world = browser_fixtures.browser_world
login_as = browser_fixtures.login_as


def test_the_view_log_goes_from_newer_to_older_views_by_keyboard(
    page: Page, live_server: Any, browser_world: DemoWorld, login_as: Any
) -> None:
    learner = browser_world.users[Role.LEARNER]
    ViewLog.objects.bulk_create(
        ViewLog(person=learner, viewer_name=f"Kijker {i}", organisation_name="Bouwbedrijf De Vries", channel="page",
                what="paspoort") for i in range(ViewLogView.per_page + 3)
    )  # fmt: skip
    login_as(page, "learner")
    page.goto(live_server.url + "/paspoort/bekeken/")
    pager = page.get_by_role("navigation", name="Pagina's van de lijst")
    expect(pager).to_contain_text("Pagina 1 van 2")
    assert page.locator("table.log-table tbody tr").count() == ViewLogView.per_page
    count, report = axe_violations(page)
    assert count == 0, report
    older = pager.get_by_role("link", name="Volgende pagina (ouder)")
    older.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Pagina's van de lijst")).to_contain_text("Pagina 2 van 2")
    assert page.locator("table.log-table tbody tr").count() == 3
    screenshot(page, "passport-view-log-nl")

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/paspoort/bekeken/?page=2")
    pager = page.get_by_role("navigation", name="Pages of the list of views")
    expect(pager).to_contain_text("Page 2 of 2")
    expect(pager.get_by_role("link", name="Previous page (newer)")).to_be_visible()
    count, report = axe_violations(page)
    assert count == 0, report
    screenshot(page, "passport-view-log-en")
