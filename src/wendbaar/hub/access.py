"""Who may write what in the hub: the region-scoped rules, read by services, views and the API alike."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from wendbaar.hub.models import Action, Event, Initiative
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Organisation, Region
from wendbaar.regions.roles import coordinated_region_ids, organisation_ids, roles_of

# Roles that take part in a region's network through an organisation (learners read and register).
PARTNER_ROLES = frozenset({Role.EMPLOYER, Role.PROVIDER, Role.FUND})
WRITER_ROLES = frozenset({*PARTNER_ROLES, Role.COORDINATOR, Role.ADMIN})


def is_admin(user: Any) -> bool:
    return Role.ADMIN in roles_of(user)


def coordinates(user: Any, region: Region) -> bool:
    """Whether `user` coordinates `region` (admins count as coordinators everywhere)."""
    return is_admin(user) or region.pk in coordinated_region_ids(user)


def takes_part_in(user: Any, region: Region) -> bool:
    """Whether `user` coordinates the region or works at one of its organisations as a partner."""
    if coordinates(user, region):
        return True
    partner_orgs = {org for role in PARTNER_ROLES for org in organisation_ids(user, role=role)}
    return Organisation.objects.filter(pk__in=partner_orgs, regions=region).exists()


def may_edit_initiative(user: Any, initiative: Initiative) -> bool:
    """The region's coordinators, the person who added it and its contact person edit an initiative."""
    if not user.is_authenticated:
        return False
    if coordinates(user, initiative.region):
        return True
    return user.pk in (initiative.created_by_id, initiative.contact_id) and takes_part_in(user, initiative.region)


def may_edit_action(user: Any, action: Action) -> bool:
    """The region's coordinators edit its agenda; an owner edits their own action."""
    return user.is_authenticated and (coordinates(user, action.region) or action.owner_id == user.pk)


def may_manage_event(user: Any, event: Event) -> bool:
    """The region's coordinators and the organiser's people manage an event."""
    if not user.is_authenticated:
        return False
    return coordinates(user, event.region) or event.organiser_id in organisation_ids(user)


def require(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied with a message in the user's language unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message or _("You may not change this: it belongs to another region."))
