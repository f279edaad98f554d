"""Template tags of the hub: the readable label of a stored choice value."""

from __future__ import annotations

from django import template

from wendbaar.hub.constants import Factor, TargetGroup, Theme
from wendbaar.regions.constants import Sector

register = template.Library()
CHOICES = {"theme": Theme, "sector": Sector, "target": TargetGroup, "factor": Factor}


@register.simple_tag
def label_of(kind: str, value: str) -> str:
    """Return the label of `value` among the choices of `kind`, or the value itself (a region's own tag)."""
    choices = CHOICES.get(kind)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return value


@register.filter
def person(user: object) -> str:
    """Return a person's full name, else their username, else a dash (a removed account)."""
    if user is None:
        return "–"
    full = user.get_full_name()  # type: ignore[attr-defined]
    return str(full or user.get_username())  # type: ignore[attr-defined]


@register.simple_tag
def event_field(name: str) -> str:
    """Return the readable name of a changed event field (the word people know from the form)."""
    from django.utils.translation import gettext as _

    labels = {
        "kind": _("Kind"), "title": _("Title"), "description": _("Description"), "organiser": _("Organiser"),
        "contact": _("Contact person"), "starts_at": _("Starts"), "ends_at": _("Ends"), "location": _("Place"),
        "online_url": _("Online link"), "capacity": _("Number of places"), "sectors": _("Sectors"),
        "occupation_uri": _("Occupation"), "cancelled": _("Cancelled"),
    }  # fmt: skip
    return str(labels.get(name, name))
