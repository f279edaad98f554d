"""API robustness gate: ~1,000 schemathesis cases against the committed OpenAPI, as every role.

0 server errors, 0 responses the schema does not describe, every error application/problem+json.
A planted 500 proves the gate fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from rest_framework.authtoken.models import Token

from tests.conftest import FIXTURES
from tests.quality.api_fuzz import fuzz, known_items
from tests.web.role_matrix import ANONYMOUS
from wendbaar.skills.services import import_taxonomy
from wendbaar.web.demo import DemoWorld

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES_PER_OPERATION = 6  # x ~27 operations x 7 roles ≈ 1,100 cases


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Call the WSGI application as Django's test client does: without closing the test's connection
    at each request's start and end (it holds the test transaction; PostgreSQL would lose it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _tokens(world: DemoWorld) -> dict[str, str | None]:
    tokens: dict[str, str | None] = {ANONYMOUS: None}
    for role, user in world.users.items():
        tokens[str(role)] = Token.objects.get_or_create(user=user)[0].key
    return tokens


def test_schemathesis_finds_nothing(demo_world: DemoWorld) -> None:
    esco = FIXTURES / "esco"
    import_taxonomy(paths=[esco / "v1.1.1", esco / "v1.2.0-nl"])  # real occupations and skills to find
    app, tokens = get_wsgi_application(), _tokens(demo_world)
    result = fuzz(app, tokens, examples=EXAMPLES_PER_OPERATION)
    known_items(app, tokens, result)
    print(f"{result.cases} cases, per role {result.per_role}")
    assert result.cases >= 1000
    assert not result.failures, "\n\n".join(f"{k}: {v}" for k, v in sorted(result.failures.items()))


def test_the_fuzz_gate_finds_a_planted_500(demo_world: DemoWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    from wendbaar.regions import api

    def explode(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("planted")

    monkeypatch.setattr(api.MunicipalityViewSet, "list", explode)
    result = fuzz(get_wsgi_application(), {"admin": _tokens(demo_world)["admin"]}, examples=2)
    assert any("GET /api/v1/municipalities -> 500" in key for key in result.failures), list(result.failures)
