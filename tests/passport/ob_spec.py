"""Helpers that read the official OB 3.0 spec files (examples, test vectors) by path; skip where absent."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.conftest import require_shared_data

SPEC_PARTS = ("..", "specs", "open-badges-3.0", "ob_v3p0")


def spec_dir() -> Path:
    return require_shared_data(*SPEC_PARTS)


def examples() -> list[tuple[str, dict[str, Any]]]:
    """Return (file name, credential) for every JSON example in the spec's examples folder."""
    found = []
    for path in sorted((spec_dir() / "examples").glob("*.html")):
        for match in re.finditer(r"<pre[^>]*>(.*?)</pre>", path.read_text(encoding="utf-8"), re.S):
            found.append((path.name, json.loads(match.group(1))))
    return found
