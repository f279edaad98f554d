"""What the radar says about an occupation in a region, in plain B1 words.

This is the ONLY module of the careers app that imports the radar (kept to one place because the radar
is being re-laid out): `wendbaar.radar.indicators.occupations.growth` and `latest_month`,
`wendbaar.radar.indicators.skills.skill_shares`, `wendbaar.radar.indicators.scope.Scope` and
`wendbaar.radar.dashboards.services.latest_tension`. Every function degrades to "no radar data".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

NATIONAL = "NL"


@dataclass(frozen=True)
class Outlook:
    occupation_uri: str
    scope: str  # "region", "national" or "none" (no radar data at all)
    region_code: str
    status: str  # growing / stable / shrinking / too_few / unknown
    vacancies: int  # posted in the last 12 months, in the scope
    tension_class: str  # UWV class (zeer_ruim .. zeer_krap) or ""
    region_has_data: bool

    @property
    def sentence(self) -> str:
        """One B1 sentence saying what the radar sees, and where the figures come from."""
        where = _("in your region") if self.scope == "region" else _("in the whole country")
        if self.scope == "none":
            return _("The radar has no figures on vacancies yet, so we cannot say how this job is doing.")
        words = {
            "growing": _("There are more and more vacancies for this job %(where)s."),
            "stable": _("The number of vacancies for this job stays about the same %(where)s."),
            "shrinking": _("There are fewer and fewer vacancies for this job %(where)s."),
            "too_few": _("There are too few vacancies for this job %(where)s to see a trend."),
            "unknown": _("The radar saw no vacancies for this job %(where)s."),
        }
        text = words.get(self.status, words["unknown"]) % {"where": where}
        if self.vacancies:
            text += " " + _("Last year there were %(n)d vacancies.") % {"n": self.vacancies}
        if self.tension_class in ("krap", "zeer_krap"):
            text += " " + _("Employers find it hard to fill these jobs.")
        elif self.tension_class in ("ruim", "zeer_ruim"):
            text += " " + _("There are many job seekers for these jobs.")
        if self.scope == "national" and not self.region_has_data:
            text += " " + _("Your region has no radar figures yet, so these are the figures for the whole country.")
        return text

    @property
    def promising(self) -> bool:
        return self.status == "growing" or self.tension_class in ("krap", "zeer_krap")


def _end() -> str | None:
    try:
        from wendbaar.radar.indicators.occupations import latest_month

        return latest_month()
    except Exception:  # no store, unreadable store: the check-up goes on without the radar
        log.warning("careers: the radar store could not be read", exc_info=True)
        return None


def _growth(region: str | None, end: str) -> dict[str, tuple[str, int]]:
    from wendbaar.radar.indicators.occupations import growth
    from wendbaar.radar.indicators.scope import Scope

    return {g.group: (g.status, g.vacancies) for g in growth(Scope.of(region=region), "esco", end)}


def _tension_rows(region: str) -> list:
    if not region or region == NATIONAL:
        return []
    try:
        from wendbaar.radar.dashboards.services import latest_tension

        return list(latest_tension(region=region))
    except Exception:  # no job-seeker figures: no tension class
        return []


def _tension(rows: list, isco_code: str) -> str:
    digits = "".join(ch for ch in isco_code if ch.isdigit())[:4]
    best = ("", -1)
    for row in rows:
        group = row.occupation_group
        if row.tension_class and digits.startswith(group) and len(group) > best[1]:
            best = (row.tension_class, len(group))
    return best[0]


def outlooks(occupations: dict[str, str], region: str) -> dict[str, Outlook]:
    """Return {occupation URI: Outlook} for `occupations` ({URI: ISCO code}) in `region` (or national)."""
    end = _end()
    if end is None:
        return {uri: Outlook(uri, "none", region, "unknown", 0, "", False) for uri in occupations}
    regional = _growth(region, end) if region and region != NATIONAL else {}
    has_data = bool(regional)
    national = {} if has_data else _growth(None, end)
    rows = _tension_rows(region) if has_data else []
    out = {}
    for uri, isco in occupations.items():
        if has_data:
            status, count = regional.get(uri, ("unknown", 0))
            out[uri] = Outlook(uri, "region", region, status, count, _tension(rows, isco), True)
        else:
            status, count = national.get(uri, ("unknown", 0))
            out[uri] = Outlook(uri, "national", region, status, count, "", False)
    return out


def skill_frequency(occupation_uri: str, region: str) -> tuple[dict[str, float], str]:
    """Return ({skill URI: share of the occupation's vacancies asking it}, scope) for the gap order."""
    end = _end()
    if end is None:
        return {}, "none"
    from wendbaar.radar.indicators.scope import Scope
    from wendbaar.radar.indicators.skills import skill_shares

    if region and region != NATIONAL:
        shares = skill_shares(Scope.of(region=region, occupation_uri=occupation_uri), end)
        if shares:
            return {s.skill_uri: s.share for s in shares}, "region"
    shares = skill_shares(Scope.of(occupation_uri=occupation_uri), end)
    return {s.skill_uri: s.share for s in shares}, ("national" if shares else "none")
