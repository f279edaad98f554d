"""Pages of the funding app, under /leerrekening/."""

from django.urls import path

from wendbaar.funding import views
from wendbaar.funding.monitor import views as monitor_views

app_name = "funding"
urlpatterns = [
    path("", views.MyAccountView.as_view(), name="mine"),
    path("situatie/", views.SituationView.as_view(), name="situation"),
    path("rondes/", views.RoundListView.as_view(), name="rounds"),
    path("rondes/nieuw/", views.RoundCreateView.as_view(), name="round-create"),
    path("rondes/<uuid:uuid>/", views.RoundDetailView.as_view(), name="round"),
    path("fondsen/", views.FundListView.as_view(), name="funds"),
    path("fondsen/nieuw/", views.FundCreateView.as_view(), name="fund-create"),
    path("fondsen/<uuid:uuid>/", views.FundView.as_view(), name="fund"),
    path("monitor/", monitor_views.MonitorView.as_view(), name="monitor"),
]
