"""Pages of the demand app, under /vraag/."""

from django.urls import URLPattern

app_name = "demand"
urlpatterns: list[URLPattern] = []
