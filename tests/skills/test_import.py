"""ESCO import: merging languages, re-import no-op, version update, and bad files (all-or-nothing)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.skills.conftest import ESCO, FORKLIFT_DRIVER, LORRY_DRIVER, PYTHON, WELDING
from wendbaar.skills import services
from wendbaar.skills.esco_files import EscoFileError
from wendbaar.skills.models import Collection, Concept, Label, LabelKind, OccupationSkill, Status

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple[int, ...]:
    return (
        Concept.objects.count(),
        Label.objects.count(),
        OccupationSkill.objects.count(),
        Concept.objects.filter(status=Status.OBSOLETE).count(),
    )


def test_import_merges_languages_by_uri(taxonomy: None) -> None:
    lorry = Concept.objects.get(uri=LORRY_DRIVER)
    assert lorry.kind == "occupation"
    assert lorry.isco_group is not None and lorry.isco_group.code == "8332"
    assert lorry.preferred_label("nl") == ("vrachtwagenchauffeur", "nl")
    assert lorry.preferred_label("en") == ("cargo vehicle driver", "en")
    assert Concept.objects.filter(kind="occupation").count() == 4
    assert OccupationSkill.objects.count() == 20
    assert Collection.objects.get(key="digital").members.filter(uri=PYTHON).exists()


def test_crosswalk_gives_dutch_preferred_labels_from_column_three(taxonomy: None) -> None:
    welding = Concept.objects.get(uri=WELDING)
    assert welding.preferred_label("nl") == ("lassen", "nl")
    # Column 8 (the VDAB label) must never become an ESCO label.
    assert not Label.objects.filter(text="Lastechnieken").exists()


def test_reimport_changes_nothing(taxonomy: None) -> None:
    before = _snapshot()
    version = services.taxonomy_version()
    record = services.import_taxonomy(paths=[ESCO / "v1.1.1", ESCO / "v1.2.0-nl", ESCO / "nl-skill-labels"])
    assert record.changed is False
    assert _snapshot() == before
    assert services.taxonomy_version() == version


def test_newer_version_obsoletes_and_reports(taxonomy: None) -> None:
    record = services.import_taxonomy(paths=[ESCO / "v1.2.0"])
    report = record.report
    assert report["obsoleted"] == {"occupation": 1}
    assert Concept.objects.get(uri=FORKLIFT_DRIVER).status == Status.OBSOLETE
    assert report["labels_changed"] >= 1
    assert Label.objects.filter(
        concept__uri=LORRY_DRIVER, language="en", kind=LabelKind.PREFERRED, text="heavy goods vehicle driver"
    ).exists()
    assert report["relations"]["occupation_skills"]["removed"] == 6
    # Never deleted; the Dutch labels of the v1.2 supplement stay.
    assert Concept.objects.filter(uri=FORKLIFT_DRIVER).exists()
    assert Concept.objects.get(uri=LORRY_DRIVER).preferred_label("nl")[0] == "vrachtwagenchauffeur"


def test_language_supplement_obsoletes_nothing(db: None) -> None:
    services.import_taxonomy(paths=[ESCO / "v1.1.1"])
    services.import_taxonomy(paths=[ESCO / "v1.2.0-nl"])
    assert not Concept.objects.filter(status=Status.OBSOLETE).exists()


def test_regional_labels_and_skills_survive_reimport(taxonomy: None) -> None:
    lorry = Concept.objects.get(uri=LORRY_DRIVER)
    services.add_regional_label(concept=lorry, text="trucker", language="nl")
    skill = services.create_regional_skill(label_nl="werken met de Rotterdamse havenkraan")
    services.import_taxonomy(paths=[ESCO / "v1.2.0"])
    assert Label.objects.filter(concept=lorry, kind=LabelKind.REGIONAL, text="trucker").exists()
    skill.refresh_from_db()
    assert skill.status == Status.RELEASED and not skill.is_esco
    assert skill.uri.startswith("urn:wendbaar:skill:")


def test_command_prints_report_and_no_change(taxonomy: None, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("taxonomy", "import", str(ESCO / "v1.1.1"), str(ESCO / "v1.2.0-nl"), str(ESCO / "nl-skill-labels"))
    assert "Nothing changed" in capsys.readouterr().out
    call_command("taxonomy", "versions")
    assert "1.1.1" in capsys.readouterr().out


# ------------------------------------------------------------ bad files
def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "v1.1.1"
    shutil.copytree(ESCO / "v1.1.1", target)
    return target


def _bad(tmp_path: Path, name: str, content: bytes) -> Path:
    folder = _copy(tmp_path)
    (folder / name).write_bytes(content)
    return folder


GOOD_SKILLS = (ESCO / "v1.1.1" / "skills_en.csv").read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "skills_en.csv",
            GOOD_SKILLS.replace(b"conceptUri", b"conceptURL", 1),
            ("line 1", "conceptUri", "missing column"),
        ),
        (
            "skills_en.csv",
            GOOD_SKILLS + b'KnowledgeSkillCompetence,"http://data.europa.eu/esco/skill/x"y,a\n',
            ("skills_en.csv, line", "quoting"),
        ),
        (
            "skills_en.csv",
            GOOD_SKILLS.replace(b"skill/competence", b"skill/comp\xe9tence", 1),
            ("skills_en.csv, line", "not valid UTF-8"),
        ),
        ("skills_en.csv", GOOD_SKILLS.decode().encode("utf-16"), ("line 1", "UTF-16")),
        ("skills_en.csv", b"", ("line 1", "empty")),
        (
            "occupationSkillRelations.csv",
            b"occupationUri,relationType,skillType,skillUri\n"
            b"http://data.europa.eu/esco/occupation/45037d43-a8f5-4f46-b332-b2935bc305f4,essential,knowledge,"
            b"http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000000\n",
            ("occupationSkillRelations.csv, line 2, column skillUri", "unknown concept"),
        ),
        (
            "occupationSkillRelations.csv",
            b"occupationUri,relationType,skillType,skillUri\nnot-a-uri,essential,knowledge,x\n",
            ("line 2, column occupationUri", "not an ESCO URI"),
        ),
    ],
    ids=["missing-column", "broken-quoting", "latin1-byte", "utf16", "empty-file", "unknown-uri", "bad-uri"],
)
def test_bad_file_names_place_and_changes_nothing(
    taxonomy: None, tmp_path: Path, name: str, content: bytes, expected: tuple[str, ...]
) -> None:
    before = _snapshot()
    folder = _bad(tmp_path, name, content)
    with pytest.raises(EscoFileError) as error:
        services.import_taxonomy(paths=[folder], version="1.3.0", strict=True)
    for part in expected:
        assert part in str(error.value)
    assert _snapshot() == before


def test_command_reports_error_without_traceback(db: None, tmp_path: Path) -> None:
    folder = _bad(tmp_path, "skills_en.csv", b"")
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("taxonomy", "import", str(folder))
    assert Concept.objects.count() == 0
