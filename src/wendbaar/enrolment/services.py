"""Enrolment administration: enrol with a funding check, attendance, completion or drop-out.

Money moves only through `funding.services`, with idempotency keys derived from the enrolment, so a
double submission of any step books nothing twice. The provider's parts of the price are paid as
each fund's rule says: the start part at the first attendance, the attendance part once the person
attended the share the fund asks (or half the sessions if it asks nothing), the completion part on
completion (which needs that share too); what is left is released back to the learning account.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from wendbaar.catalogue.models import Offering, OfferingSkill, Run
from wendbaar.enrolment.models import (
    ACTIVE,
    COMPLETION_RESULTS,
    DROP_OUT_REASONS,
    Attendance,
    Enrolment,
    EnrolmentStatus,
    EnrolRequest,
    FundingLine,
    Outcome,
    Session,
)
from wendbaar.funding import services as ledger
from wendbaar.funding.accounts import queries as funding_queries
from wendbaar.funding.models import BASIS_POINTS, Account, Fund
from wendbaar.funding.monitor import services as monitor
from wendbaar.passport.services import issue_credential
from wendbaar.regions.constants import Role
from wendbaar.regions.roles import organisation_ids


def _refuse(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


@dataclass(frozen=True)
class PlanLine:
    entitlement: Account
    fund: Fund
    amount_cents: int


@dataclass(frozen=True)
class FundingPlan:
    """Which funds pay how much of a price, and what is left for the person or employer."""

    price_cents: int
    lines: list[PlanLine]
    own_share_cents: int


def funding_plan(*, person: Any, offering: Offering, today: date | None = None) -> FundingPlan:
    """Work out which of the person's entitlements pay for `offering`, largest share first.

    The rules are the funding app's (`funding.accounts.queries.coverage_for`, also what the check-up shows).
    """
    coverage = funding_queries.coverage_for(person=person, offering=offering, today=today)
    if coverage is None:  # no learning account
        return FundingPlan(offering.price_cents, [], offering.price_cents)
    accounts = Account.objects.select_related("fund").in_bulk([line.account_id for line in coverage.lines])
    lines = [
        PlanLine(accounts[line.account_id], accounts[line.account_id].fund, line.amount_cents)  # type: ignore[arg-type]
        for line in coverage.lines
    ]
    return FundingPlan(offering.price_cents, lines, coverage.own_share_cents)


def seats_taken(run: Run) -> int:
    return Enrolment.objects.filter(run=run, status__in=ACTIVE).count()


def enrol(*, person: Any, run: Run, today: date | None = None) -> Enrolment:
    """Enrol `person` in `run`, reserving what the funds pay; on the waiting list when the run is full.

    Enrolling twice gives back the first enrolment (a double submission books nothing).
    """
    with transaction.atomic():
        locked = Run.objects.select_for_update().select_related("offering__provider").get(pk=run.pk)
        return _enrol_locked(person=person, run=locked, today=today)


def _enrol_locked(*, person: Any, run: Run, today: date | None) -> Enrolment:
    """`enrol` on a run the caller has locked (inside its transaction)."""
    existing = Enrolment.objects.filter(person=person, run=run).exclude(status=EnrolmentStatus.CANCELLED).first()
    if existing is not None:
        return existing
    if run.start_date < (today or timezone.localdate()):
        raise _refuse("run", _("This course has already started."), "run_started")
    full = run.seats is not None and seats_taken(run) >= run.seats
    offering = run.offering
    enrolment = Enrolment.objects.create(
        person=person,
        run=run,
        status=EnrolmentStatus.WAITING if full else EnrolmentStatus.ENROLLED,
        price_cents=offering.price_cents,
        own_share_cents=offering.price_cents,
    )
    if full:
        _count(enrolment, offering, [])
        return enrolment
    _reserve_funding(enrolment, offering, today)
    return enrolment


@dataclass(frozen=True)
class Enrolled:
    """What an enrol request with a key did: the enrolment, and whether the key was seen before (a replay)."""

    enrolment: Enrolment
    replayed: bool


def _replay(request: EnrolRequest, run: Run) -> Enrolled:
    if request.run_id != run.pk:
        message = _("This key was already used for another request.")
        raise _refuse("key", message, "idempotency_conflict")
    return Enrolled(Enrolment.objects.get(pk=request.enrolment_id), replayed=True)


def enrol_once(*, person: Any, run: Run, key: str, today: date | None = None) -> Enrolled:
    """`enrol` with the caller's idempotency `key` (per person): the first request with a key decides.

    A replay of the same request gets the same enrolment back as it is now: also when it was cancelled
    meanwhile (then nothing is enrolled again; to enrol anew, send a new key). The key with another run is
    refused (`key`, `idempotency_conflict`). Without a key, `enrol` is idempotent by its subject only.
    """
    key = ledger.check_key(key)
    try:
        with transaction.atomic():
            locked = Run.objects.select_for_update().select_related("offering__provider").get(pk=run.pk)
            seen = EnrolRequest.objects.filter(person_id=person.pk, key=key).first()
            if seen is not None:
                return _replay(seen, locked)
            enrolment = _enrol_locked(person=person, run=locked, today=today)
            EnrolRequest.objects.create(person_id=person.pk, key=key, run=locked, enrolment=enrolment)
            return Enrolled(enrolment, replayed=False)
    except IntegrityError:
        # The same key at the same moment for another run (a lock on another run): the first one decides.
        seen = EnrolRequest.objects.filter(person_id=person.pk, key=key).first()
        if seen is None:
            raise
        return _replay(seen, run)


def _count(enrolment: Enrolment, offering: Offering, lines: list[tuple[Fund, Account]]) -> None:
    """Tell the participation monitor about the enrolment and the funds that pay for it."""
    monitor.record_enrolment(
        enrolment_id=enrolment.pk, person=enrolment.person, provider_id=offering.provider_id,
        offering_region_id=offering.region_id, year=timezone.localtime(enrolment.created_at).year,
        status=enrolment.status, lines=lines,
    )  # fmt: skip


def _reserve_funding(enrolment: Enrolment, offering: Offering, today: date | None) -> None:
    """Reserve what the person's funds pay for the enrolment (inside the caller's transaction)."""
    plan = funding_plan(person=enrolment.person, offering=offering, today=today)
    counted: list[tuple[Fund, Account]] = []
    for line in plan.lines:
        reference = f"enrolment:{enrolment.uuid}"
        ledger.reserve(
            entitlement=line.entitlement,
            offering=offering,
            amount_cents=line.amount_cents,
            reference=reference,
            key=f"{reference}:reserve:{line.fund.pk}",
            today=today,
        )
        held = ledger.reservation_account(entitlement=line.entitlement, offering=offering, reference=reference)
        FundingLine.objects.create(
            enrolment=enrolment, fund=line.fund, reservation=held, amount_cents=line.amount_cents
        )
        counted.append((line.fund, held))
    enrolment.own_share_cents = plan.own_share_cents
    enrolment.save(update_fields=["own_share_cents"])
    _count(enrolment, offering, counted)


def promote_from_waiting_list(*, run: Run, today: date | None = None) -> Enrolment | None:
    """Give a free seat to the first person on the waiting list, with their reservation; None when none moves up.

    The waiting list is in the order people enrolled. Nothing moves once the course has started.
    """
    with transaction.atomic():
        locked = Run.objects.select_for_update().select_related("offering__provider").get(pk=run.pk)
        if locked.start_date < (today or timezone.localdate()):
            return None
        if locked.seats is not None and seats_taken(locked) >= locked.seats:
            return None
        waiting = (
            Enrolment.objects.select_for_update()
            .filter(run=locked, status=EnrolmentStatus.WAITING)
            .select_related("person")
            .order_by("created_at", "id")
            .first()
        )
        if waiting is None:
            return None
        waiting.status = EnrolmentStatus.ENROLLED
        waiting.save(update_fields=["status"])
        _reserve_funding(waiting, locked.offering, today)
        return waiting


def _check_staff(staff: Any, run: Run) -> None:
    if run.offering.provider_id not in organisation_ids(staff, role=Role.PROVIDER):
        raise PermissionDenied(_("Only staff of the school that gives this course can do this."))


def _parts(line: FundingLine) -> dict[str, int]:
    fund = line.fund
    start = line.amount_cents * fund.pay_on_start_bp // BASIS_POINTS
    attendance = line.amount_cents * fund.pay_on_attendance_bp // BASIS_POINTS
    return {"start": start, "attendance": attendance, "completion": line.amount_cents - start - attendance}


def _pay_part(line: FundingLine, stage: str) -> None:
    amount = _parts(line)[stage]
    if amount > 0:
        key = f"enrolment:{line.enrolment.uuid}:{line.fund_id}:{stage}"
        ledger.pay(reservation=line.reservation, amount_cents=amount, key=key, stage=stage)
        monitor.money_paid()


def attendance_share(enrolment: Enrolment) -> int:
    """Return the share of the run's sessions the person attended, in basis points."""
    sessions = Session.objects.filter(run_id=enrolment.run_id, cancelled_at=None).count()
    if not sessions:
        return 0
    present = Attendance.objects.filter(enrolment=enrolment, present=True).count()
    return present * BASIS_POINTS // sessions


