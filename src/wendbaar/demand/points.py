"""From the database to the pure pooling and matching values (read only)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Min, Q, QuerySet

from wendbaar.catalogue import places
from wendbaar.catalogue.models import Mode, Offering, OfferingSkill, Run, Status
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
    return slots_of(evening=run.is_evening, weekend=run.is_weekend, mode=mode)


def slots_of(*, evening: bool, weekend: bool, mode: str) -> frozenset[str]:
    slots = set()
    if weekend:
        slots.add("weekend")
    if evening:
        slots.add("evening")
    if not evening and not weekend:
        slots.add("daytime")
    if mode == Mode.WORKPLACE:
        slots.add("workplace")
    return frozenset(slots)


def offering_points(skills: Iterable[str] | None = None, *, exclude: Iterable[int] = ()) -> list[OfferingPoint]:
    """Return the published offerings (those teaching one of `skills`, or all; not those with a pk in `exclude`)
    as matching points. Reads rows as tuples, not model instances: a full pooling run reads every offering."""
    qs = Offering.objects.filter(status=Status.PUBLISHED)
    if skills is not None:
        wanted = list(skills)
        qs = qs.filter(pk__in=OfferingSkill.objects.filter(skill__uri__in=wanted, removed=False).values("offering_id"))
    skipped = set(exclude)
    rows = [
        row
        for row in qs.values_list(
            "id", "uuid", "mode", "price_cents", "funding_tags", "min_group_size", "municipality__code"
        )
        if row[0] not in skipped
    ]
    if not rows:
        return []
    ids = [row[0] for row in rows]
    taught: dict[int, set[str]] = defaultdict(set)
    runs: dict[int, list[tuple]] = defaultdict(list)
    # One IN list per query would pass SQLite's variable limit for a full run: read in slices.
    for start in range(0, len(ids), 5000):
        part = ids[start : start + 5000]
        for offering_id, uri in OfferingSkill.objects.filter(offering_id__in=part, removed=False).values_list(
            "offering_id", "skill__uri"
        ):
            taught[offering_id].add(uri)
        for run in (
            Run.objects.filter(offering_id__in=part)
            .filter(Q(seats__isnull=True) | Q(seats__gt=0))
            .values_list(
                "offering_id", "uuid", "start_date", "end_date", "is_evening", "is_weekend", "seats", "weekdays"
            )  # fmt: skip
        ):
            runs[run[0]].append(run)
    codes = sorted({row[6] for row in rows if row[6]})
    point = places.points_of(codes)
    out = []
    for pk, key, mode, price, tags, min_group, code in rows:
        lat, lon = point.get(code or "", (None, None))
        out.append(
            OfferingPoint(
                key=str(key),
                skills=frozenset(taught[pk]),
                runs=tuple(
                    RunPoint(
                        key=str(run_key),
                        start=start_date.toordinal(),
                        end=end_date.toordinal(),
                        slots=slots_of(evening=evening, weekend=weekend, mode=mode),
                        seats=seats,
                        weekdays=frozenset(int(d) for d in days or ()),
                    )  # fmt: skip
                    for _o, run_key, start_date, end_date, evening, weekend, seats, days in runs[pk]
                ),
                municipality=code or "",
                lat=lat,
                lon=lon,
                online=mode == Mode.ONLINE,
                price_cents=price,
                funding_tags=frozenset(tags or ()),
                min_group=min_group,
                pk=pk,
            )
        )
    return out


def offering_index(skills: Iterable[str] | None = None) -> OfferingIndex:
    """Return the published offerings (those teaching one of `skills`, or all) as a matching index."""
    return OfferingIndex(offering_points(skills))


def smallest_group() -> int | None:
    """Return the smallest minimum group size of any published offering (None when none states one)."""
    return Offering.objects.filter(status=Status.PUBLISHED, min_group_size__isnull=False).aggregate(
        smallest=Min("min_group_size")
    )["smallest"]


class GrowingIndex:
    """An offering index that reads the offerings of a skill from the database the first time it is asked for:
    an incremental pooling run needs the offerings of a few skills, not of all."""

    def __init__(self, skills: Iterable[str] = ()) -> None:
        self.index = OfferingIndex(())
        self.loaded: set[str] = set()
        self._pks: set[int] = set()
        self.ensure(skills)

    def ensure(self, skills: Iterable[str]) -> OfferingIndex:
        wanted = set(skills) - self.loaded
        if wanted:
            fresh = offering_points(wanted, exclude=self._pks)
            self.index.add(fresh)
            self._pks.update(o.pk for o in fresh if o.pk is not None)
            self.loaded |= wanted
        return self.index
