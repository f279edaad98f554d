"""From the database to the pure pooling and matching values (read only)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q, QuerySet

from wendbaar.catalogue.models import Mode, Offering, OfferingSkill, Run, Status
from wendbaar.demand import places
from wendbaar.demand.matching import Ask, OfferingIndex, OfferingPoint, RunPoint
from wendbaar.demand.models import Demand, DemandSkill, DemandStatus
from wendbaar.demand.pooling import (
    ALL_DAYS,
    ALL_MODES,
    ALL_TIMES,
    ESSENTIAL_WEIGHT,
    OPTIONAL_WEIGHT,
    DemandPoint,
    Rules,
)


def rules() -> Rules:
    """Return the pooling rules from the settings."""
    return Rules(
        similarity=settings.DEMAND_SIMILARITY,
        min_overlap_days=settings.DEMAND_MIN_OVERLAP_DAYS,
        default_min_group=settings.DEMAND_DEFAULT_MIN_GROUP,
    )


def modes_of(mode: str) -> frozenset[str]:
    return frozenset({mode}) if mode else ALL_MODES


def times_of(times: Iterable[str]) -> frozenset[str]:
    return frozenset(times) or ALL_TIMES


def weekdays_of(weekdays: Iterable[int]) -> frozenset[int]:
    return frozenset(int(d) for d in weekdays) or ALL_DAYS


def skill_weights(demand_ids: Iterable[int]) -> dict[int, dict[str, float]]:
    """Return {demand id: {skill URI: weight}}."""
    out: dict[int, dict[str, float]] = defaultdict(dict)
    rows = DemandSkill.objects.filter(demand_id__in=list(demand_ids)).values_list(
        "demand_id", "skill__uri", "essential"
    )
    for demand_id, uri, essential in rows:
        out[demand_id][uri] = ESSENTIAL_WEIGHT if essential else OPTIONAL_WEIGHT
    return out


def open_demands() -> QuerySet[Demand]:
    return Demand.objects.filter(status=DemandStatus.OPEN)


def demand_points(demands: Iterable[Demand]) -> list[DemandPoint]:
    """Return the pooling view of demands (with their region and municipality loaded)."""
    rows = list(demands)
    weights = skill_weights(d.pk for d in rows)
    return [point_of(d, weights.get(d.pk, {})) for d in rows]


def point_of(demand: Demand, weights: dict[str, float]) -> DemandPoint:
    return DemandPoint(
        key=str(demand.uuid),
        organisation=str(demand.organisation_id),
        people=demand.people,
        skills=weights,
        window=(demand.earliest_start.toordinal(), demand.latest_end.toordinal()),
        region=demand.region.code if demand.region else "",
        lat=demand.lat,
        lon=demand.lon,
        municipality=demand.municipality.code,
        travel_km=float(demand.travel_km),
        times=times_of(demand.times),
        modes=modes_of(demand.mode),
        weekdays=weekdays_of(demand.weekdays),
    )


def ask_of(demand: Demand, weights: dict[str, float]) -> Ask:
    from wendbaar.regions.constants import ActorType

    return Ask(
        skills=weights,
        window=(demand.earliest_start.toordinal(), demand.latest_end.toordinal()),
        people=demand.people,
        times=times_of(demand.times),
        modes=modes_of(demand.mode),
        municipality=demand.municipality.code,
        lat=demand.lat,
        lon=demand.lon,
        travel_km=float(demand.travel_km),
        max_price_cents=demand.max_price_cents,
        by_fund=demand.organisation.actor_type == ActorType.FUND,
        weekdays=weekdays_of(demand.weekdays),
    )


def run_slots(run: Run, mode: str) -> frozenset[str]:
    slots = set()
    if run.is_weekend:
        slots.add("weekend")
    if run.is_evening:
        slots.add("evening")
    if not run.is_evening and not run.is_weekend:
        slots.add("daytime")
    if mode == Mode.WORKPLACE:
        slots.add("workplace")
    return frozenset(slots)


def offering_index(skills: Iterable[str] | None = None) -> OfferingIndex:
    """Return the published offerings (those teaching one of `skills`, or all) as a matching index."""
    qs = Offering.objects.filter(status=Status.PUBLISHED)
    if skills is not None:
        wanted = list(skills)
        qs = qs.filter(pk__in=OfferingSkill.objects.filter(skill__uri__in=wanted, removed=False).values("offering_id"))
    offerings = list(
        qs.select_related("municipality").only(
            "id", "uuid", "mode", "price_cents", "funding_tags", "min_group_size", "municipality__code", "region_id"
        )
    )
    ids = [o.pk for o in offerings]
    taught: dict[int, set[str]] = defaultdict(set)
    for offering_id, uri in OfferingSkill.objects.filter(offering_id__in=ids, removed=False).values_list(
        "offering_id", "skill__uri"
    ):
        taught[offering_id].add(uri)
    runs: dict[int, list[Run]] = defaultdict(list)
    for run in Run.objects.filter(offering_id__in=ids).filter(Q(seats__isnull=True) | Q(seats__gt=0)):
        runs[run.offering_id].append(run)
    codes = sorted({o.municipality.code for o in offerings if o.municipality is not None})
    point = places.points_of(codes)
    points = []
    for o in offerings:
        code = o.municipality.code if o.municipality is not None else ""
        lat, lon = point.get(code, (None, None))
        points.append(
            OfferingPoint(
                key=str(o.uuid),
                skills=frozenset(taught[o.pk]),
                runs=tuple(
                    RunPoint(
                        key=str(r.uuid),
                        start=r.start_date.toordinal(),
                        end=r.end_date.toordinal(),
                        slots=run_slots(r, o.mode),
                        seats=r.seats,
                        weekdays=frozenset(int(d) for d in r.weekdays or ()),
                    )
                    for r in runs[o.pk]
                ),
                municipality=code,
                lat=lat,
                lon=lon,
                online=o.mode == Mode.ONLINE,
                price_cents=o.price_cents,
                funding_tags=frozenset(o.funding_tags or ()),
                min_group=o.min_group_size,
            )
        )
    return OfferingIndex(points)
