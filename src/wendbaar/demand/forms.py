"""Forms of the demand pages; the rules themselves live in services (errors come back from there)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wendbaar.catalogue.models import Offering
from wendbaar.demand.models import DemandMode, TimeSlot, Weekday
from wendbaar.regions.models import Municipality, Organisation


class DateInput(forms.DateInput):
    input_type = "date"


class DemandForm(forms.Form):
    """The B1 demand form: what, how many people, where, when; the rest is optional."""

    organisation = forms.ChoiceField(label=_("For which organisation?"), required=False)
    text = forms.CharField(
        label=_("What must your people learn?"),
        help_text=_("Write it in your own words, for example: “lassen en werken met lasapparatuur”."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    skill_search = forms.CharField(label=_("Search for a skill"), required=False)
    skills = forms.MultipleChoiceField(
        label=_("Skills"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    people = forms.IntegerField(label=_("How many people?"), min_value=None)
    municipality = forms.ChoiceField(label=_("Where do they work?"), help_text=_("The municipality of the workplace."))
    travel_km = forms.IntegerField(label=_("How far can they travel (km)?"), initial=25, required=False, min_value=None)
    earliest_start = forms.DateField(label=_("Start from"), widget=DateInput)
    latest_end = forms.DateField(label=_("Finished by"), widget=DateInput)
    times = forms.MultipleChoiceField(
        label=_("When can they learn?"),
        help_text=_("Choose nothing if any time is fine."),
        choices=TimeSlot.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On which days can they learn?"),
        help_text=_("Choose nothing if any day is fine."),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    mode = forms.ChoiceField(
        label=_("How do they want to learn?"), choices=DemandMode.choices, widget=forms.RadioSelect, required=False
    )
    max_price_euros = forms.IntegerField(
        label=_("Maximum price per person (euro)"), required=False, help_text=_("Leave empty if you do not know.")
    )
    title = forms.CharField(label=_("Short title (optional)"), required=False, max_length=200)
    show_name = forms.BooleanField(label=_("Others in the group may see our name"), required=False, initial=False)

    def __init__(
        self, *args: Any, organisations: list[Organisation], skill_choices: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_list = organisations
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(o.uuid), o.name) for o in organisations]
        if len(organisations) <= 1:
            field.widget = forms.HiddenInput()
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.ChoiceField)
        municipality.choices = [("", _("Choose a municipality"))] + [
            (m.code, m.name) for m in Municipality.objects.order_by("name")
        ]
        skills = self.fields["skills"]
        assert isinstance(skills, forms.MultipleChoiceField)
        skills.choices = skill_choices

    def service_data(self) -> dict[str, Any]:
        """Return what the service needs, in its field names."""
        data = self.cleaned_data
        price = data.get("max_price_euros")
        return {
            "title": data.get("title") or "",
            "text": data.get("text") or "",
            "skills": list(data.get("skills") or []),
            "people": data.get("people"),
            "municipality": data.get("municipality"),
            "travel_km": data.get("travel_km"),
            "earliest_start": data.get("earliest_start"),
            "latest_end": data.get("latest_end"),
            "times": list(data.get("times") or []),
            "weekdays": list(data.get("weekdays") or []),
            "mode": data.get("mode") or "",
            "max_price_cents": price * 100 if price is not None else None,
            "show_name": bool(data.get("show_name")),
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's errors at the fields they name, the rest at the top."""
        renamed = {"max_price_cents": "max_price_euros"}
        for name, messages in error.message_dict.items():
            name = renamed.get(name, name)
            self.add_error(name if name in self.fields else None, messages)


class InviteForm(forms.Form):
    run = forms.ChoiceField(label=_("Invite the group to this run"))

    def __init__(self, *args: Any, runs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["run"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = runs


class ProposalForm(forms.Form):
    provider = forms.ChoiceField(label=_("Provider"), required=False)
    message = forms.CharField(label=_("What can you offer?"), widget=forms.Textarea(attrs={"rows": 3}))
    start_date = forms.DateField(label=_("Possible start (optional)"), required=False, widget=DateInput)
    # Any value passes here: services.propose decides whether it is the provider's own offering and says why not.
    offering = forms.CharField(
        label=_("Which of your offerings fits? (optional)"),
        help_text=_("Choose nothing if you still have to make the offering."),
        required=False,
        widget=forms.Select,
    )

    def __init__(self, *args: Any, providers: list[Organisation], offerings: list[Offering], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(p.uuid), p.name) for p in providers]
        if len(providers) <= 1:
            field.widget = forms.HiddenInput()
        several = len(providers) > 1
        choices = [("", _("No offering yet"))] + [
            (str(o.uuid), f"{o.title_nl} ({o.provider.name})" if several else o.title_nl) for o in offerings
        ]
        self.fields["offering"].widget = forms.Select(choices=choices)


class UploadForm(forms.Form):
    organisation = forms.ChoiceField(label=_("For which organisation?"), required=False)
    file = forms.FileField(label=_("CSV file"), help_text=_("One demand per line; see the columns below."))
    skip_invalid = forms.BooleanField(label=_("Load the good lines and give me the wrong ones back"), required=False)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(o.uuid), o.name) for o in organisations]
        if len(organisations) <= 1:
            field.widget = forms.HiddenInput()
