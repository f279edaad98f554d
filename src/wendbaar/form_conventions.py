"""Forms that show every problem at once (issue 23).

A Django form stops at its own field checks: when one field is missing, the rules of the service
(a duplicate name, a malformed number) are never asked, and the person learns about them only on
the next try. A form with `AllErrorsAtOnce` also asks the service's check when fields failed, with
what the person typed, and shows its errors at every field that has none yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class AllErrorsAtOnce(forms.Form):
    def service_check(self, values: Mapping[str, Any]) -> None:
        """Raise the service's ValidationError for these values (without writing anything)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        values = {name: cleaned.get(name, self.data.get(self.add_prefix(name), "")) for name in self.fields}
        try:
            self.service_check(values)
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
            for field, field_messages in messages.items():
                target = field if field in self.fields else None
                if target is None or target not in self.errors:
                    self.add_error(target, field_messages)
        return cleaned
