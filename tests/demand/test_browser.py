"""The demand loop in Chromium: three employers type skills in Dutch, the pool becomes viable, the provider
invites it to a run, the employers see the status change. Axe on every page; the form by keyboard."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (  # noqa: F401  # noqa: F401
    CHROMIUM_ARGS,
    axe_violations,
    browser,
    browser_world,
    log_in,
    login_as,
    page,
    screenshot,
)
from tests.demand.conftest import WELDING, WELDING_TECHNIQUES, course_data, make_member, run_data
from wendbaar.catalogue import services as catalogue
from wendbaar.regions import services as regions
from wendbaar.regions.constants import ActorType
from wendbaar.regions.models import Municipality, Region
from wendbaar.skills import services as skills
from wendbaar.web.demo import DEMO_PASSWORD, DemoWorld

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def loop_world(browser_world: DemoWorld, taxonomy_tx: None) -> DemoWorld:  # noqa: F811
    region = Region.objects.get(code="AM22")
    Municipality.objects.create(code="GM0599", name="Rotterdam", region=region)
    Municipality.objects.create(code="GM0606", name="Schiedam", region=region)
    college = browser_world.organisations["Demo College (mbo)"]
    catalogue.ensure_provider(organisation=college)
    catalogue.create_offering(
        provider=college, data=course_data(title_nl="Lassen in de avond"),
        runs=[run_data(start_date="2027-03-01", end_date="2027-05-01")], skills=[WELDING, WELDING_TECHNIQUES],
    )  # fmt: skip
    for name in ("Scheepswerf Demo", "Staalbouw Demo"):
        organisation = regions.create_organisation(name=name, actor_type=ActorType.EMPLOYER, region_codes=["AM22"])
        user = make_member(organisation, name.split()[0].lower())
        user.set_password(DEMO_PASSWORD)
        user.save()
    return browser_world


@pytest.fixture
def taxonomy_tx(transactional_db: None) -> None:
    from tests.catalogue.conftest import ESCO

    skills.import_taxonomy(paths=[ESCO / "v1.1.1", ESCO / "v1.2.0-nl", ESCO / "nl-skill-labels"])


def login(browser: Browser, live_server: Any, username: str) -> Page:  # noqa: F811
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()  # noqa: F811
    page.set_default_timeout(20_000)
    log_in(page, live_server.url, username)
    return page


def assert_accessible(page: Page, name: str) -> None:  # noqa: F811
    screenshot(page, name)
    count, report = axe_violations(page)
    assert count == 0, report


def enter_demand_by_keyboard(page: Page, live_server: Any, text: str) -> None:  # noqa: F811
    page.goto(f"{live_server.url}/vraag/nieuw")
    page.locator("#id_text").focus()
    page.keyboard.type(text)
    page.keyboard.press("Tab")  # to "how many people"
    expect(page.locator("#id_people")).to_be_focused()
    page.keyboard.type("3")
    page.keyboard.press("Tab")  # to the municipality
    expect(page.locator("#id_municipality")).to_be_focused()
    page.keyboard.type("Rotterdam")
    page.locator("#id_earliest_start").fill("2027-01-15")
    page.locator("#id_latest_end").fill("2027-06-30")
    page.locator("#id_times_1").focus()  # "in the evening"
    page.keyboard.press("Space")
    expect(page.locator("#id_times_1")).to_be_checked()
    page.get_by_role("button", name="Vraag opslaan").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/vraag/[0-9a-f-]{36}$"))


@pytest.mark.django_db(transaction=True)
def test_the_demand_loop(browser: Browser, live_server: Any, loop_world: DemoWorld) -> None:  # noqa: F811
    first = login(browser, live_server, "employer")
    first.goto(f"{live_server.url}/vraag/nieuw")
    assert_accessible(first, "demand-form")
    enter_demand_by_keyboard(first, live_server, "Onze lassers moeten leren lassen met lasapparatuur.")
    expect(first.locator(".pool-status")).to_contain_text("nodig")  # still needs people
    assert_accessible(first, "demand-detail-forming")

    for username in ("scheepswerf", "staalbouw"):
        other = login(browser, live_server, username)
        enter_demand_by_keyboard(other, live_server, "Wij zoeken een cursus lassen voor drie mensen.")
        other.context.close()

    first.goto(f"{live_server.url}/vraag/")
    expect(first.locator(".pool-status")).to_contain_text("groot genoeg")
    assert_accessible(first, "demand-home-viable")

    provider = login(browser, live_server, "provider")
    provider.goto(f"{live_server.url}/vraag/")
    provider.get_by_role("link", name=re.compile("Groep van 9")).click()
    assert_accessible(provider, "demand-pool-provider")
    expect(provider.get_by_text("Een organisatie (naam verborgen)").first).to_be_visible()
    provider.get_by_label("Nodig de groep uit voor deze uitvoering").select_option(index=0)
    provider.get_by_role("button", name="Uitnodigen").click()
    expect(provider.locator(".pool-status")).to_contain_text("Lassen in de avond")

    provider.goto(f"{live_server.url}/vraag/gaten")
    assert_accessible(provider, "demand-gaps")

    first.goto(f"{live_server.url}/vraag/")
    expect(first.locator(".pool-status")).to_contain_text("nodigt de groep uit")
    assert_accessible(first, "demand-home-invited")
    first.goto(f"{live_server.url}/vraag/upload")
    assert_accessible(first, "demand-upload")
    # The same pages in English.
    first.select_option("#language-select", "en")
    first.get_by_role("button", name="Wijzigen").click()
    first.goto(f"{live_server.url}/vraag/")
    expect(first.locator(".pool-status")).to_contain_text("invites the group")
    assert_accessible(first, "demand-home-invited-en")
    first.goto(f"{live_server.url}/vraag/nieuw")
    expect(first.get_by_role("button", name="Save the demand")).to_be_visible()
    assert_accessible(first, "demand-form-en")
    assert User.objects.filter(username="staalbouw").exists()
