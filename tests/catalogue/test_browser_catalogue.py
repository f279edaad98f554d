"""The catalogue in a real browser: search by keyboard only, offering and provider pages pass axe (WCAG 2.2 AA)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser import conftest as browser_fixtures
from tests.browser.conftest import axe_violations, screenshot
from tests.catalogue.conftest import ESCO, WELDING, course_data, run_data
from wendbaar.catalogue import services
from wendbaar.catalogue.models import Offering
from wendbaar.regions.models import Municipality, Region
from wendbaar.skills import services as skills
from wendbaar.web.demo import DemoWorld

pytestmark = pytest.mark.browser
browser = browser_fixtures.browser
page = browser_fixtures.page
browser_world = browser_fixtures.browser_world
login_as = browser_fixtures.login_as


@pytest.fixture
def live_offer(browser_world: DemoWorld) -> Offering:
    """The fixture taxonomy and two offerings of the demo provider, committed for the live server."""
    skills.import_taxonomy(paths=[ESCO / "v1.1.1", ESCO / "v1.2.0-nl", ESCO / "nl-skill-labels"])
    skills.get_engine()
    Municipality.objects.get_or_create(
        code="GM0599", defaults={"name": "Rotterdam", "region": Region.objects.get(code="AM22")}
    )
    provider = browser_world.organisations["Demo College (mbo)"]
    services.ensure_provider(organisation=provider)
    services.create_offering(
        provider=provider,
        data=course_data(title_nl="Python overdag"),
        runs=[run_data(start_time="09:00")],
        propose=False,
    )
    return services.create_offering(
        provider=provider,
        data=course_data(title_nl="Lassen in de avond", description_nl="You learn to use welding equipment."),
        runs=[run_data()],
    )


@pytest.fixture(autouse=True)
def patient(page: Page) -> None:
    # Two cores shared with other test runs: the first request of a live server can take a while.
    page.set_default_navigation_timeout(60_000)


def _tab_to(page: Page, selector: str) -> None:
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement === document.querySelector({selector!r})"):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def _no_violations(page: Page) -> None:
    count, report = axe_violations(page)
    assert count == 0, report


def test_search_by_keyboard_only(page: Page, live_server: Any, live_offer: Offering) -> None:
    page.goto(live_server.url + "/aanbod/")
    _no_violations(page)
    _tab_to(page, "#id_q")
    page.keyboard.type("use welding equipment")
    _tab_to(page, "#id_time_1")  # the evening checkbox
    page.keyboard.press("Space")
    _tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/aanbod/?*")
    results = page.locator(".offering-results > li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Lassen in de avond")
    expect(results.first.locator(".why")).to_contain_text("lassen")  # the Dutch label of "use welding equipment"
    screenshot(page, "catalogue-search-nl")
    _no_violations(page)
    page.keyboard.press("Tab")
    results.first.locator("h3 a").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/aanbod/{live_offer.uuid}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lassen in de avond")
    screenshot(page, "catalogue-offering-nl")
    _no_violations(page)


def test_search_in_english(page: Page, live_server: Any, live_offer: Offering) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + f"/aanbod/?time=evening&skill={WELDING}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning offer")
    expect(page.locator(".offering-results > li")).to_have_count(1)
    screenshot(page, "catalogue-search-en")
    _no_violations(page)


def test_provider_pages_pass_axe(page: Page, live_server: Any, live_offer: Offering, login_as: Any) -> None:
    login_as(page, "provider")
    for path, name in (
        ("/aanbod/opleider/", "catalogue-provider"),
        (f"/aanbod/{live_offer.uuid}/bewerken", "catalogue-offering-edit"),
        ("/aanbod/opleider/nieuw", "catalogue-offering-new"),
        (f"/aanbod/{live_offer.uuid}/uitvoeringen/nieuw", "catalogue-run-new"),
        ("/aanbod/opleider/ooapi", "catalogue-ooapi-import"),
    ):
        page.goto(live_server.url + path)
        screenshot(page, name)
        _no_violations(page)
    # A form with errors: the summary links to the fields, and still passes axe.
    page.goto(live_server.url + f"/aanbod/{live_offer.uuid}/uitvoeringen/nieuw")
    page.fill("#id_start_date", "2027-05-01")
    page.fill("#id_end_date", "2027-04-01")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".error-summary")).to_contain_text("eindigen")
    screenshot(page, "catalogue-run-errors")
    _no_violations(page)
