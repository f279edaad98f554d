"""The catalogue app's API under /api/v1/."""

from __future__ import annotations

from django.urls import URLPattern

from wendbaar.api_conventions import Router


def register(router: Router) -> list[URLPattern]:
    """Register this app's viewsets on `router`; return extra (non-viewset) paths."""
    return []
