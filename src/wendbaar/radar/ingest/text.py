"""Text normalisation for vacancies: HTML to text, folding for comparison, hashes."""

from __future__ import annotations

import functools
import hashlib
import html
import re
import unicodedata

from selectolax.lexbor import LexborHTMLParser as HTMLParser

_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_BLOCK_TAGS = re.compile(r"<\s*(br|/p|/li|/h[1-6]|/div|/tr)\b[^>]*>", re.IGNORECASE)
_WORD = re.compile(r"\w+")


def html_to_text(value: str) -> str:
    """Return readable plain text: tags removed (block tags become line breaks), entities decoded."""
    if _TAG.search(value):
        value = _BLOCK_TAGS.sub(lambda m: m.group(0) + "\n", value)
        tree = HTMLParser(value)
        for node in tree.css("script, style"):
            node.decompose()
        value = tree.text(separator="") if tree.body is None else tree.body.text(separator="")
    value = html.unescape(value)
    if "  " in value or "\t" in value or "\r" in value or "\f" in value or "\v" in value:
        value = _SPACES.sub(" ", value)  # a regex pass costs as much as the rest; most texts need none
    value = _BLANK_LINES.sub("\n\n", value)
    return "\n".join(line.strip() for line in value.split("\n")).strip()


@functools.lru_cache(maxsize=256)
def _marks_pattern(marks: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(marks) + "]")


def _unmarked_lower(value: str) -> str:
    """Return lower-case text without diacritics (and with one kind of apostrophe)."""
    value = unicodedata.normalize("NFKD", value)
    if not value.isascii():
        # Drop the combining marks NFKD split off. Asking per distinct character and removing them
        # with one regex is ten times faster than a Python test per character on 300-word texts.
        marks = "".join(sorted(ch for ch in set(value) if unicodedata.combining(ch)))
        if marks:
            value = _marks_pattern(marks).sub("", value)
    return value.replace("\u2019", "'").replace("`", "'").lower()


def fold(value: str) -> str:
    """Return lower-case text without diacritics and with single spaces, for comparing names."""
    return " ".join(_unmarked_lower(value).split())


def comparable(value: str) -> str:
    """Return the words of a text, folded, for near-duplicate comparison (the same as the words of
    `fold(value)`, without first collapsing the spaces the words are cut from)."""
    return " ".join(_WORD.findall(_unmarked_lower(value)))


def short_hash(*parts: str) -> str:
    """Return a 16-hex-digit SHA-1 of the parts joined by a separator."""
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]  # noqa: S324 - not security
