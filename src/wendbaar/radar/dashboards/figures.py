"""The figures of the dashboard pages and the report: charts, text summaries and tables in plain language."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wendbaar.radar.dashboards import charts, services
from wendbaar.radar.dashboards.charts import Figure, Row
from wendbaar.radar.dashboards.formats import month_label, quarter_label
from wendbaar.radar.indicators.scope import add_months

STATUS_TEXT = {
    "growing": gettext_noop("growing"),
    "shrinking": gettext_noop("shrinking"),
    "stable": gettext_noop("stable"),
    "too_few": gettext_noop("too few vacancies"),
    "rising": gettext_noop("rising"),
    "declining": gettext_noop("declining"),
}
TENSION_TEXT = {
    "zeer_ruim": gettext_noop("very loose (zeer ruim)"),
    "ruim": gettext_noop("loose (ruim)"),
    "gemiddeld": gettext_noop("average (gemiddeld)"),
    "krap": gettext_noop("tight (krap)"),
    "zeer_krap": gettext_noop("very tight (zeer krap)"),
}
REASON_TEXT = {
    "short_history": gettext_noop("there are too few quarters with vacancies to see a pattern"),
    "no_backtest": gettext_noop("there are too few quarters to test the forecast on the past"),
    "loses_to_naive": gettext_noop(
        "in a test on the last four quarters we know, it was not better than simply taking last year's numbers"
    ),
    "wide_interval": gettext_noop("the real number may turn out much higher or lower"),
}
METHOD_TEXT = {
    "ets-seasonal": gettext_noop("exponential smoothing with trend and seasons"),
    "ets-trend": gettext_noop("exponential smoothing with trend"),
    "naive": gettext_noop("the last known quarter, repeated"),
    "none": gettext_noop("none"),
}


def pct(value: float | None, digits: int = 0, signed: bool = False) -> str:
    """Return a fraction as a percentage in the active language (0.123 → '12%' / '12,3%')."""
    if value is None:
        return "–"
    shown = _rounded(value * 100, digits)  # number_format cuts digits off (19.99… would read 19%)
    text = number_format(shown, decimal_pos=digits, use_l10n=True)
    return f"{'+' if signed and shown > 0 else ''}{text}%"


def num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return number_format(_rounded(value, digits), decimal_pos=digits, use_l10n=True, force_grouping=True)


def _rounded(value: float, digits: int) -> float:
    """Rounded to `digits` decimals, and never -0 (a change of -0,4% rounds to 0%, not to -0%)."""
    shown = round(float(value), digits)
    return 0.0 if shown == 0 else shown


def vacancies_url(*, region: str, first: str, last: str, isco: str = "", skill: str = "") -> str:
    """Return the URL of the vacancy list behind a figure."""
    params = {"region": region, "first": first, "last": last}
    if isco:
        params["isco"] = isco
    if skill:
        params["skill"] = skill
    return reverse("radar:vacancies") + "?" + urlencode(params)


def skill_url(region: str, uri: str) -> str:
    return reverse("radar:skill", kwargs={"region": region}) + "?" + urlencode({"uri": uri})


def occupation_url(region: str, group: str) -> str:
    return reverse("radar:occupation", kwargs={"region": region, "group": group})


def _index_frame(monthly: list[tuple[str, int, int]], region_name: str) -> pd.DataFrame:
    base_here = sum(r for _m, r, _n in monthly[:12]) / 12 or 1
    base_there = sum(n for _m, _r, n in monthly[:12]) / 12 or 1
    return pd.DataFrame(
        [(month_label(m), region_name, round(100 * r / base_here, 1)) for m, r, _n in monthly]
        + [(month_label(m), _("Netherlands"), round(100 * n / base_there, 1)) for m, _r, n in monthly],
        columns=["month", "series", "index"],
    )


def trend_figure(*, key: str, region: str, name: str, monthly: list[tuple[str, int, int]], isco: str = "") -> Figure:
    """Vacancies per month in the region against the country, as an index (first year = 100)."""
    if not monthly:
        return Figure(key, _("Vacancies per month"), _("There are no vacancies in this period."), (), ())
    dom = "fig-" + key
    first_year = sum(r for _m, r, _n in monthly[:12])
    last_year = sum(r for _m, r, _n in monthly[12:])
    national_first = sum(n for _m, _r, n in monthly[:12])
    national_last = sum(n for _m, _r, n in monthly[12:])
    change = (last_year / first_year - 1) if first_year else None
    national_change = (national_last / national_first - 1) if national_first else None
    compared = region != "NL"  # the country against itself says nothing
    summary = _trend_summary(name, last_year, change, national_change if compared else None)
    frame = _index_frame(monthly, name)
    svg = charts.line_chart(
        frame if compared else frame[frame["series"] == name],
        x="month",
        y="index",
        series="series",
        figure_id=dom,
        y_title=_("Index (first year = 100)"),
        x_title=_("Month"),
        y_format=",d",
    )
    url = vacancies_url(region=region, first=monthly[0][0], last=monthly[-1][0], isco=isco)
    if not compared:
        rows = tuple(
            Row((month_label(m), r), vacancies_url(region=region, first=m, last=m, isco=isco)) for m, r, _n in monthly
        )
        title = _("Vacancies per month, %(name)s") % {"name": name}
        return Figure(key, title, summary, (_("Month"), name), rows, svg, url)
    rows = tuple(
        Row((month_label(m), r, n), vacancies_url(region=region, first=m, last=m, isco=isco)) for m, r, n in monthly
    )
    return Figure(
        key,
        _("Vacancies per month, %(name)s against the Netherlands") % {"name": name},
        summary,
        (_("Month"), name, _("Netherlands")),
        rows,
        svg,
        url,
    )


def _trend_summary(name: str, count: int, change: float | None, national: float | None) -> str:
    """The trend's text; a change that cannot be computed (no vacancies the year before) is said, not dashed."""
    text = _("In the last 12 months %(name)s had %(count)s vacancies.") % {"name": name, "count": num(count)}
    if change is None:
        text += " " + _("The year before there were none, so there is no change to compare.")
    else:
        text += " " + _("That is %(change)s compared with the year before.") % {"change": pct(change, signed=True)}
    if national is not None:
        text += " " + _("In the whole country the change was %(national)s.") % {"national": pct(national, signed=True)}
    return text


