"""Catalogue tagging and search text read by meaning once the engine has its semantic layer."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.catalogue.conftest import course_data, make_staff
from tests.skills.semantic_taxonomy import (
    ELDERLY,
    FORKLIFT,
    WELD,
)
from wendbaar.catalogue import search, services
from wendbaar.catalogue.models import OfferingSkill
from wendbaar.regions.models import Municipality, Organisation
from wendbaar.skills.models import FoundBy


def test_an_offering_is_tagged_with_an_english_only_skill(
    tiny_semantic: Path, provider: Organisation, places: dict[str, Municipality]
) -> None:
    text = "Je leert oudere mensen helpen bij hun dagelijkse verzorging."
    offering = services.create_offering(
        provider=provider, data=course_data(title_nl="Zorg thuis", description_nl=text, credential_type="evc")
    )
    row = OfferingSkill.objects.get(offering=offering, skill__uri=ELDERLY)
    assert row.source == OfferingSkill.Source.ENGINE and not row.confirmed
    assert row.evidence and all(piece in f"Zorg thuis\n{text}" for piece in row.evidence)
    # No label word of the skill is in the text: meaning found it, and the pages say so per skill.
    assert row.found_by == FoundBy.MEANING
    client = Client()
    client.force_login(make_staff(provider, "docent"))
    edit = client.get(reverse("catalogue:offering-edit", args=[offering.uuid])).content.decode()
    assert '<td data-found-by="meaning">Gevonden op betekenis</td>' in edit
    public = client.get(reverse("catalogue:offering", args=[offering.uuid])).content.decode()
    assert "gevonden door Wendbaar op betekenis, nog niet gecontroleerd door de opleider" in public
    # Added by hand: not read from the text, the page names the source instead.
    added = services.add_skill(offering=offering, uri=WELD, by=None)
    assert added.found_by == FoundBy.NOT_READ


@pytest.mark.django_db
def test_a_search_text_in_other_words_finds_the_skill(tiny_semantic: Path) -> None:
    assert FORKLIFT in [uri for uri, _evidence in search.read_text("heftruck rijden")]
