"""Demand's "skills in your own words" read by meaning once the engine has its semantic layer."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.demand.conftest import demand_data
from tests.skills.semantic_taxonomy import (
    COMPLAINTS,
    ELDERLY,
)
from wendbaar.demand import services
from wendbaar.regions.models import Municipality, Organisation
from wendbaar.skills.models import FoundBy


@pytest.mark.django_db
def test_demand_text_finds_english_only_skills(tiny_semantic: Path) -> None:
    text = "Onze medewerkers moeten oude mensen helpen bij hun dagelijkse verzorging."
    read = {uri: (evidence, by) for uri, evidence, by in services.read_text(text)}
    assert ELDERLY in read and COMPLAINTS not in read
    assert all(piece in text for piece in read[ELDERLY][0])
    # No label word of the skill is in the text: meaning found it.
    assert read[ELDERLY][1] == FoundBy.MEANING


def test_the_demand_page_says_per_skill_which_layer_read_it(
    tiny_semantic: Path,
    places: dict[str, Municipality],
    employers: list[Organisation],
    employer_users: list[User],
) -> None:
    text = "Onze medewerkers moeten oude mensen helpen bij hun dagelijkse verzorging."
    demand = services.create_demand(
        organisation=employers[0], data=demand_data(skills=[], text=text), by=employer_users[0], repool=False
    )
    row = demand.skills.get(skill__uri=ELDERLY)
    assert row.source == row.Source.TEXT and row.found_by == FoundBy.MEANING
    client = Client()
    client.force_login(employer_users[0])
    page = client.get(f"/vraag/{demand.uuid}", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'data-found-by="meaning">Gevonden op betekenis</span>' in page
    assert "Kijk of het klopt." in page
    # A picked skill was not read from a text: nothing to say about a layer.
    picked = services.create_demand(
        organisation=employers[0], data=demand_data(skills=[ELDERLY]), by=employer_users[0], repool=False
    )
    assert picked.skills.get().found_by == FoundBy.NOT_READ
    assert "data-found-by" not in client.get(f"/vraag/{picked.uuid}").content.decode()
