"""What the radar's pages show, built once for the views and the printable report: a region's figures,
an occupation group's, a skill's, and the links between them."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from wendbaar.radar.dashboards import figures, services
from wendbaar.radar.dashboards.charts import Figure, Row, simplify_geometry
from wendbaar.radar.dashboards.formats import quarter_label
from wendbaar.radar.indicators.scope import add_months
from wendbaar.radar.store.cache import page_cached

# The dashboard's figures, in page order, and the ones the report takes to the regional table.
DASHBOARD_FIGURES = (
    "growth", "skills-top", "skills-rising", "skills-declining", "collections", "tension", "trend", "forecast", "map",
)  # fmt: skip
REPORT_FIGURES = ("growth", "skills-rising", "forecast", "tension")
_GEOMETRY_TTL = 600.0
_geometry_cache: dict[str, Any] = {}
DEFAULT_LEVEL = "2"  # ISCO sub-major groups: broad enough to read, narrow enough to act on


def region_geometries() -> dict[str, dict]:
    """Return {region code: simplified GeoJSON geometry} of the regions that have one (cached for 10 minutes)."""
    cached = _geometry_cache.get("value")
    if cached is not None and time.monotonic() - _geometry_cache["at"] < _GEOMETRY_TTL:
        return cached
    from wendbaar.regions.models import Region

    value = {
        code: simplify_geometry(geometry or {})
        for code, geometry in Region.objects.exclude(geometry=None).values_list("code", "geometry")
    }
    _geometry_cache.update(value=value, at=time.monotonic())
    return value


@page_cached
def dashboard_page(
    region: str, level: str, end: str, map_indicator: str, language: str, geometry_codes: tuple[str, ...]
) -> tuple[services.RegionDashboard, list[Figure], list[tuple[str, str]], list[tuple[str, str]]]:
    """Return the dashboard's data, figures and links; memoised per store and taxonomy version, filters and language."""
    board = services.region_dashboard(region=region, level=level, end=end)
    occupation_links = [
        (figures.occupation_url(region, g.group), _with_label(_("Occupation group %(label)s"), board.labels, g.group))
        for g in [*board.growing, *board.shrinking]
    ]
    skill_links = [
        (figures.skill_url(region, s.skill_uri), _with_label(_("Skill %(label)s"), board.labels, s.skill_uri))
        for s in [*board.top_skills[:5], *board.rising_skills[:5]]
    ]
    figure_list = region_figures(
        board, keys=DASHBOARD_FIGURES, map_indicator=map_indicator, geometries=region_geometries()
    )
    return board, figure_list, occupation_links, skill_links


def _with_label(text: str, labels: dict[str, str], key: str) -> str:
    """`text` with its %(label)s filled in as HTML, so a label in another language keeps its marker."""
    return mark_safe(conditional_escape(text) % {"label": conditional_escape(labels.get(key, key))})  # noqa: S308 - both parts escaped


def region_figures(
    board: services.RegionDashboard,
    *,
    keys: tuple[str, ...],
    map_indicator: str = "vacancies",
    geometries: dict[str, dict] | None = None,
) -> list[Figure]:
    """The figures of a region's dashboard named in `keys`, in that order (the page's and the report's)."""
    region = board.region
    first, last = board.first or "", board.end or ""
    builders: dict[str, Callable[[], Figure]] = {
        "growth": lambda: figures.growth_figure(board),
        "skills-top": lambda: figures.skills_figure(
            key="skills-top",
            title=_("Skills asked most"),
            region=region,
            first=first,
            last=last,
            shares=board.top_skills,
            labels=board.labels,
            empty=_("No skills found in this period."),
        ),
        "skills-rising": lambda: figures.skills_figure(
            key="skills-rising",
            title=_("Rising skills"),
            region=region,
            first=first,
            last=last,
            shares=board.rising_skills,
            labels=board.labels,
            change=True,
            empty=_("No skill is asked clearly more often than a year before."),
        ),
        "skills-declining": lambda: figures.skills_figure(
            key="skills-declining",
            title=_("Declining skills"),
            region=region,
            first=first,
            last=last,
            shares=board.declining_skills,
            labels=board.labels,
            change=True,
            empty=_("No skill is asked clearly less often than a year before."),
        ),
        "collections": lambda: figures.collections_figure(board),
        "tension": lambda: figures.tension_figure(region=region, rows_in=board.tension, labels=board.labels),
        "trend": lambda: figures.trend_figure(key="trend", region=region, name=board.name, monthly=board.monthly),
        "forecast": lambda: figures.forecast_figure(key="forecast", fc=board.forecast, name=board.name),
        "map": lambda: figures.map_figure(
            region=region, indicator=map_indicator, end=last, geometries=geometries or {}
        ),
    }
    return [builders[key]() for key in keys]


