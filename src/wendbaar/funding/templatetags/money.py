"""Template filters for money in integer cents."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def euro(cents: int | None) -> str:
    """Show cents as Dutch euros: 123456 → "€ 1.234,56", with a no-break space so that the sign never
    ends a line apart from its amount (it did in a narrow table column)."""
    if cents is None:
        return "—"
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(int(cents)), 100)
    return f"{sign}€\u00a0{whole:,}".replace(",", ".") + f",{rest:02d}"


@register.filter
def percent(basis_points: int) -> str:
    """Show basis points as a percentage: 7000 → "70%"."""
    whole, rest = divmod(int(basis_points), 100)
    return f"{whole}%" if not rest else f"{whole},{rest:02d}%"


@register.filter
def stage_label(stage: str) -> str:
    """The payment part in the reader's language ("start" → "bij de start")."""
    from django.utils.translation import gettext as _

    labels = {"start": _("at the start"), "attendance": _("for attendance"), "completion": _("on completion")}
    return labels.get(stage, stage)
