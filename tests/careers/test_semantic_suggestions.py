"""The loopbaan-APK suggests skills for lines that are no skill's name, by meaning once it can."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from wendbaar.careers import services
from wendbaar.regions.models import Membership


@pytest.mark.django_db
def test_unknown_skill_lines_get_suggestions_found_by_meaning(tiny_semantic: Path) -> None:
    names, layer = services.suggest_skills(["heftruck rijden"])
    assert names == ["heftruck besturen"] and layer == "semantic"
    user = get_user_model().objects.create_user("werkende", password="pw-long-enough-1")
    Membership.objects.create(user=user, role="learner")
    client = Client()
    client.force_login(user)
    page = client.post(reverse("careers:start"), {"skills": "heftruck rijden", "region": ""})
    body = page.content.decode()
    assert page.status_code == 400, body[body.find("error-summary") :][:600]
    assert "heftruck besturen" in body and "op betekenis" in body
