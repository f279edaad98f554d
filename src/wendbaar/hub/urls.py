"""Pages of the hub app, under /hub/."""

from django.urls import URLPattern

app_name = "hub"
urlpatterns: list[URLPattern] = []
