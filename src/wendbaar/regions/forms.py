"""Forms of the regions pages; the rules themselves live in services."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wendbaar.form_conventions import AllErrorsAtOnce
from wendbaar.regions import services
from wendbaar.regions.constants import ActorType, Sector, SizeClass


class OrganisationForm(AllErrorsAtOnce):
    name = forms.CharField(label=_("Name"), max_length=200)
    kvk = forms.CharField(
        label=_("KvK number"), max_length=20, required=False, help_text=_("8 digits. Leave empty if there is none.")
    )
    # No preselected kind: the person must choose it on purpose.
    actor_type = forms.ChoiceField(label=_("Kind"), choices=[("", _("Choose a kind")), *ActorType.choices])
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "–"), *Sector.choices], required=False)
    size_class = forms.ChoiceField(label=_("Size"), choices=[("", "–"), *SizeClass.choices], required=False)

    def __init__(self, *args: Any, region_codes: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region_codes = list(region_codes)

    def service_check(self, values: Mapping[str, Any]) -> None:
        services.check_organisation(
            name=str(values["name"]),
            kvk=str(values["kvk"]),
            actor_type=str(values["actor_type"]),
            sector=str(values["sector"]),
            size_class=str(values["size_class"]),
            region_codes=self.region_codes,
        )

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's errors at the fields they name, the rest at the top."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
