"""First use without stumbling (issue 23): one story about accounts, the login field in plain words,
permission names in the admin's language, forms that show every error at once, and links only to
pages the role may open."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from wendbaar.regions.constants import Role
from wendbaar.web.demo import DemoWorld

pytestmark = pytest.mark.django_db


def logged_in(world: DemoWorld, role: str, language: str = "nl") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(world.users[role])
    return client


def test_the_landing_and_login_pages_tell_the_same_story_about_accounts() -> None:
    ask = "Vraag het aan de coördinator van je regio"
    landing = Client().get("/").content.decode()
    login = Client().get(reverse("account_login")).content.decode()
    assert "coördinator" in landing and "coördinator" in login
    assert "/accounts/signup/" not in login and "Maak een account" not in login
    signup = Client().post(reverse("account_signup"), {"username": "nieuw", "password1": "x" * 12})
    assert signup.status_code != 302  # sign-up is closed: nobody gets an account without a coordinator
    assert ask in login and ask in landing


def test_the_login_field_says_what_to_fill_in() -> None:
    html = Client().get(reverse("account_login")).content.decode()
    label = re.search(r'<label for="id_login">(.*?)</label>', html, re.S)
    assert label is not None and "Gebruikersnaam of e-mailadres" in label.group(1)


def test_permission_names_follow_the_admin_language(demo_world: DemoWorld) -> None:
    user = demo_world.users[Role.ADMIN]
    user.is_staff = user.is_superuser = True
    user.save()
    html = logged_in(demo_world, Role.ADMIN).get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    options = re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', html)
    names = [o for o in options if " | " in o]
    assert names and not [n for n in names if "Can add" in n or "Can change" in n]
    assert any("Mag " in n and "toevoegen" in n for n in names)
    catalogue = logged_in(demo_world, Role.ADMIN).get("/admin/jsi18n/").content.decode()
    assert "Kies %s door" in catalogue or "Kies" in catalogue


def test_the_organisation_form_shows_every_error_at_once(demo_world: DemoWorld) -> None:
    client = logged_in(demo_world, Role.COORDINATOR)
    url = reverse("regions:organisation-create", kwargs={"code": "AM22"})
    response = client.post(url, {"name": "Havenbouw Demo BV", "kvk": "12ab", "actor_type": ""})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"name", "kvk", "actor_type"}, form.errors
    summary = re.search(r'<div class="error-summary".*?</div>', response.content.decode(), re.S)
    assert summary is not None and summary.group(0).count("<li>") >= 3


@pytest.mark.parametrize("role", [Role.LEARNER, Role.EMPLOYER, Role.PROVIDER, Role.FUND])
def test_no_link_to_adding_a_regional_skill_for_roles_that_may_not(demo_world: DemoWorld, role: str) -> None:
    html = logged_in(demo_world, role).get(reverse("skills:search")).content.decode()
    assert reverse("skills:regional-skill") not in html
    coordinator = logged_in(demo_world, Role.COORDINATOR).get(reverse("skills:search")).content.decode()
    assert reverse("skills:regional-skill") in coordinator
