"""The printable regional report: krimp and groei, skills to invest in, forecast and tension, as HTML and PDF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from wendbaar.radar.dashboards import figures, pages, services
from wendbaar.radar.dashboards.formats import month_label
from wendbaar.radar.store.cache import page_cached
from wendbaar.web.pdf.cache import pdf_of

SOURCES = (
    gettext_noop("Vacancies: the Wendbaar radar store, enriched with ESCO occupations and skills."),
    gettext_noop("Occupations and skills: ESCO, © European Union, free reuse with attribution."),
    gettext_noop(
        "Tension: UWV's method (vacancies per person with a WW benefit shorter than six months), "
        "with the job-seeker figures as imported."
    ),
    gettext_noop("Forecast: exponential smoothing (ETS, statsmodels), tested against last year's figures (MASE)."),
)


def report_context(*, region: str, end: str | None, level: str = "2") -> dict[str, Any]:
    """Return what the report shows: the dashboard's figures that matter at the regional table."""
    context: dict[str, Any] = {"generated_at": timezone.now(), "sources": [_(s) for s in SOURCES], "report_figures": []}
    if end is None:
        return context
    context.update(report_parts(region, end, level, get_language()))
    return context


@page_cached
def report_parts(region: str, end: str, level: str, language: str) -> dict[str, Any]:
    """The report's figures and lists; memoised like the dashboard (its charts cost most of a report)."""
    board = services.region_dashboard(region=region, level=level, end=end)
    invest = [s for s in board.rising_skills if s.share >= 0.01][:10]
    return {
        "period_first": month_label(board.first or "", long=True),
        "period_last": month_label(end, long=True),
        "board": board,
        "invest": [
            (board.labels.get(s.skill_uri, s.skill_uri), figures.pct(s.share_previous, 1), figures.pct(s.share, 1))
            for s in invest
        ],
        "growing": [
            (board.labels.get(g.group, g.group), g.group, figures.pct(g.trend, signed=True), g.vacancies)
            for g in board.growing
        ],
        "shrinking": [
            (board.labels.get(g.group, g.group), g.group, figures.pct(g.trend, signed=True), g.vacancies)
            for g in board.shrinking
        ],
        "report_figures": pages.region_figures(board, keys=pages.REPORT_FIGURES),
    }


def render_pdf(*, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """Return the report as PDF bytes, rendered by WeasyPrint from the print template (kept per content)."""
    html = render_to_string("radar/report_print.html", context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else None
    return pdf_of(html, kind="radar-report", base_url=base_url)
