"""A CV that cannot be read gets a clear message and nothing is stored."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from wendbaar.passport import cv
from wendbaar.passport.models import PassportSkill


def _blank_pdf(*, password: str = "") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("cv.pdf", _blank_pdf(password="geheim"), "password"),
        ("cv.pdf", _blank_pdf(), "only images"),
        ("cv.odt", b"PK\x03\x04 not a docx", "cannot read this kind of file"),
        ("cv.exe", b"MZ\x90\x00\x03", "cannot read this kind of file"),
        ("cv.txt", b"a" * (cv.MAX_BYTES + 1), "too large"),
        ("cv.txt", b"   ", "empty"),
        ("cv.docx", b"PK\x03\x04garbage", "damaged"),
        ("cv.pdf", b"%PDF-1.4 garbage", "damaged"),
    ],
)
def test_unreadable_cvs_are_refused_with_a_clear_message(name: str, data: bytes, message: str) -> None:
    with translation.override("en"), pytest.raises(cv.CvError, match=message):
        cv.read_text(name=name, data=data)


def test_the_messages_are_in_plain_dutch() -> None:
    with translation.override("nl"), pytest.raises(cv.CvError, match="beveiligd met een wachtwoord"):
        cv.read_text(name="cv.pdf", data=_blank_pdf(password="x"))


@pytest.mark.django_db
def test_the_page_shows_the_message_and_stores_nothing(people: Any, settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"
    client = Client()
    client.force_login(people["learner"])
    response = client.post(
        reverse("passport:add-cv"),
        {"cv": SimpleUploadedFile("cv.pdf", _blank_pdf(password="x"))},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cv"]
    assert response.context.get("proposals") is None
    assert not PassportSkill.objects.exists()


def test_sections_split_at_headings_and_drop_the_title() -> None:
    parts = cv.sections("Curriculum vitae – Jan\n\nWerkervaring\nlasser\n\nOpleiding\nMBO\n")
    assert [p.heading for p in parts] == ["Werkervaring", "Opleiding"]
