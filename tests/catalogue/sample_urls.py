"""Sample URL kwargs for the role matrix (see tests/web/role_matrix.py): the catalogue's pages."""

from __future__ import annotations

from typing import Any

from wendbaar.catalogue import services
from wendbaar.catalogue.models import Offering, Qualification
from wendbaar.catalogue.ooapi.mapping import PROGRAM_TYPES, crebo_uuid
from wendbaar.web.demo import DemoWorld


def _offering(world: DemoWorld) -> Offering:
    provider = world.organisations["Demo College (mbo)"]
    services.ensure_provider(organisation=provider)
    # A course, not a program: an OOAPI course page answers 404 for an mbo-certificate (/programs/{id}).
    offering = Offering.objects.filter(provider=provider).exclude(credential_type__in=PROGRAM_TYPES).first()
    if offering is None:
        offering = services.create_offering(
            provider=provider,
            data={
                "title_nl": "Excel voor beginners",
                "description_nl": "Je leert werken met rekenbladen.",
                "credential_type": "course",
                "mode": "online",
            },
            runs=[{"start_date": "2027-01-11", "end_date": "2027-02-15", "weekdays": [1], "start_time": "19:00"}],
            propose=False,
        )
    return offering


def _offering_uuid(world: DemoWorld) -> dict[str, Any]:
    return {"uuid": _offering(world).uuid}


def _run_uuid(world: DemoWorld) -> dict[str, Any]:
    return {"uuid": _offering(world).runs.order_by("id").first().uuid}


def _organization(world: DemoWorld) -> dict[str, Any]:
    return {"organization_id": str(_offering(world).provider.uuid)}


def _course(world: DemoWorld) -> dict[str, Any]:
    return {"course_id": str(_offering(world).uuid)}


def _specification(world: DemoWorld) -> dict[str, Any]:
    qualification, _created = Qualification.objects.get_or_create(code="25193", defaults={"name": "Lasser", "level": 2})
    if not Offering.objects.filter(crebo=qualification).exists():
        services.create_offering(
            provider=_offering(world).provider,
            data={
                "title_nl": "Lasser",
                "description_nl": "Het mbo-certificaat lasser.",
                "credential_type": "evc",
                "crebo": "25193",
                "mode": "workplace",
            },
            propose=False,
        )
    return {"specification_id": str(crebo_uuid("25193"))}


def _program(world: DemoWorld) -> Offering:
    provider = _offering(world).provider
    Qualification.objects.get_or_create(code="25193", defaults={"name": "Lasser", "level": 2})
    program = Offering.objects.filter(provider=provider, credential_type="mbo_certificate").first()
    if program is None:
        program = services.create_offering(
            provider=provider,
            data={
                "title_nl": "Lasser (mbo-certificaat)",
                "description_nl": "Het mbo-certificaat lasser, in het bedrijf.",
                "credential_type": "mbo_certificate",
                "crebo": "25193",
                "mode": "workplace",
            },
            runs=[{"start_date": "2027-09-01", "end_date": "2028-06-30", "weekdays": [2, 4]}],
            propose=False,
        )
    return program


def _program_id(world: DemoWorld) -> dict[str, Any]:
    return {"program_id": str(_program(world).uuid)}


def _specification_of_program(world: DemoWorld) -> dict[str, Any]:
    _program(world)
    return {"specification_id": str(crebo_uuid("25193"))}


SAMPLE_URLS = {
    "catalogue:offering": _offering_uuid,
    "catalogue:offering-edit": _offering_uuid,
    "catalogue:outcomes": _offering_uuid,
    "catalogue:run-new": _offering_uuid,
    "catalogue:run-edit": _run_uuid,
    "ooapi:organization": _organization,
    "ooapi:organization-courses": _organization,
    "ooapi:organization-offerings": _organization,
    "ooapi:course": _course,
    "ooapi:course-offerings": _course,
    "ooapi:offering": lambda world: {"offering_id": str(_offering(world).runs.order_by("id").first().uuid)},
    "ooapi:education-specification": _specification,
    "ooapi:organization-programs": _organization,
    "ooapi:program": _program_id,
    "ooapi:program-offerings": _program_id,
    "ooapi:education-specification-programs": _specification_of_program,
}
