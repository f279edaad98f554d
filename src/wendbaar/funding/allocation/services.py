"""Allocation rounds: a fund opens a window for applications, then shares its money out by a published rule
(a lottery whose seed's commitment is public before the window, or priority, then lottery), never first come,
first served. The winners' entitlements are the ledger's (`funding.services.entitle`, once per application)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wendbaar.funding.accounts.services import situation_of
from wendbaar.funding.allocation import lottery
from wendbaar.funding.constants import WITHOUT_STARTKWALIFICATIE
from wendbaar.funding.funds.rules import eligibility
from wendbaar.funding.models import Application, ApplicationOutcome, Fund, Round, RoundRule
from wendbaar.funding.services import check_amount, entitle, refuse


def open_round(
    *,
    fund: Fund,
    name: str,
    opens_at: datetime,
    closes_at: datetime,
    amount_per_person_cents: int,
    budget_cents: int,
    rule: str = RoundRule.LOTTERY,
    now: datetime | None = None,
) -> Round:
    """Make a round; its seed's commitment is public from now on, before the window opens."""
    moment = now or timezone.now()
    errors: dict[str, ValidationError] = {}
    if not name.strip():
        errors["name"] = ValidationError(_("Give the round a name."), code="no_name")
    if opens_at <= moment:
        errors["opens_at"] = ValidationError(
            _("The window must open later than now, so everyone can see the rules first."), code="opens_in_past"
        )
    if closes_at <= opens_at:
        errors["closes_at"] = ValidationError(_("The window must close after it opens."), code="closes_before_open")
    for field, value in (("amount_per_person_cents", amount_per_person_cents), ("budget_cents", budget_cents)):
        try:
            check_amount(value, field)
        except ValidationError as error:
            errors.update(error.error_dict)  # type: ignore[arg-type]
    if not {"amount_per_person_cents", "budget_cents"} & set(errors) and budget_cents < amount_per_person_cents:
        errors["budget_cents"] = ValidationError(_("The budget must be enough for one person."), code="budget_small")
    if rule not in RoundRule.values:
        errors["rule"] = ValidationError(_("Choose one of the options."), code="invalid_choice")
    if errors:
        raise ValidationError(errors)
    seed = lottery.new_seed()
    return Round.objects.create(
        fund=fund, name=name.strip(), opens_at=opens_at, closes_at=closes_at, rule=rule,
        amount_per_person_cents=amount_per_person_cents, budget_cents=budget_cents,
        seed=seed, seed_commitment=lottery.commitment(seed),
    )  # fmt: skip


def apply(*, round: Round, person: Any, now: datetime | None = None) -> Application:
    """Apply for money in `round` while its window is open; applying twice gives back the first application."""
    moment = now or timezone.now()
    existing = Application.objects.filter(round=round, person_id=person.pk).first()
    if existing is not None:
        return existing
    if moment < round.opens_at:
        raise refuse("round", _("You cannot apply yet: the window is not open."), "not_open_yet")
    if moment >= round.closes_at or round.allocated_at is not None:
        raise refuse("round", _("You can no longer apply: the window is closed."), "closed")
    situation = situation_of(person)
    allowed = eligibility(fund=round.fund, situation=situation, today=timezone.localdate(moment))
    if not allowed.eligible:
        raise refuse("person", " ".join(allowed.reasons), "not_eligible")
    group = 0
    if round.rule == RoundRule.PRIORITY_THEN_LOTTERY:
        no_startkwalificatie = situation is not None and situation.education_level in WITHOUT_STARTKWALIFICATIE
        group = 0 if no_startkwalificatie else 1
    try:
        with transaction.atomic():
            return Application.objects.create(round=round, person_id=person.pk, priority_group=group)
    except IntegrityError:  # a double submission at the same moment
        return Application.objects.get(round=round, person_id=person.pk)


def allocate(*, round: Round, now: datetime | None = None) -> Round:
    """After the window: publish the seed, draw, and give the first ones their entitlement (once only)."""
    moment = now or timezone.now()
    with transaction.atomic():
        locked = Round.objects.select_for_update().select_related("fund").get(pk=round.pk)
        if locked.allocated_at is not None:
            return locked
        if moment < locked.closes_at:
            raise refuse("round", _("The draw is after the window closes."), "window_open")
        applications = {str(a.uuid): a for a in locked.applications.select_related("person")}
        seats = locked.budget_cents // locked.amount_per_person_cents
        drawn = lottery.draw(
            seed=locked.seed, applications=[(key, a.priority_group) for key, a in applications.items()], seats=seats
        )
        granted = 0
        for result in drawn:
            application = applications[result.application_id]
            application.ticket, application.rank = result.ticket, result.rank
            application.outcome = ApplicationOutcome.NOT_GRANTED
            if granted < seats:
                try:
                    entitle(
                        fund=locked.fund, person=application.person, amount_cents=locked.amount_per_person_cents,
                        key=f"round:{locked.uuid}:{application.uuid}", today=timezone.localdate(moment),
                    )  # fmt: skip
                except ValidationError as refused:
                    application.outcome = ApplicationOutcome.REFUSED
                    application.reason = " ".join(refused.messages)[:300]
                else:
                    application.outcome = ApplicationOutcome.GRANTED
                    granted += 1
            application.save(update_fields=["ticket", "rank", "outcome", "reason"])
        locked.allocated_at = moment
        locked.save(update_fields=["allocated_at"])
        return locked

