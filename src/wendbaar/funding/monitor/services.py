"""The only writer of the monitor's table (`funding.Participation`); enrolment's services call it.

Each call runs inside the caller's transaction, so the monitor changes together with the enrolment; after it
commits, the rollup's compaction is queued for the worker when many changes wait (`funding.tasks.compact_later`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wendbaar.funding import tasks
from wendbaar.funding.constants import age_band
from wendbaar.funding.models import Account, Fund, Participation, Situation


def record_enrolment(
    *,
    enrolment_id: int,
    person: Any,
    provider_id: int,
    offering_region_id: int | None,
    year: int,
    status: str,
    lines: Sequence[tuple[Fund, Account]],
) -> None:
    """Count an enrolment: one row per fund that pays (`lines`: fund and its reservation), or one without a fund.

    Recording an enrolment again (the waiting list's promotion reserves money later) replaces its rows.
    """
    situation = Situation.objects.filter(person_id=person.pk).first()
    common = {
        "enrolment_id": enrolment_id, "person_id": person.pk, "provider_id": provider_id, "year": year,
        "status": status,
        "region_id": (situation.region_id if situation and situation.region_id else offering_region_id),
        "sector": situation.sector if situation else "",
        "education_level": situation.education_level if situation else "",
        "age_band": age_band(birth_year=situation.birth_year if situation else None, year=year),
    }  # fmt: skip
    Participation.objects.filter(enrolment_id=enrolment_id).delete()
    rows = [
        Participation(
            fund=fund, reservation=reservation, first_line=index == 0, paid_cents=reservation.paid_cents, **common
        )
        for index, (fund, reservation) in enumerate(lines)
    ] or [Participation(first_line=True, **common)]
    Participation.objects.bulk_create(rows)
    tasks.compact_later()


def record_status(*, enrolment_id: int, status: str) -> None:
    """The enrolment completed, stopped or was cancelled: the monitor counts it so from now on."""
    Participation.objects.filter(enrolment_id=enrolment_id).update(status=status)
    tasks.compact_later()


def money_paid() -> None:
    """The ledger paid or refunded money on an enrolment (its booking copies it into the monitor's table)."""
    tasks.compact_later()
