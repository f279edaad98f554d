"""Enrolment with a funding check, attendance, completion with payment in parts and a credential."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from wendbaar.catalogue.models import Run
from wendbaar.enrolment import services
from wendbaar.enrolment.models import EnrolmentStatus, Outcome, Session
from wendbaar.funding import services as ledger
from wendbaar.passport import issuer_keys
from wendbaar.passport.models import Credential
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership

from ..funding.conftest import LATER, RUN_START, TODAY, LedgerWorld, make_world


@pytest.fixture(autouse=True)
def fresh_keys() -> Any:
    issuer_keys.forget()
    yield
    issuer_keys.forget()


@pytest.fixture
def world(db: None) -> LedgerWorld:
    return make_world()


@pytest.fixture
def course(world: LedgerWorld) -> dict[str, Any]:
    ledger.deposit(fund=world.state_fund, amount_cents=1_000_000, key="dep")
    for i, person in enumerate(world.people):
        ledger.entitle(fund=world.state_fund, person=person, amount_cents=100_000, key=f"ent{i}",
                       region=world.region, today=TODAY)  # fmt: skip
    run = Run.objects.create(
        offering=world.welding, start_date=RUN_START, end_date=RUN_START + timedelta(days=28),
        weekdays=[RUN_START.isoweekday()],
        start_time=time(19, 0), end_time=time(21, 30), seats=2,
    )  # fmt: skip
    sessions = [Session.objects.create(run=run, date=RUN_START + timedelta(days=d), start=time(19), end=time(21, 30))
                for d in (0, 7, 14, 21, 28)]  # fmt: skip
    staff = get_user_model().objects.create_user(username="docent")
    Membership.objects.create(user=staff, role=Role.PROVIDER, organisation=world.provider)
    outsider = get_user_model().objects.create_user(username="ander")
    Membership.objects.create(user=outsider, role=Role.PROVIDER, organisation=world.other_provider)
    return {"run": run, "sessions": sessions, "staff": staff, "outsider": outsider}


def test_the_full_loop(world: LedgerWorld, course: dict[str, Any]) -> None:
    person = world.people[0]
    enrolment = services.enrol(person=person, run=course["run"], today=TODAY)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    # The fund pays 70% of 1,200 euro, capped at 800 euro per offering: 800; the rest is the person's.
    assert [line.amount_cents for line in enrolment.funding.all()] == [80_000]
    assert enrolment.own_share_cents == 40_000
    assert services.enrol(person=person, run=course["run"], today=TODAY).pk == enrolment.pk  # double submission
    provider = ledger.provider_account(world.provider)
    staff = course["staff"]
    services.record_attendance(
        staff=staff, session=course["sessions"][0], enrolment=enrolment, present=True, today=LATER
    )
    assert ledger.balance(provider) == 24_000  # the start part: 30%
    with pytest.raises(ValidationError) as refused:
        services.complete(staff=staff, enrolment=enrolment)
    assert "attendance" in refused.value.error_dict
    for session in course["sessions"][1:4]:
        services.record_attendance(staff=staff, session=session, enrolment=enrolment, present=True, today=LATER)
    assert ledger.balance(provider) == 48_000  # 80% attended: the attendance part
    done = services.complete(staff=staff, enrolment=enrolment, result="geslaagd")
    assert done.status == EnrolmentStatus.COMPLETED
    assert ledger.balance(provider) == 80_000
    assert Credential.objects.filter(holder=person).count() == 1
    assert services.complete(staff=staff, enrolment=done).pk == done.pk
    assert ledger.balance(provider) == 80_000
    assert ledger.check_ledger() == []


def test_a_full_run_puts_people_on_the_waiting_list(world: LedgerWorld, course: dict[str, Any]) -> None:
    first, second, third = (services.enrol(person=p, run=course["run"], today=TODAY) for p in world.people)
    assert [first.status, second.status, third.status] == ["enrolled", "enrolled", "waiting"]
    assert not third.funding.exists()


def test_a_cancelled_seat_goes_to_the_first_on_the_waiting_list_with_a_reservation(
    world: LedgerWorld, course: dict[str, Any]
) -> None:
    first, second, third = (services.enrol(person=p, run=course["run"], today=TODAY) for p in world.people)
    entitlement = ledger.entitlement_account(fund=world.state_fund, person=world.people[2])
    assert ledger.balance(entitlement) == 100_000
    services.cancel(person=world.people[0], enrolment=first, today=TODAY)
    third.refresh_from_db()
    assert third.status == EnrolmentStatus.ENROLLED
    assert [line.amount_cents for line in third.funding.all()] == [80_000]
    assert third.own_share_cents == 40_000
    assert ledger.balance(entitlement) == 20_000  # the seat came with its reservation
    assert ledger.balance(ledger.entitlement_account(fund=world.state_fund, person=world.people[0])) == 100_000
    # Cancelling a place on the waiting list frees no seat; a full run promotes no one.
    assert services.promote_from_waiting_list(run=course["run"], today=TODAY) is None
    assert ledger.check_ledger() == []


def test_no_one_moves_up_once_the_course_has_started(world: LedgerWorld, course: dict[str, Any]) -> None:
    first, _second, third = (services.enrol(person=p, run=course["run"], today=TODAY) for p in world.people)
    services.cancel(person=world.people[0], enrolment=first, today=RUN_START + timedelta(days=1))
    third.refresh_from_db()
    assert third.status == EnrolmentStatus.WAITING
    assert not third.funding.exists()


def test_bad_steps_are_refused(world: LedgerWorld, course: dict[str, Any]) -> None:
    enrolment = services.enrol(person=world.people[0], run=course["run"], today=TODAY)
    with pytest.raises(PermissionDenied):
        services.record_attendance(staff=course["outsider"], session=course["sessions"][0], enrolment=enrolment,
                                   present=True, today=LATER)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.record_attendance(staff=course["staff"], session=course["sessions"][4], enrolment=enrolment,
                                   present=True, today=RUN_START + timedelta(days=1))  # fmt: skip
    assert "session" in refused.value.error_dict
    with pytest.raises(ValidationError):
        services.enrol(person=world.people[1], run=course["run"], today=RUN_START + timedelta(days=4))


def test_drop_out_releases_what_was_not_paid(world: LedgerWorld, course: dict[str, Any]) -> None:
    enrolment = services.enrol(person=world.people[0], run=course["run"], today=TODAY)
    services.record_attendance(staff=course["staff"], session=course["sessions"][0], enrolment=enrolment,
                               present=True, today=LATER)  # fmt: skip
    services.drop_out(staff=course["staff"], enrolment=enrolment, outcome=Outcome.MOVED)
    entitlement = ledger.entitlement_account(fund=world.state_fund, person=world.people[0])
    assert ledger.balance(entitlement) == 100_000 - 24_000
    assert ledger.check_ledger() == []
