"""Pages of the radar app."""

from django.urls import path

app_name = "radar"
urlpatterns: list = []
