"""The saved engine file is used only when it matches both the taxonomy and the engine code."""

from __future__ import annotations

import json
from pathlib import Path

from wendbaar.skills import services


def test_engine_file_from_other_engine_code_is_rebuilt(taxonomy: None, engine_path: Path) -> None:
    services.get_engine()
    assert services.engine_file_is_current(engine_path)
    meta_path = engine_path.with_name(engine_path.name + ".json")
    meta = json.loads(meta_path.read_text())
    meta["fingerprint"] = "wendbaar-engine/0.0.1+" + meta["fingerprint"].split("+", 1)[1]
    meta_path.write_text(json.dumps(meta))
    assert not services.engine_file_is_current(engine_path)
    services._engine_cache.clear()
    services.get_engine()
    assert services.engine_file_is_current(engine_path)


def test_engine_file_for_another_taxonomy_is_not_current(taxonomy: None, engine_path: Path) -> None:
    services.get_engine()
    assert not services.engine_file_is_current(engine_path, taxonomy="some other taxonomy")
