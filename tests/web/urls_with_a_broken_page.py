"""The project's URLs plus a page and an API path that fail, to see the 500 answers."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from wendbaar.urls import handler500  # noqa: F401 - handler500 is used by Django
from wendbaar.urls import urlpatterns as project_urlpatterns


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("kapot/", broken), path("api/v1/kapot", broken), *project_urlpatterns]
