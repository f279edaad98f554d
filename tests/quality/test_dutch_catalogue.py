"""Every Dutch catalogue (nl django.po and djangojs.po of every app) speaks to the reader with "je", and
keeps the placeholders of its English message.

- One form of address: the product says "je/jouw" everywhere (B1 guidelines, the home pages). A msgstr
  with the polite "u", "uw" or "uzelf" as a whole word fails, with file, line and text.
- Placeholders: a msgstr must use exactly the named placeholders (%(name)s, {name}) of its msgid, and the
  same positional ones (%s, %d) in the same order (the singular of a plural message may leave out the
  count: "één persoon"). A name the code does not pass raises a KeyError at
  run time; a dropped one silently loses a number or a name.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.quality.po_catalogue import Entry, entries

SRC = Path(__file__).resolve().parents[2] / "src" / "wendbaar"
CATALOGUES = sorted(SRC.glob("**/locale/nl/LC_MESSAGES/*.po"))

# "u" or "uw" (or "uzelf") as a word of its own, in any case. A hyphen or apostrophe joins it to a word
# ("U-bocht", "u's"), which is not the form of address.
POLITE = re.compile(r"(?<![\w'’-])(?:u|uw|uzelf)(?![\w'’-])", re.IGNORECASE)
# "u" right after a number is the unit "uur" (9.00 u, 24 u per week), not the reader.
HOUR_UNIT = re.compile(r"\d\s?u(?![\w'’-])", re.IGNORECASE)
# Messages allowed to contain one of the words anyway: (catalogue relative to src/wendbaar, msgid) -> why.
# None so far; add one only with the reason it is not the form of address.
POLITE_ALLOWED: dict[tuple[str, str], str] = {}

_NAMED = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{(\w+)\}")
_POSITIONAL = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?([sdifr])")


def _where(po: Path, entry: Entry) -> str:
    return f"{po.relative_to(SRC)}:{entry.line}"


def polite_forms(po: Path) -> list[str]:
    """Return, per offending msgstr, where it is and what it says."""
    found = []
    for entry in entries(po):
        if entry.fuzzy or (str(po.relative_to(SRC)), entry.msgid) in POLITE_ALLOWED:
            continue
        for text in entry.msgstr.values():
            words = [m.group(0) for m in POLITE.finditer(HOUR_UNIT.sub(" ", text))]
            if words:
                found.append(f"{_where(po, entry)}: {'/'.join(words)} in {text!r}")
    return found


def placeholders(text: str) -> tuple[Counter[str], list[str]]:
    """Return the named placeholders of `text` (with their counts) and its positional ones in order."""
    text = text.replace("%%", "")
    named = Counter(a or b for a, b in _NAMED.findall(text))
    positional = _POSITIONAL.findall(_NAMED.sub("", text))
    return named, positional


def placeholder_mismatches(po: Path) -> list[str]:
    found = []
    for entry in entries(po):
        if entry.fuzzy:
            continue
        for form, text in entry.msgstr.items():
            if not text:
                continue  # untranslated: gettext shows the English
            english = entry.msgid_plural if form > 0 and entry.msgid_plural else entry.msgid
            (want_named, want_pos), (got_named, got_pos) = placeholders(english), placeholders(text)
            # The singular of a plural message serves n = 1 only (Dutch plural=(n != 1)), so it may say
            # "één persoon" without the count, as msgfmt --check-format allows; it may not add a name.
            singular = form == 0 and bool(entry.msgid_plural)
            named_ok = set(got_named) <= set(want_named) if singular else set(got_named) == set(want_named)
            if not named_ok or want_pos != got_pos:
                found.append(
                    f"{_where(po, entry)}: msgstr{f'[{form}]' if entry.msgid_plural else ''} has "
                    f"{sorted(got_named) + got_pos}, msgid has {sorted(want_named) + want_pos}: {text!r}"
                )
    return found


def test_there_are_dutch_catalogues_to_check() -> None:
    assert len(CATALOGUES) >= 9 and all(entries(po) for po in CATALOGUES)


@pytest.mark.parametrize("po", CATALOGUES, ids=[str(p.relative_to(SRC)) for p in CATALOGUES])
def test_dutch_speaks_to_the_reader_with_je(po: Path) -> None:
    found = polite_forms(po)
    assert not found, "use 'je/jouw' instead of 'u/uw':\n" + "\n".join(found)


@pytest.mark.parametrize("po", CATALOGUES, ids=[str(p.relative_to(SRC)) for p in CATALOGUES])
def test_dutch_keeps_the_placeholders_of_the_english(po: Path) -> None:
    found = placeholder_mismatches(po)
    assert not found, "\n".join(found)


PLANTED = """msgid ""
msgstr ""
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "What can you do?"
msgstr "Wat kunt u?"

msgid "Your CV"
msgstr ""
"Uw cv"

msgid "Tell us about yourself."
msgstr "Vertel iets over uzelf."

msgid "The course starts at 9:00."
msgstr "De cursus begint om 9.00 u."

msgid "Take the U-turn."
msgstr "Neem de U-bocht."

msgid "You get %(amount)s."
msgstr "Je krijgt %(bedrag)s."

msgid "%(n)s person"
msgid_plural "%(n)s people"
msgstr[0] "één persoon"
msgstr[1] "%(count)s personen"

msgid "%s of %d (100%%)"
msgstr "%d van %s (100%%)"

#, fuzzy
msgid "Old text"
msgstr "Uw oude tekst"
"""


def test_the_checks_find_planted_mistakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    po = tmp_path / "django.po"
    po.write_text(PLANTED, encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.SRC", tmp_path)
    polite = polite_forms(po)
    assert [p.split(":")[1] for p in polite] == ["6", "9", "13"], polite  # the hour unit, U-bocht, fuzzy pass
    assert "Wat kunt u?" in polite[0] and "uzelf" in polite[2]
    mismatches = placeholder_mismatches(po)
    assert [m.split(":")[1] for m in mismatches] == ["22", "26", "30"], mismatches
    assert "bedrag" in mismatches[0] and "msgstr[1]" in mismatches[1] and "count" in mismatches[1]