def _needed(line: FundingLine) -> int:
    return line.fund.min_attendance_bp or BASIS_POINTS // 2


def _check_attendee(run: Run, enrolment: Enrolment) -> None:
    if enrolment.run_id != run.pk:
        raise _refuse("enrolment", _("This person is not enrolled in this course."), "other_run")
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise _refuse("enrolment", _("Attendance can only be recorded for someone who is enrolled."), "not_enrolled")


def _check_session(session: Session, today: date) -> None:
    if session.cancelled:
        raise _refuse("session", _("This lesson was cancelled."), "session_cancelled")
    if session.date > today:
        raise _refuse("session", _("This lesson has not happened yet."), "session_in_future")


def _write_attendance(*, staff: Any, session: Session, enrolment: Enrolment, present: bool) -> Attendance:
    """Store one mark and pay the start and attendance parts when they fall due (inside the caller's transaction)."""
    attendance, _created = Attendance.objects.update_or_create(
        session=session, enrolment=enrolment, defaults={"present": present, "recorded_by": staff}
    )
    if present:
        share = attendance_share(enrolment)
        for line in enrolment.funding.select_related("fund", "reservation", "enrolment"):
            _pay_part(line, "start")
            if share >= _needed(line):
                _pay_part(line, "attendance")
    return attendance


