"""Forms of the regions pages; the rules themselves live in services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wendbaar.regions.constants import ActorType, Sector, SizeClass


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kvk = forms.CharField(
        label=_("KvK number"), max_length=20, required=False, help_text=_("8 digits. Leave empty if there is none.")
    )
    # No preselected kind: the person must choose it on purpose.
    actor_type = forms.ChoiceField(label=_("Kind"), choices=[("", _("Choose a kind")), *ActorType.choices])
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "–"), *Sector.choices], required=False)
    size_class = forms.ChoiceField(label=_("Size"), choices=[("", "–"), *SizeClass.choices], required=False)

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's errors at the fields they name, the rest at the top."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
