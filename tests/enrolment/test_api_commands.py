"""The enrolment API's commands: enrol, cancel, attendance, completion, drop-out; each refusal and who may do what.

Every command goes through `enrolment.services`, so the money is checked in the ledger: a repeated request
books nothing twice and a refused one writes nothing.
"""

from __future__ import annotations

import threading
from datetime import time, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from tests.api_client import as_user, invalid
from wendbaar.catalogue.models import Run, Status
from wendbaar.enrolment.models import Attendance, Enrolment, EnrolmentStatus, Session
from wendbaar.funding import services as ledger
from wendbaar.funding.models import LedgerTransaction
from wendbaar.passport import issuer_keys
from wendbaar.passport.models import Credential
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership

from ..funding.conftest import LedgerWorld, make_world

JSON = "application/json"


@pytest.fixture(autouse=True)
def fresh_keys() -> Any:
    issuer_keys.forget()
    yield
    issuer_keys.forget()


@pytest.fixture
def course(db: None) -> dict[str, Any]:
    """A run starting today with two sessions: today's (has happened) and next week's (has not)."""
    today = timezone.localdate()
    world: LedgerWorld = make_world()
    world.state_fund.valid_until = today + timedelta(days=365)  # the tests run on the real date
    world.state_fund.save()
    ledger.deposit(fund=world.state_fund, amount_cents=1_000_000, key="dep")
    for i, person in enumerate(world.people):
        ledger.entitle(fund=world.state_fund, person=person, amount_cents=100_000, key=f"ent{i}",
                       region=world.region, today=today)  # fmt: skip
        Membership.objects.create(user=person, role=Role.LEARNER)
    run = Run.objects.create(offering=world.welding, start_date=today, end_date=today + timedelta(days=7),
                             start_time=time(19), end_time=time(21), seats=2)  # fmt: skip
    sessions = [Session.objects.create(run=run, date=day, start=time(19), end=time(21))
                for day in (today, today + timedelta(days=7))]  # fmt: skip
    staff = {}
    for name, org in [("docent", world.provider), ("ander", world.other_provider)]:
        staff[name] = get_user_model().objects.create_user(username=name)
        Membership.objects.create(user=staff[name], role=Role.PROVIDER, organisation=org)
    return {"world": world, "run": run, "sessions": sessions, "staff": staff}


def _enrol(person: Any, run: Run) -> Any:
    return as_user(person).post("/api/v1/enrolments", {"run": str(run.uuid)}, content_type=JSON)


def _mark(staff: Any, run: Run, session: Session, *marks: tuple[Any, bool]) -> Any:
    records = [{"enrolment": str(uuid), "present": present} for uuid, present in marks]
    body = {"session": str(session.uuid), "records": records}
    return as_user(staff).post(f"/api/v1/provider-runs/{run.uuid}/attendance", body, content_type=JSON)


def _books() -> int:
    return LedgerTransaction.objects.count()


def test_enrolling_answers_what_the_funds_pay_and_a_repeat_books_nothing(course: dict[str, Any]) -> None:
    person, run = course["world"].people[0], course["run"]
    response = _enrol(person, run)
    assert response.status_code == 201, response.content
    made = response.json()
    # The fund pays 70% of 1,200 euro, capped at 800 euro; the rest is the person's own share.
    assert made["status"] == "enrolled" and made["price_cents"] == 120_000
    assert [(line["fund"], line["amount_cents"]) for line in made["funding"]] == [("Leerrekening Rijnmond", 80_000)]
    assert made["own_share_cents"] == 40_000 and made["run"] == str(run.uuid)
    books = _books()
    again = _enrol(person, run)
    assert (again.status_code, again.json()) == (201, made)  # the same answer, nothing reserved twice
    assert _books() == books and Enrolment.objects.count() == 1