def record_attendance(
    *, staff: Any, session: Session, enrolment: Enrolment, present: bool, today: date | None = None
) -> Attendance:
    """Record whether the person was at `session`; pays the start and attendance parts when they fall due."""
    session = Session.objects.get(pk=session.pk)  # as it is now (it may have been cancelled meanwhile)
    run = Run.objects.select_related("offering").get(pk=session.run_id)
    _check_staff(staff, run)
    _check_attendee(run, enrolment)
    _check_session(session, today or timezone.localdate())
    with transaction.atomic():
        return _write_attendance(staff=staff, session=session, enrolment=enrolment, present=present)


def record_session_attendance(
    *, staff: Any, session: Session, marks: Sequence[tuple[Enrolment, bool]], today: date | None = None
) -> list[Attendance]:
    """Record a whole session's attendance at once (what a provider's system sends): all marks or none.

    Every mark is checked before anything is written; the errors are named `records.<i>.<field>` (the
    session's own as `session`), all at once. Sending the same marks again changes and pays nothing.
    """
    session = Session.objects.get(pk=session.pk)  # as it is now (it may have been cancelled meanwhile)
    run = Run.objects.select_related("offering").get(pk=session.run_id)
    _check_staff(staff, run)
    errors: dict[str, list[ValidationError]] = {}
    try:
        _check_session(session, today or timezone.localdate())
    except ValidationError as error:
        errors.update(error.error_dict)
    if not marks:
        errors["records"] = [ValidationError(_("Give at least one person's attendance."), code="required")]
    seen: set[int] = set()
    for index, (enrolment, _present) in enumerate(marks):
        if enrolment.pk in seen:
            errors[f"records.{index}.enrolment"] = [
                ValidationError(_("This person is in the list twice."), code="duplicate")
            ]
            continue
        seen.add(enrolment.pk)
        try:
            _check_attendee(run, enrolment)
        except ValidationError as error:
            errors.update({f"records.{index}.{field}": messages for field, messages in error.error_dict.items()})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return [
            _write_attendance(staff=staff, session=session, enrolment=enrolment, present=present)
            for enrolment, present in marks
        ]


