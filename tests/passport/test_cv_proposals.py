"""Skills proposed from written Dutch CVs (tests/fixtures/cv, with the expected skills in expected.json)
and from typed text, by the real ESCO engine; CVs as text, DOCX and PDF through the page."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import FIXTURES
from tests.passport.esco_engine import real_engine
from wendbaar.passport import proposals
from wendbaar.passport.models import PassportSkill
from wendbaar.skills import services as skills_services
from wendbaar.skills.models import Concept, Kind, Label, LabelKind

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
CVS = FIXTURES / "cv"
EXPECTED: dict[str, dict[str, str]] = json.loads((CVS / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def esco(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The real engine for all of ESCO, and every ESCO skill in the database (preferred labels)."""
    engine, concepts = real_engine()
    skills = [c for c in concepts if c.kind == "skill"]
    Concept.objects.bulk_create([Concept(uri=c.uri, kind=Kind.SKILL) for c in skills], batch_size=2000)
    ids = dict(Concept.objects.filter(kind=Kind.SKILL).values_list("uri", "id"))
    Label.objects.bulk_create(
        [
            Label(concept_id=ids[c.uri], language=lang, kind=LabelKind.PREFERRED, text=values[0][:400])
            for c in skills
            for lang, values in c.labels.items()
            if values
        ],
        batch_size=4000,
    )
    monkeypatch.setattr(skills_services, "get_engine", lambda: engine)  # the real engine, built from the files
    return engine


def test_there_are_at_least_ten_written_dutch_cvs() -> None:
    assert len(EXPECTED) >= 10 and all((CVS / name).exists() for name in EXPECTED)


def test_every_cv_gets_its_expected_skills_proposed_with_the_words_that_matched(esco: Any) -> None:
    missed = {}
    for name, expected in EXPECTED.items():
        found, sections = proposals.propose_for_cv((CVS / name).read_text(encoding="utf-8"))
        by_uri = {p.uri: p for p in found}
        missing = [label for uri, label in expected.items() if uri not in by_uri]
        if missing:
            missed[name] = missing
        assert all(by_uri[uri].matched for uri in expected if uri in by_uri), name
        assert sections, name
    assert not missed, missed


def test_typed_text_in_own_words_gets_proposals(esco: Any) -> None:
    cases = {
        "Ik kan lassen en heftruck besturen": ["lassen", "heftrucks bedienen"],
        "kassa bedienen\nklachten afhandelen": ["kassa's bedienen", "klachten van klanten afhandelen"],
        "I can program in Python and use SQL databases": ["Python (computerprogrammering)", "SQL"],
    }
    for text, labels in cases.items():
        found = {p.label for p in proposals.propose_for_text(text)}
        assert set(labels) <= found, (text, found)


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(text: str) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>{line or '&nbsp;'}</p>" for line in text.splitlines())
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


@pytest.mark.parametrize("form", ["txt", "docx", "pdf"])
def test_cv_upload_page_proposes_then_adds_only_the_ticked_skills(esco: Any, people: Any, form: str) -> None:
    text = (CVS / "01-lasser.txt").read_text(encoding="utf-8")
    data = {"txt": text.encode(), "docx": _docx(text), "pdf": _pdf(text)}[form]
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(people["learner"])
    response = client.post(reverse("passport:add-cv"), {"cv": SimpleUploadedFile(f"cv.{form}", data)})
    assert response.status_code == 200
    found = response.context["proposals"]
    uris = [p.uri for p in found]
    assert set(EXPECTED["01-lasser.txt"]) <= set(uris)
    assert b"MAG lassen" in response.content  # the matched words are shown
    welding = uris.index("http://data.europa.eu/esco/skill/2ee57de4-bffd-4194-b009-0060edec77cc")
    confirm = {"confirm": "1", "pick": [str(welding)], f"uri-{welding}": uris[welding], f"words-{welding}": "lassen"}
    assert client.post(reverse("passport:add-cv"), confirm).status_code == 302
    assert list(PassportSkill.objects.filter(person=people["learner"]).values_list("skill__uri", flat=True)) == [
        uris[welding]
    ]
