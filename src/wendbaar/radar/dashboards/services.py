"""Use cases of the radar dashboards (LLO-Radar part 2): indicators, tension, forecasts and figure imports.

Views, the API and the report call these functions (and `pages` for the figures); the queries are the
indicators' (`radar.indicators`). The only writes are job-seeker imports, which go to the store's
Parquet file (see `indicators.tension`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from wendbaar.radar.indicators import forecast as forecasting
from wendbaar.radar.indicators import lookups, occupations, skills
from wendbaar.radar.indicators import tension as tension_rules
from wendbaar.radar.indicators.scope import NATIONAL, Scope, ScopeError, add_months, month_range, quarter_of
from wendbaar.radar.store.cache import store_cached
from wendbaar.radar.store.parquet import store_dir
from wendbaar.regions.constants import LABOUR_MARKET_REGIONS

REGION_NAMES = dict(LABOUR_MARKET_REGIONS)
TOP = 10


class UnknownRegion(LookupError):
    """The code is neither a labour-market region nor NL."""


def region_name(code: str) -> str:
    """Return the name of a region code, or 'Nederland' for the national picture."""
    if code == NATIONAL:
        return "Nederland"
    if code not in REGION_NAMES:
        raise UnknownRegion(code)
    return REGION_NAMES[code]


def end_month(requested: str | None = None) -> str | None:
    """Return the last month of the period: the requested one, else the store's latest month."""
    return requested or occupations.latest_month()


# ---- job-seeker figures -------------------------------------------------------------------------


def import_jobseekers_csv(*, path: Path) -> dict[str, int]:
    """Import job-seeker figures from a CSV file, all or nothing; return added/changed/unchanged counts."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        figures = tension_rules.parse_csv(stream, source=path.name)
    return tension_rules.merge_figures(store_dir(), figures, source=f"csv:{path.name}")


def import_jobseekers_cbs(
    *, table: str, mapping: tension_rules.CbsMapping | None = None, rows: Iterable[Mapping[str, object]] | None = None
) -> dict[str, int]:
    """Import job-seeker figures from a CBS StatLine table (downloaded now, unless `rows` are given)."""
    if rows is None:
        import cbsodata  # only on request: nothing downloads at run time unless asked

        rows = cbsodata.get_data(table)
    figures = tension_rules.parse_cbs_rows(rows, table=table, mapping=mapping or tension_rules.CbsMapping())
    return tension_rules.merge_figures(store_dir(), figures, source=f"cbs:{table}")


# ---- tension ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TensionRow:
    region_code: str
    period: str
    occupation_group: str
    vacancies: int
    job_seekers: int
    ratio: float | None
    tension_class: str | None


def _quarter_months(quarter: str) -> tuple[str, str]:
    first = f"{quarter[:4]}-{(int(quarter[5]) - 1) * 3 + 1:02d}"
    return first, add_months(first, 2)


@store_cached
def tension(*, region: str | None = None, period: str | None = None) -> list[TensionRow]:
    """Return vacancies per short-term job seeker for every loaded figure (optionally one region or quarter)."""
    figures = [
        f
        for f in tension_rules.read_figures(store_dir())
        if (region in (None, NATIONAL) or f.region_code == region) and (period is None or f.period == period)
    ]
    rows = []
    for figure in figures:
        first, last = _quarter_months(figure.period)
        vacancies = occupations.vacancies_in(figure.region_code, first, last, figure.occupation_group)
        ratio = vacancies / figure.job_seekers if figure.job_seekers else None
        klass = tension_rules.classify(ratio).value if ratio is not None else None
        rows.append(
            TensionRow(
                figure.region_code, figure.period, figure.occupation_group, vacancies, figure.job_seekers, ratio, klass
            )
        )
    rows.sort(key=lambda r: (r.region_code, r.period, r.occupation_group))
    return rows


def latest_tension(*, region: str) -> list[TensionRow]:
    """Return the tension rows of the region's most recent quarter with figures."""
    rows = tension(region=region)
    if not rows:
        return []
    latest = max(r.period for r in rows)
    return [r for r in rows if r.period == latest]


# ---- forecasts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupForecast:
    region_code: str
    occupation_group: str  # "" = all occupations
    history: tuple[tuple[str, int], ...]  # (quarter, vacancies)
    quarters: tuple[str, ...]  # the forecast quarters
    assessment: forecasting.Assessment


def _complete_quarters(end: str) -> str:
    """Return the last month of the last complete quarter at or before `end`."""
    month = int(end[5:7])
    return add_months(end, -(month % 3)) if month % 3 else end


