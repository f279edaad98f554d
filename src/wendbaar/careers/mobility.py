"""The mobility engine: how well a person (or an occupation's holder) fits every ESCO occupation.

Pure scipy over sparse matrices built once per taxonomy version (see docs/careers.md, "Mobility formula"):

    credit(s) = 1                  if the person holds skill s
              = BROADER_CREDIT     else, if the person holds a skill directly broader or narrower than s
              = 0                  otherwise
    fit(o)    = sum_s w(o, s) * credit(s) / sum_s w(o, s)
    w(o, s)   = ESSENTIAL_WEIGHT for an essential skill of o, OPTIONAL_WEIGHT for an optional one

`MobilityIndex` is immutable; `index()` returns the cached one for the current taxonomy version.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

ESSENTIAL_WEIGHT = 1.0
OPTIONAL_WEIGHT = 0.3
BROADER_CREDIT = 0.5


@dataclass(frozen=True)
class Path:
    """One occupation a person could move to, with the numbers that explain it."""

    occupation: str  # URI
    fit: float
    essential_total: int
    essential_held: int  # fully held essential skills
    gap: tuple[str, ...]  # essential skills not fully held (URIs), in the occupation's order
    partly: tuple[str, ...]  # of the gap: skills held partly (via a broader or narrower skill)
    optional_missing: tuple[str, ...]


class MobilityIndex:
    """Occupations × skills weights, the skill hierarchy, and the lookups between URIs and rows."""

    def __init__(
        self,
        *,
        occupations: Sequence[str],
        skills: Sequence[str],
        relations: Iterable[tuple[str, str, bool]],
        broader: Iterable[tuple[str, str]],
        version: str = "",
    ) -> None:
        self.version = version
        self.occupations = sorted(occupations)  # URI order: ties rank by URI
        self.skills = list(skills)
        self.occupation_row = {uri: i for i, uri in enumerate(self.occupations)}
        self.skill_col = {uri: j for j, uri in enumerate(self.skills)}
        rows, cols, weights, ess = [], [], [], []
        for occupation, skill, essential in relations:
            i, j = self.occupation_row.get(occupation), self.skill_col.get(skill)
            if i is None or j is None:
                continue
            rows.append(i)
            cols.append(j)
            weights.append(ESSENTIAL_WEIGHT if essential else OPTIONAL_WEIGHT)
            ess.append(1.0 if essential else 0.0)
        shape = (len(self.occupations), len(self.skills))
        weight = sparse.coo_matrix((weights, (rows, cols)), shape=shape).tocsr()
        weight.sum_duplicates()
        self.weight = weight
        self.essential = sparse.coo_matrix((ess, (rows, cols)), shape=shape).tocsr()
        self.essential.eliminate_zeros()
        self.totals = np.asarray(weight.sum(axis=1)).ravel()
        b_rows, b_cols = [], []
        for narrower, wider in broader:
            a, b = self.skill_col.get(narrower), self.skill_col.get(wider)
            if a is not None and b is not None and a != b:
                b_rows += [a, b]
                b_cols += [b, a]
        n = len(self.skills)
        # Symmetric adjacency: a skill is "near" its direct broader and direct narrower skills.
        self.near = sparse.coo_matrix((np.ones(len(b_rows)), (b_rows, b_cols)), shape=(n, n)).tocsr()
        # Binary holder matrix: the holder of an occupation holds all its skills (essential and optional).
        self.holds = (weight > 0).astype(np.float64).tocsr()

    # ---- credits -----------------------------------------------------------------------------

    def credit(self, skill_uris: Iterable[str]) -> np.ndarray:
        """Return the credit vector (one value per skill column) of a person holding `skill_uris`."""
        held = np.zeros(len(self.skills))
        for uri in skill_uris:
            j = self.skill_col.get(uri)
            if j is not None:
                held[j] = 1.0
        return self._credit_rows(sparse.csr_matrix(held)).toarray().ravel()

    def _credit_rows(self, held: sparse.csr_matrix) -> sparse.csr_matrix:
        near = (held @ self.near) > 0
        partial = near.astype(np.float64) * BROADER_CREDIT
        return held.maximum(partial).tocsr()

    # ---- fits --------------------------------------------------------------------------------

    def fits(self, skill_uris: Iterable[str]) -> np.ndarray:
        """Return the fit (0..1) of a person holding `skill_uris` to every occupation (row order)."""
        credit = self.credit(skill_uris)
        scores = self.weight @ credit
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(self.totals > 0, scores / np.where(self.totals > 0, self.totals, 1.0), 0.0)
        return np.clip(out, 0.0, 1.0)

    def fit(self, skill_uris: Iterable[str], occupation: str) -> float:
        return float(self.fits(skill_uris)[self.occupation_row[occupation]])

    def skills_of(self, occupation: str, *, essential_only: bool = False) -> list[str]:
        matrix = self.essential if essential_only else self.weight
        return [self.skills[j] for j in sorted(self._row(matrix, self.occupation_row[occupation]).tolist())]

    def movers_into(self, occupation: str, *, limit: int = 20, min_fit: float = 0.0) -> list[tuple[str, float]]:
        """Return occupations whose holders fit `occupation` best: who could move into it (zij-instroom)."""
        target = self.occupation_row[occupation]
        total = self.totals[target]
        if total <= 0:
            return []
        credits = self._holder_credits()
        column = np.zeros(len(self.skills))
        row = slice(self.weight.indptr[target], self.weight.indptr[target + 1])
        column[self.weight.indices[row]] = self.weight.data[row]
        scores = np.asarray(credits @ column).ravel() / total
        scores[target] = -1.0
        order = np.lexsort((np.arange(len(scores)), -scores))
        out = []
        for i in order[:limit]:
            if scores[i] < min_fit or scores[i] <= 0:
                break
            out.append((self.occupations[i], float(min(scores[i], 1.0))))
        return out

    def _holder_credits(self) -> sparse.csr_matrix:
        cached = getattr(self, "_holders", None)
        if cached is None:
            cached = self._credit_rows(self.holds)
            self._holders = cached
        return cached

    def occupation_fits(self, source: str) -> np.ndarray:
        """Return the fit of the holder of `source` to every occupation."""
        return self.fits(self.skills_of(source))

    # ---- paths -------------------------------------------------------------------------------

    def paths(
        self,
        skill_uris: Iterable[str],
        *,
        limit: int = 10,
        exclude: Iterable[str] = (),
        candidates: Iterable[str] | None = None,
        min_fit: float = 0.0,
    ) -> list[Path]:
        """Return the best-fitting occupations for a person, best first (ties by URI), with their gaps."""
        held = set(skill_uris)
        credit = self.credit(held)
        fits = self.fits(held)
        allowed = np.ones(len(self.occupations), dtype=bool)
        if candidates is not None:
            allowed[:] = False
            for uri in candidates:
                if uri in self.occupation_row:
                    allowed[self.occupation_row[uri]] = True
        for uri in exclude:
            if uri in self.occupation_row:
                allowed[self.occupation_row[uri]] = False
        allowed &= self.totals > 0
        allowed &= fits >= min_fit
        idx = np.nonzero(allowed)[0]
        # Best fit first; ties broken by URI so the order never depends on the order of the input.
        # Occupation rows are in URI order, so a stable sort on the rounded fit breaks ties by URI.
        rounded = np.round(fits[idx], 12)
        keyed = idx[np.argsort(-rounded, kind="stable")][:limit]
        return [self._path(int(i), float(fits[i]), credit) for i in keyed]

    def path_to(self, skill_uris: Iterable[str], occupation: str) -> Path:
        held = set(skill_uris)
        i = self.occupation_row[occupation]
        return self._path(i, float(self.fits(held)[i]), self.credit(held))

    def _row(self, matrix: sparse.csr_matrix, i: int) -> np.ndarray:
        return matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]]

    def _path(self, i: int, fit: float, credit: np.ndarray) -> Path:
        essential = self._row(self.essential, i)
        essential_set = set(essential.tolist())
        everything = self._row(self.weight, i)
        gap = sorted((int(j) for j in essential if credit[j] < 1.0), key=lambda j: self.skills[j])
        optional = sorted(
            (int(j) for j in everything if int(j) not in essential_set and credit[j] < 1.0),
            key=lambda j: self.skills[j],
        )
        return Path(
            occupation=self.occupations[i],
            fit=min(fit, 1.0),
            essential_total=len(essential),
            essential_held=int((credit[essential] >= 1.0).sum()),
            gap=tuple(self.skills[j] for j in gap),
            partly=tuple(self.skills[j] for j in gap if credit[j] > 0),
            optional_missing=tuple(self.skills[j] for j in optional),
        )


# ---- the cached index over the database ------------------------------------------------------

_lock = threading.Lock()
_cache: dict[str, MobilityIndex] = {}


def build_index(version: str = "") -> MobilityIndex:
    """Read the taxonomy (released occupations and skills, relations, skill hierarchy) into an index."""
    from wendbaar.skills.models import Broader, Concept, Kind, OccupationSkill, RelationType, Status

    released = Concept.objects.filter(kind=Kind.OCCUPATION, status=Status.RELEASED)
    occupations = list(released.order_by("uri").values_list("uri", flat=True))
    skills = list(
        Concept.objects.filter(kind__in=[Kind.SKILL, Kind.SKILL_GROUP]).order_by("uri").values_list("uri", flat=True)
    )
    relations = [
        (o, s, r == RelationType.ESSENTIAL)
        for o, s, r in OccupationSkill.objects.values_list("occupation__uri", "skill__uri", "relation").iterator(
            chunk_size=20_000
        )
    ]
    links = Broader.objects.filter(concept__kind__in=[Kind.SKILL, Kind.SKILL_GROUP])
    broader = list(links.values_list("concept__uri", "broader__uri"))
    return MobilityIndex(occupations=occupations, skills=skills, relations=relations, broader=broader, version=version)


def index() -> MobilityIndex:
    """Return the mobility index of the current taxonomy version, building it on first use."""
    from wendbaar.skills.services import cached_taxonomy_version

    version = cached_taxonomy_version()
    found = _cache.get(version)
    if found is not None:
        return found
    with _lock:
        found = _cache.get(version)
        if found is None:
            found = build_index(version)
            _cache.clear()
            _cache[version] = found
    return found


def forget() -> None:
    """Drop the cached index (tests that plant concepts without a taxonomy import call this)."""
    with _lock:
        _cache.clear()
