"""API of the allocation rounds: everyone with a learning account, funds, coordinators and administrators read the
rounds; a fund's staff open one for their own fund; a person applies and reads their own application. The rules are
the services' (`open_round`, `apply`); a refusal answers 400 problem+json naming the field, and nothing is written."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ErrorDetail
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wendbaar.funding.allocation import queries, services
from wendbaar.funding.models import Application, Fund, Round, RoundRule
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import HasAllowedRole
from wendbaar.regions.roles import organisation_ids

ROUND_READERS = frozenset({Role.LEARNER, Role.FUND, Role.COORDINATOR, Role.ADMIN})


class RoundSerializer(serializers.ModelSerializer):
    """A round as everyone who may see rounds sees it; the seed only once the round was drawn."""

    fund = serializers.SlugRelatedField(slug_field="uuid", queryset=Fund.objects.all())
    fund_name = serializers.CharField(source="fund.name", read_only=True)
    rule = serializers.ChoiceField(choices=RoundRule.choices, default=RoundRule.LOTTERY)
    amount_per_person_cents = serializers.IntegerField()
    budget_cents = serializers.IntegerField()
    seats = serializers.SerializerMethodField()
    seed = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = [
            "uuid", "fund", "fund_name", "name", "opens_at", "closes_at", "amount_per_person_cents", "budget_cents",
            "rule", "seats", "seed_commitment", "seed", "allocated_at",
        ]  # fmt: skip
        read_only_fields = ["uuid", "fund_name", "seats", "seed_commitment", "seed", "allocated_at"]

    def get_seats(self, round: Round) -> int:
        return round.budget_cents // round.amount_per_person_cents

    def get_seed(self, round: Round) -> str | None:
        return round.seed if round.allocated_at else None  # secret until the draw

    def validate_fund(self, fund: Fund) -> Fund:
        user = self.context["request"].user
        if fund.funder_id not in organisation_ids(user, role=Role.FUND):
            raise serializers.ValidationError(
                ErrorDetail(_("You can only open a round for a fund of your own organisation."), code="not_your_fund")
            )
        return fund


class RoundViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Allocation rounds: everyone with a learning account, funds, coordinators and administrators read them; a
    fund's staff open one for a fund of their own organisation (the seed's commitment is public at once)."""

    allowed_roles = ROUND_READERS
    write_roles = frozenset({Role.FUND})
    permission_classes = [HasAllowedRole]
    serializer_class = RoundSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Round]:
        return Round.objects.select_related("fund")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.open_round(
            fund=data["fund"], name=data["name"], opens_at=data["opens_at"], closes_at=data["closes_at"],
            amount_per_person_cents=data["amount_per_person_cents"], budget_cents=data["budget_cents"],
            rule=data["rule"],
        )  # fmt: skip


class ApplicationSerializer(serializers.ModelSerializer):
    """A person's own application: the outcome explained; the ticket and place once the round was drawn."""

    round = serializers.UUIDField(source="round.uuid", read_only=True)
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ["uuid", "round", "outcome", "priority_group", "rank", "ticket", "reason", "explanation", "created_at"]
        read_only_fields = fields

    def get_explanation(self, application: Application) -> list[str]:
        return queries.explain_application(application)


class OwnApplicationView(APIView):
    """The logged-in person's own application in a round: read it, or apply while the window is open (applying
    twice gives back the first application; when you apply does not matter, only the draw)."""

    allowed_roles = frozenset({Role.LEARNER})
    permission_classes = [HasAllowedRole]

    @extend_schema(summary="Your application in this round", responses=ApplicationSerializer)
    def get(self, request: Request, uuid: str) -> Response:
        round = get_object_or_404(Round, uuid=uuid)
        application = get_object_or_404(Application.objects.select_related("round"), round=round, person=request.user)
        return Response(ApplicationSerializer(application).data)

    @extend_schema(summary="Apply in this round", request=None, responses={201: ApplicationSerializer})
    def post(self, request: Request, uuid: str) -> Response:
        round = get_object_or_404(Round.objects.select_related("fund"), uuid=uuid)
        application = services.apply(round=round, person=request.user)
        return Response(ApplicationSerializer(application).data, status=201)
