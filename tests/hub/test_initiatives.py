"""Initiatives: every field problem at once, duplicates warned with the twin named, region-scoped edits,
adoption that keeps the link both ways."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.hub.conftest import Hub
from wendbaar.hub import services
from wendbaar.hub.models import AdoptionReport, Initiative, InitiativeTerm

pytestmark = pytest.mark.django_db


def test_bad_initiative_reports_every_field_and_writes_nothing(hub: Hub) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_initiative(
            by=hub.coordinator, region=hub.am22, title="", goal="", status="maybe", themes=["nonsense"],
            results=[{"kind": "link", "label": "Evaluatie", "url": "ftp://x"}],
        )  # fmt: skip
    errors = caught.value.message_dict
    assert {"title", "goal", "status", "themes", "results"} <= set(errors)
    assert Initiative.objects.count() == 0 and InitiativeTerm.objects.count() == 0


def test_a_likely_duplicate_is_refused_with_the_twin_named_until_confirmed(hub: Hub) -> None:
    first = hub.initiative(title="Leerwerkloket zorg Rijnmond")
    with pytest.raises(services.DuplicateInitiative) as caught:
        services.create_initiative(
            by=hub.coordinator, region=hub.am22, title="Rijnmond leerwerkloket voor de zorg",
            goal="Iets anders", status="idea",
        )  # fmt: skip
    assert caught.value.duplicates == [first]
    assert str(first.uuid) in caught.value.message_dict["title"][0]
    assert Initiative.objects.count() == 1
    services.create_initiative(
        by=hub.coordinator, region=hub.am22, title="Rijnmond leerwerkloket voor de zorg", goal="Iets anders",
        status="idea", confirm_duplicate=True,
    )  # fmt: skip
    assert Initiative.objects.count() == 2


def test_a_different_initiative_is_no_duplicate(hub: Hub) -> None:
    hub.initiative(title="Leerwerkloket zorg Rijnmond")
    services.create_initiative(by=hub.coordinator, region=hub.am22, title="Open bedrijvendag techniek",
                               goal="Werkzoekenden kijken rond bij bedrijven.", status="idea")  # fmt: skip
    assert Initiative.objects.count() == 2


def test_only_people_of_the_region_add_and_edit(hub: Hub) -> None:
    with pytest.raises(PermissionDenied):
        hub.initiative(by=hub.other_employer)  # AM13 employer adding to AM22
    with pytest.raises(PermissionDenied):
        hub.initiative(by=hub.learner)
    mine = hub.initiative(by=hub.employer)  # a partner in AM22 adds, and may edit their own
    services.update_initiative(by=hub.employer, initiative=mine, status="scaling")
    with pytest.raises(PermissionDenied):
        services.update_initiative(by=hub.other_coordinator, initiative=mine, status="stopped")
    services.update_initiative(by=hub.coordinator, initiative=mine, status="structural")
    mine.refresh_from_db()
    assert mine.status == "structural"


def test_adoption_keeps_the_link_both_ways_and_reports_back(hub: Hub) -> None:
    origin = hub.initiative(success_factors=["regional_embedding"], themes=["demand"], sectors=["Q"])
    copy = services.adopt_initiative(by=hub.other_coordinator, origin=origin, region=hub.am13)
    assert copy.adopted_from == origin
    assert list(origin.adoptions.all()) == [copy]
    assert copy.region == hub.am13 and copy.themes == ["demand"] and copy.status == "idea"
    report = services.report_back(by=hub.other_coordinator, adoption=copy, text="Werkt ook hier, met de gemeente.")
    assert list(AdoptionReport.objects.filter(adoption__adopted_from=origin)) == [report]
    with pytest.raises(ValidationError):
        services.adopt_initiative(by=hub.other_coordinator, origin=origin, region=hub.am13)  # twice
    with pytest.raises(PermissionDenied):
        services.adopt_initiative(by=hub.coordinator, origin=origin, region=hub.am13)  # not their region
    with pytest.raises(ValidationError):
        services.report_back(by=hub.coordinator, adoption=origin, text="x")  # the origin is no adoption
