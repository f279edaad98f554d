"""Dashboard pages of the radar (LLO-Radar part 2), under /radar/."""

from django.urls import path, re_path

from wendbaar.radar.dashboards import views

REGION = r"(?P<region>AM\d{2}|NL)"

urlpatterns: list = [
    path("", views.DashboardIndexView.as_view(), name="dashboard-index"),
    path("vacatures/", views.VacancyListView.as_view(), name="vacancies"),
    re_path(rf"^{REGION}/$", views.DashboardView.as_view(), name="dashboard"),
    re_path(rf"^{REGION}/beroep/(?P<group>\d{{1,4}})/$", views.OccupationView.as_view(), name="occupation"),
    re_path(rf"^{REGION}/vaardigheid/$", views.SkillView.as_view(), name="skill"),
    re_path(rf"^{REGION}/rapport/$", views.ReportView.as_view(), name="report"),
    re_path(rf"^{REGION}/rapport\.pdf$", views.ReportView.as_view(as_pdf=True), name="report-pdf"),
]