@store_cached
def forecast_group(*, region: str, group: str = "", end: str | None = None) -> GroupForecast | None:
    """Return the four-quarter forecast of vacancies for a region (NL = national) and ISCO group."""
    available = occupations.months_available()
    if available is None:
        return None
    last = _complete_quarters(end or available[1])
    first = available[0]
    scope = Scope.of(region=region, isco=group or None)
    counts = occupations.to_quarters(occupations.total_monthly_counts(scope, first, last))
    # Drop a leading partial quarter: it would look like a collapse.
    if counts and not first.endswith(("-01", "-04", "-07", "-10")):
        counts = counts[1:]
    values = [c.vacancies for c in counts]
    assessment = forecasting.assess(values)
    next_quarters = []
    month = add_months(last, 1)
    for _ in range(forecasting.HORIZON):
        next_quarters.append(quarter_of(month))
        month = add_months(month, 3)
    return GroupForecast(
        region, group, tuple((c.period, c.vacancies) for c in counts), tuple(next_quarters), assessment
    )


# ---- pages --------------------------------------------------------------------------------------


@dataclass
class RegionDashboard:
    region: str
    name: str
    level: str
    end: str | None
    first: str | None = None
    growing: list[occupations.Growth] = field(default_factory=list)
    shrinking: list[occupations.Growth] = field(default_factory=list)
    growth_all: list[occupations.Growth] = field(default_factory=list)
    top_skills: list[skills.SkillShare] = field(default_factory=list)
    rising_skills: list[skills.SkillShare] = field(default_factory=list)
    declining_skills: list[skills.SkillShare] = field(default_factory=list)
    collections: list[skills.CollectionShare] = field(default_factory=list)
    tension: list[TensionRow] = field(default_factory=list)
    monthly: list[tuple[str, int, int]] = field(default_factory=list)  # month, region, national
    vacancies: int = 0
    vacancies_national: int = 0
    forecast: GroupForecast | None = None
    labels: dict[str, str] = field(default_factory=dict)
    collections_loaded: bool = False  # whether the ESCO collections (digital, green, transversal) are known


def region_dashboard(
    *,
    region: str,
    level: str = "2",
    end: str | None = None,
    collections: Mapping[str, frozenset[str]] | None = None,
    with_forecast: bool = True,
) -> RegionDashboard:
    """Return everything the region dashboard shows for the 12 months ending at `end`."""
    name = region_name(region)
    if level not in ("1", "2", "3", "4"):
        raise ScopeError("level: must be 1, 2, 3 or 4")
    last = end_month(end)
    board = RegionDashboard(region=region, name=name, level=level, end=last)
    if last is None:
        return board
    board.first = add_months(last, -11)
    scope = Scope.of(region=region)
    board.growth_all = occupations.growth(scope, level, last)
    board.growing = [g for g in board.growth_all if g.status == "growing"][:TOP]
    board.shrinking = sorted((g for g in board.growth_all if g.status == "shrinking"), key=lambda g: g.trend)[:TOP]
    shares = skills.skill_shares(scope, last)
    board.top_skills = shares[:TOP]
    board.rising_skills = sorted((s for s in shares if s.status == "rising"), key=lambda s: -s.change)[:TOP]
    board.declining_skills = sorted((s for s in shares if s.status == "declining"), key=lambda s: s.change)[:TOP]
    if collections is None:
        collections = lookups.skill_collections()
    board.collections_loaded = any(collections.values())
    board.collections = skills.collection_shares(scope, add_months(last, -23), last, collections)
    board.tension = latest_tension(region=region) if region != NATIONAL else []
    region_months = {
        c.period: c.vacancies for c in occupations.total_monthly_counts(scope, add_months(last, -23), last)
    }
    national = {c.period: c.vacancies for c in occupations.total_monthly_counts(Scope(), add_months(last, -23), last)}
    board.monthly = [(m, region_months.get(m, 0), national.get(m, 0)) for m in month_range(add_months(last, -23), last)]
    board.vacancies = sum(v for m, v, _n in board.monthly if m >= board.first)
    board.vacancies_national = sum(n for m, _v, n in board.monthly if m >= board.first)
    if with_forecast:
        board.forecast = forecast_group(region=region, end=last)
    board.labels = {
        **lookups.label_map([g.group for g in board.growth_all], kind="isco"),
        **lookups.label_map(
            {s.skill_uri for s in [*board.top_skills, *board.rising_skills, *board.declining_skills]}, kind="skill"
        ),
    }
    return board


@store_cached
def region_values(*, indicator: str, end: str) -> dict[str, float]:
    """Return {region code: value} of a map indicator: 'vacancies' (12 months), 'growth' (year on year) or 'tension'."""
    if indicator == "tension":
        latest: dict[str, tuple[str, float]] = {}
        for row in tension():
            if row.occupation_group == "" and row.ratio is not None:
                if row.region_code not in latest or row.period > latest[row.region_code][0]:
                    latest[row.region_code] = (row.period, row.ratio)
        return {code: value for code, (_p, value) in latest.items()}
    frame = occupations.region_year_counts(end)
    if indicator == "vacancies":
        return {code: float(now) for code, now, _before in frame}
    if indicator == "growth":
        return {code: now / before - 1 for code, now, before in frame if before}
    raise ScopeError("indicator: must be vacancies, growth or tension")


