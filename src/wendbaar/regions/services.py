"""Use cases of the regions app: boundaries import, organisations and memberships. The only writer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wendbaar.regions.constants import LABOUR_MARKET_REGIONS, ROLE_ACTOR_TYPES, ROLES_WITH_REGION, ActorType, Role
from wendbaar.regions.models import Membership, Municipality, Organisation, Region, kvk_validator
from wendbaar.regions.topojson import (
    Feature,
    TopoJSONError,
    contains,
    distance_to_boundary,
    read_features,
    representative_point,
)


class BoundariesImportError(ValueError):
    """A boundaries file that cannot be imported; the message names file and position."""


@dataclass
class ImportReport:
    regions_updated: int = 0
    municipalities_created: int = 0
    municipalities_updated: int = 0
    unchanged: int = 0
    files: list[str] = field(default_factory=list)


def import_boundaries(*, paths: Sequence[Path]) -> ImportReport:
    """Import region geometry and municipalities from CBS/PDOK TopoJSON files, all or nothing."""
    regions: list[Feature] = []
    municipalities: list[Feature] = []
    for path in paths:
        try:
            features = list(read_features(Path(path)))
        except TopoJSONError as exc:
            raise BoundariesImportError(str(exc)) from exc
        for feature in features:
            if feature.code.startswith("AM"):
                regions.append(feature)
            elif feature.code.startswith("GM"):
                municipalities.append(feature)
            else:
                raise BoundariesImportError(
                    f"{feature.position}: property 'statcode' {feature.code!r} is neither a region (AM..)"
                    " nor a municipality (GM..)"
                )
    report = ImportReport(files=[str(path) for path in paths])
    with transaction.atomic():
        known = {region.code: region for region in Region.objects.all()}
        for feature in regions:
            region = known.get(feature.code)
            if region is None:
                raise BoundariesImportError(
                    f"{feature.position}: property 'statcode': unknown region code {feature.code!r}"
                )
            if region.geometry != feature.geometry:
                region.geometry = feature.geometry
                region.save(update_fields=["geometry"])
                report.regions_updated += 1
            else:
                report.unchanged += 1
        shapes = [(region, region.geometry) for region in Region.objects.exclude(geometry=None)]
        for feature in municipalities:
            _save_municipality(feature, _region_for(feature, shapes), report)
    return report


def _region_for(feature: Feature, shapes: list[tuple[Region, Any]]) -> Region | None:
    if not shapes:
        return None
    point = representative_point(feature.geometry)
    for region, geometry in shapes:
        if contains(geometry, point):
            return region
    # Generalised boundaries of two files can disagree slightly at the coast or a border: take the nearest.
    return min(shapes, key=lambda shape: distance_to_boundary(shape[1], point))[0]


def _save_municipality(feature: Feature, region: Region | None, report: ImportReport) -> None:
    municipality = Municipality.objects.filter(code=feature.code).first()
    if municipality is None:
        municipality = Municipality(code=feature.code, name=feature.name, region=region)
        try:
            municipality.full_clean(exclude=["region"])
        except ValidationError as exc:
            raise BoundariesImportError(f"{feature.position}: property 'statcode': {'; '.join(exc.messages)}") from exc
        municipality.save()
        report.municipalities_created += 1
        return
    target_region = region if region is not None else municipality.region
    if municipality.name != feature.name or municipality.region_id != (target_region.pk if target_region else None):
        municipality.name = feature.name
        municipality.region = target_region
        municipality.save(update_fields=["name", "region"])
        report.municipalities_updated += 1
    else:
        report.unchanged += 1


@transaction.atomic
def ensure_regions() -> int:
    """Create any of the 35 labour-market regions that is missing (as migration 0002 does); return how many."""
    existing = set(Region.objects.values_list("code", flat=True))
    missing = [Region(code=code, name=name) for code, name in LABOUR_MARKET_REGIONS if code not in existing]
    Region.objects.bulk_create(missing)
    return len(missing)


# --- organisations -------------------------------------------------------------------------------


def _regions_by_code(codes: Iterable[str]) -> list[Region]:
    codes = list(dict.fromkeys(code.strip().upper() for code in codes))
    if not codes:
        raise ValidationError({"regions": _("Choose at least one region.")})
    found = {region.code: region for region in Region.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise ValidationError({"regions": _("Unknown region code: %(codes)s.") % {"codes": ", ".join(unknown)}})
    return [found[code] for code in codes]


def duplicate_errors(*, name: str, kvk: str, exclude_pk: int | None = None) -> dict[str, str]:
    """Return an error per field where another organisation already has this name or KvK number."""
    others = Organisation.objects.exclude(pk=exclude_pk) if exclude_pk else Organisation.objects.all()
    errors: dict[str, str] = {}
    if name.strip() and others.filter(name__iexact=name.strip()).exists():
        errors["name"] = _("An organisation with this name already exists.")
    kvk = kvk.strip()
    if kvk and _valid_kvk(kvk) and others.filter(kvk=kvk).exists():
        errors["kvk"] = _("An organisation with this KvK number already exists.")
    return errors


def _valid_kvk(kvk: str) -> bool:
    try:
        kvk_validator(kvk)
    except ValidationError:
        return False
    return True


def _check_organisation(organisation: Organisation, region_codes: Iterable[str]) -> list[Region]:
    """Collect every problem at once, so a form or API answer can show them together."""
    errors: dict[str, list[str]] = {}
    organisation.name = organisation.name.strip()
    organisation.kvk = organisation.kvk.strip()
    try:
        organisation.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    duplicates = duplicate_errors(name=organisation.name, kvk=organisation.kvk, exclude_pk=organisation.pk)
    for name, message in duplicates.items():
        errors.setdefault(name, []).append(message)
    regions: list[Region] = []
    try:
        regions = _regions_by_code(region_codes)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return regions


@transaction.atomic
def create_organisation(
    *,
    name: str,
    actor_type: str,
    region_codes: Sequence[str],
    kvk: str = "",
    sector: str = "",
    size_class: str = "",
) -> Organisation:
    """Create an organisation in one or more regions; refuse duplicates by name or KvK number."""
    organisation = Organisation(name=name, actor_type=actor_type, kvk=kvk, sector=sector, size_class=size_class)
    regions = _check_organisation(organisation, region_codes)
    organisation.save()
    organisation.regions.set(regions)
    return organisation


@transaction.atomic
def update_organisation(
    *, organisation: Organisation, region_codes: Sequence[str] | None = None, **changes: str
) -> Organisation:
    """Change an organisation's fields and, if given, its regions; the same rules as creating."""
    allowed = {"name", "actor_type", "kvk", "sector", "size_class"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(organisation, name, value)
    codes = region_codes if region_codes is not None else list(organisation.regions.values_list("code", flat=True))
    regions = _check_organisation(organisation, codes)
    if "actor_type" in changes:
        _check_members_fit(organisation)
    organisation.save()
    organisation.regions.set(regions)
    return organisation


def _check_members_fit(organisation: Organisation) -> None:
    for membership in organisation.memberships.all():
        allowed = ROLE_ACTOR_TYPES.get(membership.role)
        if allowed is not None and organisation.actor_type not in allowed:
            raise ValidationError(
                {
                    "actor_type": _("People hold the role %(role)s here; that role does not fit this actor type.")
                    % {"role": Role(membership.role).label}
                }
            )


@transaction.atomic
def delete_organisation(*, organisation: Organisation) -> None:
    """Delete an organisation and the memberships held at it."""
    organisation.delete()


# --- memberships ---------------------------------------------------------------------------------


def check_membership(role: str, organisation: Organisation | None, region: Region | None) -> None:
    """Raise ValidationError (naming the field) when a role does not fit the organisation or region."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %(role)s.") % {"role": role}})
    errors: dict[str, str] = {}
    allowed_types = ROLE_ACTOR_TYPES.get(role)
    if allowed_types is None and organisation is not None:
        errors["organisation"] = _("The role %(role)s is not held at an organisation.") % {"role": Role(role).label}
    if allowed_types is not None:
        if organisation is None:
            errors["organisation"] = _("The role %(role)s needs an organisation.") % {"role": Role(role).label}
        elif organisation.actor_type not in allowed_types:
            kinds = ", ".join(str(ActorType(kind).label) for kind in sorted(allowed_types))
            errors["organisation"] = _("The role %(role)s is only possible at: %(kinds)s.") % {
                "role": Role(role).label,
                "kinds": kinds,
            }
    if role in ROLES_WITH_REGION and region is None:
        errors["region"] = _("The role %(role)s needs a region.") % {"role": Role(role).label}
    if role not in ROLES_WITH_REGION and region is not None:
        errors["region"] = _("The role %(role)s is not held for a region.") % {"role": Role(role).label}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_membership(
    *,
    user: User,
    role: str,
    organisation: Organisation | None = None,
    region: Region | None = None,
    is_learning_ambassador: bool = False,
) -> Membership:
    """Give a person a role: employer/provider/fund at a fitting organisation, coordinator for a region."""
    check_membership(role, organisation, region)
    membership, created = Membership.objects.get_or_create(
        user=user,
        role=role,
        organisation=organisation,
        region=region,
        defaults={"is_learning_ambassador": is_learning_ambassador},
    )
    if not created and membership.is_learning_ambassador != is_learning_ambassador:
        membership.is_learning_ambassador = is_learning_ambassador
        membership.save(update_fields=["is_learning_ambassador"])
    if hasattr(user, "_wendbaar_roles"):
        del user._wendbaar_roles
    return membership


@transaction.atomic
def remove_membership(*, membership: Membership) -> None:
    """Take a role away from a person."""
    user = membership.user
    membership.delete()
    if hasattr(user, "_wendbaar_roles"):
        del user._wendbaar_roles
