"""`{% checkup_reminder %}`: a reminder on the home page when the person's next check-up is due."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def checkup_reminder(context: Any) -> SafeString | str:
    from wendbaar.careers.services import due_plan

    request = context.get("request")
    user = getattr(request, "user", None)
    plan = due_plan(user) if user is not None else None
    if plan is None:
        return ""
    return render_to_string("careers/_reminder.html", {"due": plan}, request=request)
