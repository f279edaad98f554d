"""`{% may_open "app:name" as allowed %}`: whether the person may open a page, so a template links
only to pages the person's roles may open (the view's own `allowed_roles` decide, nothing repeated)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, resolve, reverse

from wendbaar.regions.permissions import allows

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context: template.Context, name: str, *args: Any, **kwargs: Any) -> bool:
    request = context.get("request")
    if request is None:
        return False
    try:
        match = resolve(reverse(name, args=args, kwargs=kwargs))
    except NoReverseMatch:
        return False
    view_class = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
    return allows(getattr(view_class, "allowed_roles", frozenset()), request)
