"""First use in a real browser (issue 23): the error pages in the layout and accessible, the admin's
selection widgets in Dutch, the upload page's help texts where the inputs point."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, screenshot
from tests.fixtures.vacancies import helpers
from wendbaar.regions.constants import Role

fixture_engine_path = helpers.fixture_engine_path

pytestmark = pytest.mark.browser


def test_403_and_404_pages_are_in_the_layout_and_accessible(page: Page, live_server: Any, login_as: Any) -> None:
    login_as(page, Role.LEARNER)
    page.goto(f"{live_server.url}/radar/inlezen/")
    expect(page.get_by_role("heading", level=1, name="Je mag deze pagina niet openen")).to_be_visible()
    expect(page.get_by_role("link", name="Ga naar de startpagina")).to_be_visible()
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
    count, report = axe_violations(page)
    assert count == 0, report
    screenshot(page, "error-403-nl")
    page.goto(f"{live_server.url}/bestaat-niet/")
    expect(page.get_by_role("heading", level=1, name="Deze pagina bestaat niet")).to_be_visible()
    count, report = axe_violations(page)
    assert count == 0, report
    screenshot(page, "error-404-nl")
    page.get_by_role("link", name="Ga naar de startpagina").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_the_admin_selection_widget_speaks_dutch(
    page: Page, live_server: Any, login_as: Any, browser_world: Any
) -> None:
    admin = browser_world.users[Role.ADMIN]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    login_as(page, Role.ADMIN)
    page.goto(f"{live_server.url}/admin/auth/user/{admin.pk}/change/")
    widget = page.locator("#id_groups_selector, .selector").first
    expect(widget).to_be_visible()
    text = page.locator("#user_form").inner_text()
    assert "Kies" in text and "Choose" not in text and "Can add" not in text
    screenshot(page, "admin-user-nl")


def test_a_picture_renamed_csv_is_refused_once_in_dutch(
    page: Page, live_server: Any, login_as: Any, settings: Any, tmp_path: Path, fixture_engine_path: Path
) -> None:
    settings.STORE_DIR = tmp_path / "store"
    settings.ENGINE_PATH = fixture_engine_path
    helpers.make_regions()
    picture = tmp_path / "vacatures.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    login_as(page, Role.COORDINATOR)
    page.goto(f"{live_server.url}/radar/inlezen/")
    count, report = axe_violations(page)
    assert count == 0, report
    screenshot(page, "radar-upload-nl")
    page.set_input_files("#id_files", str(picture))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/radar/runs/**")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    assert "Dit is geen CSV-bestand" in rows.inner_text()
    screenshot(page, "radar-run-not-csv-nl")
    count, report = axe_violations(page)
    assert count == 0, report
