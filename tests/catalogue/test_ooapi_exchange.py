"""OOAPI import and export: the export validates against the spec and re-imports to the same offerings."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.catalogue.conftest import CARGO, HYGIENE, PYTHON, TRAFFIC, WELDING, course_data, run_data
from tests.catalogue.ooapi_spec import errors_for
from wendbaar.catalogue import services
from wendbaar.catalogue.models import Offering, Run
from wendbaar.catalogue.ooapi.services import export_ooapi, import_ooapi
from wendbaar.regions.models import Organisation

pytestmark = pytest.mark.django_db
COMPONENTS = {
    "organizations.json": "schemas/Organization.yaml",
    "education-specifications.json": "schemas/EducationSpecification.yaml",
    "courses.json": "schemas/Course.yaml",
    "offerings.json": "schemas/CourseOffering.yaml",
}
RIO_COURSE = {"educationOffererCode": "30XY", "educationLocationCode": "123X456", "teachingLanguages": ["nld", "eng"]}
RIO_RUN = {
    "registrationStatus": "open",
    "requiredPermissionRegistration": "yes",
    "explanationRequiredPermission": "intake",
}


def generate(provider: Organisation, n: int, seed: int = 15) -> list[Offering]:
    """Varied offerings: every mode, type, time of day; crebo, RIO and funding on some."""
    rng = random.Random(seed)
    made = []
    for i in range(n):
        kind = rng.choice(["course", "training", "mbo_certificate", "evc", "micro_credential"])
        mode = rng.choice(["on_site", "online", "hybrid", "workplace"])
        runs = [
            run_data(
                start_date=f"2027-0{rng.randint(1, 9)}-0{rng.randint(1, 9)}",
                end_date="2027-12-20",
                weekdays=sorted(rng.sample(range(1, 8), rng.randint(0, 2))),
                start_time=rng.choice([None, "09:00", "18:00", "19:30"]),
                end_time=None,
                seats=rng.choice([None, 8, 16]),
                rio=RIO_RUN if i % 3 == 0 else {},
            )
            for _ in range(rng.randint(1 if kind in ("course", "training", "mbo_certificate") else 0, 3))
        ]
        data = course_data(
            title_nl=f"Opleiding {i}",
            title_en=f"Course {i}" if i % 2 else "",
            description_nl=f"Omschrijving {i}",
            credential_type=kind,
            crebo="25193" if kind == "mbo_certificate" else "",
            level=rng.choice(["", "mbo2", "mbo3", "nlqf4"]),
            mode=mode,
            municipality="" if mode == "online" else rng.choice(["GM0599", "GM0606", "GM0363"]),
            price_cents=rng.choice([0, 9950, 125000]),
            funding_tags=rng.sample(["stap", "sector-fund", "employer", "slim"], rng.randint(0, 2)),
            min_group_size=rng.choice([None, 4]),
            max_group_size=rng.choice([None, 12]),
            study_load_hours=rng.choice([None, 24, 400]),
            language=rng.choice(["nl", "en"]),
            rio=RIO_COURSE if i % 4 == 0 else {},
            code=f"C{i:03d}" if i % 2 else "",
        )
        offering = services.create_offering(
            provider=provider, data=data, runs=runs, skills=rng.sample([WELDING, PYTHON, HYGIENE, TRAFFIC, CARGO], 2)
        )
        if i % 5 == 0:  # one outcome left proposed, not confirmed
            first = offering.skills.first()
            assert first is not None
            first.confirmed = False
            first.save()
        made.append(offering)
    return made


def snapshot(provider: Organisation) -> dict[str, Any]:
    out = {}
    for offering in Offering.objects.filter(provider=provider).prefetch_related("runs", "skills__skill"):
        fields = {
            name: getattr(offering, name) for name in services.OFFERING_FIELDS if name not in ("crebo", "municipality")
        }
        fields.update(
            crebo=offering.crebo_id,
            municipality=offering.municipality_id,
            region=offering.region_id,
            flags=(offering.is_evening, offering.is_weekend, offering.is_daytime),
            skills=sorted((o.skill.uri, o.confirmed) for o in offering.skills.all() if not o.removed),
            runs=sorted(
                (str(r.uuid), *(str(getattr(r, name)) for name in services.RUN_FIELDS), r.is_evening, r.is_weekend)
                for r in offering.runs.all()
            ),
        )
        out[str(offering.uuid)] = fields
    return out


@pytest.fixture
def offer(taxonomy: None, provider: Organisation, located: Any, crebo: Any) -> list[Offering]:
    return generate(provider, 24)


def test_export_validates_against_the_spec(offer: list[Offering], provider: Organisation, tmp_path: Path) -> None:
    report = export_ooapi(provider=provider, out_dir=tmp_path)
    assert report.courses == 24 and report.education_specifications == 1
    for name, component in COMPONENTS.items():
        objects = json.loads((tmp_path / name).read_text())
        assert objects, name
        for obj in objects:
            assert errors_for(obj, component) == [], (name, obj)
            for consumer in obj.get("consumers", []):
                rio = "consumers/RIO/V1/Offering.yaml" if name == "offerings.json" else "consumers/RIO/V1/Course.yaml"
                assert errors_for(consumer, rio) == []


def test_round_trip_recreates_the_same_offerings(offer: list[Offering], provider: Organisation, tmp_path: Path) -> None:
    before = snapshot(provider)
    export_ooapi(provider=provider, out_dir=tmp_path)
    same = import_ooapi(paths=[tmp_path])
    assert same.written and {o.outcome for o in same.objects} == {"unchanged"}
    Offering.objects.filter(provider=provider).delete()
    again = import_ooapi(paths=[tmp_path], propose=False)
    assert again.count("refused") == 0, [(o.id, o.reasons) for o in again.refused]
    assert again.count("created") == 24 + Run.objects.count()
    assert snapshot(provider) == before
    assert {o.outcome for o in import_ooapi(paths=[tmp_path]).objects} == {"unchanged"}


def test_a_changed_file_updates_only_that_object(offer: list[Offering], provider: Organisation, tmp_path: Path) -> None:
    export_ooapi(provider=provider, out_dir=tmp_path)
    courses = json.loads((tmp_path / "courses.json").read_text())
    courses[3]["name"][0]["value"] = "Nieuwe titel"
    (tmp_path / "courses.json").write_text(json.dumps(courses))
    report = import_ooapi(paths=[tmp_path])
    assert [(o.kind, o.outcome) for o in report.objects if o.outcome != "unchanged"] == [("course", "updated")]
    assert Offering.objects.get(uuid=courses[3]["courseId"]).title_nl == "Nieuwe titel"


def test_bad_documents_are_refused_with_id_and_pointer(
    offer: list[Offering], provider: Organisation, tmp_path: Path
) -> None:
    export_ooapi(provider=provider, out_dir=tmp_path)
    courses = json.loads((tmp_path / "courses.json").read_text())
    offerings = json.loads((tmp_path / "offerings.json").read_text())
    courses[0]["teachingLanguage"] = "dutch"
    del courses[1]["name"]
    courses[2]["ext"]["wendbaar"]["priceCents"] = -5
    courses[3]["otherCodes"] = [{"codeType": "crohoCreboCode", "code": "99999"}]
    courses[4]["ext"]["wendbaar"]["skills"] = [{"uri": "http://data.europa.eu/esco/skill/nope"}]
    courses[5]["ext"]["wendbaar"].update(minGroupSize=9, maxGroupSize=3)
    offerings[0]["endDate"] = "2020-01-01"
    (tmp_path / "courses.json").write_text(json.dumps(courses))
    (tmp_path / "offerings.json").write_text(json.dumps(offerings))
    before = snapshot(provider)
    report = import_ooapi(paths=[tmp_path])
    refused = {o.id: " | ".join(o.reasons) for o in report.refused}
    assert not report.written and snapshot(provider) == before
    assert "/teachingLanguage" in refused[courses[0]["courseId"]]
    assert "/: 'name' is a required property" in refused[courses[1]["courseId"]]
    assert "price_cents" in refused[courses[2]["courseId"]]
    assert "unknown crebo 99999" in refused[courses[3]["courseId"]]
    assert "unknown skill URI" in refused[courses[4]["courseId"]]
    assert "min_group_size" in refused[courses[5]["courseId"]]
    assert "/endDate" in refused[offerings[0]["offeringId"]]
    assert all(o.source.startswith(str(tmp_path)) for o in report.refused)


def test_partial_writes_the_valid_objects(offer: list[Offering], provider: Organisation, tmp_path: Path) -> None:
    export_ooapi(provider=provider, out_dir=tmp_path)
    courses = json.loads((tmp_path / "courses.json").read_text())
    courses[0]["teachingLanguage"] = "dutch"
    courses[1]["name"][0]["value"] = "Gewijzigd"
    (tmp_path / "courses.json").write_text(json.dumps(courses))
    report = import_ooapi(paths=[tmp_path], partial=True)
    assert report.written and report.count("refused") == 1 and report.count("updated") == 1


def test_a_provider_cannot_import_over_another_providers_course(
    offer: list[Offering], provider: Organisation, other_provider: Organisation, tmp_path: Path
) -> None:
    export_ooapi(provider=provider, out_dir=tmp_path)
    courses = json.loads((tmp_path / "courses.json").read_text())
    course = {**courses[0], "organization": str(other_provider.uuid)}
    (tmp_path / "one.json").write_text(json.dumps(course))
    report = import_ooapi(paths=[tmp_path / "one.json"])
    assert "belongs to another provider" in report.refused[0].reasons[0]


def test_foreign_course_without_uris_gets_engine_proposals(
    taxonomy: None, provider: Organisation, located: Any, tmp_path: Path
) -> None:
    course = {
        "courseId": "7d0f1d5e-2f4a-4b1b-9a53-5e1c1d3b7a10",
        "primaryCode": {"codeType": "identifier", "code": "WELD-1"},
        "name": [{"language": "en-GB", "value": "Welding"}],
        "abbreviation": "WELD-1",
        "description": [{"language": "en-GB", "value": "Learn to use welding equipment."}],
        "teachingLanguage": "eng",
        "level": "undefined",
        "modeOfDelivery": ["online"],
        "organization": str(provider.uuid),
    }
    run = {
        "offeringId": "0a3e6b1e-9f58-4a0e-8c1f-3d2b9b8e7c61",
        "primaryCode": {"codeType": "offeringCode", "code": "WELD-1-2027"},
        "offeringType": "course",
        "name": course["name"],
        "description": course["description"],
        "teachingLanguage": "eng",
        "resultExpected": False,
        "startDate": "2027-03-01",
        "endDate": "2027-04-01",
        "course": course["courseId"],
        "priceInformation": [{"costType": "total costs", "amount": "199.50", "currency": "EUR"}],
    }
    (tmp_path / "dump.json").write_text(json.dumps({"courses": [course], "offerings": [run]}))
    report = import_ooapi(paths=[tmp_path])
    assert report.written, [(o.id, o.reasons) for o in report.refused]
    offering = Offering.objects.get(uuid=str(course["courseId"]))
    assert offering.price_cents == 19950 and offering.mode == "online"
    assert WELDING in set(offering.skills.values_list("skill__uri", flat=True))


def test_commands(offer: list[Offering], provider: Organisation, tmp_path: Path, shared_data: Path) -> None:
    call_command("catalogue", "export-ooapi", "--provider", str(provider.uuid), str(tmp_path))
    call_command("catalogue", "import-ooapi", str(tmp_path))
    (tmp_path / "broken.json").write_text("{\n  nope")
    with pytest.raises(CommandError, match="broken.json: line 2, column 3"):
        call_command("catalogue", "import-ooapi", str(tmp_path))
    call_command("catalogue", "import-crebo", str(shared_data / "mbo" / "crebo.csv"))
