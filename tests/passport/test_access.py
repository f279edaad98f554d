"""Nobody reads a passport without a valid consent — by page, API, export or PDF — every read by
another party is logged, and revoking a consent stops access at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.passport.conftest import FORKLIFT, WELDING
from wendbaar.passport import services
from wendbaar.passport.constants import Scope
from wendbaar.passport.models import ViewLog

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def anna(skills: Any, people: Any) -> Any:
    person = people["learner"]
    services.add_skill(person=person, skill_uri=WELDING)
    services.issue_credential(
        issuer_organisation=people["provider_org"], recipient=person, achievement_name="Heftruck", skills=[FORKLIFT]
    )
    return person


def _reads(consent_uuid: Any) -> dict[str, str]:
    return {
        "page": reverse("passport:shared", args=[consent_uuid]),
        "pdf": reverse("passport:shared-pdf", args=[consent_uuid]),
        "api": f"/api/v1/shared-passports/{consent_uuid}",
    }


def test_no_role_reads_a_passport_without_consent_by_page_api_or_pdf(anna: Any, people: Any) -> None:
    # A consent to someone else gives an address, but no access to anybody else.
    consent = services.give_consent(
        person=anna, grantee=people["other"], valid_until=timezone.now() + timedelta(days=3)
    )
    for who in ("employer", "provider", "coordinator", "admin"):
        client = client_for(people[who])
        for channel, url in _reads(consent.uuid).items():
            response = client.get(url)
            assert response.status_code == 403, (who, channel, response.status_code)
        # Their own export is their own (empty) passport, never Anna's.
        export = client.get(reverse("passport:export-json")).json()
        assert export["person"]["username"] == people[who].username
        assert export["skills"] == [] and export["credentials"] == []
    assert not ViewLog.objects.exclude(viewer=people["other"]).exists()
    anonymous = Client()
    assert anonymous.get(_reads(consent.uuid)["page"]).status_code == 302
    assert anonymous.get(_reads(consent.uuid)["api"]).status_code in (401, 403)


def test_admin_sees_counts_only(anna: Any, people: Any) -> None:
    response = client_for(people["admin"]).get(reverse("passport:overview"))
    assert response.status_code == 200
    assert b"lassen" not in response.content.lower() and b"Heftruck" not in response.content
    assert response.context["counts"]["passports"] == 1


def test_every_read_with_consent_is_logged_and_revoking_stops_it_at_once(anna: Any, people: Any) -> None:
    consent = services.give_consent(
        person=anna, organisation=people["employer_org"], valid_until=timezone.now() + timedelta(days=3)
    )
    employer = client_for(people["employer"])
    reads = _reads(consent.uuid)
    page = employer.get(reads["page"])
    assert page.status_code == 200 and "lassen" in page.content.decode()
    pdf = employer.get(reads["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    api = employer.get(reads["api"])
    assert api.status_code == 200 and {s["uri"] for s in api.json()["skills"]} == {WELDING, FORKLIFT}
    log = list(ViewLog.objects.filter(person=anna).order_by("id"))
    assert [v.channel for v in log] == ["page", "pdf", "api"]
    assert all(v.viewer == people["employer"] and v.organisation == people["employer_org"] for v in log)
    # The owner sees the log.
    own = client_for(anna).get(reverse("passport:views"))
    assert own.status_code == 200 and own.content.decode().count("Bouwbedrijf De Vries") == 3
    # Revoke through the owner's sharing page: the very next read is refused.
    client_for(anna).post(reverse("passport:sharing"), {"revoke_consent": str(consent.uuid)})
    for url in reads.values():
        assert employer.get(url).status_code == 403
    assert ViewLog.objects.filter(person=anna).count() == 3


def test_the_view_log_is_read_a_page_at_a_time_newest_first(people: Any) -> None:
    from wendbaar.passport.views.sharing import ViewLogView

    person = people["learner"]
    total = 2 * ViewLogView.per_page + 7
    ViewLog.objects.bulk_create(
        ViewLog(person=person, viewer_name=f"kijker {i:03d}", channel="page", what="paspoort") for i in range(total)
    )
    owner = client_for(person)

    def names(page: object) -> list[str]:
        response = owner.get(reverse("passport:views"), {"page": page} if page is not None else {})
        assert response.status_code == 200
        return [v.viewer_name for v in response.context["views"]]

    first, second, last = names(None), names(2), names(3)
    assert len(first) == len(second) == ViewLogView.per_page and len(last) == 7
    everything = first + second + last
    assert len(set(everything)) == total  # every view on exactly one page
    newest_first = [v.viewer_name for v in ViewLog.objects.filter(person=person).order_by("-viewed_at", "-id")]
    assert everything == newest_first
    assert names(99) == last and names("abc") == first  # out of range or not a number: no error page
    html = owner.get(reverse("passport:views"), {"page": 2}).content.decode()
    assert 'href="?page=1"' in html and 'href="?page=3"' in html and "Pagina 2 van 3" in html


def test_a_skills_scope_shows_only_those_skills_by_page_and_api(anna: Any, people: Any) -> None:
    welding = services.skills_of(anna).get(skill__uri=WELDING)
    consent = services.give_consent(
        person=anna,
        grantee=people["other"],
        scope=Scope.SKILLS,
        skills=[welding],
        valid_until=timezone.now() + timedelta(days=1),
    )
    bram = client_for(people["other"])
    data = bram.get(_reads(consent.uuid)["api"]).json()
    assert [s["uri"] for s in data["skills"]] == [WELDING] and data["credentials"] == []
    assert "Heftruck" not in bram.get(_reads(consent.uuid)["page"]).content.decode()


def test_a_share_link_works_without_account_until_it_is_stopped(anna: Any, people: Any) -> None:
    link, token = services.create_share_link(
        person=anna, expires_at=timezone.now() + timedelta(days=2), label="sollicitatie"
    )
    url = reverse("passport:share-link", args=[token])
    assert Client().get(url).status_code == 200
    assert ViewLog.objects.filter(person=anna, share_link=link).count() == 1
    services.revoke_share_link(person=anna, link=link)
    assert Client().get(url).status_code == 404


def test_owner_pages_of_someone_else_are_refused(anna: Any, people: Any) -> None:
    entry = services.skills_of(anna).first()
    credential = services.credentials_of(anna).first()
    bram = client_for(people["other"])
    assert bram.get(reverse("passport:skill", args=[entry.uuid])).status_code == 403
    assert bram.get(reverse("passport:credential-json", args=[credential.uuid])).status_code == 403


def test_consent_form_names_every_problem_and_unknown_person(anna: Any, people: Any) -> None:
    response = client_for(anna).post(
        reverse("passport:sharing"),
        {"consent-person": "niemand-bekend", "consent-scope": "all", "consent-valid_until": "2001-01-01"},
    )
    errors = response.context["consent_form"].errors
    assert "person" in errors
    assert not anna.consents_given.exists()


def test_export_holds_everything_and_erasure_leaves_no_personal_data(anna: Any, people: Any) -> None:
    consent = services.give_consent(
        person=anna, grantee=people["other"], valid_until=timezone.now() + timedelta(days=1)
    )
    services.can_view(people["other"], anna, what="paspoort")
    # Anna also issued a credential to Bram as assessor-like staff: it must stay valid after her erasure.
    given = services.issue_credential(
        issuer_organisation=people["provider_org"],
        recipient=people["other"],
        achievement_name="Lassen",
        skills=[WELDING],
        issued_by=anna,
    )
    client = client_for(anna)
    data = client.get(reverse("passport:export-json")).json()
    assert {s["uri"] for s in data["skills"]} == {WELDING, FORKLIFT}
    assert data["credentials"][0]["credential"]["proof"]["type"] == "DataIntegrityProof"
    assert data["credentials"][0]["vc_jwt"].count(".") == 2
    assert data["consents"][0]["uuid"] == str(consent.uuid) and len(data["views"]) == 1
    pdf = client.get(reverse("passport:export-pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.post(reverse("passport:erase"), {"confirm": "yes"})
    assert services.export_passport(anna)["skills"] == [] and not services.credentials_of(anna).exists()
    from wendbaar.passport.models import Erasure

    erasure = Erasure.objects.get()
    assert erasure.counts["skills"] == 2 and "anna" not in str(erasure.counts)
    assert services.verify_credential(credential=given.jwt).valid
