"""Template context shared by every page: the current user's roles and the apps' menu entries."""

from __future__ import annotations

from django.http import HttpRequest

from wendbaar.regions.roles import roles_of
from wendbaar.web.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None else frozenset()
    authenticated = bool(user is not None and user.is_authenticated)
    return {"user_roles": roles, "app_menu": menu_for(roles, authenticated=authenticated)}
