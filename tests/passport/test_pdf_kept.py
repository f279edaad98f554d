"""Passport PDFs are kept per content (wendbaar.web.pdf.cache), and keeping them changes nothing about
who may read them: the consent is checked on every request, a scoped share never gets the whole
passport's PDF, and a change to the passport shows in the very next PDF."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.passport.conftest import CUSTOMERS, WELDING
from tests.passport.test_access import anna, client_for  # noqa: F401 - the fixture
from wendbaar.passport import services
from wendbaar.passport.constants import Scope
from wendbaar.passport.models import ViewLog

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", response.status_code
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(response.content)).pages).lower()


@pytest.fixture
def kept(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path / "cache" / "pdf" / "passport"  # its parent holds a directory per person and kind


def test_a_kept_pdf_is_never_served_to_someone_without_consent(anna: Any, people: Any, kept: Path) -> None:  # noqa: F811
    own = client_for(anna)
    assert "heftruck" in _text(own.get(reverse("passport:export-pdf")))
    consent = services.give_consent(
        person=anna, organisation=people["employer_org"], valid_until=timezone.now() + timedelta(days=3)
    )
    url = reverse("passport:shared-pdf", args=[consent.uuid])
    employer = client_for(people["employer"])
    assert "lassen" in _text(employer.get(url))
    assert list(kept.parent.glob(f"person-{anna.pk}-passport/*.pdf")), "the PDFs are kept on disk"
    # Others are refused although the PDF is kept, and so is the employer once the consent is revoked.
    for who in ("provider", "coordinator", "admin", "other"):
        assert client_for(people[who]).get(url).status_code == 403, who
    assert Client().get(url).status_code == 302
    services.revoke_consent(person=anna, consent=consent)
    assert employer.get(url).status_code == 403
    # Every served read was logged, the kept ones too.
    assert ViewLog.objects.filter(person=anna, channel="pdf").count() == 1


def test_a_scoped_share_gets_its_own_pdf_not_the_whole_passport(anna: Any, people: Any, kept: Path) -> None:  # noqa: F811
    assert "heftruck" in _text(client_for(anna).get(reverse("passport:export-pdf")))
    welding = services.skills_of(anna).get(skill__uri=WELDING)
    consent = services.give_consent(
        person=anna,
        grantee=people["other"],
        scope=Scope.SKILLS,
        skills=[welding],
        valid_until=timezone.now() + timedelta(days=1),
    )
    text = _text(client_for(people["other"]).get(reverse("passport:shared-pdf", args=[consent.uuid])))
    assert "lassen" in text and "heftruck" not in text


def test_a_change_to_the_passport_shows_in_the_next_pdf(anna: Any, people: Any, kept: Path) -> None:  # noqa: F811
    own = client_for(anna)
    before = own.get(reverse("passport:export-pdf"))
    assert "klanten helpen" not in _text(before)
    assert own.get(reverse("passport:export-pdf")).content == before.content  # kept: the same bytes
    services.add_skill(person=anna, skill_uri=CUSTOMERS)
    assert "klanten helpen" in _text(own.get(reverse("passport:export-pdf")))
    services.remove_skill(person=anna, passport_skill=services.skills_of(anna).get(skill__uri=CUSTOMERS))
    assert "klanten helpen" not in _text(own.get(reverse("passport:export-pdf")))


def test_erasing_the_passport_removes_its_kept_pdfs(
    anna: Any,  # noqa: F811
    people: Any,
    kept: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client_for(anna).get(reverse("passport:export-pdf"))
    client_for(people["other"]).get(reverse("passport:export-pdf"))
    mine = kept.parent / f"person-{anna.pk}-passport"
    theirs = kept.parent / f"person-{people['other'].pk}-passport"
    assert list(mine.glob("*.pdf")) and list(theirs.glob("*.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_passport(person=anna)
    assert not mine.exists() and list(theirs.glob("*.pdf"))
