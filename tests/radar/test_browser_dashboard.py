"""In Chromium: the dashboard and report draw their charts and pass axe's WCAG 2.2 AA rules."""

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
from wendbaar.radar.dashboards import pages
from wendbaar.radar.indicators.tension import JobSeekerFigure, merge_figures
from wendbaar.radar.synthetic.planted import write_planted_store
from wendbaar.regions.models import Region

SQUARE = {"type": "Polygon", "coordinates": [[[4.0, 51.8], [4.6, 51.8], [4.6, 52.1], [4.0, 52.1], [4.0, 51.8]]]}
NORTH = {"type": "Polygon", "coordinates": [[[4.6, 52.2], [5.1, 52.2], [5.1, 52.5], [4.6, 52.5], [4.6, 52.2]]]}


@pytest.fixture
def radar_store(tmp_path: Path, settings: Any, browser_world: Any) -> Path:  # noqa: F811
    write_planted_store(tmp_path, vacancies=15_000, end="2025-12", months=36, seed=2)
    figures = [JobSeekerFigure("AM22", "2025Q4", "", 900), JobSeekerFigure("AM22", "2025Q4", "4", 60)]
    merge_figures(tmp_path, figures, source="test")
    settings.STORE_DIR = tmp_path
    Region.objects.filter(code="AM22").update(geometry=SQUARE)
    Region.objects.filter(code="AM18").update(geometry=NORTH)
    pages._geometry_cache.clear()
    return tmp_path


def _charts_drawn(page: Any) -> int:  # noqa: F811
    boxes = page.locator("svg[role=img]").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert boxes, "no charts on the page"
    assert all(w > 50 and h > 50 for w, h in boxes), boxes
    return len(boxes)


@pytest.mark.browser
def test_dashboard_draws_charts_and_passes_axe(page: Any, live_server: Any, login_as: Any, radar_store: Path) -> None:  # noqa: F811
    login_as(page, "coordinator")
    page.goto(f"{live_server.url}/radar/AM22/?level=4&map=growth")
    assert _charts_drawn(page) >= 7
    assert page.locator("#fig-map svg[role=img]").count() == 1
    screenshot(page, "radar-dashboard")
    count, report = axe_violations(page)
    assert count == 0, report


@pytest.mark.browser
def test_report_page_passes_axe(page: Any, live_server: Any, login_as: Any, radar_store: Path) -> None:  # noqa: F811
    login_as(page, "coordinator")
    page.goto(f"{live_server.url}/radar/AM22/rapport/")
    assert _charts_drawn(page) >= 2
    screenshot(page, "radar-report")
    count, report = axe_violations(page)
    assert count == 0, report


@pytest.mark.browser
def test_occupation_and_skill_pages_draw_charts(page: Any, live_server: Any, login_as: Any, radar_store: Path) -> None:  # noqa: F811
    login_as(page, "learner")
    page.goto(f"{live_server.url}/radar/AM22/beroep/4/")
    assert _charts_drawn(page) >= 2
    screenshot(page, "radar-occupation")
    count, report = axe_violations(page)
    assert count == 0, report
    page.goto(f"{live_server.url}/radar/AM22/vaardigheid/?uri=http://data.europa.eu/esco/skill/planted-rising")
    assert _charts_drawn(page) >= 1
    screenshot(page, "radar-skill")
    count, report = axe_violations(page)
    assert count == 0, report


_TEXT_SIZES = """() => {
    const body = parseFloat(getComputedStyle(document.body).fontSize);
    const sizes = [...document.querySelectorAll('svg[role=img] text')]
        .filter(t => t.textContent.trim() && t.getAttribute('opacity') !== '0')
        .map(t => {
            const m = t.getScreenCTM();  // rotated labels: the scale is the length of the x axis vector
            return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
        });
    return [body, sizes.length, Math.min(...sizes)];
}"""


@pytest.mark.browser
def test_region_with_data_without_data_and_the_country_as_a_newcomer_sees_them(
    page: Any, live_server: Any, login_as: Any, radar_store: Path  # noqa: F811
) -> None:
    login_as(page, "learner")
    page.goto(f"{live_server.url}/radar/AM22/")
    body, count, smallest = page.evaluate(_TEXT_SIZES)
    assert count > 40 and smallest >= body - 0.01, (body, smallest)  # chart text as large as the body text
    assert page.get_by_role("link", name="Rapport om te printen").count() == 0  # learners may not open it
    forecast = page.locator("#fig-forecast")
    assert "MASE" not in forecast.inner_text()
    forecast.get_by_text("Technische gegevens").click()
    assert "MASE" in forecast.inner_text()
    screenshot(page, "radar-region-with-data")  # axe on this page: test_dashboard_draws_charts_and_passes_axe

    page.goto(f"{live_server.url}/radar/AM01/")
    note = page.locator(".radar-empty")
    assert "Voor Groningen staan nog geen vacatures in de radar" in note.inner_text()
    note.get_by_role("link", name="Bekijk de cijfers van heel Nederland").click()
    page.wait_for_url(f"{live_server.url}/radar/NL/")
    assert _charts_drawn(page) >= 6
    screenshot(page, "radar-national")
    page.goto(f"{live_server.url}/radar/AM01/")
    screenshot(page, "radar-region-without-data")
    count_violations, report = axe_violations(page)
    assert count_violations == 0, report

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/radar/NL/")
    trend = page.locator("#fig-trend svg").inner_html()
    assert "Oct 2025" in trend or "Jan 2025" in trend
    screenshot(page, "radar-national-en")
