"""Mijn opleidingen (/inschrijvingen/mijn/): a person sees their own enrolments with the lessons of each run;
a cancelled lesson stays listed, marked "Deze les gaat niet door", and counts for nothing."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.api_client import as_user
from wendbaar.catalogue.models import Run
from wendbaar.enrolment import services
from wendbaar.enrolment.models import Session
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership

from ..funding.conftest import LedgerWorld, make_world

URL = "/inschrijvingen/mijn/"


@pytest.fixture
def courses(db: None) -> dict[str, Any]:
    """Two runs (welding from today, coaching next month) with lessons; two people enrolled in one each."""
    today = timezone.localdate()
    world: LedgerWorld = make_world()
    for person in world.people:
        Membership.objects.create(user=person, role=Role.LEARNER)
    welding = Run.objects.create(offering=world.welding, start_date=today, end_date=today + timedelta(days=14))
    coaching = Run.objects.create(offering=world.coaching, start_date=today + timedelta(days=30),
                                  end_date=today + timedelta(days=60))  # fmt: skip
    lessons = [
        Session.objects.create(run=welding, date=today + timedelta(days=d), start=time(19), end=time(21, 30),
                               location=f"Lokaal {d}")  # fmt: skip
        for d in (0, 7, 14)
    ]
    Session.objects.create(run=coaching, date=today + timedelta(days=30), start=time(9), end=time(12),
                           location="Bouwplaats Noord")  # fmt: skip
    mine = services.enrol(person=world.people[0], run=welding)
    services.enrol(person=world.people[1], run=coaching)
    docent = get_user_model().objects.create_user(username="docent")
    Membership.objects.create(user=docent, role=Role.PROVIDER, organisation=world.provider)
    return {"world": world, "welding": welding, "coaching": coaching, "lessons": lessons, "mine": mine,
            "docent": docent, "today": today}  # fmt: skip


def test_a_person_sees_their_own_courses_with_the_lessons(courses: dict[str, Any]) -> None:
    page = as_user(courses["world"].people[0]).get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mijn cursussen" in body and "Lassen in de avond" in body and "Ingeschreven" in body
    for lesson in courses["lessons"]:
        assert lesson.location in body
    assert "19:00" in body and "21:30" in body
    # Only their own: the other person's course and its lessons are not there.
    assert "Coachen op de bouwplaats" not in body and "Bouwplaats Noord" not in body


def test_a_cancelled_lesson_stays_listed_with_a_clear_mark(courses: dict[str, Any]) -> None:
    person, second = courses["world"].people[0], courses["lessons"][1]
    services.cancel_session(session=second, by=courses["docent"])
    body = as_user(person).get(URL).content.decode()
    assert second.location not in body  # its place is replaced by the mark
    assert body.count("Deze les gaat niet door") == 1
    assert courses["lessons"][0].location in body and courses["lessons"][2].location in body
    assert body.count('class="cancelled"') == 1


def test_a_cancelled_lesson_counts_for_nothing(courses: dict[str, Any]) -> None:
    docent, mine, first, second, third = courses["docent"], courses["mine"], *courses["lessons"]
    services.record_attendance(staff=docent, session=first, enrolment=mine, present=True)
    assert services.attendance_share(mine) == 10_000 // 3
    services.cancel_session(session=third, by=docent)
    assert services.attendance_share(mine) == 5_000  # one of the two lessons that take place
    with pytest.raises(ValidationError) as refused:
        services.record_attendance(staff=docent, session=third, enrolment=mine, present=True,
                                   today=third.date)  # fmt: skip
    assert refused.value.error_dict["session"][0].code == "session_cancelled"
    assert second.pk  # untouched


def test_only_learners_get_the_page(courses: dict[str, Any]) -> None:
    assert as_user(courses["docent"]).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302
    stranger = get_user_model().objects.create_user(username="nieuw")
    Membership.objects.create(user=stranger, role=Role.LEARNER)
    body = as_user(stranger).get(URL).content.decode()
    assert "Je bent niet ingeschreven voor een cursus." in body and "Lassen" not in body


# --- how a course ended: a result or a reason picked from a list, seen by the provider and the person --------


@pytest.fixture
def fresh_keys() -> Any:
    from wendbaar.passport import issuer_keys

    issuer_keys.forget()
    yield
    issuer_keys.forget()


def _run_page(run: Run) -> str:
    return f"/inschrijvingen/aanbieder/{run.uuid}/"


def test_completion_with_a_result_from_the_list_is_seen_by_provider_and_person(
    courses: dict[str, Any], fresh_keys: None
) -> None:
    from wendbaar.funding.models import Participation

    docent, mine, run = as_user(courses["docent"]), courses["mine"], courses["welding"]
    first = courses["lessons"][0]
    post = {"action": "complete", "session": str(first.uuid), "enrolment": str(mine.uuid), "outcome": "certificate"}
    assert docent.post(_run_page(run), post).status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.outcome) == ("completed", "certificate")
    assert "Certificaat of diploma behaald" in docent.get(_run_page(run)).content.decode()
    body = as_user(courses["world"].people[0]).get(URL).content.decode()
    assert "Resultaat: Certificaat of diploma behaald" in body
    assert Participation.objects.get(enrolment_id=mine.pk).status == "completed"  # counted as before


def test_drop_out_with_a_reason_from_the_list_is_seen_and_counted(courses: dict[str, Any]) -> None:
    from wendbaar.funding.models import Participation

    docent, mine, run = as_user(courses["docent"]), courses["mine"], courses["welding"]
    first = courses["lessons"][0]
    base = {"action": "drop_out", "session": str(first.uuid), "enrolment": str(mine.uuid)}
    refused = docent.post(_run_page(run), base | {"outcome": "passed"})  # a result is no reason to stop
    assert refused.status_code == 400 and "Kies een reden uit de lijst." in refused.content.decode()
    refused = docent.post(_run_page(run), base | {"outcome": "other", "reason": ""})
    assert refused.status_code == 400 and "Zeg in een paar woorden wat de andere reden is." in refused.content.decode()
    mine.refresh_from_db()
    assert (mine.status, mine.outcome) == ("enrolled", "")
    assert docent.post(_run_page(run), base | {"outcome": "too_hard", "reason": "Wiskunde"}).status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.outcome, mine.reason) == ("dropped_out", "too_hard", "Wiskunde")
    assert "De opleiding was te moeilijk" in docent.get(_run_page(run)).content.decode()
    body = as_user(courses["world"].people[0]).get(URL).content.decode()
    assert "Reden van stoppen: De opleiding was te moeilijk (Wiskunde)" in body
    assert Participation.objects.get(enrolment_id=mine.pk).status == "dropped_out"
    # The other person sees nothing of it.
    assert "Wiskunde" not in as_user(courses["world"].people[1]).get(URL).content.decode()
    # Another school can neither mark nor see it.
    ander = get_user_model().objects.create_user(username="ander")
    Membership.objects.create(user=ander, role=Role.PROVIDER, organisation=courses["world"].other_provider)
    assert as_user(ander).get(_run_page(run)).status_code == 404
