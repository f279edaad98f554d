"""A new page or endpoint without declared roles fails the build: the check finds a planted one."""

from __future__ import annotations

from django.test import override_settings
from django.urls import include, path
from django.views import View
from rest_framework.views import APIView

from tests.web.role_matrix import endpoints


class UndeclaredPage(View):
    pass


class UndeclaredEndpoint(APIView):
    pass


UndeclaredPage.__module__ = UndeclaredEndpoint.__module__ = "wendbaar.planted"

urlpatterns = [
    path("planted/", UndeclaredPage.as_view(), name="planted-page"),
    path("api/v1/planted", UndeclaredEndpoint.as_view(), name="planted-endpoint"),
    path("", include("wendbaar.urls")),
]


@override_settings(ROOT_URLCONF=__name__)
def test_the_role_check_finds_views_without_allowed_roles() -> None:
    missing = {e.name for e in endpoints() if not hasattr(e.view_class, "allowed_roles")}
    assert missing == {"planted-page", "planted-endpoint"}
