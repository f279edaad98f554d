"""The provider's form to plan a lesson or a weekly series, and to change one; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wendbaar.enrolment.services import MAX_WEEKS


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    location = forms.CharField(label=_("Location"), max_length=200, required=False,
                               help_text=_("For example the building and room."))  # fmt: skip
    online = forms.BooleanField(label=_("Online lesson"), required=False)

    def show(self, error: ValidationError) -> None:
        """Put a service refusal next to the field it names (or above the form)."""
        for field, messages in error.error_dict.items():  # type: ignore[misc]
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class SeriesForm(SessionForm):
    weeks = forms.IntegerField(label=_("Number of weeks"), min_value=1, max_value=MAX_WEEKS, initial=1,
                               help_text=_("1 is one lesson. More: a lesson every week on the same day."))  # fmt: skip
