"""The web layer in a real browser: each role's home page, the language switch, WCAG 2.2 AA."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import FIXTURES
from wendbaar.regions.constants import Role
from wendbaar.regions.services import import_boundaries

pytestmark = pytest.mark.browser

HOME_HEADINGS = {
    Role.LEARNER: "Voor jou als werkende of werkzoekende",
    Role.EMPLOYER: "Voor jou als werkgever",
    Role.PROVIDER: "Voor jou als school of opleider",
    Role.COORDINATOR: "Voor jou als regiocoördinator",
    Role.FUND: "Voor jou als fonds of gemeente",
    Role.ADMIN: "Voor jou als beheerder",
}


@pytest.mark.parametrize("role", list(HOME_HEADINGS))
def test_each_demo_role_logs_in_and_sees_its_home_page(page: Page, live_server: Any, login_as: Any, role: str) -> None:
    login_as(page, role)
    expect(page.get_by_role("heading", level=2, name=HOME_HEADINGS[role])).to_be_visible()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    screenshot(page, f"home-{role}")


def test_logout_is_a_post_and_returns_to_the_landing_page(page: Page, live_server: Any, login_as: Any) -> None:
    login_as(page, Role.LEARNER)
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1, name="Blijf leren, in je eigen regio")).to_be_visible()


def test_language_switch_changes_language_and_html_lang(page: Page, live_server: Any, browser_world: Any) -> None:
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    expect(page.get_by_role("heading", level=1)).to_have_text("Blijf leren, in je eigen regio")
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="Wijzigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Keep learning, in your region")
    assert page.locator("html").get_attribute("lang") == "en"


def test_skip_link_is_the_first_tab_stop_and_visible_on_focus(page: Page, live_server: Any, browser_world: Any) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_class("skip-link")
    box = focused.bounding_box()
    assert box is not None and box["y"] >= 0, "the skip link comes into view when focused"


def _check_axe(page: Page, name: str) -> None:
    screenshot(page, name)
    count, report = axe_violations(page)
    assert count == 0, f"{name}: {report}"


def test_axe_landing_and_login_pages(page: Page, live_server: Any, browser_world: Any) -> None:
    page.goto(live_server.url + "/")
    _check_axe(page, "landing")
    page.goto(live_server.url + "/accounts/login/")
    _check_axe(page, "login")
    page.get_by_role("button", name="Inloggen").click()  # empty form: the error summary must be accessible too
    expect(page.locator(".error-summary")).to_be_visible()
    _check_axe(page, "login-errors")


def test_axe_home_and_region_pages_logged_in(page: Page, live_server: Any, login_as: Any) -> None:
    small = FIXTURES / "regions"
    import_boundaries(paths=[small / "arbeidsmarktregio_small.topojson", small / "gemeente_small.topojson"])
    login_as(page, Role.COORDINATOR)
    _check_axe(page, "home-coordinator-axe")
    page.goto(live_server.url + "/regio/")
    _check_axe(page, "region-list")
    page.goto(live_server.url + "/regio/AM22/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Regio Rijnmond")
    _check_axe(page, "region-detail")
    page.get_by_role("link", name="Organisatie toevoegen").click()
    page.get_by_role("button", name="Toevoegen").click()  # empty: required fields are reported
    expect(page.locator(".error-summary")).to_be_visible()
    _check_axe(page, "organisation-form-errors")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/")
    _check_axe(page, "home-coordinator-mobile")
