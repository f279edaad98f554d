"""The form renderer: Django's own, except that a select is written in Python instead of through a
template include per option.

Why: Django renders every <option> by including `select_option.html` and `attrs.html`. The catalogue's
search form lists the ~340 municipalities: the page went from 38 to 23 CPU ms, the offering forms from
~50 to ~21 (bench/results/load_profile_pdf_forms.json); the demand and hub forms have such selects too. The HTML is
the same bytes as Django's templates give (tests/web/test_form_rendering.py compares them); a widget
with its own option template keeps Django's way.

The other simple widgets go the same way: every `<input>` (text, number, date, checkbox, …), the
textarea, lists of checkboxes or radio buttons (each option two more includes: a form's 20
organisations as checkboxes cost ~1.4 ms through the templates, 0.25 ms so) and the label tag.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs

WIDGETS = "django/forms/widgets/"
SELECT = WIDGETS + "select.html"
OPTION = WIDGETS + "select_option.html"
# Templates that are only `{% include "django/forms/widgets/input.html" %}`.
INPUTS = frozenset(
    WIDGETS + name
    for name in ("input.html", "text.html", "number.html", "email.html", "url.html", "password.html", "hidden.html",
                 "date.html", "datetime.html", "time.html", "search.html", "tel.html", "color.html", "checkbox.html",
                 "file.html")
)  # fmt: skip
TEXTAREA = WIDGETS + "textarea.html"
# Lists of checkboxes or radio buttons (`multiple_input.html`) and their options (`input_option.html`).
MULTIPLE = frozenset({WIDGETS + "checkbox_select.html", WIDGETS + "radio.html", WIDGETS + "multiple_input.html"})
INPUT_OPTIONS = frozenset(
    {WIDGETS + "checkbox_option.html", WIDGETS + "radio_option.html", WIDGETS + "input_option.html"}
)
LABEL = "django/forms/label.html"  # a field's label_tag


def _text(value: Any) -> str:
    """As `{{ value }}` renders: localised, then escaped unless already safe."""
    value = localize(template_localtime(value))
    return str(conditional_escape(value if isinstance(value, str) else str(value)))


def _raw(value: Any) -> str:
    """As `{{ value|stringformat:'s' }}` renders: not localised, escaped unless already safe."""
    return str(conditional_escape(value))


def _attrs(attrs: dict[str, Any]) -> str:
    shown = ((name, value) for name, value in attrs.items() if value is not False)
    return "".join(f" {_text(name)}" if value is True else f' {_text(name)}="{_raw(value)}"' for name, value in shown)


class QuickSelectRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        quick: str | None = None
        if template_name == SELECT:
            quick = _select(context["widget"])
        elif template_name in INPUTS:
            quick = _input(context["widget"])
        elif template_name == TEXTAREA:
            quick = _textarea(context["widget"])
        elif template_name in MULTIPLE:
            quick = _multiple(context["widget"])
        elif template_name in INPUT_OPTIONS:
            quick = _input_option(context["widget"]).strip()
        elif template_name == LABEL:
            quick = _label(context)
        if quick is not None:
            return mark_safe(quick)  # noqa: S308 - every value in it is escaped
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


def _input(widget: dict[str, Any]) -> str:
    """input.html (without its closing newline)."""
    value = widget["value"]
    shown = f' value="{_raw(value)}"' if value != None else ""  # noqa: E711 - the template's `!= None`
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict[str, Any]) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _input_option(widget: dict[str, Any]) -> str:
    """input_option.html as `checkbox_option.html`/`radio_option.html` include it (both closing newlines)."""
    tag = _input(widget) + "\n"
    if widget.get("wrap_label"):
        target = widget["attrs"].get("id")
        label_for = f' for="{_text(target)}"' if target else ""
        tag = f'<label{label_for}>{tag} {_text(widget["label"])}</label>'
    return tag + "\n\n"


def _multiple(widget: dict[str, Any]) -> str | None:
    attrs = widget["attrs"]
    div_id = f' id="{_text(attrs["id"])}"' if attrs.get("id") else ""
    div_class = f' class="{_text(attrs["class"])}"' if attrs.get("class") else ""
    parts = [f"<div{div_id}{div_class}>"]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            if option["template_name"] not in INPUT_OPTIONS:
                return None  # an option template of its own: Django renders it
            parts.append(f"<div>\n    {_input_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _label(context: dict[str, Any]) -> str:
    label = _text(context["label"])
    if not context["use_tag"]:
        return label
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context['attrs'] or {})}>{label}</{tag}>"
