"""Planning a run's sessions (lessons): one or a weekly series, moved or cancelled, by the run's own school only.

Every rule refuses with the field and a code, all errors at once, and a refused plan writes nothing.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.api_client import as_user, invalid
from wendbaar.catalogue.models import Run
from wendbaar.enrolment import services
from wendbaar.enrolment.models import Attendance, Session
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership

from ..funding.conftest import LedgerWorld, make_world

JSON = "application/json"


@pytest.fixture
def plan(db: None) -> dict[str, Any]:
    """A run from tomorrow for four weeks, no sessions yet; staff of its school and of another."""
    today = timezone.localdate()
    world: LedgerWorld = make_world()
    run = Run.objects.create(offering=world.welding, start_date=today + timedelta(days=1),
                             end_date=today + timedelta(days=28), seats=10)  # fmt: skip
    staff = {}
    for name, org in [("docent", world.provider), ("ander", world.other_provider)]:
        staff[name] = get_user_model().objects.create_user(username=name)
        Membership.objects.create(user=staff[name], role=Role.PROVIDER, organisation=org)
    return {"world": world, "run": run, "staff": staff, "today": today}


def _codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}  # type: ignore[misc]


def _add(plan: dict[str, Any], **kwargs: Any) -> list[Session]:
    values = {"day": plan["run"].start_date, "start": time(19), "end": time(21)} | kwargs
    return services.add_sessions(run=plan["run"], by=plan["staff"]["docent"], **values)


def test_one_session_with_a_place(plan: dict[str, Any]) -> None:
    [made] = _add(plan, location="Lokaal 3")
    assert (made.date, made.start, made.end, made.location, made.online) == (
        plan["run"].start_date, time(19), time(21), "Lokaal 3", False
    )  # fmt: skip


def test_a_weekly_series_on_the_first_dates_weekday(plan: dict[str, Any]) -> None:
    made = _add(plan, weeks=4, online=True)
    first = plan["run"].start_date
    assert [s.date for s in made] == [first + timedelta(weeks=w) for w in range(4)]
    assert {s.date.isoweekday() for s in made} == {first.isoweekday()} and all(s.online for s in made)


def test_every_rule_at_once_and_nothing_written(plan: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        _add(plan, day=plan["today"] - timedelta(days=1), start=time(21), end=time(19), location="x" * 201)
    assert _codes(refused.value) == {
        "end": ["end_before_start"], "location": ["max_length"], "date": ["in_past", "outside_run"]
    }  # fmt: skip
    assert not Session.objects.exists()


def test_a_series_past_the_runs_end_is_refused_whole(plan: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        _add(plan, weeks=5)  # the fifth week falls after the run's fourth
    assert _codes(refused.value) == {"weeks": ["outside_run"]}
    assert not Session.objects.exists()
    with pytest.raises(ValidationError) as refused:
        _add(plan, day=date.max, weeks=3)  # no overflow past the year 9999
    assert _codes(refused.value) == {"date": ["outside_run"]}
    with pytest.raises(ValidationError) as refused:
        _add(plan, weeks=0)
    assert _codes(refused.value) == {"weeks": ["invalid"]}


def test_overlap_with_an_existing_session_refuses_the_whole_series(plan: dict[str, Any]) -> None:
    first = plan["run"].start_date
    _add(plan, day=first + timedelta(weeks=2), start=time(20), end=time(22))
    with pytest.raises(ValidationError) as refused:
        _add(plan, weeks=4)
    assert _codes(refused.value) == {"date": ["overlap"]}
    assert Session.objects.count() == 1
    # Touching times are no overlap: 17:00-19:00 before 19:00-21:00.
    _add(plan, weeks=4, start=time(17), end=time(20))
    assert Session.objects.count() == 5


def test_only_the_runs_own_school(plan: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.add_sessions(run=plan["run"], by=plan["staff"]["ander"], day=plan["run"].start_date,
                              start=time(19), end=time(21))  # fmt: skip
    [made] = _add(plan)
    with pytest.raises(PermissionDenied):
        services.change_session(session=made, by=plan["staff"]["ander"], day=made.date, start=time(9), end=time(10))
    with pytest.raises(PermissionDenied):
        services.cancel_session(session=made, by=plan["staff"]["ander"])
    assert Session.objects.get(pk=made.pk).start == time(19)


def test_change_and_cancel_follow_the_rules_and_stop_at_attendance(plan: dict[str, Any]) -> None:
    first, second = _add(plan, weeks=2)
    docent = plan["staff"]["docent"]
    moved = services.change_session(session=first, by=docent, day=first.date, start=time(18), end=time(20),
                                    location="Aula")  # fmt: skip
    assert (moved.start, moved.location) == (time(18), "Aula")  # overlapping its old self is fine
    with pytest.raises(ValidationError) as refused:
        services.change_session(session=first, by=docent, day=second.date, start=time(20), end=time(22))
    assert _codes(refused.value) == {"date": ["overlap"]}
    services.cancel_session(session=second, by=docent)
    # A cancelled lesson stays, marked: the participants see it does not take place (its history is kept).
    assert list(Session.objects.filter(cancelled_at=None)) == [first] and Session.objects.get(pk=second.pk).cancelled
    cancelled_at = Session.objects.get(pk=second.pk).cancelled_at
    services.cancel_session(session=second, by=docent)  # again: nothing changes
    assert Session.objects.get(pk=second.pk).cancelled_at == cancelled_at
    with pytest.raises(ValidationError) as refused:
        services.change_session(session=second, by=docent, day=second.date, start=time(9), end=time(10))
    assert _codes(refused.value) == {"session": ["session_cancelled"]}
    # Its time is free again: a new lesson there is no overlap.
    [instead] = services.add_sessions(run=plan["run"], by=docent, day=second.date, start=time(19), end=time(21))
    assert instead.date == second.date
    person = plan["world"].people[0]
    Membership.objects.create(user=person, role=Role.LEARNER)
    enrolment = services.enrol(person=person, run=plan["run"])
    Attendance.objects.create(session=first, enrolment=enrolment, present=True, recorded_by=docent)
    for attempt in (
        lambda: services.change_session(session=first, by=docent, day=first.date, start=time(9), end=time(10)),
        lambda: services.cancel_session(session=first, by=docent),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert _codes(refused.value) == {"session": ["has_attendance"]}
    assert Session.objects.get(pk=first.pk).start == time(18)


# --- the API ----------------------------------------------------------------------------------------


def _iso(day: date) -> str:
    return day.isoformat()


def test_api_plans_a_series_and_a_repeat_is_refused_as_overlap(plan: dict[str, Any]) -> None:
    run, client = plan["run"], as_user(plan["staff"]["docent"])
    body = {"date": _iso(run.start_date), "start": "19:00", "end": "21:00", "weeks": 3, "location": "Lokaal 3"}
    made = client.post(f"/api/v1/provider-runs/{run.uuid}/sessions", body, content_type=JSON)
    assert made.status_code == 201, made.content
    assert [s["date"] for s in made.json()] == [_iso(run.start_date + timedelta(weeks=w)) for w in range(3)]
    assert made.json()[0]["location"] == "Lokaal 3" and made.json()[0]["online"] is False
    listed = client.get(f"/api/v1/provider-runs/{run.uuid}").json()["sessions"]
    assert [s["uuid"] for s in listed] == [s["uuid"] for s in made.json()]
    again = client.post(f"/api/v1/provider-runs/{run.uuid}/sessions", body, content_type=JSON)
    assert invalid(again) == {"date": "overlap"} and Session.objects.count() == 3


def test_api_refusals_name_the_field(plan: dict[str, Any]) -> None:
    run, client = plan["run"], as_user(plan["staff"]["docent"])
    url = f"/api/v1/provider-runs/{run.uuid}/sessions"
    late = {"date": _iso(run.start_date), "start": "21:00", "end": "19:00", "weeks": 9}
    assert invalid(client.post(url, late, content_type=JSON)) == {"end": "end_before_start", "weeks": "outside_run"}
    assert invalid(client.post(url, {"date": "gisteren", "start": "19:00"}, content_type=JSON)) == {
        "date": "invalid", "end": "required"
    }  # fmt: skip
    assert not Session.objects.exists()


def test_api_change_and_cancel(plan: dict[str, Any]) -> None:
    run, client = plan["run"], as_user(plan["staff"]["docent"])
    [made] = _add(plan, weeks=1)
    url = f"/api/v1/provider-runs/{run.uuid}/sessions/{made.uuid}"
    changed = client.patch(url, {"start": "18:30", "online": True}, content_type=JSON)
    assert changed.status_code == 200, changed.content
    assert (changed.json()["start"], changed.json()["end"], changed.json()["online"]) == ("18:30:00", "21:00:00", True)
    assert invalid(client.patch(url, {"end": "18:00"}, content_type=JSON)) == {"end": "end_before_start"}
    assert client.delete(url).status_code == 204
    assert Session.objects.get(pk=made.pk).cancelled  # kept, marked as cancelled
    assert client.delete(url).status_code == 204  # again: nothing changes
    listed = client.get(f"/api/v1/provider-runs/{run.uuid}").json()["sessions"]
    assert [(s["uuid"], s["cancelled"]) for s in listed] == [(str(made.uuid), True)]
    assert invalid(client.patch(url, {"start": "18:00"}, content_type=JSON)) == {"session": "session_cancelled"}


def test_api_another_schools_run_and_session_do_not_exist(plan: dict[str, Any]) -> None:
    run, other = plan["run"], as_user(plan["staff"]["ander"])
    [made] = _add(plan)
    body = {"date": _iso(run.start_date + timedelta(days=1)), "start": "19:00", "end": "21:00"}
    assert other.post(f"/api/v1/provider-runs/{run.uuid}/sessions", body, content_type=JSON).status_code == 404
    url = f"/api/v1/provider-runs/{run.uuid}/sessions/{made.uuid}"
    assert other.patch(url, {"start": "09:00"}, content_type=JSON).status_code == 404
    assert other.delete(url).status_code == 404
    learner = plan["world"].people[0]
    Membership.objects.create(user=learner, role=Role.LEARNER)
    assert as_user(learner).delete(url).status_code == 403
    assert list(Session.objects.values_list("start", flat=True)) == [time(19)]


# --- the provider's run page --------------------------------------------------------------------------


def _page(plan: dict[str, Any]) -> str:
    return f"/inschrijvingen/aanbieder/{plan['run'].uuid}/"


def test_page_adds_a_series_and_shows_errors_next_to_the_field(plan: dict[str, Any]) -> None:
    client, run = as_user(plan["staff"]["docent"]), plan["run"]
    form = {"action": "add_sessions", "new-date": _iso(run.start_date), "new-start": "19:00", "new-end": "21:00",
            "new-weeks": "2", "new-location": "Lokaal 3"}  # fmt: skip
    assert client.post(_page(plan), form).status_code == 302
    assert [s.date for s in Session.objects.all()] == [run.start_date, run.start_date + timedelta(weeks=1)]
    shown = client.get(_page(plan)).content.decode()
    assert "Lokaal 3" in shown and "<legend>" in shown and 'name="new-weeks"' in shown
    refused = client.post(_page(plan), form | {"new-end": "18:00"})
    assert refused.status_code == 400 and Session.objects.count() == 2
    body = refused.content.decode()
    assert 'id="id_new-end_error"' in body and "aria-invalid" in body


def test_page_changes_and_cancels_a_lesson(plan: dict[str, Any]) -> None:
    client = as_user(plan["staff"]["docent"])
    first, second = _add(plan, weeks=2)
    shown = client.get(_page(plan) + f"?change={first.uuid}")
    assert shown.status_code == 200 and 'name="change-start"' in shown.content.decode()
    form = {"action": "change_session", "session": str(first.uuid), "change-date": _iso(first.date),
            "change-start": "18:00", "change-end": "20:00", "change-location": "Aula"}  # fmt: skip
    assert client.post(_page(plan), form).status_code == 302
    assert Session.objects.get(pk=first.pk).location == "Aula"
    clash = client.post(_page(plan), form | {"change-date": _iso(second.date)})
    assert clash.status_code == 400 and 'id="id_change-date_error"' in clash.content.decode()
    assert client.post(_page(plan), {"action": "cancel_session", "session": str(second.uuid)}).status_code == 302
    assert list(Session.objects.filter(cancelled_at=None)) == [first]
    assert "Deze les gaat niet door" in client.get(_page(plan)).content.decode()


def test_page_of_another_school_does_not_exist(plan: dict[str, Any]) -> None:
    client = as_user(plan["staff"]["ander"])
    form = {"action": "add_sessions", "new-date": _iso(plan["run"].start_date), "new-start": "19:00",
            "new-end": "21:00", "new-weeks": "1"}  # fmt: skip
    assert client.post(_page(plan), form).status_code == 404 and not Session.objects.exists()
