"""The quick select renderer writes the same HTML as Django's templates, for every kind of select."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from wendbaar.web.form_rendering import QuickSelectRenderer


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "— kies —"), ("1", "A & B <c>"), ("2", 'aan "huis"')])
    grouped = forms.ChoiceField(
        required=False,
        choices=[("", "geen"), ("Noord", [("g", "Groningen"), ("f", "Friesland")]), ("z", "Zeeland")],
    )
    many = forms.MultipleChoiceField(choices=[(1, "een"), (2, "twee"), (3, mark_safe("<b>drie</b>"))], required=False)
    lazy = forms.ChoiceField(choices=[("n", gettext_lazy("Region")), ("d", Decimal("1.5")), ("t", dt.date(2026, 1, 2))])
    attrs = forms.ChoiceField(
        choices=[("x", "x")],
        widget=forms.Select(attrs={"class": "wide & tall", "disabled": True, "data-off": False, "aria-label": "kies"}),
    )
    radio = forms.ChoiceField(choices=[("a", "a"), ("b", "b")], widget=forms.RadioSelect)


DATA: list[dict[str, Any]] = [
    {},
    {"plain": "1", "grouped": "f", "many": ["1", "3"], "lazy": "d", "attrs": "x", "radio": "b"},
    {"plain": "<script>", "grouped": "nope", "many": ["9"], "lazy": "t"},
]


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_select_is_the_same_html_as_djangos_templates(data: dict[str, Any], language: str) -> None:
    with override(language):
        quick = Choices(data or None, renderer=QuickSelectRenderer())
        django = Choices(data or None, renderer=DjangoTemplates())
        for name in Choices.base_fields:
            assert str(quick[name]) == str(django[name]), name


def test_the_site_renders_its_forms_so() -> None:
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), QuickSelectRenderer)


@pytest.mark.django_db
def test_the_catalogue_search_form_is_the_same_html() -> None:
    from wendbaar.catalogue.forms import SearchForm
    from wendbaar.regions.models import Municipality, Region

    region = Region.objects.create(code="AM99", name="Testregio")
    for code, name in (("GM0001", "Aa & Hunze"), ("GM0002", "'s-Hertogenbosch")):
        Municipality.objects.create(code=code, name=name, region=region)
    regions = [("AM99", "Testregio")]
    quick = SearchForm({"near": "GM0002"}, regions=regions, renderer=QuickSelectRenderer())
    django = SearchForm({"near": "GM0002"}, regions=regions, renderer=DjangoTemplates())
    assert str(quick["near"]) == str(django["near"]) and "&#x27;s-Hertogenbosch" in str(quick["near"])
    assert quick.as_div() == django.as_div()
