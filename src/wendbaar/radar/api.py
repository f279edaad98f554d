"""API of the radar app: ingest runs and vacancies (part 1) and indicators (part 2, in dashboard_api)."""

from wendbaar.api_conventions import Router
from wendbaar.radar.dashboards import api as dashboard_api
from wendbaar.radar.pipeline import api as pipeline_api


def register(router: Router) -> list:
    """Register this app's viewsets; return extra URL patterns."""
    return [*pipeline_api.register(router), *dashboard_api.register(router)]
