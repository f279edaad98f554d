"""Reading a JSON file of funds for `wendbaar funding fund-create --from FILE`: one fund (an object) or several (a
list of objects), each with the line it starts on and the line of each of its fields, so that an error can name
the field and its line. Only the file's shape is checked here; the rules are `services.create_fund`'s."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _


class FileRefused(Exception):
    """The file cannot be read as funds; the message names the line."""


@dataclass(frozen=True)
class FundInFile:
    data: dict[str, Any]
    line: int  # where the fund's object starts
    field_lines: dict[str, int]  # where each of its fields is

    def line_of(self, field: str) -> int:
        return self.field_lines.get(field.split(".")[0], self.line)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _read_object(text: str, start: int, decoder: json.JSONDecoder) -> tuple[FundInFile, int]:
    try:
        value, end = decoder.raw_decode(text, start)
    except json.JSONDecodeError as error:
        raise FileRefused(_("line %(line)s: this is not valid JSON (%(error)s).") % {
            "line": error.lineno, "error": error.msg}) from None  # fmt: skip
    line = _line(text, start)
    if not isinstance(value, dict):
        raise FileRefused(_("line %(line)s: a fund is an object with its fields ({ … }).") % {"line": line})
    body = text[start:end]
    field_lines = {}
    for key in value:
        found = re.search(re.escape(json.dumps(key)) + r"\s*:", body)
        field_lines[key] = _line(text, start + found.start()) if found else line
    return FundInFile(value, line, field_lines), end


def read_funds(path: Path) -> list[FundInFile]:
    """The funds in the file at `path`, in order; refused (naming the line) when it is not such a file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise FileRefused(_("cannot read the file: %(error)s") % {"error": error}) from None
    decoder = json.JSONDecoder()
    position = len(text) - len(text.lstrip())
    if text.startswith("[", position):
        funds, position = [], position + 1
        while True:
            position += len(text[position:]) - len(text[position:].lstrip())
            if text.startswith("]", position):
                position += 1
                break
            fund, position = _read_object(text, position, decoder)
            funds.append(fund)
            position += len(text[position:]) - len(text[position:].lstrip())
            if text.startswith(",", position):
                position += 1
            elif not text.startswith("]", position):
                raise FileRefused(_("line %(line)s: expected a comma or ] after a fund.") % {
                    "line": _line(text, position)})  # fmt: skip
    else:
        fund, position = _read_object(text, position, decoder)
        funds = [fund]
    if text[position:].strip():
        raise FileRefused(_("line %(line)s: there is more after the funds.") % {"line": _line(text, position)})
    if not funds:
        raise FileRefused(_("line 1: the file has no funds."))
    return funds