def _check_outcome(outcome: str, allowed: Sequence[str], message: str) -> None:
    if outcome not in allowed:
        raise _refuse("outcome", message, "no_outcome" if not outcome else "invalid_choice")


def complete(*, staff: Any, enrolment: Enrolment, result: str = "", outcome: str = Outcome.PASSED) -> Enrolment:
    """Mark the enrolment completed with a result from the list (`outcome`, one of COMPLETION_RESULTS; `result`
    is free, e.g. a grade): pay the rest of each fund's parts and issue a credential."""
    run = Run.objects.select_related("offering__provider").get(pk=enrolment.run_id)
    _check_staff(staff, run)
    _check_outcome(outcome, COMPLETION_RESULTS, _("Choose a result from the list."))
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status == EnrolmentStatus.COMPLETED:
            return enrolment
        if enrolment.status != EnrolmentStatus.ENROLLED:
            raise _refuse("enrolment", _("Only someone who is enrolled can complete the course."), "not_enrolled")
        share = attendance_share(enrolment)
        lines = list(enrolment.funding.select_related("fund", "reservation", "enrolment"))
        for line in lines:
            if line.fund.min_attendance_bp and share < line.fund.min_attendance_bp:
                raise _refuse(
                    "attendance",
                    _("This person was not at enough lessons for the fund (%(needed)s%% needed).")
                    % {"needed": line.fund.min_attendance_bp // 100},
                    "too_little_attendance",
                )
        for line in lines:
            for stage in ("start", "attendance", "completion"):
                _pay_part(line, stage)
        offering = run.offering
        skills = list(
            OfferingSkill.objects.filter(offering=offering, removed=False).values_list("skill__uri", flat=True)
        )
        credential = issue_credential(
            issuer_organisation=offering.provider,
            recipient=enrolment.person,
            achievement_name=offering.title_nl,
            skills=skills,
            achievement_description=offering.description_nl[:500],
            issued_by=staff,
        )
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.result, enrolment.outcome = result, outcome
        enrolment.credential = credential
        enrolment.ended_at = timezone.now()
        enrolment.save(update_fields=["status", "result", "outcome", "credential", "ended_at"])
        monitor.record_status(enrolment_id=enrolment.pk, status=enrolment.status)
        return enrolment


def _release_all(enrolment: Enrolment, why: str) -> None:
    for line in enrolment.funding.select_related("reservation"):
        if ledger.balance(line.reservation) > 0:
            ledger.release(reservation=line.reservation, key=f"enrolment:{enrolment.uuid}:{line.fund_id}:{why}")


def drop_out(*, staff: Any, enrolment: Enrolment, outcome: str, reason: str = "") -> Enrolment:
    """Mark that the person stopped, with a reason from the list (`outcome`, one of DROP_OUT_REASONS; `reason`:
    the provider's own words, needed for "another reason"); what was not yet paid goes back to the learning
    account. The monitor counts the drop-out as before (by its status)."""
    run = Run.objects.select_related("offering").get(pk=enrolment.run_id)
    _check_staff(staff, run)
    _check_outcome(outcome, DROP_OUT_REASONS, _("Choose a reason from the list."))
    if outcome == Outcome.OTHER and not reason.strip():
        raise _refuse("reason", _("Say in a few words what the other reason is."), "no_reason")
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status == EnrolmentStatus.DROPPED_OUT:
            return enrolment
        if enrolment.status != EnrolmentStatus.ENROLLED:
            raise _refuse("enrolment", _("Only someone who is enrolled can stop."), "not_enrolled")
        _release_all(enrolment, "drop-out")
        enrolment.status = EnrolmentStatus.DROPPED_OUT
        enrolment.outcome, enrolment.reason = outcome, reason.strip()
        enrolment.ended_at = timezone.now()
        enrolment.save(update_fields=["status", "outcome", "reason", "ended_at"])
        monitor.record_status(enrolment_id=enrolment.pk, status=enrolment.status)
        return enrolment


def cancel(*, person: Any, enrolment: Enrolment, today: date | None = None) -> Enrolment:
    """The person cancels before the course starts; the reservation goes back to the learning account.

    A seat that comes free goes to the first person on the waiting list, with their reservation.
    """
    if enrolment.person_id != person.pk:
        raise PermissionDenied(_("You can only cancel your own enrolment."))
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status == EnrolmentStatus.CANCELLED:
            return enrolment  # cancelled before: a repeated request changes nothing
        if enrolment.status not in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING):
            raise _refuse("enrolment", _("This enrolment can no longer be cancelled."), "not_cancellable")
        if Attendance.objects.filter(enrolment=enrolment).exists():
            raise _refuse("enrolment", _("The course has started for you; ask the school to stop it."), "started")
        _release_all(enrolment, "cancel")
        freed_a_seat = enrolment.status == EnrolmentStatus.ENROLLED
        enrolment.status = EnrolmentStatus.CANCELLED
        enrolment.ended_at = timezone.now()
        enrolment.save(update_fields=["status", "ended_at"])
        monitor.record_status(enrolment_id=enrolment.pk, status=enrolment.status)
        if freed_a_seat:
            promote_from_waiting_list(run=enrolment.run, today=today)
        return enrolment