def test_a_full_run_puts_the_third_person_on_the_waiting_list(course: dict[str, Any]) -> None:
    people, run = course["world"].people, course["run"]
    first, second = _enrol(people[0], run).json(), _enrol(people[1], run).json()
    third = _enrol(people[2], run).json()
    assert third["status"] == "waiting" and third["funding"] == [] and third["own_share_cents"] == 120_000
    listed = as_user(course["staff"]["docent"]).get(f"/api/v1/provider-runs/{run.uuid}").json()
    assert (listed["enrolled"], listed["waiting"]) == (2, 1)
    roster = as_user(course["staff"]["docent"]).get(f"/api/v1/provider-runs/{run.uuid}/enrolments").json()
    assert [(e["person"], e["status"]) for e in roster] == [
        ("person0", "enrolled"), ("person1", "enrolled"), ("person2", "waiting")
    ]  # fmt: skip
    # The first cancels: the reservation goes back, and the waiting person moves up with theirs.
    cancelled = as_user(people[0]).post(f"/api/v1/enrolments/{first['uuid']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    entitlement = ledger.entitlement_account(fund=course["world"].state_fund, person=people[0])
    assert ledger.balance(entitlement) == 100_000
    moved = as_user(people[2]).get(f"/api/v1/enrolments/{third['uuid']}").json()
    assert moved["status"] == "enrolled" and moved["own_share_cents"] == 40_000
    books = _books()
    again = as_user(people[0]).post(f"/api/v1/enrolments/{first['uuid']}/cancel")
    assert (again.status_code, again.json()["status"], _books()) == (200, "cancelled", books)
    assert second["status"] == "enrolled"


def test_enrolling_refuses_unknown_unpublished_and_started_runs(course: dict[str, Any]) -> None:
    person, run, world = course["world"].people[0], course["run"], course["world"]
    books = _books()
    unknown = as_user(person).post("/api/v1/enrolments", {"run": "6f1c1f3e-0000-4000-8000-000000000000"},
                                   content_type=JSON)  # fmt: skip
    assert invalid(unknown) == {"run": "does_not_exist"}
    assert invalid(as_user(person).post("/api/v1/enrolments", {}, content_type=JSON)) == {"run": "required"}
    dutch = as_user(person).post("/api/v1/enrolments", {"run": "6f1c1f3e-0000-4000-8000-000000000000"},
                                 content_type=JSON, HTTP_ACCEPT_LANGUAGE="nl")  # fmt: skip
    assert dutch.json()["invalidParams"][0]["reason"].startswith("Er is geen groep van een cursus")
    world.welding.status = Status.DRAFT
    world.welding.save()
    assert invalid(_enrol(person, run)) == {"run": "does_not_exist"}
    world.welding.status = Status.PUBLISHED
    world.welding.save()
    Run.objects.filter(pk=run.pk).update(start_date=timezone.localdate() - timedelta(days=1))
    assert invalid(_enrol(person, run)) == {"run": "run_started"}
    assert Enrolment.objects.count() == 0 and _books() == books


def test_only_learners_enrol_and_only_the_person_cancels(course: dict[str, Any]) -> None:
    people, run, staff = course["world"].people, course["run"], course["staff"]
    refused = as_user(staff["docent"]).post("/api/v1/enrolments", {"run": str(run.uuid)}, content_type=JSON)
    assert refused.status_code == 403 and refused["Content-Type"].startswith("application/problem+json")
    mine = _enrol(people[0], run).json()
    for outsider in (people[1], staff["docent"]):  # another person; the school itself cannot cancel for them
        answer = as_user(outsider).post(f"/api/v1/enrolments/{mine['uuid']}/cancel")
        assert answer.status_code in (403, 404), answer.content
    assert as_user(people[1]).get(f"/api/v1/enrolments/{mine['uuid']}").status_code == 404
    assert Enrolment.objects.get(uuid=mine["uuid"]).status == EnrolmentStatus.ENROLLED


def test_attendance_pays_the_start_part_once_and_refuses_the_future(course: dict[str, Any]) -> None:
    world, run, sessions, docent = course["world"], course["run"], course["sessions"], course["staff"]["docent"]
    mine = _enrol(world.people[0], run).json()
    provider = ledger.provider_account(world.provider)
    response = _mark(docent, run, sessions[0], (mine["uuid"], True))
    assert response.status_code == 200, response.content
    assert [(r["session"], r["present"]) for r in response.json()] == [(str(sessions[0].uuid), True)]
    assert ledger.balance(provider) == 24_000  # the start part (30%); one of two sessions is below the fund's 80%
    books = _books()
    assert _mark(docent, run, sessions[0], (mine["uuid"], True)).status_code == 200
    assert _books() == books  # the same marks again: nothing paid twice
    future = _mark(docent, run, sessions[1], (mine["uuid"], True))
    assert invalid(future) == {"session": "session_in_future"}
    sheet = as_user(docent).get(f"/api/v1/provider-runs/{run.uuid}/attendance").json()
    assert [(r["enrolment"], r["present"]) for r in sheet] == [(mine["uuid"], True)]


def test_attendance_is_all_or_nothing_and_names_each_bad_record(course: dict[str, Any]) -> None:
    world, run, sessions, docent = course["world"], course["run"], course["sessions"], course["staff"]["docent"]
    first = _enrol(world.people[0], run).json()
    second = _enrol(world.people[1], run).json()
    as_user(world.people[1]).post(f"/api/v1/enrolments/{second['uuid']}/cancel")
    unknown = "6f1c1f3e-0000-4000-8000-000000000000"
    books = _books()
    answer = _mark(docent, run, sessions[0], (first["uuid"], True), (unknown, True))
    assert invalid(answer) == {"records.1.enrolment": "does_not_exist"}
    answer = _mark(docent, run, sessions[0], (first["uuid"], True), (second["uuid"], True), (first["uuid"], False))
    assert invalid(answer) == {"records.1.enrolment": "not_enrolled", "records.2.enrolment": "duplicate"}
    body = {"session": unknown, "records": []}
    answer = as_user(docent).post(f"/api/v1/provider-runs/{run.uuid}/attendance", body, content_type=JSON)
    assert invalid(answer) == {"session": "does_not_exist"}
    assert Attendance.objects.count() == 0 and _books() == books  # nothing half-written


def test_completion_needs_the_funds_attendance_then_pays_and_issues_a_credential(course: dict[str, Any]) -> None:
    world, run, sessions, docent = course["world"], course["run"], course["sessions"], course["staff"]["docent"]
    mine = _enrol(world.people[0], run).json()
    url = f"/api/v1/provider-runs/{run.uuid}/completions"
    body = {"enrolment": mine["uuid"], "result": "geslaagd"}
    assert invalid(as_user(docent).post(url, body, content_type=JSON)) == {"attendance": "too_little_attendance"}
    Session.objects.filter(pk=sessions[1].pk).delete()  # one session left: attending it is 100%
    _mark(docent, run, sessions[0], (mine["uuid"], True))
    done = as_user(docent).post(url, body, content_type=JSON)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "completed" and done.json()["result"] == "geslaagd"
    credential = Credential.objects.get(holder=world.people[0])
    assert done.json()["credential"] == str(credential.uuid)
    assert ledger.balance(ledger.provider_account(world.provider)) == 80_000  # all three parts
    books = _books()
    again = as_user(docent).post(url, body, content_type=JSON)
    assert again.json() == done.json() and _books() == books and Credential.objects.count() == 1


def test_drop_out_needs_a_reason_and_releases_what_was_not_paid(course: dict[str, Any]) -> None:
    world, run, sessions, docent = course["world"], course["run"], course["sessions"], course["staff"]["docent"]
    mine = _enrol(world.people[0], run).json()
    _mark(docent, run, sessions[0], (mine["uuid"], True))  # the start part: 24,000 paid
    url = f"/api/v1/provider-runs/{run.uuid}/drop-outs"
    post = as_user(docent).post
    assert invalid(post(url, {"enrolment": mine["uuid"], "reason": "ziek"}, content_type=JSON)) == {
        "outcome": "required"
    }  # the reason is picked from the list
    assert invalid(post(url, {"enrolment": mine["uuid"], "outcome": "ziek"}, content_type=JSON)) == {
        "outcome": "invalid_choice"
    }
    assert invalid(post(url, {"enrolment": mine["uuid"], "outcome": "other", "reason": " "}, content_type=JSON)) == {
        "reason": "no_reason"
    }  # another reason needs the provider's own words
    assert invalid(post(url, {"outcome": "health"}, content_type=JSON)) == {"enrolment": "required"}
    stopped = post(url, {"enrolment": mine["uuid"], "outcome": "health", "reason": "ziek"}, content_type=JSON)
    assert stopped.status_code == 200 and stopped.json()["status"] == "dropped_out"
    assert (stopped.json()["outcome"], stopped.json()["outcome_label"], stopped.json()["reason"]) == (
        "health", "Gezondheid", "ziek"
    )
    entitlement = ledger.entitlement_account(fund=world.state_fund, person=world.people[0])
    assert ledger.balance(entitlement) == 100_000 - 24_000
    books = _books()
    assert (
        post(url, {"enrolment": mine["uuid"], "outcome": "health"}, content_type=JSON).status_code == 200
    )
    assert _books() == books
    completed = as_user(docent).post(f"/api/v1/provider-runs/{run.uuid}/completions", {"enrolment": mine["uuid"]},
                                     content_type=JSON)  # fmt: skip
    assert invalid(completed) == {"enrolment": "not_enrolled"}


def test_another_school_reaches_nothing_of_this_run(course: dict[str, Any]) -> None:
    world, run, sessions = course["world"], course["run"], course["sessions"]
    ander, docent = course["staff"]["ander"], course["staff"]["docent"]
    mine = _enrol(world.people[0], run).json()
    client = as_user(ander)
    assert client.get("/api/v1/provider-runs").json()["results"] == []
    assert client.get(f"/api/v1/provider-runs/{run.uuid}").status_code == 404
    assert client.get(f"/api/v1/provider-runs/{run.uuid}/enrolments").status_code == 404
    books = _books()
    for path, body in [
        ("attendance", {"session": str(sessions[0].uuid), "records": [{"enrolment": mine["uuid"], "present": True}]}),
        ("completions", {"enrolment": mine["uuid"]}),
        ("drop-outs", {"enrolment": mine["uuid"], "outcome": "health"}),
    ]:
        answer = client.post(f"/api/v1/provider-runs/{run.uuid}/{path}", body, content_type=JSON)
        assert answer.status_code == 404 and answer["Content-Type"].startswith("application/problem+json"), path
    assert _books() == books and Attendance.objects.count() == 0
    assert Enrolment.objects.get(uuid=mine["uuid"]).status == EnrolmentStatus.ENROLLED
    # A learner may not use the provider's commands at all.
    learner = as_user(world.people[0])
    assert learner.get("/api/v1/provider-runs").status_code == 403
    assert learner.post(f"/api/v1/provider-runs/{run.uuid}/completions", {"enrolment": mine["uuid"]},
                        content_type=JSON).status_code == 403  # fmt: skip
    # The school's own staff see the run with its sessions; an enrolment of another run is unknown here.
    own = as_user(docent).get(f"/api/v1/provider-runs/{run.uuid}").json()
    assert [s["uuid"] for s in own["sessions"]] == [str(s.uuid) for s in sessions]
    other_run = Run.objects.create(offering=world.welding, start_date=run.start_date, end_date=run.end_date)
    answer = as_user(docent).post(f"/api/v1/provider-runs/{other_run.uuid}/completions",
                                  {"enrolment": mine["uuid"]}, content_type=JSON)  # fmt: skip
    assert invalid(answer) == {"enrolment": "does_not_exist"}
    assert as_user(docent).get("/api/v1/provider-runs/6f1c1f3e-0000-4000-8000-000000000000").status_code == 404


def _at_once(*calls: Any) -> list[Any]:
    """Send the requests from threads released together (each thread its own database connection)."""
    start = threading.Barrier(len(calls))
    answers: list[Any] = [None] * len(calls)
    failures: list[BaseException] = []

    def send(index: int) -> None:
        try:
            start.wait()
            answers[index] = calls[index]()
        except BaseException as exc:  # reported below; a thread's exception is otherwise lost
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    return answers


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database (shared cache) answers a second writer 'table is locked' at once "
    "instead of queueing it as a file database does; concurrent writers are tested on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_a_double_click_and_a_race_for_the_last_seat(course: dict[str, Any]) -> None:
    people, run = course["world"].people, course["run"]
    books = _books()
    double = _at_once(lambda: _enrol(people[0], run), lambda: _enrol(people[0], run))
    assert [a.status_code for a in double] == [201, 201] and double[0].json() == double[1].json()
    assert Enrolment.objects.count() == 1 and _books() == books + 1  # one reservation
    race = _at_once(lambda: _enrol(people[1], run), lambda: _enrol(people[2], run))  # one seat left of two
    assert sorted(a.json()["status"] for a in race) == ["enrolled", "waiting"]
    assert _books() == books + 2


# --- enrolling with an idempotency key (services.enrol_once) ------------------------------------------------


def _enrol_keyed(person: Any, run: Run, key: str, *, in_body: bool = False) -> Any:
    body: dict[str, str] = {"run": str(run.uuid)}
    if in_body:
        body["key"] = key
        return as_user(person).post("/api/v1/enrolments", body, content_type=JSON)
    return as_user(person).post("/api/v1/enrolments", body, content_type=JSON, headers={"Idempotency-Key": key})


def test_a_replayed_key_returns_the_same_enrolment_and_books_nothing(course: dict[str, Any]) -> None:
    person, run = course["world"].people[0], course["run"]
    first = _enrol_keyed(person, run, "inschrijven-1")
    assert first.status_code == 201, first.content
    books = _books()
    again = _enrol_keyed(person, run, "inschrijven-1")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["uuid"] == first.json()["uuid"] and _books() == books
    in_body = _enrol_keyed(person, run, "inschrijven-1", in_body=True)  # the body's key is the same key
    assert in_body.status_code == 200 and in_body.json()["uuid"] == first.json()["uuid"]
    assert Enrolment.objects.filter(person=person, run=run).count() == 1


def test_a_replay_after_cancelling_does_not_enrol_again(course: dict[str, Any]) -> None:
    person, run = course["world"].people[0], course["run"]
    first = _enrol_keyed(person, run, "k-cancel").json()
    cancelled = as_user(person).post(f"/api/v1/enrolments/{first['uuid']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == EnrolmentStatus.CANCELLED
    books = _books()
    replay = _enrol_keyed(person, run, "k-cancel")
    assert replay.status_code == 200
    assert replay.json()["uuid"] == first["uuid"] and replay.json()["status"] == EnrolmentStatus.CANCELLED
    assert Enrolment.objects.filter(person=person, run=run).count() == 1 and _books() == books
    # A new key is a new request: the person enrols anew, with a new reservation.
    anew = _enrol_keyed(person, run, "k-cancel-2")
    assert anew.status_code == 201 and anew.json()["uuid"] != first["uuid"]
    assert anew.json()["status"] == EnrolmentStatus.ENROLLED and _books() > books


def test_a_key_reused_for_another_request_is_refused_and_writes_nothing(course: dict[str, Any]) -> None:
    world, run = course["world"], course["run"]
    person = world.people[0]
    _enrol_keyed(person, run, "same-key")
    other_run = Run.objects.create(offering=world.welding, start_date=run.start_date, end_date=run.end_date, seats=5)
    books, enrolments = _books(), Enrolment.objects.count()
    response = _enrol_keyed(person, other_run, "same-key")
    assert invalid(response) == {"key": "idempotency_conflict"}
    assert response.json()["invalidParams"][0]["reason"] == "Deze sleutel is al gebruikt voor een ander verzoek."
    assert _books() == books and Enrolment.objects.count() == enrolments
    # Another person's key is their own: the same text enrols them.
    assert _enrol_keyed(world.people[1], other_run, "same-key").status_code == 201


def test_bad_keys_are_refused_naming_the_key(course: dict[str, Any]) -> None:
    person, run = course["world"].people[0], course["run"]
    both = as_user(person).post("/api/v1/enrolments", {"run": str(run.uuid), "key": "a"}, content_type=JSON,
                                headers={"Idempotency-Key": "b"})  # fmt: skip
    assert invalid(both) == {"key": "key_mismatch"}
    assert invalid(_enrol_keyed(person, run, "x" * 201)) == {"key": "bad_key"}
    assert not Enrolment.objects.filter(person=person).exists()
