"""Forms of the funding app: the person's situation, a round's application and a fund's new round."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wendbaar.funding.constants import EducationLevel, EmploymentStatus
from wendbaar.funding.models import Fund, RoundRule
from wendbaar.regions.constants import Sector
from wendbaar.regions.models import Region

NOT_TOLD = [("", _("I do not say"))]


class ServiceErrorsMixin:
    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's errors at the fields they name, the rest at the top."""
        form: Any = self
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)


class SituationForm(ServiceErrorsMixin, forms.Form):
    region = forms.ModelChoiceField(
        label=_("Where do you live?"), queryset=Region.objects.order_by("name"), required=False,
        empty_label=_("I do not say"), help_text=_("The labour market region of where you live."),
    )  # fmt: skip
    sector = forms.ChoiceField(label=_("In which sector do you work?"), choices=NOT_TOLD + Sector.choices,
                               required=False)  # fmt: skip
    education_level = forms.ChoiceField(
        label=_("What is your highest diploma?"), choices=NOT_TOLD + EducationLevel.choices, required=False
    )
    employment_status = forms.ChoiceField(
        label=_("Do you work?"), choices=NOT_TOLD + EmploymentStatus.choices, required=False
    )
    birth_year = forms.IntegerField(
        label=_("In which year were you born?"), required=False,
        help_text=_("Only used to count how many people of each age learn. No one sees your year."),
    )  # fmt: skip


class RoundForm(ServiceErrorsMixin, forms.Form):
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none())
    name = forms.CharField(label=_("Name of the round"), max_length=200)
    opens_at = forms.DateTimeField(
        label=_("Applications open"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Later than now: everyone can read the rules before the window opens."),
    )  # fmt: skip
    closes_at = forms.DateTimeField(
        label=_("Applications close"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    amount_per_person = forms.IntegerField(label=_("Amount per person (whole euros)"), min_value=1)
    budget = forms.IntegerField(label=_("Budget of the round (whole euros)"), min_value=1)
    rule = forms.ChoiceField(label=_("How the money is shared"), choices=RoundRule.choices)

    def __init__(self, *args: Any, funds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["fund"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = funds

    def add_service_errors(self, error: ValidationError) -> None:
        renamed = {"amount_per_person_cents": "amount_per_person", "budget_cents": "budget"}
        for name, messages in error.message_dict.items():
            name = renamed.get(name, name)
            self.add_error(name if name in self.fields else None, messages)
