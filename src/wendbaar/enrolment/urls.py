"""Pages of the enrolment app, under /inschrijvingen/."""

from django.urls import URLPattern

app_name = "enrolment"
urlpatterns: list[URLPattern] = []
