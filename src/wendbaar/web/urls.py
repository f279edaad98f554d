from django.urls import path

from wendbaar.web import views

app_name = "web"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("favicon.ico", views.FaviconView.as_view(), name="favicon"),
]
