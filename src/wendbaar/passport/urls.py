"""Pages of the passport app, under /paspoort/."""

from django.urls import URLPattern

app_name = "passport"
urlpatterns: list[URLPattern] = []
