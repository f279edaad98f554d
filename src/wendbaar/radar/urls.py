"""Pages of the radar app: ingest runs (part 1) and the dashboards (part 2, in dashboard_urls)."""

from django.urls import include, path

app_name = "radar"
urlpatterns: list = [
    path("", include("wendbaar.radar.dashboard_urls")),
]
