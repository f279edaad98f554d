"""A provider answers a gap with a proposal linked to one of its own offerings: on the gap page and over the
API; another provider's offering is refused with an error naming it; coordinators see the link (page, export)."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from tests.demand.conftest import HYGIENE, demand_data, make_provider, make_staff, welding_course
from wendbaar.catalogue import services as catalogue
from wendbaar.demand import services
from wendbaar.demand.models import Gap, Proposal

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def gap(taxonomy, places, employers) -> Gap:  # type: ignore[no-untyped-def]
    for organisation in employers:
        services.create_demand(organisation=organisation, data=demand_data(skills=[HYGIENE]))
    return Gap.objects.get()


@pytest.fixture
def rival(db: None):  # type: ignore[no-untyped-def]
    """A second provider in the gap's region: it sees the gap too, but its offerings are not ours."""
    return make_provider("Concurrent Opleidingen", "AM22")


def test_the_gap_page_offers_only_the_providers_own_offerings_and_links_one(gap, provider, rival, coordinator) -> None:
    own = welding_course(provider, data={"title_nl": "Eigen cursus lassen"})
    theirs = welding_course(rival, data={"title_nl": "Cursus van de buren"})
    client = client_for(make_staff(provider, "docent"))
    page = client.get(f"/vraag/gaten/{gap.uuid}").content.decode()
    assert f'value="{own.uuid}"' in page and "Eigen cursus lassen" in page
    assert str(theirs.uuid) not in page and "Cursus van de buren" not in page

    response = client.post(f"/vraag/gaten/{gap.uuid}", {"message": "Wij passen onze cursus aan.", "offering": own.uuid})
    assert response.status_code == 302
    assert Proposal.objects.get().offering == own

    # The coordinator sees which offering answers the gap, on the page and in the export.
    coordinating = client_for(coordinator)
    shown = coordinating.get(f"/vraag/gaten/{gap.uuid}").content.decode()
    assert f'href="/aanbod/{own.uuid}"' in shown and "Eigen cursus lassen" in shown
    rows = list(csv.reader(io.StringIO(coordinating.get("/vraag/gaten.csv").content.decode())))
    assert rows[0][-1] == "proposed_offerings"
    assert rows[1][-1] == f"Eigen cursus lassen (ROC Testrijn, {own.uuid})" and rows[1][-2] == "1"


def test_another_providers_offering_is_refused_on_the_page_and_nothing_is_written(gap, provider, rival) -> None:
    theirs = welding_course(rival, data={"title_nl": "Cursus van de buren"})
    client = client_for(make_staff(provider, "docent"))
    response = client.post(
        f"/vraag/gaten/{gap.uuid}", {"message": "Wij doen het met hun cursus.", "offering": theirs.uuid}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Cursus van de buren" in content and "een andere opleider" in content and "ROC Testrijn" in content
    assert not Proposal.objects.exists()
    garbage = client.post(f"/vraag/gaten/{gap.uuid}", {"message": "Wij bieden dit.", "offering": "geen-uuid"})
    assert garbage.status_code == 200 and "geen-uuid" in garbage.content.decode()
    assert not Proposal.objects.exists()


def test_an_archived_offering_is_refused_by_the_service(gap, provider) -> None:
    from django.core.exceptions import ValidationError

    old = welding_course(provider, data={"title_nl": "Oude cursus"})
    catalogue.update_offering(offering=old, data={"status": "archived"})
    staff = make_staff(provider, "docent")
    assert old not in services.proposable_offerings([provider])
    with pytest.raises(ValidationError) as caught:
        services.propose(gap=gap, provider=provider, data={"message": "Oud", "offering": str(old.uuid)}, by=staff)
    assert "offering" in caught.value.message_dict
    assert not Proposal.objects.exists()


def test_proposals_over_the_api_by_role(gap, provider, rival, other_provider, coordinator, employer_users) -> None:
    own = welding_course(provider, data={"title_nl": "Eigen cursus lassen"})
    theirs = welding_course(rival, data={"title_nl": "Cursus van de buren"})
    url = f"/api/v1/demand-gaps/{gap.uuid}/proposals"
    staff = client_for(make_staff(provider, "docent"))

    refused = staff.post(
        url, {"message": "Met hun cursus.", "offering": str(theirs.uuid)}, content_type="application/json"
    )
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in refused.json()["invalidParams"]] == ["offering"]
    assert not Proposal.objects.exists()

    made = staff.post(
        url, {"message": "Wij starten in maart.", "start_date": "2027-03-01", "offering": str(own.uuid)},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    assert made.json()["offering"] == str(own.uuid) and made.json()["offering_title"] == "Eigen cursus lassen"

    listed = client_for(coordinator).get(url)
    assert listed.status_code == 200 and [p["offering"] for p in listed.json()] == [str(own.uuid)]
    assert client_for(coordinator).post(url, {"message": "x"}, content_type="application/json").status_code == 403
    assert client_for(employer_users[0]).post(url, {"message": "x"}, content_type="application/json").status_code == 403
    assert client_for(employer_users[0]).get(url).status_code == 403
    # A provider outside the gap's region does not see the gap at all.
    elsewhere = client_for(make_staff(other_provider, "elders"))
    assert elsewhere.get(url).status_code == 404
    assert elsewhere.post(url, {"message": "x"}, content_type="application/json").status_code == 404
    assert Proposal.objects.count() == 1
