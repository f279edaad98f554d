"""Pages of the funding app, under /leerrekening/."""

from django.urls import path

from wendbaar.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.MyAccountView.as_view(), name="mine"),
    path("monitor/", views.MonitorView.as_view(), name="monitor"),
]
