"""The taxonomy pages in a real browser: the search combobox with the keyboard only, and WCAG 2.2 AA."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser import conftest as browser_fixtures
from tests.browser.conftest import axe_violations, screenshot
from tests.skills.conftest import ESCO, LORRY_DRIVER, WELDING
from wendbaar.skills import services
from wendbaar.skills.models import Concept

pytestmark = pytest.mark.browser
# The shared browser fixtures live in tests/browser/conftest.py, which only applies below tests/browser/.
browser = browser_fixtures.browser
page = browser_fixtures.page


@pytest.fixture
def live_taxonomy(transactional_db: None) -> None:
    """The fixture taxonomy, committed so the live server sees it; the engine is built once here."""
    services.import_taxonomy(paths=[ESCO / "v1.1.1", ESCO / "v1.2.0-nl", ESCO / "nl-skill-labels"])
    services.get_engine()


def _tab_to(page: Page, element_id: str) -> None:
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with Tab")


def test_search_combobox_works_with_the_keyboard_only(page: Page, live_server: Any, live_taxonomy: None) -> None:
    page.goto(live_server.url + "/taxonomie/")
    _tab_to(page, "taxonomy-q")
    box = page.locator("#taxonomy-q")
    page.keyboard.type("vrachtw", delay=20)
    options = page.locator("#taxonomy-q-list [role=option]")
    expect(options.first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    count = options.count()
    # The live region announces the number of suggestions to screen readers.
    expect(page.locator("#taxonomy-q-status[role=status][aria-live=polite]")).to_contain_text(str(count))
    screenshot(page, "skills-combobox-open")

    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "taxonomy-q-option-0")
    expect(options.first).to_have_attribute("aria-selected", "true")
    # The fixture taxonomy has one label starting with "vrachtw": the lorry driver's Dutch name.
    expect(options.first).to_have_text("vrachtwagenchauffeur (beroep)")
    page.keyboard.press("Enter")
    lorry = Concept.objects.get(uri=LORRY_DRIVER)
    page.wait_for_url(re.compile(rf"/taxonomie/beroepen/{lorry.uuid}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("vrachtwagenchauffeur")

    # Escape closes the list; the text stays.
    page.goto(live_server.url + "/taxonomie/")
    _tab_to(page, "taxonomy-q")
    page.keyboard.type("lass", delay=20)
    expect(options.first).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#taxonomy-q-list")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("lass")


def test_search_occupation_and_skill_pages_have_no_wcag_violations(
    page: Page, live_server: Any, live_taxonomy: None
) -> None:
    lorry = Concept.objects.get(uri=LORRY_DRIVER)
    welding = Concept.objects.get(uri=WELDING)
    english_only = Concept.objects.filter(kind="skill").exclude(labels__language="nl").first()
    assert english_only is not None
    pages = {
        "skills-search": "/taxonomie/",
        "skills-search-results": "/taxonomie/?q=lassen",
        "skills-occupation": f"/taxonomie/beroepen/{lorry.uuid}",
        "skills-skill": f"/taxonomie/vaardigheden/{welding.uuid}",
        "skills-skill-english-only": f"/taxonomie/vaardigheden/{english_only.uuid}",
    }
    reports = []
    for name, path in pages.items():
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        screenshot(page, name)
        count, report = axe_violations(page)
        if count:
            reports.append(f"{name} ({path}): {count}\n{report}")
    assert not reports, "\n\n".join(reports)
