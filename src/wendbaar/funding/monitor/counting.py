"""How the monitor counts, shared by the direct count (`queries`) and the rollup (`rollup`, `cells`).

People are counted distinct. An enrolment has one row per paying fund, so enrolments are counted by mode:
"rows" when split by fund (each row is one enrolment of that fund), "first" when all of an enrolment's rows
are in the scope (its first row counts it: no DISTINCT, no sort), else "distinct".
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum

# enrolment.EnrolmentStatus values that count as taking part (waiting and cancelled do not)
TAKING_PART = ("enrolled", "completed", "dropped_out")
# The dimensions' columns in `funding.Participation`.
COLUMNS = {
    "region": "region_id", "sector": "sector", "age_band": "age_band", "education_level": "education_level",
    "fund": "fund_id", "provider": "provider_id",
}  # fmt: skip
IDS = frozenset({"region", "fund", "provider"})  # dimensions whose groups are ids (None: not known)


def mode(*, whole: bool, dimension: str) -> str:
    """The enrolment count for a split (`dimension`, "" for the total) of a scope that holds all rows of each
    of its enrolments (`whole`: the administrator's, a coordinator's) or maybe only some (a funder's)."""
    return "rows" if dimension == "fund" else "first" if whole else "distinct"


def aggregates(count: str) -> dict[str, Any]:
    """The figures of a group as a Django aggregate, enrolments counted by `count` (see `mode`)."""
    if count == "distinct":
        enrolments = {
            "enrolments": Count("enrolment_id", distinct=True),
            "completed": Count("enrolment_id", distinct=True, filter=Q(status="completed")),
            "dropped_out": Count("enrolment_id", distinct=True, filter=Q(status="dropped_out")),
        }
    else:
        one = Q(first_line=True) if count == "first" else Q()
        enrolments = {
            "enrolments": Count("id", filter=one) if one else Count("id"),
            "completed": Count("id", filter=one & Q(status="completed")),
            "dropped_out": Count("id", filter=one & Q(status="dropped_out")),
        }
    return {"people": Count("person_id", distinct=True), **enrolments, "spent": Sum("paid_cents")}


def key_of(dimension: str, value: Any) -> str:
    """A group's value as the rollup's text key ("" for none)."""
    return "" if value is None else str(value)


def value_of(dimension: str, key: str) -> Any:
    """The group's value back from the rollup's key, as the direct count gives it."""
    if dimension in IDS:
        return int(key) if key else None
    return key