def growth_figure(board: services.RegionDashboard) -> Figure:
    """Growing and shrinking occupation groups with their trend and 95% interval."""
    key, dom = "growth", "fig-growth"
    title = _("Growing and shrinking occupations")
    rows = tuple(
        Row(
            (
                g.group,
                board.labels.get(g.group, g.group),
                g.vacancies,
                g.vacancies_previous,
                pct(g.yoy, signed=True),
                pct(g.trend, signed=True),
                pct(g.trend_low, signed=True),
                pct(g.trend_high, signed=True),
                _(STATUS_TEXT[g.status]),
            ),
            vacancies_url(region=board.region, first=board.first or "", last=board.end or "", isco=g.group),
        )
        for g in board.growth_all
    )
    columns = (
        _("ISCO group"),
        _("Occupation group"),
        _("Vacancies last 12 months"),
        _("Vacancies 12 months before"),
        _("Change year on year"),
        _("Trend per year"),
        _("Trend low (95%)"),
        _("Trend high (95%)"),
        _("Verdict"),
    )
    shown = [*board.growing, *board.shrinking]
    if not shown:
        return Figure(key, title, _("No occupation group grows or shrinks clearly in this period."), columns, rows)
    summary = _(
        "%(grow)s occupation groups grow and %(shrink)s shrink clearly "
        "(the whole 95%% interval of the trend is above or below zero)."
    ) % {"grow": len(board.growing), "shrink": len(board.shrinking)}
    if board.growing:
        top = board.growing[0]
        summary += " " + _("Fastest growing: %(label)s (%(trend)s per year).") % {
            "label": board.labels.get(top.group, top.group),
            "trend": pct(top.trend, signed=True),
        }
    if board.shrinking:
        low = board.shrinking[0]
        summary += " " + _("Fastest shrinking: %(label)s (%(trend)s per year).") % {
            "label": board.labels.get(low.group, low.group),
            "trend": pct(low.trend, signed=True),
        }
    frame = pd.DataFrame(
        [(f"{board.labels.get(g.group, g.group)} ({g.group})", g.trend, g.trend_low, g.trend_high) for g in shown],
        columns=["label", "trend", "low", "high"],
    )
    svg = charts.bar_chart(
        frame,
        label="label",
        value="trend",
        figure_id=dom,
        value_title=_("Trend per year"),
        low="low",
        high="high",
        diverging=True,
    )
    return Figure(
        key,
        title,
        summary,
        columns,
        rows,
        svg,
        vacancies_url(region=board.region, first=board.first or "", last=board.end or ""),
    )


