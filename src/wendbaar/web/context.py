"""Template context shared by every page: the current user's roles for the navigation."""

from __future__ import annotations

from django.http import HttpRequest

from wendbaar.regions.roles import roles_of


def navigation(request: HttpRequest) -> dict[str, object]:
    return {"user_roles": roles_of(request.user) if hasattr(request, "user") else frozenset()}
