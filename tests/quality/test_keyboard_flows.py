"""The main flows with the keyboard only: log in, upload vacancy files, open a region's dashboard.

(The search combobox's keyboard flow is in tests/skills/test_browser_search.py; each new app adds
its main flow here.) Every step reaches its control with Tab, in page order, with the focus visible.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import browser, browser_world, login_as, page, wait_until_logged_in  # noqa: F401 - fixtures
from wendbaar.web.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

_FOCUSED = """(selector) => { const el = document.activeElement;
  const s = getComputedStyle(el);
  return {matches: el.matches(selector), visible: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
          || (s.boxShadow && s.boxShadow !== 'none'), y: el.getBoundingClientRect().top + window.scrollY}; }"""


def tab_to(page: Page, selector: str, limit: int = 60) -> None:  # noqa: F811
    """Press Tab until `selector` has the focus; fail if it never comes, or a stop on the way hides its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(_FOCUSED, selector)
        assert state["visible"], f"focus not visible on the way to {selector}"
        if state["matches"]:
            return
    pytest.fail(f"{selector} not reachable with Tab within {limit} stops")


def test_log_in_with_the_keyboard_only(page: Page, live_server: Any, browser_world: Any) -> None:  # noqa: F811
    page.goto(live_server.url + "/accounts/login/")
    tab_to(page, "#id_login")
    page.keyboard.type("coordinator")
    tab_to(page, "#id_password", limit=3)  # the next stop: order follows the form
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    wait_until_logged_in(page)
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


def test_upload_with_the_keyboard_only(page: Page, live_server: Any, login_as: Any, tmp_path: Path) -> None:  # noqa: F811
    login_as(page, "coordinator")
    page.goto(live_server.url + "/radar/inlezen/")
    tab_to(page, "input[type=file]")
    sample = tmp_path / "vacatures.csv"
    sample.write_text("id,title,description,employer,postcode,posted\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(sample))  # the file dialog itself is the browser's
    tab_to(page, "main form button[type=submit]", limit=8)
    # Wait for the answer to the upload itself: returning while the live server still wrote the run
    # left its database locked for the test's teardown (a flaky "database table is locked").
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/radar/" in page.url


def test_open_a_dashboard_with_the_keyboard_only(page: Page, live_server: Any, login_as: Any) -> None:  # noqa: F811
    login_as(page, "coordinator")
    page.goto(live_server.url + "/radar/")
    tab_to(page, "main a[href*='/radar/AM22/']", limit=120)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/radar/AM22/.*"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_the_walk_fails_when_focus_is_hidden(page: Page, live_server: Any, browser_world: Any) -> None:  # noqa: F811
    page.goto(live_server.url + "/accounts/login/")
    # A stylesheet cannot be injected (the CSP refuses inline styles); the CSSOM can hide the focus ring.
    page.evaluate(
        """() => document.addEventListener('focusin', (e) => {
             e.target.style.setProperty('outline', 'none', 'important');
             e.target.style.setProperty('box-shadow', 'none', 'important'); })"""
    )
    with pytest.raises(AssertionError, match="focus not visible"):
        tab_to(page, "#id_login")
