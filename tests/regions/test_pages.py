"""The add-organisation page: only for the region's coordinator and admins, with the service's rules."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from wendbaar.regions.constants import Role
from wendbaar.regions.models import Organisation
from wendbaar.web.demo import DemoWorld

pytestmark = pytest.mark.django_db


def english_client(language: str = "en") -> Client:
    """A client that chose `language` with the language switch (pages are Dutch first)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _client(world: DemoWorld, role: str) -> Client:
    client = english_client()
    client.force_login(world.users[role])
    return client


def test_coordinator_adds_an_organisation_to_their_region(demo_world: DemoWorld) -> None:
    client = _client(demo_world, Role.COORDINATOR)
    assert 'href="/regio/AM22/organisatie-toevoegen/"' in client.get("/regio/AM22/").content.decode()
    response = client.post(
        "/regio/AM22/organisatie-toevoegen/", {"name": "Bakkerij Rijnmond", "kvk": "33334444", "actor_type": "employer"}
    )
    assert response.status_code == 302 and response["Location"] == "/regio/AM22/"
    organisation = Organisation.objects.get(name="Bakkerij Rijnmond")
    assert list(organisation.regions.values_list("code", flat=True)) == ["AM22"]
    assert "has been added" in client.get("/regio/AM22/").content.decode()


def test_errors_of_the_rules_are_shown_at_the_fields_and_in_the_summary(demo_world: DemoWorld) -> None:
    client = _client(demo_world, Role.COORDINATOR)
    response = client.post(
        "/regio/AM22/organisatie-toevoegen/", {"name": "havenbouw demo bv", "kvk": "123", "actor_type": "employer"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_name"' in html and 'href="#id_kvk"' in html
    assert "already exists" in html and "8 digits" in html
    assert Organisation.objects.filter(name__iexact="havenbouw demo bv").count() == 1


def test_coordinator_of_another_region_may_not_add_here(demo_world: DemoWorld) -> None:
    client = _client(demo_world, Role.COORDINATOR)
    assert client.get("/regio/AM21/organisatie-toevoegen/").status_code == 403
    response = client.post("/regio/AM21/organisatie-toevoegen/", {"name": "X", "actor_type": "employer"})
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="X").exists()
    assert "organisatie-toevoegen" not in client.get("/regio/AM21/").content.decode()


def test_admin_may_add_in_any_region(demo_world: DemoWorld) -> None:
    response = _client(demo_world, Role.ADMIN).post(
        "/regio/AM01/organisatie-toevoegen/", {"name": "Groninger BV", "actor_type": "employer"}
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="Groninger BV").regions.get().code == "AM01"
