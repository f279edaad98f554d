"""The passport's "type your skills in your own words" reads by meaning once the layer is there."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.skills.semantic_taxonomy import (
    ELDERLY,
    FORKLIFT,
)
from wendbaar.passport import proposals
from wendbaar.regions.models import Membership

pytestmark = pytest.mark.django_db


def test_own_words_find_english_only_skills_and_other_words(tiny_semantic: Path) -> None:
    text = "Ik help oude mensen met hun dagelijkse verzorging\nheftruck rijden"
    found = {p.uri: p for p in proposals.propose_for_text(text)}
    assert ELDERLY in found and FORKLIFT in found
    # The words shown under a proposal are the person's own, never the engine's marker.
    for proposal in (found[ELDERLY], found[FORKLIFT]):
        assert proposal.matched and all(words in text for words in proposal.matched)


def test_the_page_says_it_read_by_meaning(tiny_semantic: Path) -> None:
    user = get_user_model().objects.create_user("leerling", password="pw-long-enough-1")
    Membership.objects.create(user=user, role="learner")
    client = Client()
    client.force_login(user)
    page = client.post(reverse("passport:add-text"), {"text": "heftruck rijden"})
    body = page.content.decode()
    assert page.status_code == 200, body[:500]
    assert 'data-engine-layer="semantic"' in body and "heftruck besturen" in body
