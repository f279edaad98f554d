"""API of the radar's indicators and forecasts (LLO-Radar part 2): read-only, paginated, filterable lists.

Every endpoint reads the analytics store through `dashboard_services`/`indicators`; all roles may read
(the same regional information as the dashboard pages).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from wendbaar.api_conventions import Pagination, Router
from wendbaar.radar.dashboards import services
from wendbaar.radar.indicators import occupations, skills
from wendbaar.radar.indicators.scope import MONTH_PATTERN, NATIONAL, Scope, ScopeError, add_months
from wendbaar.regions.models import Region
from wendbaar.regions.permissions import ALL_ROLES, HasAllowedRole

# The rows an indicator endpoint lists (inside the viewsets `list` names their method, not the type).
Rows = list[Any]


class RegionCodeField(serializers.RegexField):
    """A region code (AM22) that exists, or NL for the country: an unknown code is a 400, not an empty list."""

    def __init__(self) -> None:
        super().__init__(
            r"^(AM\d{2}|NL)$", required=False, default=NATIONAL, help_text="Region code (AM22) or NL for the country."
        )

    def to_internal_value(self, data: Any) -> str:
        code = str(super().to_internal_value(data))
        if code != NATIONAL and not Region.objects.filter(code=code).exists():
            raise ValidationError(_("There is no labour-market region with the code %(code)s.") % {"code": code})
        return code

MONTH_REGEX = MONTH_PATTERN


# ---- query parameters ---------------------------------------------------------------------------


class EndQuery(serializers.Serializer):
    region = RegionCodeField()
    end = serializers.RegexField(MONTH_REGEX, required=False, help_text="Last month of the period (default: latest).")


class GrowthQuery(EndQuery):
    level = serializers.ChoiceField(["1", "2", "3", "4", "esco"], default="2", help_text="ISCO digits or ESCO.")
    # A pattern rather than a choice: several enums named "status" would collide in the OpenAPI components.
    status = serializers.RegexField(
        r"^(growing|shrinking|stable|too_few)$", required=False, help_text="growing, shrinking, stable or too_few."
    )


class CountQuery(serializers.Serializer):
    region = RegionCodeField()
    level = serializers.ChoiceField(["1", "2", "3", "4", "esco"], default="2")
    isco = serializers.RegexField(r"^\d{1,4}$", required=False, help_text="Only this ISCO group (prefix).")
    first = serializers.RegexField(MONTH_REGEX, required=False)
    last = serializers.RegexField(MONTH_REGEX, required=False)
    period = serializers.ChoiceField(["month", "quarter"], default="month")
    skill = serializers.CharField(
        required=False, max_length=300, help_text="Count only vacancies asking this skill URI."
    )


class SkillQuery(EndQuery):
    isco = serializers.RegexField(r"^\d{1,4}$", required=False)
    status = serializers.RegexField(
        r"^(rising|declining|stable|too_few)$", required=False, help_text="rising, declining, stable or too_few."
    )


class PairQuery(EndQuery):
    isco = serializers.RegexField(r"^\d{1,4}$", required=False)
    skill = serializers.CharField(required=False, max_length=300, help_text="Only pairs with this skill URI.")


class TensionQuery(serializers.Serializer):
    region = RegionCodeField()
    period = serializers.RegexField(r"^\d{4}Q[1-4]$", required=False, help_text="Quarter, e.g. 2025Q1.")
    tension_class = serializers.ChoiceField(["zeer_ruim", "ruim", "gemiddeld", "krap", "zeer_krap"], required=False)


class ForecastQuery(serializers.Serializer):
    region = RegionCodeField()
    level = serializers.ChoiceField(["0", "1", "2", "3", "4"], default="1", help_text="0 = all occupations together.")
    isco = serializers.RegexField(r"^\d{1,4}$", required=False, help_text="Only this ISCO group.")
    end = serializers.RegexField(MONTH_REGEX, required=False)


# ---- results ------------------------------------------------------------------------------------


class GrowthSerializer(serializers.Serializer):
    group = serializers.CharField(help_text="ISCO code prefix or ESCO occupation URI.")
    vacancies = serializers.IntegerField(help_text="Vacancies in the 12 months up to `end`.")
    vacancies_previous = serializers.IntegerField(help_text="Vacancies in the 12 months before.")
    yoy = serializers.FloatField(allow_null=True, help_text="Relative change year on year.")
    trend = serializers.FloatField(help_text="Annual growth, log-linear fit on 24 months with quarter effects.")
    trend_low = serializers.FloatField(help_text="Lower bound of the 95% interval.")
    trend_high = serializers.FloatField(help_text="Upper bound of the 95% interval.")
    status = serializers.CharField()


class CountSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="Month (2025-03) or quarter (2025Q1).")
    group = serializers.CharField()
    vacancies = serializers.IntegerField()


class SkillShareSerializer(serializers.Serializer):
    skill_uri = serializers.CharField()
    vacancies = serializers.IntegerField()
    share = serializers.FloatField()
    share_previous = serializers.FloatField()
    change = serializers.FloatField(help_text="share - share_previous (a fraction).")
    z = serializers.FloatField(help_text="Two-proportion z statistic of the change.")
    status = serializers.CharField()


class CollectionShareSerializer(serializers.Serializer):
    quarter = serializers.CharField()
    collection = serializers.CharField()
    vacancies = serializers.IntegerField()
    share = serializers.FloatField()


class SkillPairSerializer(serializers.Serializer):
    skill_a = serializers.CharField()
    skill_b = serializers.CharField()
    together = serializers.IntegerField()
    lift = serializers.FloatField(help_text="P(a and b) / (P(a) P(b)); 1 = chance.")


class TensionSerializer(serializers.Serializer):
    region_code = serializers.CharField()
    period = serializers.CharField()
    occupation_group = serializers.CharField(help_text="ISCO prefix; empty = all occupations.")
    vacancies = serializers.IntegerField()
    job_seekers = serializers.IntegerField(help_text="People with a WW benefit shorter than six months.")
    ratio = serializers.FloatField(allow_null=True)
    tension_class = serializers.CharField(allow_null=True, help_text="UWV class, zeer_ruim … zeer_krap.")


class ForecastQuarterSerializer(serializers.Serializer):
    quarter = serializers.CharField()
    mean = serializers.FloatField()
    lower = serializers.FloatField(help_text="95% prediction interval.")
    upper = serializers.FloatField()


class HistorySerializer(serializers.Serializer):
    quarter = serializers.CharField()
    vacancies = serializers.IntegerField()


class ForecastSerializer(serializers.Serializer):
    region_code = serializers.CharField()
    occupation_group = serializers.CharField()
    method = serializers.CharField()
    reliable = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    mase = serializers.FloatField(allow_null=True, help_text="Backtest on the last four quarters.")
    mase_seasonal_naive = serializers.FloatField(allow_null=True)
    history = HistorySerializer(many=True)
    forecast = ForecastQuarterSerializer(many=True)


def _forecast_dict(fc: services.GroupForecast) -> dict[str, Any]:
    a = fc.assessment
    return {
        "region_code": fc.region_code,
        "occupation_group": fc.occupation_group,
        "method": a.forecast.method,
        "reliable": a.reliable,
        "reasons": list(a.reasons),
        "mase": a.backtest.mase,
        "mase_seasonal_naive": a.backtest.mase_seasonal_naive,
        "history": [{"quarter": q, "vacancies": v} for q, v in fc.history],
        "forecast": [
            {"quarter": q, "mean": m, "lower": lo, "upper": hi}
            for q, m, lo, hi in zip(fc.quarters, a.forecast.mean, a.forecast.lower, a.forecast.upper, strict=True)
        ],
    }


# ---- viewsets -----------------------------------------------------------------------------------


class IndicatorViewSet(viewsets.ViewSet):
    """A read-only list computed from the store: validate the query, compute, paginate."""

    permission_classes = [HasAllowedRole]
    allowed_roles = ALL_ROLES
    filter_backends: Rows = []
    pagination_class = Pagination
    query_serializer: type[serializers.Serializer] = EndQuery
    serializer_class: type[serializers.Serializer] = GrowthSerializer

    # Each viewset computes its rows from its own query parameters (keyword arguments named after them).
    items: Callable[..., Rows]

    def serialize(self, page: Rows) -> Any:
        return self.serializer_class(page, many=True).data

    def list(self, request: Request) -> Response:
        query = self.query_serializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            items = self.items(**query.validated_data)
        except ScopeError as exc:
            field, _sep, message = str(exc).partition(": ")
            raise ValidationError({field: [message]}) from exc
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(items, request, view=self)  # type: ignore[arg-type]
        return paginator.get_paginated_response(self.serialize(page or []))


def _end(end: str | None) -> str | None:
    return services.end_month(end)


class OccupationGrowthViewSet(IndicatorViewSet):
    query_serializer = GrowthQuery
    serializer_class = GrowthSerializer

    @extend_schema(
        parameters=[GrowthQuery], responses=GrowthSerializer(many=True), summary="Growth per occupation group"
    )
    def list(self, request: Request) -> Response:
        return super().list(request)

    def items(self, *, region: str, level: str, end: str | None = None, status: str | None = None) -> Rows:
        last = _end(end)
        rows = occupations.growth(Scope.of(region=region), level, last) if last else []
        return [g for g in rows if status is None or g.status == status]


class VacancyCountViewSet(IndicatorViewSet):
    query_serializer = CountQuery
    serializer_class = CountSerializer

    @extend_schema(
        parameters=[CountQuery], responses=CountSerializer(many=True), summary="Vacancies per month or quarter"
    )
    def list(self, request: Request) -> Response:
        return super().list(request)

    def items(
        self,
        *,
        region: str,
        level: str,
        period: str,
        isco: str | None = None,
        first: str | None = None,
        last: str | None = None,
        skill: str | None = None,
    ) -> Rows:
        last = last or _end(None)
        if last is None:
            return []
        first = first or add_months(last, -23)
        if first > last:
            raise ScopeError("first: must not be after last")
        counts = occupations.monthly_counts(Scope.of(region=region, isco=isco, skill_uri=skill), level, first, last)
        return occupations.to_quarters(counts) if period == "quarter" else counts


class SkillShareViewSet(IndicatorViewSet):
    query_serializer = SkillQuery
    serializer_class = SkillShareSerializer

    @extend_schema(
        parameters=[SkillQuery], responses=SkillShareSerializer(many=True), summary="Skill shares and change"
    )
    def list(self, request: Request) -> Response:
        return super().list(request)

    def items(self, *, region: str, end: str | None = None, isco: str | None = None, status: str | None = None) -> Rows:
        last = _end(end)
        rows = skills.skill_shares(Scope.of(region=region, isco=isco), last) if last else []
        return [s for s in rows if status is None or s.status == status]


class CollectionShareViewSet(IndicatorViewSet):
    query_serializer = EndQuery
    serializer_class = CollectionShareSerializer

    @extend_schema(
        parameters=[EndQuery],
        responses=CollectionShareSerializer(many=True),
        summary="Share of vacancies asking digital, green or transversal skills",
    )
    def list(self, request: Request) -> Response:
        return super().list(request)

    def items(self, *, region: str, end: str | None = None) -> Rows:
        from wendbaar.radar.indicators.lookups import skill_collections

        last = _end(end)
        if not last:
            return []
        return skills.collection_shares(Scope.of(region=region), add_months(last, -23), last, skill_collections())


class SkillPairViewSet(IndicatorViewSet):
    query_serializer = PairQuery
    serializer_class = SkillPairSerializer

    @extend_schema(parameters=[PairQuery], responses=SkillPairSerializer(many=True), summary="Skills asked together")
    def list(self, request: Request) -> Response:
        return super().list(request)

    def items(self, *, region: str, end: str | None = None, isco: str | None = None, skill: str | None = None) -> Rows:
        last = _end(end)
        return skills.skill_pairs(Scope.of(region=region, isco=isco), last, skill_uri=skill) if last else []


class TensionViewSet(IndicatorViewSet):
    query_serializer = TensionQuery
    serializer_class = TensionSerializer

    @extend_schema(
        parameters=[TensionQuery],
        responses=TensionSerializer(many=True),
        summary="Vacancies per short-term job seeker (spanningsindicator)",
    )
    def list(self, request: Request) -> Response:
        return super().list(request)

    def items(self, *, region: str, period: str | None = None, tension_class: str | None = None) -> Rows:
        rows = services.tension(region=region, period=period)
        return [r for r in rows if tension_class is None or r.tension_class == tension_class]


class ForecastPagination(Pagination):
    page_size = 10  # each forecast fits a model; keep a page cheap


class ForecastViewSet(IndicatorViewSet):
    query_serializer = ForecastQuery
    serializer_class = ForecastSerializer
    pagination_class = ForecastPagination

    @extend_schema(
        parameters=[ForecastQuery],
        responses=ForecastSerializer(many=True),
        summary="Vacancies forecast for the next four quarters, with backtest",
    )
    def list(self, request: Request) -> Response:
        return super().list(request)

    def items(self, *, region: str, level: str, isco: str | None = None, end: str | None = None) -> Rows:
        # Only the group keys here; the page's forecasts are fitted in `serialize`.
        last = _end(end)
        if last is None:
            return []
        if isco:
            return [(region, isco, last)]
        if level == "0":
            return [(region, "", last)]
        groups = [g.group for g in occupations.growth(Scope.of(region=region), level, last) if g.status != "too_few"]
        return [(region, g, last) for g in sorted(groups)]

    def serialize(self, page: Rows) -> Any:
        results = []
        for region, group, last in page:
            fc = services.forecast_group(region=region, group=group, end=last)
            if fc is not None:
                results.append(_forecast_dict(fc))
        return ForecastSerializer(results, many=True).data


VIEWSETS = {
    "radar/occupation-growth": OccupationGrowthViewSet,
    "radar/vacancy-counts": VacancyCountViewSet,
    "radar/skill-shares": SkillShareViewSet,
    "radar/skill-collection-shares": CollectionShareViewSet,
    "radar/skill-pairs": SkillPairViewSet,
    "radar/tension-indicators": TensionViewSet,
    "radar/forecasts": ForecastViewSet,
}


def register(router: Router) -> Rows:
    """Register the indicator viewsets; return extra URL patterns."""
    for prefix, viewset in VIEWSETS.items():
        router.register(prefix, viewset, basename=prefix.replace("/", "-"))
    return []
