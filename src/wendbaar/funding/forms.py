"""What the funding app's forms share (each capability's forms are in its own package: `accounts`, `allocation`,
`funds`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class ServiceErrorsMixin:
    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's errors at the fields they name, the rest at the top."""
        form: Any = self
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
