"""Home page per role, the layout's landmarks and language switch, region and organisation pages."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from wendbaar.regions.constants import Role
from wendbaar.web.demo import DemoWorld

pytestmark = pytest.mark.django_db


def english_client(language: str = "en") -> Client:
    """A client that chose `language` with the language switch (pages are Dutch first)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _get(world: DemoWorld, role: str, url: str, language: str = "en") -> str:
    client = english_client(language)
    client.force_login(world.users[role])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_landing_page_invites_to_log_in() -> None:
    html = english_client().get("/").content.decode()
    assert "Keep learning, in your region" in html
    assert 'href="/accounts/login/"' in html


HEADINGS = [
    (Role.LEARNER, "For you as a worker or job seeker"),
    (Role.EMPLOYER, "For you as an employer"),
    (Role.PROVIDER, "For you as a school or training provider"),
    (Role.COORDINATOR, "For you as a regional coordinator"),
    (Role.FUND, "For you as a fund or municipality"),
    (Role.ADMIN, "For you as an administrator"),
]


@pytest.mark.parametrize(("role", "heading"), HEADINGS)
def test_home_page_shows_what_the_role_can_do(demo_world: DemoWorld, role: str, heading: str) -> None:
    html = _get(demo_world, role, "/")
    assert heading in html
    shown = [text for _role, text in HEADINGS if text in html]
    assert shown == [heading], "only the role's own section"


@pytest.mark.parametrize("role", [role for role, _heading in HEADINGS])
def test_every_link_on_the_home_page_opens_for_that_role(demo_world: DemoWorld, role: str) -> None:
    # The home page tells each role what it can do here: each card must lead to a page it may see,
    # and it names no feature as coming "soon" (the loop is built).
    html = _get(demo_world, role, "/", language="nl")
    main = html[html.index("<main") : html.index("</main>")]
    links = sorted(set(re.findall(r'href="(/[^"#]*)"', main)) - {"/api/v1/openapi.json"})
    assert len(links) >= 3
    client = Client()
    client.force_login(demo_world.users[role])
    broken = {url: client.get(url).status_code for url in links}
    assert all(status == 200 for status in broken.values()), broken
    assert "Binnenkort" not in main


def test_page_titles_name_the_page_and_the_site(demo_world: DemoWorld) -> None:
    # "Page – Wendbaar" everywhere (the home page said "HomeWendbaar", an app's start page "Loopbaan-APKWendbaar").
    titles = {url: re.search(r"<title>(.*?)</title>", _get(demo_world, Role.LEARNER, url), re.S).group(1)  # type: ignore[union-attr]
              for url in ["/", "/loopbaan/", "/hub/"]}  # fmt: skip
    assert titles["/"] == "Home – Wendbaar"
    assert titles["/loopbaan/"].endswith(" – Wendbaar") and titles["/hub/"].endswith(" – Wendbaar"), titles


def test_coordinator_home_links_their_region_and_employer_their_organisation(demo_world: DemoWorld) -> None:
    assert 'href="/regio/AM22/"' in _get(demo_world, Role.COORDINATOR, "/")
    organisation = demo_world.organisations["Havenbouw Demo BV"]
    assert f'href="/regio/organisatie/{organisation.uuid}/"' in _get(demo_world, Role.EMPLOYER, "/")


def test_mfa_link_only_for_staff(demo_world: DemoWorld) -> None:
    assert 'href="/accounts/2fa/"' in _get(demo_world, Role.ADMIN, "/")
    assert "/accounts/2fa/" not in _get(demo_world, Role.LEARNER, "/")


def test_layout_has_landmarks_skip_link_first_and_a_post_logout(demo_world: DemoWorld) -> None:
    html = _get(demo_world, Role.LEARNER, "/")
    body = html[html.index("<body>") :]
    first_focusable = re.search(r"<(a|button|input|select)\b[^>]*>", body)
    assert first_focusable and 'class="skip-link"' in first_focusable.group(0)
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert re.search(r'<form action="/accounts/logout/" method="post"', html)
    assert html.count("<h1") == 1


def test_html_lang_follows_the_language_switch(demo_world: DemoWorld) -> None:
    client = Client()
    client.force_login(demo_world.users[Role.LEARNER])
    assert '<html lang="nl">' in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html and "For you as a worker or job seeker" in html


def test_dutch_is_the_default_language(demo_world: DemoWorld) -> None:
    html = _get(demo_world, Role.LEARNER, "/", language="nl")
    assert "Voor jou als werkende of werkzoekende" in html


def test_region_page_lists_municipalities_and_organisations(demo_world: DemoWorld) -> None:
    from tests.conftest import FIXTURES
    from wendbaar.regions.services import import_boundaries

    small = FIXTURES / "regions"
    import_boundaries(paths=[small / "arbeidsmarktregio_small.topojson", small / "gemeente_small.topojson"])
    html = _get(demo_world, Role.LEARNER, "/regio/AM22/")
    assert "Rotterdam" in html and "Schiedam" in html and "Gravenhage" not in html
    assert "Havenbouw Demo BV" in html and "<svg" in html
    assert "Rijnmond" in _get(demo_world, Role.LEARNER, "/regio/")


def test_organisation_page_shows_its_people(demo_world: DemoWorld) -> None:
    organisation = demo_world.organisations["Havenbouw Demo BV"]
    html = _get(demo_world, Role.COORDINATOR, f"/regio/organisatie/{organisation.uuid}/")
    assert "Erik Werkgever" in html and "90000001" in html


def test_login_page_uses_our_layout_and_reports_errors_at_the_top() -> None:
    client = english_client()
    html = client.get("/accounts/login/").content.decode()
    assert 'class="skip-link"' in html and '<label for="id_login">' in html
    html = client.post("/accounts/login/", {"login": "", "password": ""}).content.decode()
    assert 'class="error-summary"' in html and 'href="#id_login"' in html
    # The input points at its own error text, so a screen reader reads it with the field.
    assert 'id="id_login_error"' in html
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="id_login_error"', html)
