"""Changing and cancelling events: the rules of creation hold, fewer places move the last registrations to the
waiting list (never over capacity), only the organiser's people and the region's coordinators may, and the
people registered see on their own page what changed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from rest_framework.test import APIClient

from tests.hub.conftest import Hub, at, make_user
from wendbaar.hub import services
from wendbaar.hub.models import Event, EventChange, Registration

pytestmark = pytest.mark.django_db


def _event(hub: Hub, **fields: object) -> Event:
    data: dict = {
        "by": hub.coordinator, "region": hub.am22, "kind": "open_day", "title": "Open dag in de zorg",
        "organiser": hub.organisation("Zorggroep Demo"), "starts_at": at(10, 9), "ends_at": at(10, 16),
        "location": "Kade 1, Rotterdam", "capacity": 4,
    }  # fmt: skip
    data.update(fields)
    return services.create_event(**data)


def _statuses(event: Event) -> dict[str, str]:
    return {r.user.username: r.status for r in Registration.objects.filter(event=event).select_related("user")}


def test_an_edit_that_ends_before_it_starts_is_refused_and_nothing_changes(hub: Hub) -> None:
    event = _event(hub)
    with pytest.raises(ValidationError) as caught:
        services.update_event(by=hub.coordinator, event=event, ends_at=at(10, 8), capacity=0)
    assert {"ends_at", "capacity"} <= set(caught.value.message_dict)
    event.refresh_from_db()
    assert event.ends_at == at(10, 16) and event.capacity == 4 and event.sequence == 0
    assert not EventChange.objects.exists()


def test_fewer_places_move_the_last_registrations_to_the_waiting_list_first_in_line(hub: Hub) -> None:
    event = _event(hub)
    people = [make_user(f"p{i}") for i in range(6)]
    for person in people:
        services.register(user=person, event=event)
    assert list(_statuses(event).values()).count("registered") == 4  # p4, p5 wait
    event = services.update_event(by=hub.coordinator, event=event, capacity=2)
    assert _statuses(event) == {"p0": "registered", "p1": "registered", "p2": "waiting", "p3": "waiting",
                                "p4": "waiting", "p5": "waiting"}  # fmt: skip
    assert Registration.objects.get(event=event, user=people[2]).notice == "to_waiting"
    assert Registration.objects.get(event=event, user=people[4]).notice == ""  # was waiting already
    services.cancel_registration(user=people[0], event=event)  # a place: the first moved back gets it
    assert _statuses(event)["p2"] == "registered" and _statuses(event)["p4"] == "waiting"
    assert event.registrations.filter(status="registered").count() == 2


def test_more_places_let_the_first_waiting_move_up_and_never_beyond_capacity(hub: Hub) -> None:
    event = _event(hub, capacity=1)
    for i in range(4):
        services.register(user=make_user(f"q{i}"), event=event)
    event = services.update_event(by=hub.coordinator, event=event, capacity=3)
    assert _statuses(event) == {"q0": "registered", "q1": "registered", "q2": "registered", "q3": "waiting"}
    assert Registration.objects.get(event=event, user__username="q1").notice == "moved_up"
    event = services.update_event(by=hub.coordinator, event=event, capacity=None)  # no limit: everyone in
    assert set(_statuses(event).values()) == {"registered"}


def test_only_the_organisers_people_and_the_regions_coordinators_change_or_cancel(hub: Hub) -> None:
    event = _event(hub)
    for outsider in (hub.other_coordinator, hub.employer, hub.other_employer, hub.learner):
        with pytest.raises(PermissionDenied):
            services.update_event(by=outsider, event=event, title="Anders")
        with pytest.raises(PermissionDenied):
            services.cancel_event(by=outsider, event=event)
    havenbouw = _event(hub, by=hub.employer, organiser=hub.organisation("Havenbouw Demo BV"))
    assert services.update_event(by=hub.employer, event=havenbouw, title="Open dag haven").title == "Open dag haven"
    assert services.update_event(by=hub.admin, event=event, location="Kade 2").location == "Kade 2"
    event.refresh_from_db()
    assert not event.cancelled and event.title == "Open dag in de zorg"


def test_a_cancelled_event_no_longer_changes(hub: Hub) -> None:
    event = services.cancel_event(by=hub.coordinator, event=_event(hub))
    with pytest.raises(ValidationError) as caught:
        services.update_event(by=hub.coordinator, event=event, title="Toch wel")
    assert "event" in caught.value.message_dict


def test_the_people_registered_see_the_change_on_their_page_until_they_read_it(hub: Hub) -> None:
    event = _event(hub)
    services.register(user=hub.learner, event=event)
    client = Client()
    client.force_login(hub.learner)
    assert "Gewijzigd" not in client.get("/hub/activiteiten/").content.decode()
    services.update_event(by=hub.coordinator, event=event, location="Havenweg 9, Schiedam", starts_at=at(10, 10))
    page = client.get("/hub/activiteiten/").content.decode()
    assert "Gewijzigd" in page and "Havenweg 9, Schiedam" in page and "Kade 1, Rotterdam" in page
    assert "Havenweg 9, Schiedam" in client.get("/hub/").content.decode()
    client.post(f"/hub/activiteiten/{event.uuid}/", {"do": "seen"})
    after = client.get("/hub/activiteiten/").content.decode()
    assert "Gewijzigd" not in after and "Kade 1, Rotterdam" not in after
    services.cancel_event(by=hub.coordinator, event=event)
    page = client.get(f"/hub/activiteiten/{event.uuid}/").content.decode()
    assert "gaat niet door" in page  # "This event has been cancelled. It does not take place."


def test_a_person_moved_to_the_waiting_list_is_told(hub: Hub) -> None:
    event = _event(hub, capacity=2)
    first, second = make_user("eerste"), make_user("tweede")
    services.register(user=first, event=event)
    services.register(user=second, event=event)
    services.update_event(by=hub.coordinator, event=event, capacity=1)
    client = Client()
    client.force_login(second)
    page = client.get("/hub/activiteiten/").content.decode()
    assert "wachtlijst" in page and "minder plaatsen" in page


def test_the_edit_page_changes_the_event_and_refuses_others_with_403(hub: Hub) -> None:
    event = _event(hub)
    url = f"/hub/activiteiten/{event.uuid}/wijzigen/"
    outsider = Client()
    outsider.force_login(hub.employer)  # a partner of the region, not of the organiser
    assert outsider.get(url).status_code == 403
    assert outsider.post(url, {"do": "cancel-event"}).status_code == 403
    coordinator = Client()
    coordinator.force_login(hub.coordinator)
    page = coordinator.get(url)
    assert page.status_code == 200 and "Kade 1, Rotterdam" in page.content.decode()
    form = {
        "kind": "open_day", "title": "Open dag in de zorg", "organiser": hub.organisation("Zorggroep Demo").pk,
        "starts_at": at(10, 9).strftime("%Y-%m-%dT%H:%M"), "ends_at": at(10, 8).strftime("%Y-%m-%dT%H:%M"),
        "location": "Kade 1, Rotterdam", "capacity": "4",
    }  # fmt: skip
    refused = coordinator.post(url, form)
    assert refused.status_code == 400 and "eindigt voordat hij begint" in refused.content.decode()
    form["ends_at"] = at(10, 17).strftime("%Y-%m-%dT%H:%M")
    assert coordinator.post(url, form).status_code == 302
    event.refresh_from_db()
    assert event.ends_at == at(10, 17) and event.sequence == 1
    assert list(EventChange.objects.filter(event=event).values_list("changes", flat=True))[0].keys() == {"ends_at"}
    coordinator.post(url, {"do": "cancel-event"})
    event.refresh_from_db()
    assert event.cancelled


def test_the_api_changes_and_cancels_an_event_for_its_organiser_only(hub: Hub) -> None:
    event = _event(hub)
    outsider = APIClient()
    outsider.force_authenticate(hub.employer)
    assert outsider.patch(f"/api/v1/events/{event.uuid}", {"title": "X"}, format="json").status_code == 403
    assert outsider.post(f"/api/v1/events/{event.uuid}/cancel").status_code == 403
    client = APIClient()
    client.force_authenticate(hub.coordinator)
    wrong = client.patch(f"/api/v1/events/{event.uuid}", {"ends_at": at(10, 8).isoformat()}, format="json")
    assert wrong.status_code == 400 and "ends_at" in str(wrong.json())
    answer = client.patch(f"/api/v1/events/{event.uuid}", {"capacity": 10}, format="json")
    assert answer.status_code == 200 and answer.json()["capacity"] == 10
    assert client.post(f"/api/v1/events/{event.uuid}/cancel").json()["cancelled"] is True
