"""A small, independent RFC 5545 reader for the tests: the second parser of our iCalendar feeds.

It checks what the `icalendar` library is lenient about: CRLF line ends, lines of at most 75
octets, properly folded continuation lines, balanced BEGIN/END, and it reads DATE-TIME values with
their TZID itself (through zoneinfo), so a wrong local time cannot hide behind the library.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

NAME = re.compile(r"^[A-Za-z0-9-]+$")


@dataclass
class Component:
    name: str
    properties: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def get(self, name: str) -> tuple[dict[str, str], str]:
        for prop, params, value in self.properties:
            if prop == name:
                return params, value
        raise KeyError(name)

    def all(self, kind: str) -> list[Component]:
        return [c for c in self.children if c.name == kind]


def unfold(data: bytes) -> list[str]:
    """Check line ends and lengths, then join folded lines (RFC 5545 §3.1)."""
    assert data.endswith(b"\r\n"), "content lines end with CRLF"
    raw = data.split(b"\r\n")[:-1]
    for line in raw:
        assert b"\n" not in line and b"\r" not in line, "bare LF or CR inside a content line"
        assert len(line) <= 75, f"content line longer than 75 octets: {line[:40]!r}…"
    lines: list[str] = []
    for line in raw:
        text = line.decode("utf-8")
        if text[:1] in (" ", "\t"):
            assert lines, "a continuation line cannot come first"
            lines[-1] += text[1:]
        else:
            lines.append(text)
    return lines


def _split(line: str) -> tuple[str, dict[str, str], str]:
    # The value starts after the first colon that is not inside a quoted parameter value.
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = line[:index], line[index + 1 :]
            break
    else:
        raise AssertionError(f"no colon in content line: {line!r}")
    name, *params = head.split(";")
    assert NAME.match(name), f"bad property name {name!r}"
    parsed = {}
    for param in params:
        key, _eq, val = param.partition("=")
        parsed[key.upper()] = val.strip('"')
    return name.upper(), parsed, value


def parse(data: bytes) -> Component:
    """Return the VCALENDAR of `data`, with nested components."""
    stack: list[Component] = []
    root: Component | None = None
    for line in unfold(data):
        name, params, value = _split(line)
        if name == "BEGIN":
            component = Component(value.upper())
            if stack:
                stack[-1].children.append(component)
            else:
                assert root is None, "one VCALENDAR per stream here"
                root = component
            stack.append(component)
        elif name == "END":
            open_name = stack[-1].name if stack else None
            assert open_name == value.upper(), f"END:{value} does not close {open_name}"
            stack.pop()
        else:
            assert stack, f"property outside a component: {name}"
            stack[-1].properties.append((name, params, value))
    assert root is not None and not stack, "unbalanced BEGIN/END"
    return root


def unescape(text: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def date_time(params: dict[str, str], value: str) -> dt.datetime:
    """Read a DATE-TIME: UTC ("Z"), or local time in the zone its TZID names."""
    if value.endswith("Z"):
        return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    local = dt.datetime.strptime(value, "%Y%m%dT%H%M%S")
    assert "TZID" in params, "a local DATE-TIME in a feed needs its TZID"
    return local.replace(tzinfo=ZoneInfo(params["TZID"]))
