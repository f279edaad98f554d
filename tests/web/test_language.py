"""Dutch first: Dutch unless the person chose English with the switch."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_an_english_browser_still_gets_dutch_first(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl"' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_choice_wins(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_the_api_follows_accept_language(client: Client) -> None:
    english = client.get("/api/v1/regions", HTTP_ACCEPT_LANGUAGE="en")
    dutch = client.get("/api/v1/regions", HTTP_ACCEPT_LANGUAGE="nl")
    assert english["Content-Language"] == "en"
    assert dutch["Content-Language"] == "nl"
