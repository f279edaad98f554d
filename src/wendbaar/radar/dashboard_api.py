"""API of the radar's indicators and forecasts (LLO-Radar part 2)."""

from wendbaar.api_conventions import Router


def register(router: Router) -> list:
    """Register the indicator viewsets; return extra URL patterns."""
    return []
