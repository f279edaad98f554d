"""A person's situation: what they tell the funds about themselves (region, sector, diploma, work). The funds'
rules (`funding.funds.rules.eligibility`) read it; the participation monitor counts its year of birth."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wendbaar.funding.constants import EducationLevel, EmploymentStatus
from wendbaar.funding.models import Situation
from wendbaar.regions.constants import Sector
from wendbaar.regions.models import Region


def set_situation(
    *,
    person: Any,
    region: Region | None,
    sector: str,
    education_level: str,
    employment_status: str,
    birth_year: int | None = None,
) -> Situation:
    """Save what the person tells the funds about themselves (empty means: not told).

    The year of birth only feeds the participation monitor's age bands (counted, never shown per person).
    """
    errors = {}
    this_year = timezone.localdate().year
    if birth_year is not None and not (this_year - 110 <= birth_year <= this_year - 12):
        errors["birth_year"] = ValidationError(
            _("Give a year of birth between %(first)s and %(last)s.")
            % {"first": this_year - 110, "last": this_year - 12},
            code="invalid_birth_year",
        )
    for field, value, choices in (
        ("sector", sector, Sector), ("education_level", education_level, EducationLevel),
        ("employment_status", employment_status, EmploymentStatus),
    ):  # fmt: skip
        if value and value not in choices.values:
            errors[field] = ValidationError(_("Choose one of the options."), code="invalid_choice")
    if errors:
        raise ValidationError(errors)
    situation, _created = Situation.objects.update_or_create(
        person=person,
        defaults={
            "region": region, "sector": sector, "education_level": education_level,
            "employment_status": employment_status, "birth_year": birth_year,
        },
    )  # fmt: skip
    return situation


def situation_of(person: Any) -> Situation | None:
    return Situation.objects.filter(person_id=person.pk).select_related("region").first()

