"""Pages of the enrolment app, under /inschrijvingen/."""

from django.urls import path

from wendbaar.enrolment import views

app_name = "enrolment"
urlpatterns = [
    path("mijn/", views.MyEnrolmentsView.as_view(), name="mine"),
    path("aanbieder/", views.ProviderRunsView.as_view(), name="runs"),
    path("aanbieder/<uuid:uuid>/", views.RunView.as_view(), name="run"),
    path("aanbieder/<uuid:uuid>/deelnemers.csv", views.RunExportView.as_view(), name="run-export"),
]