@page_cached
def occupation_page(
    region: str, group: str, end: str | None, language: str
) -> tuple[services.OccupationInRegion, list[Figure]]:
    """Return an occupation group's page and figures; memoised like the dashboard (its charts cost most)."""
    page = services.occupation_in_region(region=region, group=group, end=end)
    return page, occupation_figures(region, page)


@page_cached
def skill_page(
    region: str, skill_uri: str, end: str | None, language: str
) -> tuple[services.SkillInRegion, list[Figure]]:
    """Return a skill's page and figures; memoised like the dashboard."""
    page = services.skill_in_region(region=region, skill_uri=skill_uri, end=end)
    return page, skill_figures(region, page)


def occupation_figures(region: str, page: services.OccupationInRegion) -> list[Figure]:
    """The figures of an occupation group's page: vacancies per month, forecast, skills, tension."""
    group = page.group
    last = page.end or ""
    first = add_months(last, -11)
    return [
        figures.trend_figure(
            key="trend",
            region=region,
            name=region_label(page.name, page.label),
            monthly=page.monthly,
            isco=group,
        ),
        figures.forecast_figure(key="forecast", fc=page.forecast, name=region_label(page.name, page.label)),
        figures.skills_figure(
            key="skills",
            title=_("Skills asked in this occupation group"),
            region=region,
            first=first,
            last=last,
            shares=page.skills,
            labels=page.labels,
            empty=_("No skills found in this period."),
        ),
        figures.tension_figure(region=region, rows_in=page.tension, labels={group: page.label}),
    ]


def region_label(region_name: str, label: str) -> str:
    return f"{label}, {region_name}"


def skill_figures(region: str, page: services.SkillInRegion) -> list[Figure]:
    """The figures of the skill page: share over time, skills asked with it, occupations asking it."""
    import pandas as pd

    from wendbaar.radar.dashboards import charts

    last = page.end or ""
    first = add_months(last, -11)
    share_rows = tuple(
        Row((quarter_label(q), n, figures.pct(s, 1), figures.pct(ns, 1))) for q, n, s, ns in page.quarterly
    )
    share_summary = _(
        "%(label)s was asked in %(share)s of vacancies in the last 12 months (a year before: %(before)s)."
    ) % {
        "label": page.label,
        "share": figures.pct(page.share.share if page.share else 0, 1),
        "before": figures.pct(page.share.share_previous if page.share else 0, 1),
    }
    svg = None
    if page.quarterly:
        frame = pd.DataFrame(
            [(quarter_label(q), page.name, s) for q, _n, s, _ns in page.quarterly]
            + [(quarter_label(q), _("Netherlands"), ns) for q, _n, _s, ns in page.quarterly],
            columns=["quarter", "series", "share"],
        )
        svg = charts.line_chart(
            frame,
            x="quarter",
            y="share",
            series="series",
            figure_id="fig-share",
            y_title=_("Share of vacancies"),
            x_title=_("Quarter"),
            y_format=".0%",
        )
    share = Figure(
        "share",
        _("Share of vacancies asking this skill"),
        share_summary,
        (_("Quarter"), _("Vacancies asking it"), page.name, _("Netherlands")),
        share_rows,
        svg,
        figures.vacancies_url(region=region, first=first, last=last, skill=page.skill_uri),
    )
    # No "vacancies behind it" link per pair: the vacancy list filters on one skill, not on two.
    pair_rows = tuple(
        Row((page.labels.get(p.skill_b, p.skill_b), p.together, figures.num(p.lift, 2))) for p in page.pairs
    )
    pairs_summary = (
        _("Asked most often together with this skill, compared with chance: %(label)s (lift %(lift)s).")
        % {
            "label": page.labels.get(page.pairs[0].skill_b, page.pairs[0].skill_b),
            "lift": figures.num(page.pairs[0].lift, 2),
        }
        if page.pairs
        else _("No skills are asked together with this one often enough.")
    )
    pairs = Figure(
        "pairs",
        _("Skills asked together with this skill"),
        pairs_summary,
        (_("Skill"), _("Vacancies asking both"), _("Lift (1 = chance)")),
        pair_rows,
    )
    occ_rows = tuple(
        Row(
            (g, page.labels.get(g, g), n),
            figures.vacancies_url(region=region, first=first, last=last, isco=g, skill=page.skill_uri),
        )
        for g, n in page.occupations
    )
    occ = Figure(
        "occupations",
        _("Occupation groups asking this skill"),
        _("The occupation groups with the most vacancies asking this skill in the last 12 months."),
        (_("ISCO group"), _("Occupation group"), _("Vacancies")),
        occ_rows,
    )
    return [share, pairs, occ]
