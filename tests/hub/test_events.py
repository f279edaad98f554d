"""Events: an end before the start is refused, registrations beyond capacity go to the waiting list
(never over), and the iCalendar feeds validate with two parsers in Europe/Amsterdam time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.hub import ical_lines
from tests.hub.conftest import Hub, at, make_user
from wendbaar.hub import services
from wendbaar.hub.models import Event, Profile, Registration

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _event(hub: Hub, **fields: object) -> Event:
    data: dict = {
        "by": hub.coordinator, "region": hub.am22, "kind": "open_day", "title": "Open bedrijvendag; haven & zorg",
        "description": "Kijk rond bij\nbedrijven in de haven en de zorg.",
        "organiser": hub.organisation("Zorggroep Demo"),
        "starts_at": at(10, 9), "ends_at": at(10, 16), "location": "Kade 1, Rotterdam", "capacity": 2,
    }  # fmt: skip
    data.update(fields)
    return services.create_event(**data)


def test_an_event_that_ends_before_it_starts_is_refused_with_every_error(hub: Hub) -> None:
    with pytest.raises(ValidationError) as caught:
        _event(hub, ends_at=at(10, 8), location="", capacity=0, title="")
    assert {"ends_at", "location", "capacity", "title"} <= set(caught.value.message_dict)
    assert "eindigt voordat hij begint" in caught.value.message_dict["ends_at"][0]
    assert Event.objects.count() == 0


def test_only_the_regions_coordinators_and_the_organisers_people_add_events(hub: Hub) -> None:
    with pytest.raises(PermissionDenied):
        _event(hub, by=hub.other_coordinator)
    with pytest.raises(PermissionDenied):
        _event(hub, by=hub.employer)  # Havenbouw's employer for Zorggroep's event
    assert _event(hub, by=hub.employer, organiser=hub.organisation("Havenbouw Demo BV")).pk


def test_registrations_beyond_capacity_go_to_the_waiting_list_and_move_up(hub: Hub) -> None:
    event = _event(hub)
    people = [make_user(f"p{i}") for i in range(4)]
    statuses = [services.register(user=p, event=event).status for p in people]
    assert statuses == ["registered", "registered", "waiting", "waiting"]
    assert services.register(user=people[0], event=event).status == "registered"  # twice is once
    assert event.registrations.filter(status="registered").count() == 2
    services.cancel_registration(user=people[1], event=event)
    assert Registration.objects.get(event=event, user=people[2]).status == "registered"  # first in line
    assert Registration.objects.get(event=event, user=people[3]).status == "waiting"
    assert event.registrations.filter(status="registered").count() == 2
    services.cancel_registration(user=people[3], event=event)  # leaving the waiting list moves no one
    assert event.registrations.filter(status="registered").count() == 2


def test_a_cancelled_event_takes_no_registrations(hub: Hub) -> None:
    event = services.cancel_event(by=hub.coordinator, event=_event(hub))
    with pytest.raises(ValidationError):
        services.register(user=hub.learner, event=event)


def test_the_region_feed_validates_with_two_parsers_in_amsterdam_time(hub: Hub) -> None:
    winter = _event(hub, starts_at=dt.datetime(2030, 1, 15, 9, 0, tzinfo=AMSTERDAM),
                    ends_at=dt.datetime(2030, 1, 15, 16, 30, tzinfo=AMSTERDAM))  # fmt: skip
    summer = _event(hub, title="Proefplaatsing lasser", kind="trial_placement",
                    starts_at=dt.datetime(2030, 7, 1, 8, 0, tzinfo=AMSTERDAM),
                    ends_at=dt.datetime(2030, 7, 5, 17, 0, tzinfo=AMSTERDAM), capacity=None)  # fmt: skip
    utrecht = hub.other_employer.memberships.first().organisation
    _event(hub, region=hub.am13, by=hub.other_coordinator, organiser=utrecht)
    response = Client().get("/hub/kalender/AM22.ics")  # public: calendar apps cannot log in
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content

    calendar = icalendar.Calendar.from_ical(body)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"{winter.uuid}@hub.wendbaar.nl", f"{summer.uuid}@hub.wendbaar.nl"}
    start = events[f"{winter.uuid}@hub.wendbaar.nl"].decoded("DTSTART")
    assert start == dt.datetime(2030, 1, 15, 9, 0, tzinfo=AMSTERDAM) and str(start.tzinfo) == "Europe/Amsterdam"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]

    root = ical_lines.parse(body)
    assert root.name == "VCALENDAR" and root.get("VERSION")[1] == "2.0" and root.get("PRODID")
    assert [tz.get("TZID")[1] for tz in root.all("VTIMEZONE")] == ["Europe/Amsterdam"]
    by_uid = {e.get("UID")[1]: e for e in root.all("VEVENT")}
    winter_item, summer_item = by_uid[f"{winter.uuid}@hub.wendbaar.nl"], by_uid[f"{summer.uuid}@hub.wendbaar.nl"]
    params, value = winter_item.get("DTSTART")
    assert params == {"TZID": "Europe/Amsterdam"} and value == "20300115T090000"  # local time, CET
    assert ical_lines.date_time(params, value) == dt.datetime(2030, 1, 15, 8, 0, tzinfo=dt.UTC)
    params, value = summer_item.get("DTSTART")
    assert value == "20300701T080000"  # local time, CEST: 06:00 UTC
    assert ical_lines.date_time(params, value) == dt.datetime(2030, 7, 1, 6, 0, tzinfo=dt.UTC)
    assert ical_lines.unescape(winter_item.get("SUMMARY")[1]) == "Open bedrijvendag; haven & zorg"
    assert ical_lines.unescape(winter_item.get("DESCRIPTION")[1]).startswith("Kijk rond bij\nbedrijven")
    for item in (winter_item, summer_item):
        for required in ("DTSTAMP", "DTEND", "STATUS", "SEQUENCE"):
            assert item.get(required)
        assert item.get("DTSTAMP")[1].endswith("Z")


def test_the_personal_feed_holds_ones_own_events_and_a_cancellation(hub: Hub) -> None:
    event = _event(hub, capacity=1)
    other = _event(hub, title="Informatiebijeenkomst", kind="information_session")
    services.register(user=hub.employer, event=event)
    services.register(user=hub.learner, event=event)  # waiting list: tentative
    profile, _created = Profile.objects.get_or_create(user=hub.learner)
    services.cancel_event(by=hub.coordinator, event=event)
    body = Client().get(f"/hub/kalender/persoonlijk/{profile.feed_token}.ics").content
    root = ical_lines.parse(body)
    items = root.all("VEVENT")
    assert [i.get("UID")[1] for i in items] == [f"{event.uuid}@hub.wendbaar.nl"]
    assert items[0].get("STATUS")[1] == "CANCELLED" and items[0].get("SEQUENCE")[1] == "1"
    assert str(other.uuid) not in body.decode()
    assert icalendar.Calendar.from_ical(body).walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert Client().get("/hub/kalender/persoonlijk/not-a-token.ics").status_code == 404


def test_the_atom_and_rss_feeds_list_new_initiatives(hub: Hub) -> None:
    import xml.etree.ElementTree as ET

    hub.initiative(title="Leerwerkloket op de werkvloer")
    hub.initiative(by=hub.other_coordinator, region=hub.am13, title="Zorgacademie Utrecht", goal="Opleiden.")
    token = Profile.objects.get_or_create(user=hub.learner)[0].feed_token
    atom = ET.fromstring(Client().get(f"/hub/feeds/{token}/initiatieven.atom").content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in atom.findall("a:entry", ns)]
    assert titles == ["Zorgacademie Utrecht (AM13)", "Leerwerkloket op de werkvloer (AM22)"]
    rss = ET.fromstring(Client().get(f"/hub/feeds/{token}/initiatieven.rss?region=AM22").content)
    assert [i.findtext("title") for i in rss.iter("item")] == ["Leerwerkloket op de werkvloer (AM22)"]
    assert Client().get("/hub/feeds/wrong/initiatieven.atom").status_code == 404


def test_trial_placements_are_read_by_the_api_for_the_loopbaan_apk(hub: Hub) -> None:
    placement = _event(hub, kind="trial_placement", title="Proefplaatsing zorgassistent", capacity=3,
                       occupation_uri="http://data.europa.eu/esco/occupation/x")  # fmt: skip
    _event(hub, title="Open dag")
    services.register(user=hub.learner, event=placement)
    client = Client()
    client.force_login(hub.learner)
    data = client.get("/api/v1/trial-placements?region=AM22").json()
    assert [p["uuid"] for p in data["results"]] == [str(placement.uuid)]
    assert data["results"][0]["places_left"] == 2 and data["results"][0]["employer"] == "Zorggroep Demo"
    by_occupation = client.get("/api/v1/trial-placements?occupation=http://data.europa.eu/esco/occupation/x")
    assert by_occupation.json()["count"] == 1
