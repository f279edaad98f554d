"""Text normalisation for vacancies: HTML to text, folding for comparison, hashes."""

from __future__ import annotations

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
    value = _SPACES.sub(" ", value)
    value = _BLANK_LINES.sub("\n\n", value)
    return "\n".join(line.strip() for line in value.split("\n")).strip()


def fold(value: str) -> str:
    """Return lower-case text without diacritics and with single spaces, for comparing names."""
    value = unicodedata.normalize("NFKD", value)
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = value.replace("\u2019", "'").replace("`", "'").lower()
    return " ".join(value.split())


def comparable(value: str) -> str:
    """Return the words of a text, folded, for near-duplicate comparison."""
    return " ".join(_WORD.findall(fold(value)))


def short_hash(*parts: str) -> str:
    """Return a 16-hex-digit SHA-1 of the parts joined by a separator."""
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]  # noqa: S324 - not security
