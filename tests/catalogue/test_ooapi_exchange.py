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
from wendbaar.catalogue.ooapi.mapping import crebo_uuid
from wendbaar.catalogue.ooapi.services import export_ooapi, import_ooapi
from wendbaar.regions.models import Organisation

pytestmark = pytest.mark.django_db
COMPONENTS = {
    "organizations.json": "schemas/Organization.yaml",
    "education-specifications.json": "schemas/EducationSpecification.yaml",
    "programs.json": "schemas/Program.yaml",
    "courses.json": "schemas/Course.yaml",
    "offerings.json": "schemas/Offering.yaml",  # by offeringType: CourseOffering or ProgramOffering
}
OFFERING_COMPONENTS = {"course": "schemas/CourseOffering.yaml", "program": "schemas/ProgramOffering.yaml"}
RIO_COMPONENTS = {
    "programs.json": "consumers/RIO/V1/Program.yaml",
    "courses.json": "consumers/RIO/V1/Course.yaml",
    "offerings.json": "consumers/RIO/V1/Offering.yaml",
}
PROGRAM_KINDS = {"mbo_certificate", "partial_certificate", "mbo_diploma"}
RIO_COURSE = {"educationOffererCode": "123A456", "educationLocationCode": "123X456",
              "teachingLanguages": ["nld", "eng"]}  # fmt: skip