def skills_figure(
    *,
    key: str,
    title: str,
    region: str,
    first: str,
    last: str,
    shares: list,
    labels: dict[str, str],
    change: bool = False,
    empty: str,
) -> Figure:
    """A bar chart of skills by share of vacancies (or by change in share), with the table behind it."""
    dom = "fig-" + key
    columns = (
        _("Skill"),
        _("Vacancies asking it"),
        _("Share now"),
        _("Share a year before"),
        _("Change (points)"),
        _("Verdict"),
    )
    rows = tuple(
        Row(
            (
                labels.get(s.skill_uri, s.skill_uri),
                s.vacancies,
                pct(s.share, 1),
                pct(s.share_previous, 1),
                num(s.change * 100, 1),
                _(STATUS_TEXT[s.status]),
            ),
            vacancies_url(region=region, first=first, last=last, skill=s.skill_uri),
        )
        for s in shares
    )
    if not shares:
        return Figure(key, title, empty, columns, rows)
    value = "change" if change else "share"
    frame = pd.DataFrame(
        [(labels.get(s.skill_uri, s.skill_uri), s.change * 100 if change else s.share) for s in shares],
        columns=["label", value],
    )
    first_skill = labels.get(shares[0].skill_uri, shares[0].skill_uri)
    if change:
        summary = _("%(label)s changed most: from %(before)s to %(now)s of vacancies.") % {
            "label": first_skill,
            "before": pct(shares[0].share_previous, 1),
            "now": pct(shares[0].share, 1),
        }
        svg = charts.bar_chart(
            frame,
            label="label",
            value=value,
            figure_id=dom,
            value_title=_("Change in percentage points"),
            value_format=".1f",
            diverging=True,
        )
    else:
        summary = _("%(label)s is asked most: in %(share)s of vacancies.") % {
            "label": first_skill,
            "share": pct(shares[0].share, 1),
        }
        svg = charts.bar_chart(frame, label="label", value=value, figure_id=dom, value_title=_("Share of vacancies"))
    return Figure(key, title, summary, columns, rows, svg, vacancies_url(region=region, first=first, last=last))


def collections_figure(board: services.RegionDashboard) -> Figure:
    """Share of vacancies asking digital, green or transversal skills, per quarter."""
    names = {"digital": _("Digital skills"), "green": _("Green skills"), "transversal": _("Transversal skills")}
    columns = (_("Quarter"), _("Collection"), _("Vacancies"), _("Share"))
    rows = tuple(
        Row((quarter_label(c.quarter), names.get(c.collection, c.collection), c.vacancies, pct(c.share, 1)))
        for c in board.collections
    )
    title = _("Digital, green and transversal skills")
    if not board.collections:
        empty = (
            _("There are no vacancies in this period.")
            if board.collections_loaded
            else _("The ESCO skill collections are not loaded yet.")
        )
        return Figure("collections", title, empty, columns, rows)
    frame = pd.DataFrame(
        [(quarter_label(c.quarter), names.get(c.collection, c.collection), c.share) for c in board.collections],
        columns=["quarter", "series", "share"],
    )
    latest = board.collections[-1].quarter
    parts = [
        f"{names.get(c.collection, c.collection)} {pct(c.share)}" for c in board.collections if c.quarter == latest
    ]
    summary = _("Share of vacancies asking at least one skill of the collection in the %(quarter)s: %(parts)s.") % {
        "quarter": quarter_label(latest, long=True),
        "parts": ", ".join(parts),
    }
    svg = charts.line_chart(
        frame,
        x="quarter",
        y="share",
        series="series",
        figure_id="fig-collections",
        y_title=_("Share of vacancies"),
        x_title=_("Quarter"),
        y_format=".0%",
    )
    return Figure("collections", title, summary, columns, rows, svg)


