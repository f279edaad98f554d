"""Pages of the funding app, under /leerrekening/ (each capability's views are in its own package)."""

from django.urls import path

from wendbaar.funding.accounts import views as account_views
from wendbaar.funding.allocation import views as round_views
from wendbaar.funding.funds import views as fund_views
from wendbaar.funding.monitor import views as monitor_views

app_name = "funding"
urlpatterns = [
    path("", account_views.MyAccountView.as_view(), name="mine"),
    path("situatie/", account_views.SituationView.as_view(), name="situation"),
    path("rondes/", round_views.RoundListView.as_view(), name="rounds"),
    path("rondes/nieuw/", round_views.RoundCreateView.as_view(), name="round-create"),
    path("rondes/<uuid:uuid>/", round_views.RoundDetailView.as_view(), name="round"),
    path("fondsen/", fund_views.FundListView.as_view(), name="funds"),
    path("fondsen/nieuw/", fund_views.FundCreateView.as_view(), name="fund-create"),
    path("fondsen/<uuid:uuid>/", fund_views.FundView.as_view(), name="fund"),
    path("monitor/", monitor_views.MonitorView.as_view(), name="monitor"),
]
