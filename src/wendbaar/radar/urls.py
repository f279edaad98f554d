"""Pages of the radar app: ingest runs (part 1) and the dashboards (part 2, in dashboard_urls)."""

from django.urls import include, path

from wendbaar.radar.pipeline import views

app_name = "radar"
urlpatterns: list = [
    path("inlezen/", views.IngestView.as_view(), name="ingest"),
    path("runs/<uuid:uuid>/", views.RunView.as_view(), name="run"),
    path("runs/<uuid:uuid>/afgekeurd.csv", views.RejectsView.as_view(), name="run-rejects"),
    path("", include("wendbaar.radar.dashboards.urls")),
]