def tension_figure(*, region: str, rows_in: list[services.TensionRow], labels: dict[str, str]) -> Figure:
    """Vacancies per short-term job seeker and UWV's class, for the latest quarter with figures."""
    columns = (
        _("Quarter"),
        _("Occupation group"),
        _("Vacancies"),
        _("Job seekers (WW < 6 months)"),
        _("Vacancies per job seeker"),
        _("Tension"),
    )
    title = _("Tension on the labour market")
    rows = tuple(
        Row(
            (
                quarter_label(r.period),
                labels.get(r.occupation_group, r.occupation_group) or _("All occupations"),
                r.vacancies,
                r.job_seekers,
                num(r.ratio, 2),
                _(TENSION_TEXT[r.tension_class]) if r.tension_class else "–",
            ),
            vacancies_url(
                region=region,
                first=f"{r.period[:4]}-{(int(r.period[5]) - 1) * 3 + 1:02d}",
                last=add_months(f"{r.period[:4]}-{(int(r.period[5]) - 1) * 3 + 1:02d}", 2),
                isco=r.occupation_group,
            ),
        )
        for r in rows_in
    )
    if not rows_in:
        return Figure("tension", title, _("No job-seeker figures are loaded for this region."), columns, rows)
    tight = [r for r in rows_in if r.tension_class in ("krap", "zeer_krap")]
    summary = _(
        "In the %(quarter)s, %(tight)s of %(total)s occupation groups were tight or very tight (UWV classes)."
    ) % {
        "quarter": quarter_label(rows_in[0].period, long=True),
        "tight": len(tight),
        "total": len(rows_in),
    }
    frame = pd.DataFrame(
        [(str(row.cells[1]), r.ratio or 0.0) for row, r in zip(rows, rows_in, strict=True)], columns=["label", "ratio"]
    )
    svg = charts.bar_chart(
        frame,
        label="label",
        value="ratio",
        figure_id="fig-tension",
        value_title=_("Vacancies per job seeker"),
        value_format=".2f",
    )
    return Figure("tension", title, summary, columns, rows, svg)


