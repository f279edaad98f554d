"""Shared browser fixtures: Debian's chromium through Playwright, a demo world on the live server.

Other apps' browser tests use them as they are:

    @pytest.mark.browser
    def test_something(page, live_server, browser_world, login_as):
        login_as(page, "coordinator")
        page.goto(live_server.url + "/radar/")
        screenshot(page, "radar")
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.web.world import FAST_HASHERS
from wendbaar.web.demo import DEMO_PASSWORD, DemoWorld, set_up_demo

# Playwright's sync API keeps an event loop running in the test thread; Django would then refuse the
# test's own (synchronous) database work. The live server runs in its own thread and is unaffected.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# One Playwright and one chromium per process: a test module that imports these fixtures gets its own
# copy of the session fixture, and a second sync_playwright() in the same process would fail.
_SHARED: dict[str, Any] = {}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if "browser" in _SHARED:
        yield _SHARED["browser"]
        return
    if not Path(CHROMIUM).exists():
        pytest.fail(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        _SHARED["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield _SHARED["browser"]
        finally:
            _SHARED.pop("browser").close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def browser_world(transactional_db: None, settings: Any) -> DemoWorld:
    """The demo world, for tests against the live server (which needs a transactional database)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    # allauth allows 30 logins a minute per IP address, counted in the shared cache, which survives the
    # transactional flush between tests: a full browser run logs in from 127.0.0.1 more often than
    # that, and a later login was refused. Each test starts with an empty cache, as a fresh server does.
    cache.clear()
    world, _lines = set_up_demo(shared_data=Path("/nonexistent"))
    return world


@pytest.fixture
def login_as(live_server: Any, browser_world: DemoWorld) -> Callable[[Page, str], None]:
    """Return a function that logs a demo role in through the real login form."""

    def login(page: Page, role: str) -> None:
        log_in(page, live_server.url, role)

    return login


def log_in(page: Page, base_url: str, username: str) -> None:
    """Log `username` in through the real login form (demo password) and wait until it has."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    wait_until_logged_in(page)


def wait_until_logged_in(page: Page) -> None:
    # Wait for the page after the login form: the login page's own URL also ends in "/", so waiting
    # for ".*/$" returned at once and the next goto could cancel the login (a flaky test).
    try:
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    except PlaywrightTimeout:
        # Say why the form refused (wrong password, lockout, rate limit) instead of a bare timeout.
        said = page.locator("main").inner_text(timeout=2_000)
        raise AssertionError(f"the login did not leave the login page; it says: {said!r}") from None


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under test-results/ and return its path."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Page) -> tuple[int, str]:
    """Run axe with the WCAG 2.2 AA rule sets; return the number of violations and a report."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return results.violations_count, results.generate_report()
