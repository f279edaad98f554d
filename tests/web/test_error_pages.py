"""Errors a person can act on (issue 23): 403, 404 and 500 pages in the site layout with B1 text and a
way back; one log line per refusal; our own favicon; help texts the inputs point at exist."""

from __future__ import annotations

import logging
import re

import pytest
from django.conf import settings
from django.test import Client

from wendbaar.regions.constants import Role
from wendbaar.web.demo import DemoWorld

pytestmark = pytest.mark.django_db


def client_for(world: DemoWorld, role: str, language: str = "nl") -> Client:
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(world.users[role])
    return client


def _in_layout_with_a_way_back(html: str) -> None:
    assert 'class="site-nav"' in html and 'href="/"' in html and "<h1>" in html
    assert 'class="site-footer"' in html


def test_403_is_a_page_in_the_layout_with_a_way_back(demo_world: DemoWorld) -> None:
    response = client_for(demo_world, Role.LEARNER).get("/radar/inlezen/")
    assert response.status_code == 403
    html = response.content.decode()
    _in_layout_with_a_way_back(html)
    assert "Je mag deze pagina niet openen" in html and "Forbidden" not in html
    english = client_for(demo_world, Role.LEARNER, "en").get("/radar/inlezen/").content.decode()
    assert "You may not open this page" in english


def test_404_is_a_page_in_the_layout_with_a_way_back(demo_world: DemoWorld) -> None:
    response = client_for(demo_world, Role.EMPLOYER).get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    _in_layout_with_a_way_back(html)
    assert "Deze pagina bestaat niet" in html and "Not Found" not in html
    anonymous = Client().get("/bestaat-niet/")
    assert anonymous.status_code == 404 and "Deze pagina bestaat niet" in anonymous.content.decode()


def test_500_is_a_page_in_the_layout_and_an_api_problem(demo_world: DemoWorld, settings: object) -> None:
    settings.ROOT_URLCONF = "tests.web.urls_with_a_broken_page"  # type: ignore[attr-defined]
    client = client_for(demo_world, Role.COORDINATOR)
    response = client.get("/kapot/")
    assert response.status_code == 500
    html = response.content.decode()
    _in_layout_with_a_way_back(html)
    assert "Er ging iets mis" in html
    api = client.get("/api/v1/kapot", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 500 and api["Content-Type"] == "application/problem+json"
    assert api.json()["title"] == "Server error"


def test_a_refusal_is_logged_as_one_line(demo_world: DemoWorld, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client_for(demo_world, Role.LEARNER).get("/radar/inlezen/")
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    line = logging.Formatter().format(record)
    assert "Forbidden" in line and "/radar/inlezen/" in line
    assert "\n" not in line and record.exc_info is None


def test_the_site_has_its_own_favicon() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert 'rel="icon"' in Client().get("/").content.decode()


def test_the_upload_page_help_texts_carry_the_ids_the_inputs_point_at(demo_world: DemoWorld) -> None:
    html = client_for(demo_world, Role.COORDINATOR).get("/radar/inlezen/").content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert {"id_files_helptext", "id_source_helptext", "id_skip_invalid_helptext"} <= set(described)
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    assert not [ref for refs in described for ref in refs.split() if ref not in ids]
