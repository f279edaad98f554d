"""Pages of the funding app, under /leerrekening/."""

from django.urls import URLPattern

app_name = "funding"
urlpatterns: list[URLPattern] = []
