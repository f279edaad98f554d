"""Access by role, for pages and API endpoints alike.

Every page view and every API viewset states `allowed_roles`; the role-matrix test walks all of
them. `ANYONE` means public (no login); `AUTHENTICATED` means any logged-in person.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from rest_framework import permissions

from wendbaar.regions.constants import Role
from wendbaar.regions.roles import roles_of

ANYONE = "anyone"
AUTHENTICATED = "authenticated"
ALL_ROLES = frozenset(Role.values)


def allows(allowed_roles: frozenset[str] | set[str] | tuple[str, ...], request: HttpRequest) -> bool:
    """Return whether the requester may use something open to `allowed_roles`."""
    allowed = set(allowed_roles)
    if ANYONE in allowed:
        return True
    if not request.user.is_authenticated:
        return False
    if AUTHENTICATED in allowed:
        return True
    return bool(roles_of(request.user) & allowed)


class RoleRequiredMixin(AccessMixin):
    """Page views: anonymous users go to the login page, logged-in users without the role get 403."""

    allowed_roles: frozenset[str] = frozenset()
    raise_exception = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not allows(self.allowed_roles, request):
            if not request.user.is_authenticated:
                return self.handle_no_permission()
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class HasAllowedRole(permissions.BasePermission):
    """API viewsets: reads need one of `allowed_roles`; writes need one of `write_roles` (if set)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        roles: frozenset[str] = getattr(view, "allowed_roles", frozenset())
        if request.method not in permissions.SAFE_METHODS:
            roles = getattr(view, "write_roles", roles)
        return allows(roles, request)
