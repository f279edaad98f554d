"""The enrolment app's demo steps, run by `wendbaar demo` after the taxonomy, engine and radar steps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta

from django.utils import timezone

from wendbaar.web.demo import DemoWorld


def leerrekening_loop(world: DemoWorld) -> str:
    """A fund with a rule, the learner's entitlement, an evening course with sessions, an enrolment
    with attendance so far, and payments to the provider. Every step is idempotent."""
    from wendbaar.catalogue.models import CredentialType, Offering, Run
    from wendbaar.enrolment import services
    from wendbaar.enrolment.models import Session
    from wendbaar.funding import services as ledger
    from wendbaar.funding.models import Fund
    from wendbaar.regions.constants import Role

    funder = world.organisations.get("O&O-fonds Demo Techniek")
    provider = world.organisations.get("Demo College (mbo)")
    learner, staff = world.users.get(Role.LEARNER), world.users.get(Role.PROVIDER)
    if not (funder and provider and learner and staff):
        return "leerrekening: demo organisations or users missing, skipped"
    today = timezone.localdate()
    fund, _created = Fund.objects.get_or_create(
        funder=funder, name="Ontwikkelbudget Techniek (demo)",
        defaults={
            "cap_per_person_cents": 150_000, "cap_per_offering_cents": 100_000, "eligible_tags": ["sector-fund"],
            "share_bp": 8_000, "valid_from": today - timedelta(days=30), "valid_until": today + timedelta(days=365),
            "pay_on_start_bp": 2_000, "pay_on_attendance_bp": 3_000, "pay_on_completion_bp": 5_000,
            "min_attendance_bp": 7_500,
        },
    )  # fmt: skip
    if world.region is not None:
        fund.eligible_regions.add(world.region)
    ledger.deposit(fund=fund, amount_cents=5_000_000, key=f"demo:fund:{fund.uuid}")
    ledger.entitle(fund=fund, person=learner, amount_cents=150_000, key=f"demo:entitle:{fund.uuid}:{learner.pk}",
                   region=world.region, today=today)  # fmt: skip
    offering, _created = Offering.objects.get_or_create(
        provider=provider, title_nl="Lassen in de avond (demo leerrekening)",
        defaults={"description_nl": "Leer MIG/MAG-lassen op dinsdagavond.", "credential_type": CredentialType.COURSE,
                  "price_cents": 95_000, "funding_tags": ["sector-fund"], "region": world.region},
    )  # fmt: skip
    start = today + timedelta(days=7)
    run = Run.objects.filter(offering=offering).first() or Run.objects.create(
        offering=offering, start_date=start, end_date=start + timedelta(days=28), weekdays=[start.isoweekday()],
        start_time=time(19), end_time=time(21, 30), seats=12,
    )  # fmt: skip
    if not Session.objects.filter(run=run).exists():
        for week in range(5):
            Session.objects.create(run=run, date=run.start_date + timedelta(days=7 * week), start=time(19),
                                   end=time(21, 30))  # fmt: skip
    enrolment = services.enrol(person=learner, run=run, today=min(today, run.start_date))
    funded = sum(line.amount_cents for line in enrolment.funding.all())
    return (f"leerrekening: {fund.name} with money; {learner.get_username()} enrolled in {offering.title_nl} "
            f"(fund pays {funded / 100:.2f} euro, own share {enrolment.own_share_cents / 100:.2f} euro)")  # fmt: skip


DEMO_STEPS: list[Callable[[DemoWorld], str]] = [leerrekening_loop]
