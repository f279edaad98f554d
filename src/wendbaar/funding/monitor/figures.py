"""The monitor's charts and tables, drawn with the radar's chart code (Vega-Lite to SVG on the server).

Hidden figures are left out of a chart (a bar of "< 10" would show its size) and named in a note;
the table and the CSV give the same published figures as the chart.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from django.utils.translation import gettext as _

from wendbaar.funding.monitor.disclosure import Published, show_count
from wendbaar.funding.monitor.queries import DIMENSIONS, Table
from wendbaar.radar.dashboards import charts
from wendbaar.radar.dashboards.charts import Figure, Row


def _euros(cents: int | None) -> Decimal | str:
    return "—" if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _hidden_note(rows: list[Published], shown: list[Published]) -> tuple[str, ...]:
    missing = [row.label for row in rows if row not in shown]
    if not missing:
        return ()
    return (_("Not in the chart, because fewer than 10 people are counted or the number could be worked out: "
              "%(names)s.") % {"names": ", ".join(missing)},)  # fmt: skip


def figures(table: Table, *, period: str) -> list[Figure]:
    """Two figures: who takes part (people, enrolments, completed, stopped) and what it cost."""
    return [_people_figure(table, period), _money_figure(table, period)]


def _people_figure(table: Table, period: str) -> Figure:
    dimension = str(DIMENSIONS[table.dimension])
    key = f"people-{table.dimension}"
    title = _("People who learn, per %(dimension)s") % {"dimension": dimension.lower()}
    total = table.total
    summary = _("%(period)s: %(people)s people took part, in %(enrolments)s enrolments. "
                "%(completed)s completed, %(stopped)s stopped.") % {
        "period": period, "people": show_count(total.people), "enrolments": show_count(total.enrolments),
        "completed": show_count(total.completed), "stopped": show_count(total.dropped_out),
    }  # fmt: skip
    columns = (dimension, _("People"), _("Enrolments"), _("Completed"), _("Stopped"))
    rows = tuple(
        Row((r.label, show_count(r.people), show_count(r.enrolments), show_count(r.completed),
             show_count(r.dropped_out)))
        for r in [*table.rows, total]
    )  # fmt: skip
    shown = [r for r in table.rows if r.people is not None]
    svg = None
    if shown:
        frame = pd.DataFrame({"label": [r.label for r in shown], "people": [r.people for r in shown]})
        svg = charts.bar_chart(frame, label="label", value="people", figure_id="fig-" + key,
                               value_title=_("People"), value_format=",d")  # fmt: skip
    return Figure(key, title, summary, columns, rows, svg, notes=_hidden_note(table.rows, shown))


def _money_figure(table: Table, period: str) -> Figure:
    dimension = str(DIMENSIONS[table.dimension])
    key = f"money-{table.dimension}"
    title = _("Money paid to schools, per %(dimension)s") % {"dimension": dimension.lower()}
    total = table.total
    if total.spent_cents is None:
        summary = _("%(period)s: too few people to show what was paid.") % {"period": period}
    else:
        summary = _("%(period)s: the funds paid € %(amount)s to schools and trainers.") % {
            "period": period, "amount": f"{total.spent_cents // 100:,}".replace(",", ".")}  # fmt: skip
        cost = total.cost_per_completion_cents
        if cost is not None:
            summary += " " + _("That is € %(cost)s per completed course.") % {
                "cost": f"{cost // 100:,}".replace(",", ".")}  # fmt: skip
    columns = (dimension, _("Paid to schools (euro)"), _("Completed"), _("Cost per completion (euro)"))
    rows = tuple(
        Row((r.label, _euros(r.spent_cents), show_count(r.completed), _euros(r.cost_per_completion_cents)))
        for r in [*table.rows, total]
    )
    shown = [r for r in table.rows if r.spent_cents is not None]
    svg = None
    if shown:
        frame = pd.DataFrame({"label": [r.label for r in shown], "euro": [(r.spent_cents or 0) / 100 for r in shown]})
        svg = charts.bar_chart(frame, label="label", value="euro", figure_id="fig-" + key,
                               value_title=_("Paid (euro)"), value_format=",.0f")  # fmt: skip
    notes = (*_hidden_note(table.rows, shown), _("— : not shown, to protect the people counted."))
    return Figure(key, title, summary, columns, rows, svg, notes=notes)
