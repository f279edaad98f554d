"""Helpers the API tests of several apps share: a logged-in test client, and a 400's invalid parameters."""

from __future__ import annotations

from typing import Any

from django.test import Client


def as_user(user: Any) -> Client:
    """A test client logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def invalid(response: Any) -> dict[str, str]:
    """Assert a 400 problem+json answer; return {field name: error code} from its invalidParams."""
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return {p["name"]: p["code"] for p in response.json()["invalidParams"]}
