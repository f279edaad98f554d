"""In Chromium: a coordinator uploads a file; the run page says it is queued, then shows the counts (axe-clean)."""

from __future__ import annotations

from pathlib import Path
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
from tests.fixtures.vacancies import helpers
from tests.fixtures.vacancies.helpers import csv_row, write_csv
from tests.radar.test_pipeline_background import DATABASE_BACKEND, run_worker
from wendbaar.radar.models import Run


@pytest.mark.browser
def test_upload_is_queued_and_the_run_page_shows_the_result(
    page: Any, live_server: Any, login_as: Any, settings: Any, tmp_path: Path, fixture_engine_path: Path  # noqa: F811
) -> None:
    settings.STORE_DIR = tmp_path / "store"
    settings.ENGINE_PATH = fixture_engine_path
    settings.TASKS = DATABASE_BACKEND
    helpers.make_regions()
    upload = write_csv(tmp_path / "vacatures.csv", [csv_row(1), csv_row(2), csv_row(3, title="")])
    login_as(page, "coordinator")
    page.goto(f"{live_server.url}/radar/inlezen/")
    page.set_input_files("#id_files", str(upload))
    page.check("#id_skip_invalid")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/radar/runs/**")
    text = page.locator("main").inner_text()
    assert "vacatures.csv" in text and ("Refresh this page" in text or "Ververs deze pagina" in text)
    assert Run.objects.get().status == Run.Status.QUEUED
    screenshot(page, "radar-run-queued")
    count, report = axe_violations(page)
    assert count == 0, report

    run_worker()
    page.reload()
    run = Run.objects.get()
    assert (run.status, run.accepted, run.rejected, run.enriched) == (Run.Status.SUCCEEDED, 2, 1, 2)
    text = page.locator("main").inner_text()
    assert "Refresh this page" not in text and "Ververs deze pagina" not in text  # no longer in progress
    assert any(word in page.locator("main dl").inner_text() for word in ("Gelukt", "Succeeded"))
    screenshot(page, "radar-run-done")
    count, report = axe_violations(page)
    assert count == 0, report
