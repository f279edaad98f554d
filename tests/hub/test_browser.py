"""In Chromium: the hub's pages pass axe (WCAG 2.2 AA), in Dutch and English, and work by keyboard."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import (  # noqa: F401 - fixtures used by name
    axe_violations,
    browser,
    browser_world,
    login_as,
    page,
    screenshot,
)
from wendbaar.hub.demo import DEMO_STEPS
from wendbaar.hub.models import Action, Event, Initiative, Profile

pytestmark = pytest.mark.browser


@pytest.fixture
def hub_world(browser_world: Any) -> Any:  # noqa: F811
    for step in DEMO_STEPS:
        step(browser_world)
    return browser_world


def _pages() -> list[tuple[str, str]]:
    initiative = Initiative.objects.get(title="Leerwerkloket op de werkvloer in de haven", region__code="AM22")
    profile = Profile.objects.get(user__username="employer")
    return [
        ("hub-home", "/hub/"),
        ("hub-initiatives", "/hub/initiatieven/?q=zorg"),
        ("hub-initiative", f"/hub/initiatieven/{initiative.uuid}/"),
        ("hub-initiative-new", "/hub/initiatieven/nieuw/"),
        ("hub-people", "/hub/mensen/"),
        ("hub-person", f"/hub/mensen/{profile.uuid}/"),
        ("hub-profile", "/hub/mijn-kaartje/"),
        ("hub-ambassadors", "/hub/leerambassadeurs/"),
        ("hub-agenda", "/hub/agenda/AM22/"),
        ("hub-action", f"/hub/acties/{Action.objects.first().uuid}/"),  # type: ignore[union-attr]
        ("hub-action-new", "/hub/agenda/AM22/nieuw/"),
        ("hub-events", "/hub/activiteiten/"),
        ("hub-event", f"/hub/activiteiten/{Event.objects.get(kind='ambassador_meeting').uuid}/"),
        ("hub-event-new", "/hub/activiteiten/nieuw/"),
    ]


def test_hub_pages_have_no_axe_violations(page: Any, live_server: Any, login_as: Any, hub_world: Any) -> None:  # noqa: F811
    login_as(page, "coordinator")
    failures = []
    for name, path in _pages():
        response = page.goto(live_server.url + path)
        assert response.status < 400, f"{path}: {response.status}"
        count, report = axe_violations(page)
        if count:
            failures.append(f"{path}: {report}")
        screenshot(page, name)
    # A form with errors (the error summary and the fields it links to).
    page.goto(live_server.url + "/hub/agenda/AM22/nieuw/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    count, report = axe_violations(page)
    if count:
        failures.append(f"action form with errors: {report}")
    screenshot(page, "hub-action-errors")
    assert not failures, "\n".join(failures)


def test_hub_pages_in_english(page: Any, live_server: Any, login_as: Any, hub_world: Any) -> None:  # noqa: F811
    login_as(page, "coordinator")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    initiative = Initiative.objects.get(title="Vraagarticulatie in de zorg")
    page.goto(f"{live_server.url}/hub/initiatieven/{initiative.uuid}/")
    text = page.locator("main").inner_text()
    assert "Similar initiatives" in text and "Also works on collecting the demand" in text
    screenshot(page, "hub-initiative-en")
    count, report = axe_violations(page)
    assert count == 0, report


def test_search_and_register_by_keyboard(page: Any, live_server: Any, login_as: Any, hub_world: Any) -> None:  # noqa: F811
    login_as(page, "learner")
    page.goto(live_server.url + "/hub/initiatieven/")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.locator("#id_q").focus()
    page.keyboard.type("zorg")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=zorg**")
    first = page.locator("main .results a").first
    assert first.inner_text() == "Vraagarticulatie in de zorg"
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/initiatieven/*/")
    text = page.locator("main").inner_text()
    assert "Leervragen ophalen bij zorginstellingen" in text and "Werkt ook aan ophalen van de vraag" in text

    event = Event.objects.get(kind="trial_placement")
    page.goto(f"{live_server.url}/hub/activiteiten/{event.uuid}/")
    button = page.get_by_role("button", name="Aanmelden")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".messages")
    assert "Je bent aangemeld." in page.locator(".messages").inner_text()
    screenshot(page, "hub-event-registered")