# --- sessions (the run's lessons), made by the provider's staff ---------------------------------------

MAX_WEEKS = 52  # a year of weekly lessons; more is a typing error


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


def _session_errors(
    *, run: Run, days: Sequence[date], start: time, end: time, location: str, today: date, skip: int | None = None
) -> dict[str, list[ValidationError]]:
    """Every reason the sessions on `days` cannot be planned, by field (`date`, `start`, `end`, `weeks`, `location`).

    `skip` is the session being changed, so it does not overlap with itself.
    """
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if end <= start:
        add("end", _("The end time must be after the start time."), "end_before_start")
    if len(location) > 200:
        add("location", _("The location can be at most 200 characters long."), "max_length")
    if days[0] < today:
        add(
            "date", _("%(date)s has already passed. Choose today or a later date.") % {"date": _day(days[0])}, "in_past"
        )
    if days[0] < run.start_date:
        message = _("%(date)s is before this course run starts (%(start)s).")
        add("date", message % {"date": _day(days[0]), "start": _day(run.start_date)}, "outside_run")
    if days[-1] > run.end_date:
        message = _("%(date)s is after this course run ends (%(end)s).")
        add("weeks" if len(days) > 1 else "date", message % {"date": _day(days[-1]), "end": _day(run.end_date)},
            "outside_run")  # fmt: skip
    if end > start:
        taken = Session.objects.filter(run=run, date__in=days, start__lt=end, end__gt=start, cancelled_at=None)
        if skip is not None:
            taken = taken.exclude(pk=skip)
        for other in taken.order_by("date", "start"):
            message = _("On %(date)s there is already a lesson from %(start)s to %(end)s.")
            times = {"start": f"{other.start:%H:%M}", "end": f"{other.end:%H:%M}"}
            add("date", message % {"date": _day(other.date), **times}, "overlap")
    return errors


