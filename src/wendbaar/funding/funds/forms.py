"""Forms of a fund's own staff: a new fund with its rules, money into it, an entitlement for a person."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wendbaar.catalogue.models import CredentialType
from wendbaar.funding.constants import EducationLevel, EmploymentStatus
from wendbaar.funding.forms import ServiceErrorsMixin
from wendbaar.regions.constants import ActorType, Sector
from wendbaar.regions.models import Organisation, Region


def _percent(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=100, initial=0, help_text=help_text)


def _checks(label: Any, choices: Any, help_text: Any = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


class FundForm(ServiceErrorsMixin, forms.Form):
    """A fund's rules in the words of its staff (euros and percentages); `services.create_fund` checks them."""

    funder = forms.ModelChoiceField(label=_("Organisation that pays"), queryset=Organisation.objects.none())
    # made when the form is shown: a double submission makes one fund (`create_fund`'s key)
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    name = forms.CharField(label=_("Name of the fund"), max_length=200)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Valid up to and including"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("After this date, money that is left goes back to the fund."),
    )  # fmt: skip
    budget = forms.IntegerField(label=_("Money to put in now (whole euros)"), min_value=0, initial=0, required=False)
    cap_per_person = forms.IntegerField(label=_("Maximum per person (whole euros)"), min_value=1)
    cap_per_offering = forms.IntegerField(
        label=_("Maximum per course (whole euros)"), min_value=1, required=False, help_text=_("Empty: no maximum.")
    )
    share = forms.IntegerField(
        label=_("Share the fund pays (%)"), min_value=1, max_value=100, initial=100,
        help_text=_("For example 70: the fund pays 70% of the price, the person or employer the rest."),
    )  # fmt: skip
    eligible_regions = forms.ModelMultipleChoiceField(
        label=_("Only for people who live in these regions"), queryset=Region.objects.order_by("name"),
        required=False, widget=forms.CheckboxSelectMultiple, help_text=_("Nothing ticked: every region."),
    )  # fmt: skip
    eligible_sectors = _checks(_("Only for people who work in these sectors"), Sector.choices,
                               _("Nothing ticked: every sector."))  # fmt: skip
    eligible_education_levels = _checks(_("Only for people with this highest diploma"), EducationLevel.choices,
                                        _("Nothing ticked: every diploma."))  # fmt: skip
    eligible_employment_statuses = _checks(_("Only for people in this work situation"), EmploymentStatus.choices,
                                           _("Nothing ticked: everyone."))  # fmt: skip
    eligible_tags = forms.CharField(
        label=_("Only courses with these funding tags"), required=False, max_length=500,
        help_text=_("Separate tags with a comma, for example: stap, techniek. Empty: every course."),
    )  # fmt: skip
    eligible_credential_types = _checks(_("Only these types of course"), CredentialType.choices,
                                        _("Nothing ticked: every type."))  # fmt: skip
    eligible_providers = forms.ModelMultipleChoiceField(
        label=_("Only courses of these schools"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=Organisation.objects.filter(actor_type=ActorType.EDUCATION_PROVIDER).order_by("name"),
        help_text=_("Nothing ticked: every school."),
    )  # fmt: skip
    pay_on_start = _percent(_("Part paid to the school at the start (%)"))
    pay_on_attendance = _percent(
        _("Part paid when the person attends enough lessons (%)"),
        _("The rest is paid when the person completes the course."),
    )
    min_attendance = _percent(_("Lessons the person must attend to complete (%)"), _("0: no minimum for completion."))

    FIELDS = {
        "cap_per_person_cents": "cap_per_person", "cap_per_offering_cents": "cap_per_offering",
        "share_bp": "share", "pay_on_start_bp": "pay_on_start", "pay_on_attendance_bp": "pay_on_attendance",
        "min_attendance_bp": "min_attendance", "budget_cents": "budget", "key": "__all__",
    }  # fmt: skip

    def __init__(self, *args: Any, funders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["funder"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = funders
        self.fields["key"].initial = str(uuid.uuid4())

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned answers as `services.create_fund` takes them (cents, basis points, lists)."""
        data = self.cleaned_data
        tags = [tag.strip() for tag in (data["eligible_tags"] or "").split(",") if tag.strip()]
        cap_per_offering = data["cap_per_offering"]
        return {
            "funder": data["funder"], "name": data["name"], "valid_from": data["valid_from"],
            "valid_until": data["valid_until"], "budget_cents": (data["budget"] or 0) * 100,
            "cap_per_person_cents": data["cap_per_person"] * 100,
            "cap_per_offering_cents": None if cap_per_offering is None else cap_per_offering * 100,
            "share_bp": data["share"] * 100, "eligible_regions": data["eligible_regions"],
            "eligible_sectors": data["eligible_sectors"],
            "eligible_education_levels": data["eligible_education_levels"],
            "eligible_employment_statuses": data["eligible_employment_statuses"], "eligible_tags": tags,
            "eligible_credential_types": data["eligible_credential_types"],
            "eligible_providers": data["eligible_providers"], "pay_on_start_bp": data["pay_on_start"] * 100,
            "pay_on_attendance_bp": data["pay_on_attendance"] * 100, "min_attendance_bp": data["min_attendance"] * 100,
            "key": data["key"],
        }  # fmt: skip

    def add_service_errors(self, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            name = self.FIELDS.get(name, name)
            self.add_error(name if name in self.fields else None, messages)


class _KeyedForm(ServiceErrorsMixin, forms.Form):
    """A ledger command from a page: the hidden key, made when the form is shown, books a double submission once."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].initial = str(uuid.uuid4())

    def add_service_errors(self, error: ValidationError) -> None:
        renamed = {"amount_cents": "amount"}
        for name, messages in error.message_dict.items():
            name = renamed.get(name, name)
            self.add_error(name if name in self.fields else None, messages)


class MoneyForm(_KeyedForm):
    amount = forms.IntegerField(label=_("Amount to put in the fund (whole euros)"), min_value=1)


class GrantForm(_KeyedForm):
    person = forms.CharField(
        label=_("User name or e-mail address of the person"), max_length=254,
        help_text=_("The person must have an account on Wendbaar. The fund's rules are checked."),
    )  # fmt: skip
    amount = forms.IntegerField(label=_("Amount for this person (whole euros)"), min_value=1)