def forecast_figure(*, key: str, fc: services.GroupForecast | None, name: str) -> Figure:
    """Vacancies per quarter and the forecast for the next four quarters, in plain words; the method's terms
    (ETS, MASE, the 95% prediction interval) are in the figure's technical details, shown on request."""
    columns = (_("Quarter"), _("Vacancies"), _("Forecast"), _("Likely at least"), _("Likely at most"))
    title = _("Forecast: vacancies in the next four quarters")
    if fc is None or not fc.assessment.forecast.mean:
        return Figure(
            key,
            title,
            _("There is too little history for a forecast."),
            columns,
            (),
            notes=(_(REASON_TEXT["short_history"]).capitalize() + ".",),
        )
    a = fc.assessment
    rows = tuple(Row((quarter_label(q), v, "", "", "")) for q, v in fc.history) + tuple(
        Row((quarter_label(q), "", num(m), num(lo), num(hi)))
        for q, m, lo, hi in zip(fc.quarters, a.forecast.mean, a.forecast.lower, a.forecast.upper, strict=True)
    )
    summary = _(
        "Expected in the %(quarter)s: about %(mean)s vacancies in %(name)s. Most likely between %(low)s and %(high)s."
    ) % {
        "quarter": quarter_label(fc.quarters[0], long=True),
        "mean": num(a.forecast.mean[0]),
        "name": name,
        "low": num(a.forecast.lower[0]),
        "high": num(a.forecast.upper[0]),
    }
    notes = []
    b = a.backtest
    if b.mase is not None and "loses_to_naive" not in a.reasons:
        notes.append(
            _("We tested the forecast on the last four quarters we know: it came closer to the real numbers "
              "than simply taking last year's numbers.")  # fmt: skip
        )
    if not a.reliable:
        notes.append(
            _("Be careful with this forecast: %(reasons)s.")
            % {"reasons": "; ".join(_(REASON_TEXT[r]) for r in a.reasons)}
        )
    technical = [
        _("Method: %(plain)s (%(method)s; statsmodels ETS on log(1 + vacancies)).")
        % {"plain": _(METHOD_TEXT.get(a.forecast.method, a.forecast.method)), "method": a.forecast.method},
        _("“Most likely between” is the 95% prediction interval."),
    ]
    if b.mase is not None:
        technical.append(
            _("Backtest on the last four known quarters: MASE %(mase)s; seasonal naive forecast (last year's "
              "quarter): MASE %(naive)s. Lower is better; the warning is given when the forecast does not beat "
              "the seasonal naive one.")  # fmt: skip
            % {"mase": num(b.mase, 2), "naive": num(b.mase_seasonal_naive, 2)}
        )
    svg = charts.forecast_chart(
        [(quarter_label(q), v) for q, v in fc.history],
        [quarter_label(q) for q in fc.quarters],
        a.forecast.mean,
        a.forecast.lower,
        a.forecast.upper,
        figure_id="fig-" + key,
        labels={
            "history": _("Vacancies"),
            "forecast": _("Forecast"),
            "quarter": _("Quarter"),
            "vacancies": _("Vacancies"),
        },
    )
    return Figure(key, title, summary, columns, rows, svg, notes=tuple(notes), technical=tuple(technical))


MAP_INDICATORS = {
    "vacancies": (gettext_noop("Vacancies in the last 12 months"), ",d"),
    "growth": (gettext_noop("Change year on year"), ".0%"),
    "tension": (gettext_noop("Vacancies per job seeker"), ".2f"),
}


def map_figure(*, region: str, indicator: str, end: str, geometries: dict[str, dict]) -> Figure:
    """All regions coloured by an indicator; the table lists every region (also without geometry)."""
    values = services.region_values(indicator=indicator, end=end)
    title_text, fmt = MAP_INDICATORS[indicator]
    columns = (_("Region code"), _("Region"), _(title_text))
    show = (
        (lambda v: pct(v, signed=True))
        if indicator == "growth"
        else ((lambda v: num(v, 2)) if indicator == "tension" else num)
    )
    rows = tuple(
        Row(
            (code, services.region_name(code), show(values[code]) if code in values else "–"),
            reverse("radar:dashboard", kwargs={"region": code}),
        )
        for code in sorted(services.REGION_NAMES)
    )
    title = _("Map of the regions: %(indicator)s") % {"indicator": _(title_text)}
    if not values:
        summary = _("There are no figures for this indicator yet.")
    else:
        best = max(values, key=lambda c: values[c])
        if region not in services.REGION_NAMES:  # the national view: the highest region says it all
            summary = _("Highest: %(name)s (%(value)s).") % {
                "name": services.region_name(best), "value": show(values[best]),
            }  # fmt: skip
        elif region in values:
            summary = _("Highest: %(name)s (%(value)s). %(this)s: %(own)s.") % {
                "name": services.region_name(best),
                "value": show(values[best]),
                "this": services.region_name(region),
                "own": show(values[region]),
            }
        else:  # said in words, not with a dash for the missing number
            summary = _("Highest: %(name)s (%(value)s). There is no figure for %(this)s yet.") % {
                "name": services.region_name(best),
                "value": show(values[best]),
                "this": services.region_name(region),
            }
    svg = None
    if geometries:
        features = [
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"code": code, "name": services.region_name(code), "value": values.get(code)},
            }
            for code, geometry in sorted(geometries.items())
        ]
        svg = charts.map_chart(
            features, figure_id="fig-map", value_title=_(title_text), value_format=fmt, highlight=region
        )
    return Figure("map", title, summary, columns, rows, svg)