def add_sessions(
    *, run: Run, by: Any, day: date, start: time, end: time, weeks: int = 1, location: str = "", online: bool = False,
    today: date | None = None,
) -> list[Session]:  # fmt: skip
    """Plan one lesson on `day`, or (`weeks` > 1) one every week on the same weekday from `day` on.

    Only the run's own school's staff may. Every lesson is checked before one is written, all errors at
    once by field (`date`, `start`, `end`, `weeks`, `location`): the end after the start, not in the past,
    within the run's dates, not overlapping a lesson the run already has. All are added or none.
    """
    run = Run.objects.select_related("offering").get(pk=run.pk)
    _check_staff(by, run)
    if not 1 <= weeks <= MAX_WEEKS:
        message = _("Choose between 1 and %(max)s weeks.") % {"max": MAX_WEEKS}
        raise ValidationError({"weeks": ValidationError(message, code="invalid")})
    # Weeks past the calendar's end (year 9999) are left out: the series is refused as past the run's end anyway.
    days = [day + timedelta(weeks=week) for week in range(weeks) if day <= date.max - timedelta(weeks=week)]
    with transaction.atomic():
        Run.objects.select_for_update().get(pk=run.pk)  # two staff adding at once cannot overlap
        errors = _session_errors(
            run=run, days=days, start=start, end=end, location=location, today=today or timezone.localdate()
        )
        if errors:
            raise ValidationError(errors)
        return [
            Session.objects.create(run=run, date=d, start=start, end=end, location=location, online=online)
            for d in days
        ]


def _check_no_attendance(session: Session) -> None:
    if Attendance.objects.filter(session=session).exists():
        message = _("Attendance has already been recorded for this lesson, so you can no longer change or cancel it.")
        raise _refuse("session", message, "has_attendance")


def change_session(
    *, session: Session, by: Any, day: date, start: time, end: time, location: str = "", online: bool = False,
    today: date | None = None,
) -> Session:  # fmt: skip
    """Move a lesson or change its times or place, by the rules of `add_sessions`; refused once attendance is recorded.

    The enrolled people read the sessions from the run, so they see the change at once.
    """
    run = Run.objects.select_related("offering").get(pk=session.run_id)
    _check_staff(by, run)
    with transaction.atomic():
        Run.objects.select_for_update().get(pk=run.pk)
        session = Session.objects.get(pk=session.pk)
        if session.cancelled:
            message = _("This lesson was cancelled, so you can no longer change it.")
            raise _refuse("session", message, "session_cancelled")
        _check_no_attendance(session)
        errors = _session_errors(run=run, days=[day], start=start, end=end, location=location,
                                 today=today or timezone.localdate(), skip=session.pk)  # fmt: skip
        if errors:
            raise ValidationError(errors)
        session.date, session.start, session.end = day, start, end
        session.location, session.online = location, online
        session.save(update_fields=["date", "start", "end", "location", "online"])
        return session


def cancel_session(*, session: Session, by: Any) -> Session:
    """Cancel a lesson: it stays listed, marked as cancelled, for the provider and the participants (its history
    is kept), and no longer counts for the attendance share or for overlaps. Cancelling again changes nothing.

    Refused once attendance is recorded for it.
    """
    run = Run.objects.select_related("offering").get(pk=session.run_id)
    _check_staff(by, run)
    with transaction.atomic():
        Run.objects.select_for_update().get(pk=run.pk)
        session = Session.objects.get(pk=session.pk)
        if session.cancelled:
            return session
        _check_no_attendance(session)
        session.cancelled_at = timezone.now()
        session.save(update_fields=["cancelled_at"])
        return session
