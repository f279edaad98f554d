"""The form of a person's situation: what they tell the funds about themselves (every answer optional)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wendbaar.funding.constants import EducationLevel, EmploymentStatus
from wendbaar.funding.forms import ServiceErrorsMixin
from wendbaar.regions.constants import Sector
from wendbaar.regions.models import Region

NOT_TOLD = [("", _("I do not say"))]


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
