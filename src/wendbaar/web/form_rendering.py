"""The form renderer: Django's own, except that a select is written in Python instead of through a
template include per option.

Why: Django renders every <option> by including `select_option.html` and `attrs.html`. The catalogue's
search form lists the ~340 municipalities: the page went from 38 to 23 CPU ms, the offering forms from
~50 to ~21 (bench/results/load_profile_pdf_forms.json); the demand and hub forms have such selects too. The HTML is
the same bytes as Django's templates give (tests/web/test_form_rendering.py compares them); a widget
with its own option template keeps Django's way.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    """As `{{ value }}` renders: localised, then escaped unless already safe."""
    value = localize(template_localtime(value))
    return str(conditional_escape(value if isinstance(value, str) else str(value)))


def _raw(value: Any) -> str:
    """As `{{ value|stringformat:'s' }}` renders: not localised, escaped unless already safe."""
    return str(conditional_escape(value))


def _attrs(attrs: dict[str, Any]) -> str:
    shown = ((name, value) for name, value in attrs.items() if value is not False)
    return "".join(f" {name}" if value is True else f' {name}="{_raw(value)}"' for name, value in shown)


class QuickSelectRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT:
            quick = _select(context["widget"])
            if quick is not None:
                return quick
        return super().render(template_name, context, request=request)


def _select(widget: dict[str, Any]) -> SafeString | None:
    parts = [f'<select name="{_raw(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None  # a widget with its own option template: Django renders it
            value, attrs, label = _raw(option["value"]), _attrs(option["attrs"]), _text(option["label"])
            parts.append(f'\n  <option value="{value}"{attrs}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
