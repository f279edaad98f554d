"""The careers app's API under /api/v1/: check-ups with their paths and gaps, plans, and movers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import URLPattern
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wendbaar.api_conventions import Router
from wendbaar.careers import services
from wendbaar.careers.models import CheckUp, Plan, PlanStep
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import AUTHENTICATED, HasAllowedRole

OCCUPATION = OpenApiParameter("occupation", str, description="ESCO occupation URI", required=True)


class CheckUpSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True, default=None, allow_null=True)
    occupation = serializers.CharField(source="occupation.uri", read_only=True, default=None, allow_null=True)
    target = serializers.CharField(source="target.uri", read_only=True, default=None, allow_null=True)

    class Meta:
        model = CheckUp
        fields = ["uuid", "region", "occupation", "target", "times", "created_at", "completed_at"]


class CheckUpCreateSerializer(serializers.Serializer):
    region = serializers.CharField(required=False, allow_blank=True, default="")
    occupation = serializers.CharField(required=False, allow_blank=True, default="")
    skills = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    times = serializers.ListField(child=serializers.CharField(), required=False, default=list)


PATH = inline_serializer(
    "CareerPath",
    {
        "occupation": serializers.CharField(),
        "label": serializers.CharField(allow_null=True),
        "fit": serializers.FloatField(),
        "essential_held": serializers.IntegerField(),
        "essential_total": serializers.IntegerField(),
        "gap": serializers.ListField(child=serializers.CharField()),
        "outlook": serializers.DictField(allow_null=True),
        "explanation": serializers.CharField(),
    },
    many=True,
)
GAP = inline_serializer(
    "CareerGap",
    {
        "occupation": serializers.CharField(),
        "fit": serializers.FloatField(),
        "frequency_scope": serializers.CharField(),
        "skills": serializers.ListField(child=serializers.DictField()),
        "offerings": serializers.DictField(),
        "unmet": serializers.ListField(child=serializers.CharField()),
        "messages": serializers.ListField(child=serializers.CharField()),
        "events": serializers.ListField(
            child=serializers.DictField(), help_text="Trial placements and open days of the hub for this path"
        ),
    },
)


def _outlook(outlook: Any) -> dict[str, Any]:
    return {
        "scope": outlook.scope,
        "status": outlook.status,
        "vacancies": outlook.vacancies,
        "tension_class": outlook.tension_class,
        "sentence": outlook.sentence,
    }


def _funding(coverage: Any) -> dict[str, Any] | None:
    """What the person's learning accounts would pay (funding.accounts.queries.Coverage), or None without an account."""
    if coverage is None:
        return None
    return {
        "price_cents": coverage.price_cents,
        "fund_cents": coverage.fund_cents,
        "own_share_cents": coverage.own_share_cents,
        "funds": [{"fund": line.fund_uuid, "name": line.fund_name, "amount_cents": line.amount_cents}
                  for line in coverage.lines],
        "not_paying": [{"fund": r.fund_uuid, "name": r.fund_name, "reason": r.reason} for r in coverage.refusals],
    }  # fmt: skip


class CheckUpViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The requester's own check-ups (advisers with consent open one by its UUID)."""

    allowed_roles = frozenset({AUTHENTICATED})
    write_roles = frozenset({AUTHENTICATED})
    permission_classes = [HasAllowedRole]
    serializer_class = CheckUpSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[CheckUp]:
        qs = CheckUp.objects.select_related("region", "occupation", "target")
        if self.action == "list":
            return qs.filter(person_id=self.request.user.pk)
        return qs

    def get_object(self) -> CheckUp:
        checkup: CheckUp = super().get_object()
        if not services.may_see(self.request.user, checkup.person):
            # Like another employer's demand: without consent the check-up does not exist for this requester.
            raise Http404
        return checkup

    @extend_schema(request=CheckUpCreateSerializer, responses={201: CheckUpSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = CheckUpCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        checkup = services.start_checkup(
            person=request.user,
            by=request.user,
            region_code=data.validated_data["region"],
            occupation_uri=data.validated_data["occupation"],
            skill_uris=data.validated_data["skills"],
            times=data.validated_data["times"],
        )
        return Response(CheckUpSerializer(checkup).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Where I could go: occupations that fit, with outlook and explanation", responses=PATH)
    @action(detail=True, methods=["get"], pagination_class=None)  # the paths come whole, as one list
    def paths(self, request: Request, uuid: str | None = None) -> Response:
        found = services.where_i_could_go(checkup=self.get_object(), by=request.user)
        return Response(
            [
                {
                    "occupation": p.occupation,
                    "label": p.label,
                    "fit": round(p.fit, 4),
                    "essential_held": p.essential_held,
                    "essential_total": p.essential_total,
                    "gap": list(p.gap),
                    "outlook": _outlook(p.outlook),
                    "explanation": p.explanation,
                }
                for p in found
            ]
        )

    @extend_schema(
        summary="What I miss for an occupation, and the offerings that teach it", parameters=[OCCUPATION], responses=GAP
    )
    @action(detail=True, methods=["get"])
    def gap(self, request: Request, uuid: str | None = None) -> Response:
        checkup = self.get_object()
        occupation = request.query_params.get("occupation", "")
        the_gap = services.gap(checkup=checkup, by=request.user, occupation_uri=occupation)
        ways = services.ways_to_close(checkup=checkup, by=request.user, occupation_uri=occupation)
        return Response(
            {
                "occupation": the_gap.occupation,
                "fit": round(the_gap.fit, 4),
                "frequency_scope": the_gap.frequency_scope,
                "skills": [
                    {"uri": s.uri, "label": s.label, "share": s.share, "partly": s.partly, "explanation": s.explanation}
                    for s in the_gap.skills
                ],
                "offerings": {
                    uri: [
                        {
                            "offering": str(w.offering.uuid),
                            "title": w.title,
                            "run": str(w.run.uuid) if w.run else None,
                            "evening": bool(w.run and w.run.is_evening),
                            "price_cents": w.offering.price_cents,
                            "funding": _funding(w.funding),
                            "explanation": w.explanation,
                        }
                        for w in found
                    ]
                    for uri, found in ways.per_skill.items()
                },
                "unmet": ways.unmet,
                "messages": ways.messages,
                "events": [
                    {
                        "event": str(w.event.uuid),
                        "kind": w.event.kind,
                        "title": w.title,
                        "starts_at": w.event.starts_at.isoformat(),
                        "region": w.event.region.code,
                        "organiser": w.event.organiser.name,
                        "explanation": w.explanation,
                    }
                    for w in ways.trials + ways.open_days
                ],
            }
        )


class PlanStepSerializer(serializers.ModelSerializer):
    offering = serializers.UUIDField(source="offering.uuid", read_only=True, default=None)

    class Meta:
        model = PlanStep
        fields = ["uuid", "position", "kind", "title", "offering", "skill_uris", "starts_on", "status"]


class PlanSerializer(serializers.ModelSerializer):
    target = serializers.CharField(source="target.uri", read_only=True)
    checkup = serializers.UUIDField(source="checkup.uuid", read_only=True, default=None)
    steps = PlanStepSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["uuid", "checkup", "target", "next_checkup", "steps", "created_at"]


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """The requester's development plans."""

    allowed_roles = frozenset({AUTHENTICATED})
    permission_classes = [HasAllowedRole]
    serializer_class = PlanSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Plan]:
        return (
            Plan.objects.filter(person_id=self.request.user.pk)
            .select_related("target", "checkup")
            .prefetch_related("steps__offering")
        )


MOVER = inline_serializer(
    "OccupationMover",
    {"occupation": serializers.CharField(), "label": serializers.CharField(), "fit": serializers.FloatField()},
    many=True,
)


class MoverViewSet(viewsets.ViewSet):
    """Who could move into an occupation: occupations whose holders have most of its skills (zij-instroom)."""

    allowed_roles = frozenset({Role.EMPLOYER, Role.COORDINATOR, Role.ADMIN})
    permission_classes = [HasAllowedRole]

    @extend_schema(
        summary="Occupations whose people could move into this one", parameters=[OCCUPATION], responses=MOVER
    )
    def list(self, request: Request) -> Response:
        found = services.movers_into(occupation_uri=request.query_params.get("occupation", ""))
        return Response(
            [
                {"occupation": m.occupation, "label": m.label, "fit": round(m.fit, 4), "explanation": m.explanation}
                for m in found
            ]
        )


def register(router: Router) -> list[URLPattern]:
    """Register this app's viewsets on `router`; return extra (non-viewset) paths."""
    router.register("career-checkups", CheckUpViewSet, basename="career-checkup")
    router.register("career-plans", PlanViewSet, basename="career-plan")
    router.register("occupation-movers", MoverViewSet, basename="occupation-mover")
    return []
