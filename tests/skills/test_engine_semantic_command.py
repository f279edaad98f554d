"""`wendbaar engine build --semantic` on the fixture taxonomy: label vectors, progress bar, cache."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from wendbaar.skills import services

from .conftest import NURSE


@pytest.mark.slow
def test_build_semantic_link_and_rebuild_from_the_cache(taxonomy: None, settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    err = StringIO()
    call_command("engine", "build", "--semantic", stdout=StringIO(), stderr=err)
    assert "Embedding labels [" in err.getvalue()
    assert (tmp_path / "engine-vectors.sqlite").exists()
    services._engine_cache.clear()
    engine = services.get_engine()
    assert engine.has_semantic
    out = StringIO()
    call_command("engine", "link", "ziekenverpleger", "--semantic", stdout=out)
    assert NURSE in out.getvalue().splitlines()[0]
    # A rebuild embeds nothing: every label vector is in the cache.
    err = StringIO()
    call_command("engine", "build", "--semantic", stdout=StringIO(), stderr=err)
    assert "nothing to embed" in err.getvalue()


def test_semantic_options_need_a_semantic_engine(taxonomy: None) -> None:
    call_command("engine", "build", stdout=StringIO())
    services._engine_cache.clear()
    with pytest.raises(CommandError, match="--semantic"):
        call_command("engine", "link", "verpleegkundige", "--semantic", stdout=StringIO())
