"""iCalendar feeds (RFC 5545) of the hub's events: one per region and one per person, via `icalendar`.

Times are written in Europe/Amsterdam with the VTIMEZONE the library derives from the tz database,
so a calendar shows the local time the organiser meant, also across the change to summer time.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.utils.translation import gettext as _

from wendbaar.hub.constants import RegistrationStatus
from wendbaar.hub.models import Event

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PRODID = "-//Wendbaar//hub events//NL"
UID_DOMAIN = "hub.wendbaar.nl"


def event_uid(event: Event) -> str:
    return f"{event.uuid}@{UID_DOMAIN}"


def _vevent(event: Event, *, base_url: str, waiting: bool = False) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", event_uid(event))
    item.add("dtstamp", event.updated_at)
    item.add("dtstart", event.starts_at.astimezone(AMSTERDAM))
    item.add("dtend", event.ends_at.astimezone(AMSTERDAM))
    item.add("summary", event.title)
    description = event.description
    organiser = _("Organised by %(name)s.") % {"name": event.organiser.name}
    item.add("description", f"{description}\n\n{organiser}".strip())
    if event.location:
        item.add("location", event.location)
    item.add("url", event.online_url or f"{base_url}/hub/activiteiten/{event.uuid}/")
    item.add("categories", [str(event.get_kind_display())])
    item.add("sequence", event.sequence)
    if event.cancelled:
        item.add("status", "CANCELLED")
    elif waiting:
        item.add("status", "TENTATIVE")
    else:
        item.add("status", "CONFIRMED")
    return item


def build_calendar(
    events: Iterable[Event], *, name: str, base_url: str, waiting: frozenset[int] = frozenset()
) -> bytes:
    """Return an RFC 5545 calendar of `events`; those in `waiting` are tentative (waiting list)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    for event in events:
        calendar.add_component(_vevent(event, base_url=base_url, waiting=event.pk in waiting))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def region_events(region_code: str) -> Iterable[Event]:
    return Event.objects.filter(region__code=region_code).select_related("organiser").order_by("starts_at")


def person_events(user_id: int) -> tuple[list[Event], frozenset[int]]:
    """Return the events a person registered for, waits for or is the contact of; and the waiting ones."""
    from django.db.models import Q

    active = [RegistrationStatus.REGISTERED, RegistrationStatus.WAITING]
    events = list(
        Event.objects.filter(
            Q(registrations__user_id=user_id, registrations__status__in=active) | Q(contact_id=user_id)
        )
        .select_related("organiser")
        .distinct()
        .order_by("starts_at")
    )
    waiting = frozenset(
        Event.objects.filter(
            registrations__user_id=user_id, registrations__status=RegistrationStatus.WAITING
        ).values_list("pk", flat=True)
    )
    return events, waiting
