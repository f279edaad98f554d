"""Which text encoding a file has: UTF-8 (with or without BOM), else Windows-1252."""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


def detect_encoding(stream: BinaryIO) -> str:
    """Return 'utf-8-sig' if the whole stream decodes as UTF-8, else 'cp1252' (or 'latin-1')."""
    start = stream.tell()
    bom = stream.read(2)
    stream.seek(start)
    if bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):  # Excel's "Unicode text" export
        return "utf-16"
    decoder: codecs.IncrementalDecoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    finally:
        stream.seek(start)
    # Windows-1252 leaves five bytes undefined; a file using them is read as Latin-1 instead of failing.
    decoder = codecs.getincrementaldecoder("cp1252")()
    try:
        while chunk := stream.read(CHUNK):
            decoder.decode(chunk)
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"
    finally:
        stream.seek(start)


def open_text(path: Path) -> io.TextIOWrapper:
    """Open a file as text in its detected encoding; newlines kept as written (for csv)."""
    raw = open(path, "rb")  # noqa: SIM115 - handed to the TextIOWrapper, which closes it
    encoding = detect_encoding(raw)
    return io.TextIOWrapper(raw, encoding=encoding, newline="")