@dataclass
class OccupationInRegion:
    region: str
    name: str
    group: str
    label: str
    end: str | None
    growth: occupations.Growth | None = None
    growth_national: occupations.Growth | None = None
    monthly: list[tuple[str, int, int]] = field(default_factory=list)
    skills: list[skills.SkillShare] = field(default_factory=list)
    forecast: GroupForecast | None = None
    tension: list[TensionRow] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)


def occupation_in_region(*, region: str, group: str, end: str | None = None) -> OccupationInRegion:
    """Return an ISCO group's growth, monthly counts, skills, forecast and tension in a region."""
    name = region_name(region)
    scope = Scope.of(region=region, isco=group)  # validates the group
    label = lookups.label_map([group], kind="isco")[group]
    last = end_month(end)
    page = OccupationInRegion(region=region, name=name, group=group, label=label, end=last)
    if last is None:
        return page
    level = str(len(group))
    page.growth = next((g for g in occupations.growth(Scope.of(region=region), level, last) if g.group == group), None)
    page.growth_national = next((g for g in occupations.growth(Scope(), level, last) if g.group == group), None)
    months = month_range(add_months(last, -23), last)
    here = {c.period: c.vacancies for c in occupations.total_monthly_counts(scope, months[0], last)}
    there = {c.period: c.vacancies for c in occupations.total_monthly_counts(Scope(isco=group), months[0], last)}
    page.monthly = [(m, here.get(m, 0), there.get(m, 0)) for m in months]
    page.skills = skills.skill_shares(scope, last)[:15]
    page.forecast = forecast_group(region=region, group=group, end=last)
    page.tension = [r for r in tension(region=region) if r.occupation_group == group] if region != NATIONAL else []
    page.labels = lookups.label_map([s.skill_uri for s in page.skills], kind="skill")
    return page


@dataclass
class SkillInRegion:
    region: str
    name: str
    skill_uri: str
    label: str
    end: str | None
    share: skills.SkillShare | None = None
    share_national: skills.SkillShare | None = None
    quarterly: list[tuple[str, int, float, float]] = field(default_factory=list)  # quarter, count, share, national
    pairs: list[skills.SkillPair] = field(default_factory=list)
    occupations: list[tuple[str, int]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)


def skill_in_region(*, region: str, skill_uri: str, end: str | None = None) -> SkillInRegion:
    """Return a skill's share of vacancies over time, its change, the skills asked with it and its occupations."""
    name = region_name(region)
    scope = Scope.of(region=region)
    label = lookups.label_map([skill_uri], kind="skill")[skill_uri]
    last = end_month(end)
    page = SkillInRegion(region=region, name=name, skill_uri=skill_uri, label=label, end=last)
    if last is None:
        return page
    page.share = next((s for s in skills.skill_shares(scope, last) if s.skill_uri == skill_uri), None)
    page.share_national = next((s for s in skills.skill_shares(Scope(), last) if s.skill_uri == skill_uri), None)
    first = add_months(_complete_quarters(last), -35)
    here = skills.skill_by_quarter(scope, skill_uri, first, last)
    there = {q: (a / t if t else 0.0) for q, a, t in skills.skill_by_quarter(Scope(), skill_uri, first, last)}
    page.quarterly = [(q, a, a / t if t else 0.0, there.get(q, 0.0)) for q, a, t in here]
    page.pairs = skills.skill_pairs(scope, last, skill_uri=skill_uri)[:15]
    page.occupations = skills.occupations_asking(scope, skill_uri, last)
    page.labels = {
        **lookups.label_map([p.skill_b for p in page.pairs], kind="skill"),
        **lookups.label_map([g for g, _n in page.occupations], kind="isco"),
    }
    return page


# ---- the vacancies behind a figure --------------------------------------------------------------

PAGE_LIMIT = 100  # rows up to which a read of the vacancy list is memoised (a page on screen is 50)


def vacancies(
    *, scope: Scope, first: str, last: str, offset: int = 0, limit: int = 50
) -> tuple[int, list[occupations.VacancyRow]]:
    """Return the number of vacancies behind a figure and one page of them, newest first.

    A page of the list is memoised; a download (thousands of rows) is read from the store each time.
    """
    if limit <= PAGE_LIMIT:
        return occupations.vacancy_page(scope, first, last, offset, limit)
    return occupations.vacancy_list(scope=scope, first=first, last=last, offset=offset, limit=limit)
