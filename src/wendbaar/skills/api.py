"""API of the skills app."""

from wendbaar.api_conventions import Router


def register(router: Router) -> list:
    """Register this app's viewsets; return extra URL patterns."""
    return []
