"""API of the radar app: ingest runs and vacancies (part 1) and indicators (part 2, in dashboard_api)."""

from wendbaar.api_conventions import Router
from wendbaar.radar import dashboard_api, pipeline_api


def register(router: Router) -> list:
    """Register this app's viewsets; return extra URL patterns."""
    return [*pipeline_api.register(router), *dashboard_api.register(router)]
