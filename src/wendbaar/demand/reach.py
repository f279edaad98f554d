"""The offerings as pooling needs them: which skills each teaches, where, whether online, its minimum group.
Pure Python with numpy, no Django.

Pooling asks two questions of the offer, both about offerings *in reach* of a pool (online when the pool
accepts online, in the pool's municipality, or within its travel distance — `matching.distance_part` > 0):

- viability (`min_group`): the smallest minimum group size of the offerings in reach that cover enough of
  what the pool shares; asked for one group at a time while pools are formed;
- the gap check (`best_coverages`): the best coverage of each pool's skills by one offering in reach, and
  the skills no offering in reach teaches; asked for all pools of a run at once.

`OfferingIndex` (matching) answers the same questions one ask at a time, from full offering points with runs,
prices and seats. Here the runs are not read at all, offerings share their place (a municipality point: a few
hundred places for 50,000 offerings), and the gap check measures each pool's distance to every place once, as
arrays, instead of to every candidate offering. The answers are the same: a distance within a hair of the
travel distance is measured again with `regions.geo.distance_km`, so rounding in numpy cannot move an
offering in or out of reach.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from wendbaar.demand.matching import Ask
from wendbaar.regions.geo import EARTH_RADIUS_KM, distance_km

# Distances this close to the travel distance are measured again in pure Python (numpy's sin and cos may
# differ from libm's in the last bit).
BORDER_KM = 1e-6


@dataclass(frozen=True)
class Offer:
    """One offering as pooling sees it."""

    skills: frozenset[str]
    municipality: str = ""
    lat: float | None = None
    lon: float | None = None
    online: bool = False
    min_group: int | None = None


class OfferingReach:
    """Published offerings by skill and by place, for the viability lookup and the gap check of pooling."""

    def __init__(
        self,
        *,
        places: Sequence[tuple[str, float | None, float | None]],
        offer_place: Sequence[int],
        online: Sequence[bool],
        sizes: Sequence[int],
        by_skill: Mapping[str, np.ndarray],
    ) -> None:
        """Offerings as columns: offering n is at `places[offer_place[n]]` (municipality, lat, lon), is online or
        not, has minimum group `sizes[n]` (0: none stated); `by_skill` holds the offerings teaching each skill."""
        self.places = list(places)
        self.place_lat = np.array([math.nan if lat is None or lon is None else lat for _m, lat, lon in places])
        self.place_lon = np.array([math.nan if lat is None or lon is None else lon for _m, lat, lon in places])
        self.places_in: dict[str, list[int]] = defaultdict(list)
        for n, (municipality, _lat, _lon) in enumerate(places):
            if municipality:
                self.places_in[municipality].append(n)
        self.offer_place = np.asarray(offer_place, dtype=np.int64)
        self.online = np.asarray(online, dtype=bool)
        self.sizes = list(sizes)
        self.by_skill = {uri: np.asarray(found, dtype=np.int64) for uri, found in by_skill.items()}
        # Per skill, the offerings stating a minimum group (what `min_group` looks at), made when first asked.
        self._sized: dict[str, list[int]] = {}
        self._columns: dict[str, int] | None = None
        self._skill_start = self._skill_end = self._skill_offers = np.zeros(0, dtype=np.int64)
        self._size_of = np.asarray(self.sizes, dtype=np.int64)
        taught = np.zeros(len(self.sizes), dtype=bool)
        if self.by_skill:
            taught[np.concatenate(list(self.by_skill.values()))] = True
        stated = self._size_of[taught & (self._size_of > 0)]
        # The smallest minimum group size of any offering teaching an indexed skill.
        self.smallest_group: int | None = int(stated.min()) if len(stated) else None

    def _sized_teaching(self, uri: str) -> list[int]:
        found = self._sized.get(uri)
        if found is None:
            teaching = self.by_skill.get(uri)
            found = [] if teaching is None else teaching[self._size_of[teaching] > 0].tolist()
            self._sized[uri] = found
        return found

    @classmethod
    def of(cls, offers: Iterable[Offer]) -> OfferingReach:
        """Return the index of `offers` (rows; a full run reads columns from the database instead)."""
        place_of: dict[tuple[str, float | None, float | None], int] = {}
        offer_place: list[int] = []
        online: list[bool] = []
        sizes: list[int] = []
        by_skill: dict[str, list[int]] = defaultdict(list)
        for n, offer in enumerate(offers):
            offer_place.append(place_of.setdefault((offer.municipality, offer.lat, offer.lon), len(place_of)))
            online.append(offer.online)
            sizes.append(offer.min_group or 0)
            for uri in offer.skills:
                by_skill[uri].append(n)
        return cls(
            places=list(place_of), offer_place=offer_place, online=online, sizes=sizes,
            by_skill={uri: np.array(found, dtype=np.int64) for uri, found in by_skill.items()},
        )  # fmt: skip

    def __len__(self) -> int:
        return len(self.sizes)

    # ------------------------------------------------------------ one ask at a time
    def _in_reach(self, ask: Ask, n: int) -> bool:
        """Whether offering n is in reach of the ask (as `matching.distance_part(...)[0] > 0`)."""
        if self.online[n] and "online" in ask.modes:
            return True
        municipality, lat, lon = self.places[int(self.offer_place[n])]
        if ask.municipality and ask.municipality == municipality:
            return True
        if ask.lat is None or ask.lon is None or lat is None or lon is None:
            return False
        return distance_km(ask.lat, ask.lon, lat, lon) <= ask.travel_km

    def min_group(self, ask: Ask, *, min_coverage: float) -> int | None:
        """Return the smallest minimum group size of the offerings in reach that cover at least `min_coverage` of
        the ask's skills (weighted), or None (as `OfferingIndex.min_group`)."""
        total = sum(ask.skills.values()) or 1.0
        covered: dict[int, float] = defaultdict(float)
        for uri, weight in ask.skills.items():
            for n in self._sized_teaching(uri):
                covered[n] += weight
        enough = sorted((self.sizes[n], n) for n, weight in covered.items() if weight / total >= min_coverage)
        for size, n in enough:
            if self._in_reach(ask, n):
                return size
        return None

    # ------------------------------------------------------------ all pools at once
    def reach_of_places(self, asks: Sequence[Ask]) -> np.ndarray:
        """Return a (asks × places) boolean array: which places are in reach of each ask (online not counted).

        Only pairs that a cheap bound cannot rule out get the haversine: the great-circle distance is at least
        the radius times the latitude difference, and at least 2R·asin(cos φ·|sin(Δλ/2)|) for the smallest cos φ
        of all points."""
        reach = np.zeros((len(asks), len(self.places)), dtype=bool)
        lat = np.radians(np.array([math.nan if a.lat is None or a.lon is None else a.lat for a in asks]))
        lon = np.radians(np.array([math.nan if a.lat is None or a.lon is None else a.lon for a in asks]))
        travel = np.array([a.travel_km for a in asks], dtype=float)
        plat, plon = np.radians(self.place_lat), np.radians(self.place_lon)
        known = np.concatenate([lat[~np.isnan(lat)], plat[~np.isnan(plat)]])
        if len(known) and len(self.places):
            margin = travel + 1.0  # km: the bounds are loose by far more than rounding
            smallest_cos = max(float(np.cos(np.abs(known).max())), 1e-9)
            dl_max = 2 * np.arcsin(np.minimum(1.0, margin / (2 * EARTH_RADIUS_KM * smallest_cos)))
            dl = np.abs(plon[None, :] - lon[:, None])
            dl = np.minimum(dl, 2 * np.pi - dl)
            near = (np.abs(plat[None, :] - lat[:, None]) * EARTH_RADIUS_KM <= margin[:, None]) & (dl <= dl_max[:, None])
            i, j = np.nonzero(near)
            p1, p2 = lat[i], plat[j]
            h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((plon[j] - lon[i]) / 2) ** 2
            km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
            inside = km <= travel[i]
            border = np.abs(km - travel[i]) <= BORDER_KM
            for a, b in zip(i[border].tolist(), j[border].tolist(), strict=True):
                ask, (_m, place_lat, place_lon) = asks[a], self.places[b]
                inside[np.flatnonzero((i == a) & (j == b))] = (
                    distance_km(ask.lat, ask.lon, place_lat, place_lon) <= ask.travel_km  # type: ignore[arg-type]
                )
            reach[i[inside], j[inside]] = True
        for n, ask in enumerate(asks):
            if ask.municipality:
                reach[n, self.places_in.get(ask.municipality, [])] = True
        return reach

    def best_coverages(self, asks: Sequence[Ask]) -> list[tuple[float, list[str]]]:
        """Return for each ask the best weighted coverage of its skills by one offering in reach, and the skills no
        offering in reach teaches (as `OfferingIndex.best_coverage`, for many asks at once)."""
        if not asks:
            return []
        from scipy import sparse

        reach = self.reach_of_places(asks)
        online_ok = np.array(["online" in a.modes for a in asks], dtype=bool)
        # One row per (ask, skill, offering teaching it), grouped by (ask, skill): each (ask, skill) pair is
        # expanded into the offerings of its skill through the skills' offsets into one array (CSR).
        column = self._skill_columns()
        group_ask: list[int] = []
        group_skill: list[int] = []
        group_weight: list[float] = []
        for i, ask in enumerate(asks):
            for uri, weight in ask.skills.items():
                group_ask.append(i)
                group_skill.append(column.get(uri, len(column)))  # an unknown skill: the empty last column
                group_weight.append(weight)
        skill = np.asarray(group_skill, dtype=np.int64)
        lengths = self._skill_end[skill] - self._skill_start[skill]
        starts = np.cumsum(lengths) - lengths
        position = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(starts, lengths)
        cols = self._skill_offers[np.repeat(self._skill_start[skill], lengths) + position]
        rows = np.repeat(np.asarray(group_ask, dtype=np.int64), lengths)
        data = np.repeat(np.asarray(group_weight, dtype=float), lengths)
        ok = reach[rows, self.offer_place[cols]] | (self.online[cols] & online_ok[rows])
        # A skill is taught in reach when one of its rows is.
        taught = np.zeros(len(lengths), dtype=bool)
        filled = lengths > 0
        if filled.any():  # reduceat over the non-empty groups only (an empty one would read its neighbour)
            taught[filled] = np.add.reduceat(ok.astype(np.int64), starts[filled]) > 0
        # Coverage of each (ask, offering in reach): the sum of the weights of the ask's skills it teaches.
        covered = sparse.csr_matrix((data[ok], (rows[ok], cols[ok])), shape=(len(asks), max(len(self), 1)))
        best_sum = np.asarray(covered.max(axis=1).todense()).ravel() if covered.nnz else np.zeros(len(asks))
        out = []
        g = 0
        for i, ask in enumerate(asks):
            total = sum(ask.skills.values()) or 1.0
            missing = []
            for uri in ask.skills:
                if not taught[g]:
                    missing.append(uri)
                g += 1
            out.append((float(best_sum[i]) / total, sorted(missing)))
        return out

    def _skill_columns(self) -> dict[str, int]:
        """Number the skills and lay their offerings out end to end (made once, on the first gap check)."""
        if self._columns is None:
            uris = list(self.by_skill)
            parts = [self.by_skill[uri] for uri in uris]
            sizes = np.array([len(part) for part in parts] + [0], dtype=np.int64)  # and an empty column
            self._skill_end = np.cumsum(sizes)
            self._skill_start = self._skill_end - sizes
            self._skill_offers = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
            self._columns = {uri: n for n, uri in enumerate(uris)}
        return self._columns
