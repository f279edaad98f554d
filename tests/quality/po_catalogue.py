"""A small reader for gettext .po files: the entries with their line numbers (polib is not a dependency).

Each entry gives its msgid, its msgid_plural, its msgstr forms (index -> text, escapes undone) and the line
of its first msgstr, so a test can point at the exact spot in the file. Obsolete entries (`#~`) and the
header (empty msgid) are left out; fuzzy entries are kept with `fuzzy` set, since gettext does not use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    line: int = 0  # line of the first msgstr
    fuzzy: bool = False


def entries(po: Path) -> list[Entry]:
    """Return the translatable entries of `po`, in file order."""
    found: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None
    fuzzy = False

    def close() -> None:
        nonlocal current, target, fuzzy
        if current.msgid and current.msgstr:
            found.append(current)
        current, target, fuzzy = Entry(), None, False

    for number, raw in enumerate(po.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            close()
        elif line.startswith("#~"):
            target = None
        elif line.startswith("#,"):
            fuzzy = fuzzy or "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif match := _KEYWORD.match(line):
            keyword, index, text = match.group(1), match.group(2), _unescape(match.group(3))
            if keyword == "msgid" and (current.msgid or current.msgstr):
                close()  # entries without a blank line between them
            if keyword.startswith("msgstr"):
                form = int(index) if index is not None else 0
                current.msgstr[form] = text
                current.line = current.line or number
                current.fuzzy = fuzzy
                target = ("msgstr", form)
            else:
                setattr(current, keyword, text)
                target = (keyword, -1)
        elif (match := _CONTINUATION.match(line)) and target is not None:
            text = _unescape(match.group(1))
            if target[0] == "msgstr":
                current.msgstr[target[1]] += text
            else:
                setattr(current, target[0], getattr(current, target[0]) + text)
        else:
            raise ValueError(f"{po}:{number}: not a .po line: {raw!r}")
    close()
    return found
