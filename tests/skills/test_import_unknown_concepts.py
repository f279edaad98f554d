"""The official ESCO download as it is (issue 23): relations naming concepts no file defines are skipped
and listed (file, line, URI) by default; --strict refuses them; real errors stay all-or-nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import require_shared_data
from tests.skills.conftest import ESCO
from wendbaar.skills import services
from wendbaar.skills.esco_files import EscoFileError
from wendbaar.skills.models import Concept, OccupationSkill, TaxonomyVersion

pytestmark = pytest.mark.django_db

UNKNOWN = "http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000000"


def _with_an_unknown_relation(tmp_path: Path) -> Path:
    folder = tmp_path / "v1.1.1"
    shutil.copytree(ESCO / "v1.1.1", folder)
    relations = folder / "occupationSkillRelations.csv"
    text = relations.read_text(encoding="utf-8").rstrip("\n") + "\n"
    lines = text.count("\n")
    relations.write_text(
        text + f"http://data.europa.eu/esco/occupation/45037d43-a8f5-4f46-b332-b2935bc305f4,essential,knowledge,"
        f"{UNKNOWN}\n",
        encoding="utf-8",
    )
    assert lines > 1
    return folder


def test_relations_to_undefined_concepts_are_skipped_and_listed_by_default(tmp_path: Path) -> None:
    folder = _with_an_unknown_relation(tmp_path)
    record = services.import_taxonomy(paths=[folder])
    skipped = record.report["skipped_relations"]
    assert skipped["count"] == 1
    (item,) = skipped["unknown_concepts"]
    lines = (folder / "occupationSkillRelations.csv").read_text(encoding="utf-8").count("\n")
    assert item["file"].endswith("occupationSkillRelations.csv")
    assert (item["line"], item["column"], item["uri"]) == (lines, "skillUri", UNKNOWN)
    assert not Concept.objects.filter(uri=UNKNOWN).exists()
    assert OccupationSkill.objects.count() == 20  # every defined relation is there


def test_the_command_lists_skipped_relations_and_strict_refuses(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = _with_an_unknown_relation(tmp_path)
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("taxonomy", "import", "--strict", str(folder))
    assert Concept.objects.count() == 0
    call_command("taxonomy", "import", str(folder))
    out = capsys.readouterr().out
    assert "relations skipped" in out and "occupationSkillRelations.csv, line" in out and UNKNOWN in out


def test_strict_refuses_and_changes_nothing(tmp_path: Path) -> None:
    folder = _with_an_unknown_relation(tmp_path)
    with pytest.raises(EscoFileError, match="unknown concept"):
        services.import_taxonomy(paths=[folder], strict=True)
    assert Concept.objects.count() == 0


@pytest.mark.slow
def test_the_official_v111_download_imports_with_the_default_options(capsys: pytest.CaptureFixture) -> None:
    esco = require_shared_data("esco")
    call_command("taxonomy", "import", str(esco / "v1.1.1"))
    out = capsys.readouterr().out
    assert "relations skipped" in out
    report = TaxonomyVersion.objects.get().report
    assert len(report["skipped_relations"]["unknown_concepts"]) == 8
    assert Concept.objects.filter(kind="occupation").count() == 3007
