"""Allocation rounds: a window, then a published rule; never first come, first served."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from wendbaar.funding import services as ledger
from wendbaar.funding.accounts.services import set_situation
from wendbaar.funding.allocation import lottery, queries
from wendbaar.funding.allocation import services as allocation
from wendbaar.funding.constants import EducationLevel
from wendbaar.funding.models import ApplicationOutcome, Round, RoundRule
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership

from .conftest import LedgerWorld

MADE = datetime(2026, 8, 20, 9, tzinfo=UTC)
OPENS = datetime(2026, 9, 1, 9, tzinfo=UTC)
CLOSES = datetime(2026, 9, 15, 17, tzinfo=UTC)
AFTER = datetime(2026, 9, 16, 9, tzinfo=UTC)


def _round(world: LedgerWorld, rule: str = RoundRule.LOTTERY, budget: int = 30_000) -> Round:
    ledger.deposit(fund=world.sector_fund, amount_cents=1_000_000, key="dep")
    return allocation.open_round(
        fund=world.sector_fund, name="Ronde najaar", opens_at=OPENS, closes_at=CLOSES,
        amount_per_person_cents=10_000, budget_cents=budget, rule=rule, now=MADE,
    )  # fmt: skip


def _people(n: int) -> list:
    User = get_user_model()
    return [User.objects.create_user(username=f"applicant{i}") for i in range(n)]


def test_the_published_seed_reproduces_the_outcome_and_the_budget_is_never_exceeded(world: LedgerWorld) -> None:
    round = _round(world)
    people = _people(8)
    for i, person in enumerate(people):  # spread over the window: the moment must not matter
        allocation.apply(round=round, person=person, now=OPENS + timedelta(hours=i))
    assert round.seed_commitment == lottery.commitment(round.seed)
    done = allocation.allocate(round=round, now=AFTER)
    applications = list(done.applications.order_by("rank"))
    granted = [a for a in applications if a.outcome == ApplicationOutcome.GRANTED]
    assert len(granted) == 3  # 300 euro budget / 100 euro each
    assert sum(ledger.balance(ledger.entitlement_account(fund=world.sector_fund, person=a.person))
               for a in applications) == 30_000  # fmt: skip
    # Anyone can redo the draw from the published seed and the application ids.
    redo = lottery.draw(seed=done.seed, applications=[(str(a.uuid), 0) for a in reversed(applications)], seats=3)
    assert [(d.application_id, d.rank, d.granted) for d in redo] == [
        (str(a.uuid), a.rank, a.outcome == ApplicationOutcome.GRANTED) for a in applications
    ]
    assert [a.ticket for a in applications] == sorted(a.ticket for a in applications)
    # Allocating again changes nothing and books nothing.
    before = ledger.LedgerTransaction.objects.count()
    allocation.allocate(round=round, now=AFTER)
    assert ledger.LedgerTransaction.objects.count() == before
    assert ledger.check_ledger() == []


def test_the_draw_is_deterministic_and_ignores_the_order_of_applying() -> None:
    ids = [f"id-{i}" for i in range(50)]
    first = lottery.draw(seed="s", applications=[(i, 0) for i in ids], seats=10)
    second = lottery.draw(seed="s", applications=[(i, 0) for i in reversed(ids)], seats=10)
    other_seed = lottery.draw(seed="t", applications=[(i, 0) for i in ids], seats=10)
    assert first == second
    assert [d.application_id for d in first] != [d.application_id for d in other_seed]
    assert [d.application_id for d in first] != ids  # not the order of applying
    assert sum(d.granted for d in first) == 10


def test_people_without_a_startkwalificatie_go_first(world: LedgerWorld) -> None:
    round = _round(world, rule=RoundRule.PRIORITY_THEN_LOTTERY, budget=20_000)
    people = _people(6)
    for i, person in enumerate(people):
        level = EducationLevel.VMBO if i in (4, 5) else EducationLevel.HBO
        set_situation(person=person, region=None, sector="", education_level=level, employment_status="")
        allocation.apply(round=round, person=person, now=OPENS)
    allocation.allocate(round=round, now=AFTER)
    granted = {a.person_id for a in round.applications.filter(outcome=ApplicationOutcome.GRANTED)}
    assert granted == {people[4].pk, people[5].pk}
    lines = queries.explain_application(round.applications.get(person=people[0]))
    assert any("startkwalificatie" in line for line in lines)


def test_applying_outside_the_window_is_refused(world: LedgerWorld) -> None:
    round = _round(world)
    person = _people(1)[0]
    for moment, code in ((OPENS - timedelta(seconds=1), "not_open_yet"), (CLOSES, "closed")):
        with pytest.raises(ValidationError) as refused:
            allocation.apply(round=round, person=person, now=moment)
        assert refused.value.error_dict["round"][0].code == code
    assert round.applications.count() == 0
    with pytest.raises(ValidationError):
        allocation.allocate(round=round, now=CLOSES - timedelta(minutes=1))  # no draw while the window is open


def test_a_round_must_be_announced_before_it_opens(world: LedgerWorld) -> None:
    with pytest.raises(ValidationError) as refused:
        allocation.open_round(fund=world.sector_fund, name="Te laat", opens_at=MADE, closes_at=CLOSES,
                          amount_per_person_cents=10_000, budget_cents=5_000, now=MADE)  # fmt: skip
    assert {"opens_at", "budget_cents"} <= set(refused.value.error_dict)


def test_the_command_allocates_and_the_page_explains(world: LedgerWorld) -> None:
    round = _round(world, budget=10_000)
    people = _people(2)
    for person in people:
        allocation.apply(round=round, person=person, now=OPENS)
        Membership.objects.create(user=person, role=Role.LEARNER)
    round.closes_at = datetime(2026, 9, 2, tzinfo=UTC)  # long past by the time the command runs
    round.save()
    out = StringIO()
    call_command("funding", "allocate", str(round.uuid), stdout=out)
    assert "2 applications, 1 granted" in out.getvalue()
    client = Client()
    client.force_login(people[0])
    page = client.get(f"/leerrekening/rondes/{round.uuid}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    round.refresh_from_db()
    assert round.seed in page
    assert "Wanneer je aanvroeg maakt niet uit" in page
