"""Pages of the catalogue app, under /aanbod/."""

from django.urls import URLPattern

app_name = "catalogue"
urlpatterns: list[URLPattern] = []
