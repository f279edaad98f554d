"""A first glimpse of the gaps: the radar's rising skills in a provider's regions that none of its offerings teaches.

Read-only; the demand issue completes this with employers' pooled demand.
"""

from __future__ import annotations

from dataclasses import dataclass

from wendbaar.catalogue.models import OfferingSkill
from wendbaar.regions.models import Organisation

GAP_ROWS = 15


@dataclass(frozen=True)
class Gap:
    region: str
    skill_uri: str
    label: str
    vacancies: int
    change: float  # share of vacancies now minus a year before (fraction)


def rising_gaps(*, provider: Organisation, limit: int = GAP_ROWS) -> list[Gap]:
    """Return the radar's rising skills in the provider's regions that no offering of the provider teaches."""
    from wendbaar.radar.dashboards import services as dashboard_services
    from wendbaar.radar.indicators import lookups
    from wendbaar.radar.indicators import skills as skill_indicators
    from wendbaar.radar.indicators.scope import Scope

    end = dashboard_services.end_month()
    if end is None:  # the radar holds no vacancies yet
        return []
    taught = set(
        OfferingSkill.objects.filter(offering__provider=provider, removed=False).values_list("skill__uri", flat=True)
    )
    gaps: list[Gap] = []
    for region in provider.regions.order_by("code"):
        shares = skill_indicators.skill_shares(Scope.of(region=region.code), end)
        rising = sorted(
            (s for s in shares if s.status == "rising" and s.skill_uri not in taught), key=lambda s: -s.change
        )
        labels = lookups.label_map([s.skill_uri for s in rising[:limit]], kind="skill")
        gaps.extend(
            Gap(region.code, s.skill_uri, labels.get(s.skill_uri, s.skill_uri), s.vacancies, s.change)
            for s in rising[:limit]
        )
    return gaps
