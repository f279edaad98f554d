"""The quick renderer writes the same HTML as Django's templates: selects, inputs, textareas, choice lists, labels."""

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


class Inputs(forms.Form):
    """Every widget the renderer writes itself besides selects."""

    text = forms.CharField(label=gettext_lazy("Region"), help_text="hulp", max_length=20)
    number = forms.IntegerField(required=False, min_value=0)
    decimal = forms.DecimalField(required=False, localize=True, decimal_places=2)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    plain_date = forms.DateField(required=False)
    when = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    time = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search", "autofocus": True}))
    flag = forms.BooleanField(required=False)
    checked = forms.BooleanField(required=False, initial=True, widget=forms.CheckboxInput(attrs={"data-x": "a&b"}))
    area = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "aria-label": "<tekst>"}))
    boxes = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "kolommen"}),
        choices=[(1, "een & twee"), ("2", gettext_lazy("Region")), ("3", mark_safe("<b>drie</b>"))],
    )
    grouped_boxes = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[("Noord", [("g", "Groningen"), ("f", "Friesland")]), ("z", "Zeeland")],
    )
    radios = forms.ChoiceField(choices=[("a", "A"), ("b", 'de "b"')], widget=forms.RadioSelect)
    no_boxes = forms.MultipleChoiceField(required=False, choices=[], widget=forms.CheckboxSelectMultiple)


INPUT_DATA: list[dict[str, Any]] = [
    {},
    {
        "text": "a <b> & 'c'", "number": "7", "decimal": "1,5", "email": "x@y.nl", "url": "voorbeeld.nl",
        "password": "geheim", "hidden": "h&", "date": "2026-01-02", "plain_date": "2-1-2026",
        "when": "2026-01-02T10:30", "time": "10:30", "search": "zoek", "flag": "on", "area": "regel 1\n<regel 2>",
        "boxes": ["1", "3"], "grouped_boxes": ["f", "z"], "radios": "b",
    },  # fmt: skip
    {"text": "x" * 30, "number": "-1", "email": "geen", "date": "nooit", "radios": "c", "boxes": ["9"]},
]


@pytest.mark.parametrize("data", INPUT_DATA)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_input_textarea_and_choice_list_is_the_same_html_as_djangos_templates(
    data: dict[str, Any], language: str
) -> None:
    with override(language):
        quick = Inputs(data or None, renderer=QuickSelectRenderer(), initial={"number": 3, "date": dt.date(2026, 5, 6)})
        django = Inputs(data or None, renderer=DjangoTemplates(), initial={"number": 3, "date": dt.date(2026, 5, 6)})
        for name in Inputs.base_fields:
            assert str(quick[name]) == str(django[name]), name
            # A template walking the choices one by one (`{{ choice.tag }} {{ choice.choice_label }}`, `{{ choice }}`).
            for mine, theirs in zip(quick[name].subwidgets, django[name].subwidgets, strict=True):
                assert mine.tag() == theirs.tag() and str(mine) == str(theirs), name
        assert quick.as_div() == django.as_div()
        assert quick.as_p() == django.as_p()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_label_tags_are_the_same_html_as_djangos_templates(language: str) -> None:
    class Labelled(Inputs):
        required_css_class = "verplicht"

    def extra() -> dict[str, Any]:
        return {"class": "a & b", "hidden": True, "data-off": False}

    with override(language):
        quick = Labelled({"text": "<fout>"}, renderer=QuickSelectRenderer(), auto_id="id_%s")
        django = Labelled({"text": "<fout>"}, renderer=DjangoTemplates(), auto_id="id_%s")
        no_ids = [Inputs(renderer=renderer, auto_id=False) for renderer in (QuickSelectRenderer(), DjangoTemplates())]
        for name in Inputs.base_fields:
            assert quick[name].label_tag() == django[name].label_tag(), name
            assert quick[name].legend_tag() == django[name].legend_tag(), name
            assert no_ids[0][name].label_tag() == no_ids[1][name].label_tag(), name
            # a fresh dict each time: Django adds the required class to the dict it is given
            assert quick[name].label_tag("<i>x</i>", attrs=extra()) == django[name].label_tag("<i>x</i>", attrs=extra())
            assert quick[name].label_tag(mark_safe("<i>x</i>"), label_suffix=" →") == django[name].label_tag(
                mark_safe("<i>x</i>"), label_suffix=" →"
            )
