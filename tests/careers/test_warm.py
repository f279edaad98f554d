"""A server process builds the careers' mobility index while it starts, not in a visitor's request."""

from __future__ import annotations

import pytest

from wendbaar.careers import mobility
from wendbaar.radar.dashboards import warm


@pytest.mark.django_db
def test_the_start_up_warm_up_builds_the_mobility_index() -> None:
    mobility.forget()
    assert not mobility._cache
    assert "careers" in warm.warm_apps()
    built = next(iter(mobility._cache.values()))
    assert mobility.index() is built  # the first visitor's request finds it
