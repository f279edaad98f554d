"""The demand app's API under /api/v1/: learning demands (with their matches), pools and gaps.

Thin: serializers translate, `demand.services` decides. A demand of another organisation is not
found (404), never forbidden: its existence is not leaked.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from wendbaar.api_conventions import Router
from wendbaar.catalogue import services as catalogue
from wendbaar.demand import services
from wendbaar.demand.matching import Match
from wendbaar.demand.models import Demand, DemandStatus, Gap, Pool, Proposal
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Organisation
from wendbaar.regions.permissions import HasAllowedRole

DEMAND_READERS = frozenset({Role.EMPLOYER, Role.FUND, Role.COORDINATOR, Role.ADMIN})
DEMAND_WRITERS = frozenset({Role.EMPLOYER, Role.FUND, Role.ADMIN})


class DemandSkillSerializer(serializers.Serializer):
    uri = serializers.CharField(source="skill.uri")
    essential = serializers.BooleanField()
    source = serializers.CharField()  # type: ignore[assignment]
    found_by = serializers.CharField(
        help_text="Which layer of the engine read it in the text: words, meaning or both; empty when not read."
    )


class DemandSerializer(serializers.ModelSerializer):
    organisation = serializers.UUIDField(source="organisation.uuid", read_only=True)
    municipality = serializers.CharField(source="municipality.code", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True, allow_null=True)
    skills = DemandSkillSerializer(many=True, read_only=True)
    pool = serializers.UUIDField(source="pool.uuid", read_only=True, allow_null=True)
    pool_status = serializers.CharField(source="pool.status", read_only=True, allow_null=True)

    class Meta:
        model = Demand
        fields = [
            "uuid", "organisation", "on_behalf_of", "title", "text", "skills", "people", "municipality", "region",
            "travel_km", "earliest_start", "latest_end", "times", "weekdays", "mode", "max_price_cents", "show_name",
            "status",
            "pool", "pool_status", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class DemandWriteSerializer(serializers.Serializer):
    """What a client sends; every rule is checked by the service, which reports all errors at once."""

    organisation = serializers.UUIDField(required=False, help_text="The registering organisation (if you have several)")
    title = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True, help_text="What people must learn, in own words")
    skills = serializers.ListField(
        child=serializers.JSONField(), required=False, help_text='ESCO skill URIs, or {"uri": …, "essential": false}'
    )
    occupation = serializers.CharField(required=False, help_text="An ESCO occupation URI: its essential skills")
    people = serializers.JSONField(required=False)
    municipality = serializers.CharField(required=False, help_text="CBS code (GM0599) or name of the workplace")
    travel_km = serializers.JSONField(required=False)
    earliest_start = serializers.CharField(required=False)
    latest_end = serializers.CharField(required=False)
    times = serializers.ListField(child=serializers.CharField(), required=False)
    weekdays = serializers.ListField(
        child=serializers.JSONField(), required=False,
        help_text="Preferred days: ISO numbers 1 (Monday) to 7 (Sunday) or Dutch day names (ma … zo); none is any day",
    )  # fmt: skip
    mode = serializers.CharField(required=False, allow_blank=True)
    max_price_cents = serializers.JSONField(required=False)
    show_name = serializers.BooleanField(required=False)
    on_behalf_of = serializers.CharField(required=False, allow_blank=True)


class MatchSerializer(serializers.Serializer):
    offering = serializers.UUIDField()
    title = serializers.CharField()
    provider = serializers.CharField()
    run = serializers.UUIDField(allow_null=True)
    run_start = serializers.DateField(allow_null=True)
    score = serializers.FloatField()
    parts = serializers.DictField(child=serializers.FloatField())
    covered = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())
    distance_km = serializers.FloatField(allow_null=True)
    explanation = serializers.CharField()


def match_rows(matches: list[Match]) -> list[dict[str, Any]]:
    from wendbaar.demand.explain import match_sentence

    offerings = services.offerings_by_key(m.offering for m in matches)
    runs = services.runs_by_key(m.run for m in matches if m.run)
    rows = []
    for m in matches:
        offering = offerings[m.offering]
        run = runs.get(m.run or "")
        rows.append(
            {
                "offering": m.offering, "title": offering.title_nl, "provider": offering.provider.name, "run": m.run,
                "run_start": run.start_date if run else None, "score": m.score, "parts": m.parts,
                "covered": m.covered, "missing": m.missing, "distance_km": m.distance_km,
                "explanation": match_sentence(m, run),
            }
        )  # fmt: skip
    return rows


@extend_schema_view(
    list=extend_schema(summary="Your organisation's learning demands (a coordinator: the region's)"),
    retrieve=extend_schema(summary="One learning demand"),
    create=extend_schema(summary="Register a learning demand", request=DemandWriteSerializer),
    partial_update=extend_schema(summary="Change a learning demand", request=DemandWriteSerializer),
    destroy=extend_schema(summary="Withdraw a learning demand"),
)
class LearningDemandViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    allowed_roles = DEMAND_READERS
    write_roles = DEMAND_WRITERS
    permission_classes = [HasAllowedRole]
    serializer_class = DemandSerializer
    lookup_field = "uuid"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Demand]:
        return services.visible_demands(self.request.user).prefetch_related("skills__skill")

    def _organisation(self, raw: Any) -> Organisation:
        choices = services.demand_organisations(self.request.user)
        if raw:
            found = [o for o in choices if str(o.uuid) == str(raw)]
            if not found:
                raise ValidationError({"organisation": [_("You cannot register demand for this organisation.")]})
            return found[0]
        if len(choices) != 1:
            raise ValidationError({"organisation": [_("Say for which organisation (its uuid).")]})
        return choices[0]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = dict(request.data) if hasattr(request.data, "keys") else {}
        organisation = self._organisation(data.pop("organisation", None))
        demand = services.create_demand(organisation=organisation, data=data, by=request.user)
        demand = self.get_queryset().get(pk=demand.pk)
        return Response(DemandSerializer(demand).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        demand = self.get_object()
        data = dict(request.data) if hasattr(request.data, "keys") else {}
        data.pop("organisation", None)
        services.update_demand(demand=demand, data=data, by=request.user)
        return Response(DemandSerializer(self.get_queryset().get(pk=demand.pk)).data)

    def perform_destroy(self, instance: Demand) -> None:
        if instance.status == DemandStatus.WITHDRAWN:
            return
        services.withdraw_demand(demand=instance, by=self.request.user)

    @extend_schema(summary="Offerings that fit the demand, best first, with a score breakdown",
                   responses=MatchSerializer(many=True))  # fmt: skip
    @action(detail=True, methods=["get"])
    def matches(self, request: Request, uuid: str | None = None) -> Response:
        demand = self.get_object()
        return Response(MatchSerializer(match_rows(services.matches_for_demand(demand)), many=True).data)


class PoolSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True, allow_null=True)
    viable = serializers.BooleanField(read_only=True)
    invited_run = serializers.UUIDField(source="invited_run.uuid", read_only=True, allow_null=True)
    summary = serializers.SerializerMethodField()

    class Meta:
        model = Pool
        fields = [
            "uuid", "region", "region_codes", "cross_region", "people", "organisations", "skills", "window_start",
            "window_end", "times", "weekdays", "farthest_km", "min_group", "status", "viable", "explanation",
            "invited_run", "summary",
        ]  # fmt: skip
        read_only_fields = fields

    def get_summary(self, pool: Pool) -> str:
        from wendbaar.demand.explain import pool_sentence

        return pool_sentence(pool)


@extend_schema_view(
    list=extend_schema(summary="Pools you may see: your demands' pools, viable pools in your regions"),
    retrieve=extend_schema(summary="One pool, explained"),
)
class DemandPoolViewSet(viewsets.ReadOnlyModelViewSet):
    allowed_roles = frozenset({Role.EMPLOYER, Role.FUND, Role.PROVIDER, Role.COORDINATOR, Role.ADMIN})
    permission_classes = [HasAllowedRole]
    serializer_class = PoolSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Pool]:
        return services.visible_pools(self.request.user).order_by("-people", "id")


class GapSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True, allow_null=True)
    proposals = serializers.SerializerMethodField()

    class Meta:
        model = Gap
        fields = [
            "uuid", "region", "skills", "missing", "best_coverage", "people", "organisations", "window_start",
            "window_end", "is_open", "proposals",
        ]  # fmt: skip
        read_only_fields = fields

    def get_proposals(self, gap: Gap) -> int:
        return gap.proposals.count()


class ProposalSerializer(serializers.ModelSerializer):
    provider = serializers.UUIDField(source="provider.uuid", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    offering = serializers.UUIDField(source="offering.uuid", read_only=True, allow_null=True)
    offering_title = serializers.CharField(source="offering.title_nl", read_only=True, allow_null=True)

    class Meta:
        model = Proposal
        fields = ["uuid", "provider", "provider_name", "message", "start_date", "offering", "offering_title",
                  "created_at"]  # fmt: skip
        read_only_fields = fields


class ProposalWriteSerializer(serializers.Serializer):
    """What a provider sends; the service checks it (the offering must be one of the provider's own)."""

    provider = serializers.UUIDField(required=False, help_text="The answering provider (if you work for several)")
    message = serializers.CharField(required=False, allow_blank=True, help_text="What you can offer")
    start_date = serializers.CharField(required=False, allow_blank=True, help_text="Possible start, YYYY-MM-DD")
    offering = serializers.CharField(
        required=False, allow_blank=True, help_text="The uuid of one of your own offerings that answers the gap"
    )


@extend_schema_view(
    list=extend_schema(summary="Gaps: demand no offering covers well enough (counts only)"),
    retrieve=extend_schema(summary="One gap"),
)
class DemandGapViewSet(viewsets.ReadOnlyModelViewSet):
    allowed_roles = frozenset({Role.PROVIDER, Role.COORDINATOR, Role.ADMIN})
    write_roles = frozenset({Role.PROVIDER, Role.ADMIN})
    permission_classes = [HasAllowedRole]
    serializer_class = GapSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Gap]:
        return services.visible_gaps(self.request.user).order_by("-is_open", "-people", "id")

    def _provider(self, raw: Any) -> Organisation:
        choices = catalogue.managed_providers(self.request.user)
        if raw:
            found = [o for o in choices if str(o.uuid) == str(raw)]
            if not found:
                raise ValidationError({"provider": [_("You cannot answer for this provider.")]})
            return found[0]
        if len(choices) != 1:
            raise ValidationError({"provider": [_("Say for which provider you answer (its uuid).")]})
        return choices[0]

    @extend_schema(methods=["GET"], summary="The providers' proposals answering a gap, with their linked offering",
                   responses=ProposalSerializer(many=True))  # fmt: skip
    @extend_schema(methods=["POST"], summary="Answer a gap: we can offer this (optionally one of your offerings)",
                   request=ProposalWriteSerializer, responses={201: ProposalSerializer})  # fmt: skip
    @action(detail=True, methods=["get", "post"])
    def proposals(self, request: Request, uuid: str | None = None) -> Response:
        gap = self.get_object()
        if request.method == "GET":
            rows = gap.proposals.select_related("provider", "offering")
            return Response(ProposalSerializer(rows, many=True).data)
        writer = ProposalWriteSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        data = dict(writer.validated_data)
        provider = self._provider(data.pop("provider", None))
        proposal = services.propose(gap=gap, provider=provider, data=data, by=request.user)
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


def register(router: Router) -> list[URLPattern]:
    """Register this app's viewsets on `router`; return extra (non-viewset) paths."""
    router.register("learning-demands", LearningDemandViewSet, basename="learning-demand")
    router.register("demand-pools", DemandPoolViewSet, basename="demand-pool")
    router.register("demand-gaps", DemandGapViewSet, basename="demand-gap")
    return []
