"""Choosing an occupation in the check-up and on the movers page: search-and-choose without JavaScript,
the same suggestions the combobox shows, Dutch and English labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from tests.careers.conftest import A_SKILLS, OCC, A, B, C, add_member, make_user
from wendbaar.careers import services
from wendbaar.careers.models import CheckUp
from wendbaar.regions.constants import Role
from wendbaar.skills.models import Concept, Kind, Label, LabelKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_store(settings: Any, tmp_path: Path) -> None:
    settings.STORE_DIR = tmp_path / "store"


def test_half_a_word_in_dutch_or_english_finds_the_occupation(taxonomy: Any) -> None:
    with translation.override("nl"):
        (dutch,) = services.find_occupations("installatie")
        (english,) = services.find_occupations("Install")
    assert dutch.uri == english.uri == B
    assert dutch.label == english.label == "installatiemonteur"  # shown in the page's language
    assert english.matched == "installer"  # the label that matched
    assert services.find_occupations("  ") == []


def test_a_pick_from_a_list_wins_then_an_exact_label_then_the_choices(taxonomy: Any) -> None:
    assert services.choose_occupation(text="iets anders", uri=B) == (B, [])
    assert services.choose_occupation(text="Magazijnmedewerker") == (C, [])
    assert services.choose_occupation(text="warehouse worker") == (C, [])
    assert services.choose_occupation(text=A) == (A, [])
    chosen, choices = services.choose_occupation(text="verzorg")
    assert chosen is None and [c.uri for c in choices] == [A]
    assert services.choose_occupation(text="astronaut") == (None, [])
    assert services.choose_occupation(text="", uri=OCC + "onbekend") == (None, [])


def test_one_label_of_two_occupations_offers_both(taxonomy: Any) -> None:
    other = Concept.objects.create(uri=OCC + "monteur2", kind=Kind.OCCUPATION)
    Label.objects.create(concept=other, language="nl", kind=LabelKind.PREFERRED, text="monteur")
    Label.objects.create(concept=taxonomy[B], language="nl", kind=LabelKind.ALTERNATIVE, text="monteur")
    chosen, choices = services.choose_occupation(text="monteur")
    assert chosen is None
    assert {c.uri for c in choices[:2]} == {B, other.uri}


def test_without_javascript_find_my_job_lists_the_jobs_and_keeps_what_was_typed(
    taxonomy: Any, person: User, client: Client
) -> None:
    client.force_login(person)
    found = client.post(
        "/loopbaan/apk/nieuw/",
        {"region": "AM22", "occupation": "install", "skills": "veilig werken", "times": ["evening"],
         "find_occupation": "1"},
    )  # fmt: skip
    assert found.status_code == 200 and not CheckUp.objects.exists()
    page = found.content.decode()
    assert "Welk beroep bedoel je?" in page
    assert f'type="radio" name="occupation_uri" id="occupation-choice-1" value="{B}"' in page
    assert 'value="install"' in page and "veilig werken</textarea>" in page
    assert 'value="evening" checked' in page and 'value="AM22" selected' in page
    started = client.post(
        "/loopbaan/apk/nieuw/",
        {"region": "AM22", "occupation": "install", "occupation_uri": ["", B], "skills": "veilig werken"},
    )
    assert started.status_code == 302
    assert CheckUp.objects.get(person=person).occupation.uri == B


def test_a_text_that_is_no_job_is_refused_with_the_jobs_it_could_mean(
    taxonomy: Any, person: User, client: Client
) -> None:
    client.force_login(person)
    response = client.post("/loopbaan/apk/nieuw/", {"occupation": "magazijn", "skills": A_SKILLS[0]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies je beroep uit de lijst, of verander wat je typte." in page
    assert f'value="{C}"' in page
    nothing = client.post("/loopbaan/apk/nieuw/", {"occupation": "astronaut"})
    assert nothing.status_code == 400 and "Welk beroep bedoel je?" not in nothing.content.decode()


def test_a_job_chosen_in_the_combobox_comes_back_checked_when_another_field_is_wrong(
    taxonomy: Any, person: User, client: Client
) -> None:
    client.force_login(person)
    response = client.post(
        "/loopbaan/apk/nieuw/", {"occupation": "installatiemonteur", "occupation_uri": B, "skills": "vliegen"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'value="{B}" checked' in page
    assert 'name="occupation_uri" id="occupation-uri" value=""' in page  # the script's field starts empty


def test_the_movers_page_lets_a_coordinator_search_and_choose(taxonomy: Any, client: Client) -> None:
    coordinator = make_user("coordinator")
    add_member(coordinator, Role.COORDINATOR, region="AM22")
    client.force_login(coordinator)
    choices = client.get("/loopbaan/instroom/", {"beroep": "install"})
    assert choices.status_code == 200
    assert f'value="{B}"' in choices.content.decode() and "kunnen worden" not in choices.content.decode()
    chosen = client.get("/loopbaan/instroom/", {"beroep": "install", "occupation_uri": B})
    assert chosen.status_code == 200
    assert 'value="installatiemonteur"' in chosen.content.decode()  # the field shows the chosen job
    assert "Mensen die installatiemonteur kunnen worden" in chosen.content.decode()
    assert client.get("/loopbaan/instroom/", {"beroep": "astronaut"}).status_code == 404
