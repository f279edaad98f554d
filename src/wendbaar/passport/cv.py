"""Read the text of a CV (plain text, DOCX or PDF) and split it into sections; nothing is stored.

Each refusal names what is wrong in words a job seeker understands (B1): too large, an unknown
format, a locked (encrypted) PDF, a PDF with only images (a scan), an unreadable file.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import cast

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024  # 5 MB: a CV of a few pages is far smaller; a larger file is most likely a scan
MIN_TEXT_CHARS = 40  # less text than this from a PDF of pages means it holds images, not text


class CvError(ValueError):
    """A CV that cannot be read, with a message for the person who uploaded it."""


@dataclass(frozen=True)
class Section:
    heading: str
    text: str


def read_text(*, name: str, data: bytes) -> str:
    """Return the text of an uploaded CV; CvError with a clear message when it cannot be read."""
    if len(data) > MAX_BYTES:
        raise CvError(_("The file is too large (at most 5 MB)."))
    if not data.strip():
        raise CvError(_("The file is empty."))
    lower = name.lower()
    if data.startswith(b"%PDF"):
        return _pdf_text(data)
    if data.startswith(b"PK") and (lower.endswith(".docx") or _is_docx(data)):
        return _docx_text(data)
    if lower.endswith((".txt", ".text", ".md")) or not lower.rpartition(".")[1]:
        return _plain_text(data)
    raise CvError(_("We cannot read this kind of file. Use a PDF, a Word file (.docx) or a text file (.txt)."))


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _plain_text(data: bytes) -> str:
    if b"\0" in data[:4096]:
        raise CvError(_("We cannot read this kind of file. Use a PDF, a Word file (.docx) or a text file (.txt)."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CvError(_("The text file has an unknown character encoding. Save it as UTF-8."))


def _docx_text(data: bytes) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise CvError(_("The Word file is damaged or not a .docx file.")) from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise CvError(_("The PDF is locked with a password. Save it again without a password and try again."))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except CvError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise CvError(_("The PDF is damaged and cannot be read.")) from exc
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise CvError(
            _("The PDF contains no text, only images (a scan?). Upload the original file, or type your skills.")
        )
    return text


HEADING = re.compile(
    r"^\s*(werkervaring|ervaring|opleiding(en)?|cursussen|vaardigheden|competenties|kennis|talen|"
    r"vrijwilligerswerk|hobby'?s|profiel|over mij|persoonlijke gegevens|certificaten|diploma'?s|"
    r"work experience|experience|education|skills|languages|volunteering|profile|certificates)\s*:?\s*$",
    re.IGNORECASE,
)


TITLE = re.compile(r"^\s*(curriculum\s+vitae|cv)\b", re.IGNORECASE)


def sections(text: str) -> list[Section]:
    """Split a CV into sections at headings such as 'Werkervaring' or 'Opleiding' (one section if none)."""
    found: list[Section] = []
    heading, lines = "", cast(list[str], [])
    for line in text.splitlines():
        if TITLE.match(line):
            continue  # "Curriculum vitae – name" says nothing about skills ("curriculum" is one in ESCO)
        if HEADING.match(line):
            if "".join(lines).strip():
                found.append(Section(heading, "\n".join(lines).strip()))
            heading, lines = line.strip().rstrip(":"), []
        else:
            lines.append(line)
    if "".join(lines).strip():
        found.append(Section(heading, "\n".join(lines).strip()))
    return found
