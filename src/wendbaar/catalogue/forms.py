"""Forms of the catalogue pages: they read what people type; `catalogue.services` decides what is valid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wendbaar.catalogue.models import CredentialType, Level, Mode, Offering, Run, Status
from wendbaar.regions.models import Municipality

WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]
LANGUAGES = [("nl", _("Dutch")), ("en", _("English")), ("de", _("German")), ("pl", _("Polish"))]
TIME_CHOICES = [("daytime", _("Daytime (weekdays)")), ("evening", _("Evening (from 18:00)")), ("weekend", _("Weekend"))]


def _municipalities() -> list[tuple[str, Any]]:
    return [("", _("— none (online) —")), *Municipality.objects.order_by("name").values_list("code", "name")]


class OfferingForm(forms.Form):
    title_nl = forms.CharField(label=_("Title (Dutch)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    description_nl = forms.CharField(
        label=_("Description (Dutch)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What people learn. We read the skills from this text; you check them afterwards."),
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    credential_type = forms.ChoiceField(label=_("Type"), choices=CredentialType.choices)
    crebo = forms.CharField(
        label=_("Crebo code"), max_length=5, required=False, help_text=_("Only for an mbo-certificaat or diploma.")
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, required=False)
    study_load_hours = forms.IntegerField(label=_("Study load (hours)"), required=False)
    language = forms.ChoiceField(label=_("Language of teaching"), choices=LANGUAGES)
    mode = forms.ChoiceField(label=_("How it is taught"), choices=Mode.choices)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    price = forms.DecimalField(label=_("Price in euros"), decimal_places=2, required=False, initial=0, localize=True)
    funding_tags = forms.CharField(
        label=_("Who can pay"),
        required=False,
        help_text=_("Words separated by commas, for example: stap, sector-fund, employer."),
    )
    min_group_size = forms.IntegerField(label=_("Minimum group size"), required=False)
    max_group_size = forms.IntegerField(label=_("Maximum group size"), required=False)
    url = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, initial=Status.PUBLISHED)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = _municipalities()  # type: ignore[attr-defined]

    @classmethod
    def initial_of(cls, offering: Offering) -> dict[str, Any]:
        return {
            **{name: getattr(offering, name) for name in cls.base_fields if hasattr(offering, name)},
            "crebo": offering.crebo_id or "",
            "municipality": offering.municipality.code if offering.municipality else "",
            "price": Decimal(offering.price_cents) / 100,
            "funding_tags": ", ".join(offering.funding_tags),
        }

    def service_data(self) -> dict[str, Any]:
        """Return the cleaned values in the service's terms (cents, codes, lists)."""
        data = dict(self.cleaned_data)
        price = data.pop("price")
        data["price_cents"] = int(price * 100) if price is not None else 0
        return data


class RunForm(forms.Form):
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"), choices=WEEKDAYS, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("End time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    seats = forms.IntegerField(label=_("Seats"), required=False)
    location = forms.CharField(label=_("Address or room"), max_length=200, required=False)

    @classmethod
    def initial_of(cls, run: Run) -> dict[str, Any]:
        return {name: getattr(run, name) for name in cls.base_fields}


class FirstRunForm(RunForm):
    """The first run, on the page that creates an offering (a course needs one to be published)."""

    prefix = "run"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("start_date", "end_date"):
            self.fields[name].required = False

    def has_run(self) -> bool:
        return bool(self.is_valid() and (self.cleaned_data.get("start_date") or self.cleaned_data.get("end_date")))


def add_service_errors(error: ValidationError, forms_by_prefix: dict[str, forms.Form]) -> None:
    """Put a service's field errors on the matching form fields ("runs.0.end_date" → the run form)."""
    fallback = forms_by_prefix[""]
    for name, messages in error.message_dict.items():
        prefix, _dot, field = name.rpartition(".")
        form = forms_by_prefix.get("run" if prefix.startswith("runs") else prefix, fallback)
        if field == "price_cents":
            field = "price"
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class SearchForm(forms.Form):
    """The search page's filters (GET); the search itself reads the same parameters as the API."""

    q = forms.CharField(label=_("What do you want to learn?"), required=False, max_length=200)
    region = forms.ChoiceField(label=_("Region"), required=False)
    near = forms.ChoiceField(label=_("Near"), required=False)
    distance = forms.IntegerField(label=_("Within (km)"), required=False, min_value=0)
    time = forms.MultipleChoiceField(
        label=_("When"), choices=TIME_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    max_price = forms.IntegerField(label=_("Price up to (euros)"), required=False, min_value=0)
    mode = forms.ChoiceField(label=_("How"), choices=[("", _("any way")), *Mode.choices], required=False)
    type = forms.ChoiceField(label=_("Type"), choices=[("", _("any type")), *CredentialType.choices], required=False)
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("any level")), *Level.choices[1:]], required=False)
    start_after = forms.DateField(
        label=_("Starts after"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("all regions")), *regions]  # type: ignore[attr-defined]
        places = Municipality.objects.order_by("name").values_list("code", "name")
        self.fields["near"].choices = [("", _("— choose —")), *places]  # type: ignore[attr-defined]