RIO_PROGRAM = {**RIO_COURSE, "deficiency": "no_deficiencies", "acceleratedRoute": "no_accelerated_route",
               "lastStartDate": "2027-09-01"}  # fmt: skip
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
        kind = rng.choice(
            ["course", "training", "mbo_certificate", "partial_certificate", "mbo_diploma", "evc",
             "practice_statement", "micro_credential", "course"]
        )  # fmt: skip
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
            for _ in range(rng.randint(1 if kind in ("course", "training", *PROGRAM_KINDS) else 0, 3))
        ]
        data = course_data(
            title_nl=f"Opleiding {i}",
            title_en=f"Course {i}" if i % 2 else "",
            description_nl=f"Omschrijving {i}",
            credential_type=kind,
            crebo="25193" if kind in PROGRAM_KINDS else ("25193" if kind == "evc" and i % 2 else ""),
            level=rng.choice(["", "mbo2", "mbo3", "nlqf4"]),
            mode=mode,
            municipality="" if mode == "online" else rng.choice(["GM0599", "GM0606", "GM0363"]),
            price_cents=rng.choice([0, 9950, 125000]),
            funding_tags=rng.sample(["stap", "sector-fund", "employer", "slim"], rng.randint(0, 2)),
            min_group_size=rng.choice([None, 4]),
            max_group_size=rng.choice([None, 12]),
            study_load_hours=rng.choice([None, 24, 400]),
            language=rng.choice(["nl", "en"]),
            rio=(RIO_PROGRAM if kind in PROGRAM_KINDS else RIO_COURSE) if i % 4 == 0 else {},
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
    assert report.courses + report.programs == 24 and report.education_specifications == 1
    assert report.programs and report.program_offerings and report.offerings == Run.objects.count()
    for name, component in COMPONENTS.items():
        objects = json.loads((tmp_path / name).read_text())
        assert objects, name
        for obj in objects:
            if name == "offerings.json":
                component = OFFERING_COMPONENTS[obj["offeringType"]]
            assert errors_for(obj, component) == [], (name, obj)
            for consumer in obj.get("consumers", []):
                assert errors_for(consumer, RIO_COMPONENTS[name]) == [], (name, consumer)
    rio = [o for o in json.loads((tmp_path / "programs.json").read_text()) if o.get("consumers")]
    assert rio and rio[0]["consumers"][0]["deficiency"] == "no_deficiencies"


def test_offerings_leading_to_a_qualification_are_programs(
    offer: list[Offering], provider: Organisation, tmp_path: Path
) -> None:
    export_ooapi(provider=provider, out_dir=tmp_path)
    programs = {p["programId"]: p for p in json.loads((tmp_path / "programs.json").read_text())}
    courses = {c["courseId"]: c for c in json.loads((tmp_path / "courses.json").read_text())}
    for offering in offer:
        kind = "program" if offering.credential_type in PROGRAM_KINDS else "course"
        assert (str(offering.uuid) in programs) == (kind == "program"), offering.credential_type
        assert (str(offering.uuid) in courses) == (kind == "course"), offering.credential_type
    assert {p["programType"] for p in programs.values()} == {"program"}
    assert all(p["educationSpecification"] == str(crebo_uuid("25193")) for p in programs.values())
    # An EVC procedure with a crebo code stays a course that names the education specification.
    evc = [c for c in courses.values() if c["ext"]["wendbaar"]["credentialType"] == "evc" and "otherCodes" in c]
    assert evc and evc[0]["educationSpecification"] == str(crebo_uuid("25193"))
    some = next(p for p in programs.values() if p["ext"]["wendbaar"]["skills"])
    assert len(some["learningOutcomes"]) == len(some["ext"]["wendbaar"]["skills"])
    assert all(s["uri"].startswith("http://data.europa.eu/esco/skill/") for s in some["ext"]["wendbaar"]["skills"])
    for run in json.loads((tmp_path / "offerings.json").read_text()):
        owner = run.get("program") or run.get("course")
        assert run["offeringType"] == ("program" if owner in programs else "course")
        assert ("program" in run) == (owner in programs) and ("course" in run) == (owner in courses)


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


def test_a_changed_program_updates_only_that_program(
    offer: list[Offering], provider: Organisation, tmp_path: Path
) -> None:
    export_ooapi(provider=provider, out_dir=tmp_path)
    programs = json.loads((tmp_path / "programs.json").read_text())
    programs[0]["description"][0]["value"] = "Nieuwe omschrijving"
    programs[0]["ext"]["wendbaar"]["skills"] = programs[0]["ext"]["wendbaar"]["skills"][:1]
    (tmp_path / "programs.json").write_text(json.dumps(programs))
    report = import_ooapi(paths=[tmp_path])
    assert [(o.kind, o.outcome) for o in report.objects if o.outcome != "unchanged"] == [("program", "updated")]
    changed = Offering.objects.get(uuid=programs[0]["programId"])
    assert changed.description_nl == "Nieuwe omschrijving"
    assert changed.skills.filter(removed=False).count() == 1
    assert {o.outcome for o in import_ooapi(paths=[tmp_path]).objects} == {"unchanged"}


def test_bad_programs_and_program_offerings_are_refused_with_pointers(
    offer: list[Offering], provider: Organisation, tmp_path: Path
) -> None:
    export_ooapi(provider=provider, out_dir=tmp_path)
    programs = json.loads((tmp_path / "programs.json").read_text())
    offerings = json.loads((tmp_path / "offerings.json").read_text())
    runs = [o for o in offerings if o["offeringType"] == "program"]
    assert len(programs) >= 3 and len(runs) >= 2
    programs[0]["programType"] = "degree"
    programs[1]["consumers"] = [{"consumerKey": "rio", "educationOffererCode": "30XY"}]
    programs[2]["consumers"] = [{"consumerKey": "rio", "educationLocationCode": "123X456"}]
    runs[0]["program"] = "7d0f1d5e-2f4a-4b1b-9a53-5e1c1d3b7a10"
    runs[1]["consumers"] = [{"consumerKey": "rio", "registrationStatus": "maybe"}]
    (tmp_path / "programs.json").write_text(json.dumps(programs))
    (tmp_path / "offerings.json").write_text(json.dumps(offerings))
    before = snapshot(provider)
    report = import_ooapi(paths=[tmp_path])
    refused = {o.id: " | ".join(o.reasons) for o in report.refused}
    assert not report.written and snapshot(provider) == before
    assert "/programType: 'degree' is not one of" in refused[programs[0]["programId"]]
    assert "/consumers/0/educationOffererCode: '30XY' does not match" in refused[programs[1]["programId"]]
    assert "'educationOffererCode' is a required property" in refused[programs[2]["programId"]]
    assert "/program: unknown program 7d0f1d5e" in refused[runs[0]["offeringId"]]
    assert "/consumers/0/registrationStatus: 'maybe' is not one of" in refused[runs[1]["offeringId"]]
    assert "'requiredPermissionRegistration' is a required property" in refused[runs[1]["offeringId"]]


def test_a_foreign_program_is_imported_as_an_mbo_certificaat(
    taxonomy: None, provider: Organisation, located: Any, crebo: Any, tmp_path: Path
) -> None:
    spec = {
        "educationSpecificationId": str(crebo_uuid("25193")),
        "primaryCode": {"codeType": "crohoCreboCode", "code": "25193"},
        "educationSpecificationType": "program",
        "name": [{"language": "nl-NL", "value": "Lasser"}],
    }
    program = {
        "programId": "5b7c2e0a-9d4f-4b8e-8f1a-2c3d4e5f6a7b",
        "programType": "program",
        "primaryCode": {"codeType": "programCode", "code": "LAS2-BBL"},
        "name": [{"language": "nl-NL", "value": "Lasser BBL"}],
        "abbreviation": "LAS2-BBL",
        "description": [{"language": "nl-NL", "value": "Je leert lassen in het bedrijf."}],
        "teachingLanguage": "nld",
        "level": "secondary vocational education 2",
        "modeOfDelivery": ["situated"],
        "modeOfStudy": "dual training",
        "learningOutcomes": [[{"language": "en-GB", "value": "use welding equipment"}]],
        "educationSpecification": spec["educationSpecificationId"],
        "organization": str(provider.uuid),
        "consumers": [{"consumerKey": "rio", "educationOffererCode": "123A321"}],
    }
    run = {
        "offeringId": "0b4e6b1e-9f58-4a0e-8c1f-3d2b9b8e7c62",
        "primaryCode": {"codeType": "offeringCode", "code": "LAS2-BBL-2027"},
        "offeringType": "program",
        "name": program["name"],
        "description": program["description"],
        "teachingLanguage": "nld",
        "resultExpected": True,
        "startDate": "2027-09-01",
        "endDate": "2028-07-01",
        "program": program["programId"],
        "priceInformation": [{"costType": "total costs", "amount": "1250", "currency": "EUR"}],
        "consumers": [{"consumerKey": "rio", "registrationStatus": "open", "requiredPermissionRegistration": "no"}],
    }
    files = tmp_path / "in"  # not tmp_path itself: the engine writes its own JSON there
    files.mkdir()
    (files / "dump.json").write_text(
        json.dumps({"educationSpecifications": [spec], "programs": [program], "offerings": [run]})
    )
    report = import_ooapi(paths=[files], region_codes=["AM22"])
    assert report.written, [(o.id, o.reasons) for o in report.refused]
    assert sorted((o.kind, o.outcome) for o in report.objects) == [
        ("educationSpecification", "unchanged"), ("offering", "created"), ("program", "created")
    ]  # fmt: skip
    offering = Offering.objects.get(uuid=program["programId"])
    assert (offering.credential_type, offering.crebo_id, offering.level) == ("mbo_certificate", "25193", "mbo2")
    assert offering.mode == "workplace"  # dual training: learning at the workplace (BBL)
    assert offering.price_cents == 125000 and offering.rio == {"educationOffererCode": "123A321"}
    assert offering.runs.get().rio == {"registrationStatus": "open", "requiredPermissionRegistration": "no"}
    assert WELDING in set(offering.skills.values_list("skill__uri", flat=True))
    again = import_ooapi(paths=[files])
    assert {o.outcome for o in again.objects} == {"unchanged"}, [(o.id, o.reasons) for o in again.refused]
