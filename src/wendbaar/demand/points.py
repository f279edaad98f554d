"""From the database to the pure pooling and matching values (read only)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import Min, Q, QuerySet

from wendbaar.catalogue import places
from wendbaar.catalogue.models import Mode, Offering, OfferingSkill, Run, Status
from wendbaar.demand import bulk
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
from wendbaar.demand.reach import Offer, OfferingReach


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


@dataclass
class DemandRow:
    """What writing the pools needs of a demand (the rest is in its `DemandPoint`)."""

    pk: int
    key: str  # its uuid, the key of its point
    pool_id: int | None
    region_id: int | None
    region_code: str
    people: int


def demand_rows(demands: QuerySet[Demand]) -> tuple[list[DemandRow], list[DemandPoint]]:
    """Return the demands of a query as rows and pooling points, read as plain values (a full run reads 10^4:
    model instances with their region and municipality cost more than the pooling of them)."""
    fields = ("id", "uuid", "pool_id", "region_id", "region__code", "people", "organisation_id", "earliest_start",
              "latest_end", "lat", "lon", "municipality__code", "travel_km", "times", "mode", "weekdays")  # fmt: skip
    values = list(demands.values_list(*fields))
    weights: dict[int, dict[str, float]] = defaultdict(dict)
    ids = [row[0] for row in values]
    # A few demands (an incremental update) by id; all of them (a full run) by the same query as a subquery.
    asked = (
        DemandSkill.objects.filter(demand_id__in=ids)
        if len(ids) <= 5000
        else DemandSkill.objects.filter(demand__in=demands.values("pk"))
    )
    for demand_id, uri, essential in bulk.fetch(asked.values_list("demand_id", "skill__uri", "essential")):
        weights[demand_id][uri] = ESSENTIAL_WEIGHT if essential else OPTIONAL_WEIGHT
    rows, pts = [], []
    for pk, uuid, pool_id, region_id, region, people, organisation, start, end, lat, lon, municipality, travel, \
            times, mode, weekdays in values:  # fmt: skip
        key = str(uuid)
        rows.append(DemandRow(pk, key, pool_id, region_id, region or "", people))
        pts.append(
            DemandPoint(
                key=key,
                organisation=str(organisation),
                people=people,
                skills=weights.get(pk, {}),
                window=(start.toordinal(), end.toordinal()),
                region=region or "",
                lat=lat,
                lon=lon,
                municipality=municipality,
                travel_km=float(travel),
                times=times_of(times),
                modes=modes_of(mode),
                weekdays=weekdays_of(weekdays),
            )  # fmt: skip
        )
    return rows, pts


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


def offering_reach(skills: Iterable[str]) -> OfferingReach:
    """Return the published offerings teaching one of `skills` as pooling needs them (`demand.reach`): skills,
    place, online, minimum group; no runs, prices or seats. A full pooling run reads every offering: plain
    numbers, grouped by skill with numpy, each skill's URI looked up once."""
    import numpy as np

    from wendbaar.skills.models import Concept

    ordered = sorted(set(skills))
    uri_of: dict[int, str] = {}
    for start in range(0, len(ordered), 5000):  # SQLite's variable limit
        uri_of.update(Concept.objects.filter(uri__in=ordered[start : start + 5000]).values_list("id", "uri"))
    published = Offering.objects.filter(status=Status.PUBLISHED)
    pairs = np.array(
        bulk.fetch(
            OfferingSkill.objects.filter(removed=False, offering__in=published.values("pk")).values_list(
                "offering_id", "skill_id"
            )
        ),
        dtype=np.int64,
    ).reshape(-1, 2)
    pairs = pairs[np.isin(pairs[:, 1], np.fromiter(uri_of, dtype=np.int64, count=len(uri_of)))]
    teaching = set(np.unique(pairs[:, 0]).tolist())  # the offerings teaching an asked skill, by id
    rows = [
        row
        for row in bulk.fetch(
            published.values_list("id", "mode", "min_group_size", "municipality__code").order_by("id")
        )
        if row[0] in teaching
    ]
    point = places.points_of({row[3] for row in rows if row[3]})
    place_of: dict[tuple[str, float | None, float | None], int] = {}
    offer_place = []
    for _pk, _mode, _size, code in rows:
        lat, lon = point.get(code or "", (None, None))
        offer_place.append(place_of.setdefault((code or "", lat, lon), len(place_of)))
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    pairs = pairs[np.isin(pairs[:, 0], ids)]  # an offering published between the two reads is left out
    pairs = pairs[np.argsort(pairs[:, 1], kind="stable")]
    skill_ids, starts = np.unique(pairs[:, 1], return_index=True)
    offers = np.searchsorted(ids, pairs[:, 0])
    parts = np.split(offers, starts[1:]) if len(offers) else []
    return OfferingReach(
        places=list(place_of), offer_place=offer_place, online=[row[1] == Mode.ONLINE for row in rows],
        sizes=[row[2] or 0 for row in rows],
        by_skill={uri_of[int(skill)]: part for skill, part in zip(skill_ids.tolist(), parts, strict=True)},
    )  # fmt: skip


def smallest_group() -> int | None:
    """Return the smallest minimum group size of any published offering (None when none states one)."""
    return Offering.objects.filter(status=Status.PUBLISHED, min_group_size__isnull=False).aggregate(
        smallest=Min("min_group_size")
    )["smallest"]


def offers_teaching(skills: Iterable[str]) -> dict[int, Offer]:
    """Return {offering id: offer} of the published offerings teaching one of a few `skills` (the offer's skills:
    those of `skills` it teaches). For the incremental update; a full run reads all with `offering_reach`."""
    pairs = list(
        OfferingSkill.objects.filter(
            removed=False, skill__uri__in=list(skills), offering__status=Status.PUBLISHED
        ).values_list("offering_id", "skill__uri")
    )
    taught: dict[int, set[str]] = defaultdict(set)
    for offering_id, uri in pairs:
        taught[offering_id].add(uri)
    rows = list(
        Offering.objects.filter(pk__in=list(taught)).values_list("id", "mode", "min_group_size", "municipality__code")
    )
    point = places.points_of({row[3] for row in rows if row[3]})
    out = {}
    for pk, mode, min_group, code in rows:
        lat, lon = point.get(code or "", (None, None))
        out[pk] = Offer(skills=frozenset(taught[pk]), municipality=code or "", lat=lat, lon=lon,
                        online=mode == Mode.ONLINE, min_group=min_group)  # fmt: skip
    return out


class GrowingReach:
    """The pooling view of the offer (`demand.reach`), read skill by skill the first time a skill is asked for:
    an incremental update needs the offerings of a few skills, not of all."""

    def __init__(self, skills: Iterable[str] = ()) -> None:
        self.offers: dict[int, Offer] = {}
        self.loaded: set[str] = set()
        self.reach = OfferingReach.of(())
        self.ensure(skills)

    def ensure(self, skills: Iterable[str]) -> OfferingReach:
        wanted = set(skills) - self.loaded
        if wanted:
            for pk, offer in offers_teaching(wanted).items():
                known = self.offers.get(pk)
                self.offers[pk] = offer if known is None else replace(known, skills=known.skills | offer.skills)
            self.loaded |= wanted
            self.reach = OfferingReach.of(self.offers.values())
        return self.reach

    def best_coverages(self, asks: Sequence[Ask]) -> list[tuple[float, list[str]]]:
        """Return the gap check of each ask (`OfferingReach.best_coverages`), reading the offerings it needs."""
        return self.ensure({uri for ask in asks for uri in ask.skills}).best_coverages(asks)
