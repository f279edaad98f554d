"""What a file people call CSV really is: text or not, and which character separates its columns."""

from __future__ import annotations

import io
from pathlib import Path

# Enough of the start of a file to tell text from a picture, a zip (an .xlsx) or a PDF.
PROBE = 8192
# Bytes that never occur in a text file (tab, line feed, form feed and carriage return do).
_CONTROL = set(range(0, 9)) | {11} | set(range(14, 32))
# Excel writes ';' where the decimal separator is a comma (the Dutch default), ',' elsewhere; tabs
# come from "tekst (tab-gescheiden)".
DELIMITERS = (";", ",", "\t")


def looks_binary(path: Path) -> bool:
    """Whether the file is not text: it holds a NUL byte or many other control bytes near its start."""
    with open(path, "rb") as fh:
        start = fh.read(PROBE)
    if not start:
        return False
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM is text, read elsewhere as such
        return False
    if b"\x00" in start:
        return True
    control = sum(1 for byte in start if byte in _CONTROL)
    return control > len(start) // 100


def delimiter(fh: io.TextIOWrapper) -> str:
    """The delimiter of the header line (the first line not a '#' comment); the stream is rewound."""
    start = fh.tell()
    header = ""
    for line in fh:
        if line.strip() and not line.startswith("#"):
            header = line
            break
    fh.seek(start)
    counts = {candidate: _count_outside_quotes(header, candidate) for candidate in DELIMITERS}
    best = max(DELIMITERS, key=lambda candidate: counts[candidate])  # ties keep the order above
    return best if counts[best] else ","


def _count_outside_quotes(line: str, character: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == character and not quoted:
            count += 1
    return count
