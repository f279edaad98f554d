"""The form of a fund's new allocation round."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wendbaar.funding.forms import ServiceErrorsMixin
from wendbaar.funding.models import Fund, RoundRule


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
