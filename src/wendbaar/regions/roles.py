"""Who holds which role: the one place that reads memberships for access decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from wendbaar.regions.constants import Role

if TYPE_CHECKING:
    from wendbaar.regions.models import Organisation

User = AbstractBaseUser | AnonymousUser


def roles_of(user: User) -> frozenset[str]:
    """Return the roles a user holds; a superuser is always `admin`."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_wendbaar_roles", None)
    if cached is not None:
        return cached
    roles = set(_memberships(user).values_list("role", flat=True))
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN)
    result = frozenset(str(role) for role in roles)
    user._wendbaar_roles = result  # type: ignore[union-attr,attr-defined]  # a per-request cache on the user
    return result


def coordinated_region_ids(user: User) -> frozenset[int]:
    """Return the ids of the regions the user coordinates."""
    if not user.is_authenticated:
        return frozenset()
    ids = _memberships(user).filter(role=Role.COORDINATOR).values_list("region_id", flat=True)
    return frozenset(i for i in ids if i is not None)


def organisation_ids(user: User, *, role: str | None = None) -> frozenset[int]:
    """Return the ids of the organisations where the user holds `role` (any role if None)."""
    if not user.is_authenticated:
        return frozenset()
    memberships = _memberships(user).exclude(organisation=None)
    if role is not None:
        memberships = memberships.filter(role=role)
    return frozenset(memberships.values_list("organisation_id", flat=True))


def _memberships(user: User) -> Any:
    """The user's memberships (the reverse relation of Membership.user, which the user type does not name)."""
    return user.memberships  # type: ignore[union-attr]
def visible_organisations(user: User) -> QuerySet[Organisation]:
    """Return the organisations a person may see in full (KvK number, members): one rule for page and API.

    Admins see all; members see their own organisation; coordinators the organisations in a region
    they coordinate. Everyone else sees none (a region's page still names its organisations).
    """
    from wendbaar.regions.models import Organisation

    if Role.ADMIN in roles_of(user):
        return Organisation.objects.all()
    if not user.is_authenticated:
        return Organisation.objects.none()
    mine = Q(pk__in=organisation_ids(user)) | Q(regions__pk__in=coordinated_region_ids(user))
    return Organisation.objects.filter(pk__in=Organisation.objects.filter(mine).values("pk"))
