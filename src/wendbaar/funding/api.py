"""The funding app's API under /api/v1/: a person's own learning account, a funder's funds, a provider's payments;
allocation rounds (a fund's staff open them for their own funds, a person applies) and a person's own situation.
The rules are the services' (`open_round`, `apply`, `set_situation`); a refusal answers 400 problem+json naming
the field, and nothing is written."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ErrorDetail
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wendbaar.api_conventions import Router
from wendbaar.funding import queries, services
from wendbaar.funding.constants import EducationLevel, EmploymentStatus
from wendbaar.funding.models import Account, AccountKind, Application, Fund, LedgerEntry, Round, RoundRule, Situation
from wendbaar.funding.monitor.api import ParticipationView
from wendbaar.funding.services import balance
from wendbaar.regions.constants import Role, Sector
from wendbaar.regions.models import Region
from wendbaar.regions.permissions import HasAllowedRole
from wendbaar.regions.roles import organisation_ids, roles_of


class LearningAccountSerializer(serializers.ModelSerializer):
    fund = serializers.CharField(source="fund.name")
    fund_uuid = serializers.UUIDField(source="fund.uuid")
    available_cents = serializers.SerializerMethodField()

    class Meta:
        model = Account
        fields = ["uuid", "fund", "fund_uuid", "available_cents", "expires_on"]
        read_only_fields = fields

    def get_available_cents(self, account: Account) -> int:
        return balance(account)


class LearningAccountViewSet(viewsets.ReadOnlyModelViewSet):
    """The logged-in person's entitlements (only their own): what they can spend and until when."""

    allowed_roles = frozenset({Role.LEARNER})
    permission_classes = [HasAllowedRole]
    serializer_class = LearningAccountSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Account]:
        return Account.objects.filter(kind=AccountKind.ENTITLEMENT, person_id=self.request.user.pk).select_related(
            "fund"
        )


class FundSerializer(serializers.ModelSerializer):
    funder = serializers.CharField(source="funder.name")
    balance_cents = serializers.SerializerMethodField()

    class Meta:
        model = Fund
        fields = [
            "uuid", "name", "funder", "balance_cents", "cap_per_person_cents", "cap_per_offering_cents",
            "eligible_tags", "eligible_credential_types", "share_bp", "valid_from", "valid_until", "pay_on_start_bp",
            "pay_on_attendance_bp", "pay_on_completion_bp", "min_attendance_bp",
        ]  # fmt: skip
        read_only_fields = fields

    def get_balance_cents(self, fund: Fund) -> int:
        account = Account.objects.filter(kind=AccountKind.FUND, fund=fund).first()
        return balance(account) if account else 0


class FundViewSet(viewsets.ReadOnlyModelViewSet):
    """Funds: a funder sees only its own funds; an administrator sees all."""

    allowed_roles = frozenset({Role.FUND, Role.ADMIN})
    permission_classes = [HasAllowedRole]
    serializer_class = FundSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Fund]:
        funds = Fund.objects.select_related("funder")
        if Role.ADMIN in roles_of(self.request.user):
            return funds
        return funds.filter(funder_id__in=organisation_ids(self.request.user, role=Role.FUND))


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    provider = serializers.CharField(source="account.organisation.name")
    kind = serializers.CharField(source="transaction.kind")
    stage = serializers.CharField(source="transaction.stage")
    amount_cents = serializers.IntegerField()
    offering = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="transaction.created_at")

    def get_offering(self, entry: LedgerEntry) -> str | None:
        reservation = entry.transaction.reservation
        return str(reservation.offering.uuid) if reservation and reservation.offering else None


class ProviderPaymentViewSet(viewsets.ReadOnlyModelViewSet):
    """Payments (and refunds) of the provider's own organisation(s)."""

    allowed_roles = frozenset({Role.PROVIDER})
    permission_classes = [HasAllowedRole]
    serializer_class = PaymentSerializer

    def get_queryset(self) -> Any:
        return queries.provider_payments(organisation_ids(self.request.user, role=Role.PROVIDER))


# --- allocation rounds, applications and one's own situation (writes) ---------------------------

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


class SituationSerializer(serializers.ModelSerializer):
    """What the person tells the funds; every answer optional (empty: not told)."""

    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), allow_null=True, required=False, default=None
    )
    sector = serializers.ChoiceField(choices=Sector.choices, allow_blank=True, required=False, default="")
    education_level = serializers.ChoiceField(
        choices=EducationLevel.choices, allow_blank=True, required=False, default=""
    )
    employment_status = serializers.ChoiceField(
        choices=EmploymentStatus.choices, allow_blank=True, required=False, default=""
    )
    birth_year = serializers.IntegerField(allow_null=True, required=False, default=None)

    class Meta:
        model = Situation
        fields = ["region", "sector", "education_level", "employment_status", "birth_year", "updated_at"]
        read_only_fields = ["updated_at"]
        # null until the person first tells something (the page and the API then answer an empty situation)
        extra_kwargs = {"updated_at": {"allow_null": True}}


class OwnSituationView(APIView):
    """The logged-in person's own situation: read it, or write it whole (the funds' rules use it)."""

    allowed_roles = frozenset({Role.LEARNER})
    permission_classes = [HasAllowedRole]

    @extend_schema(summary="Your own situation (what the funds' rules ask)", responses=SituationSerializer)
    def get(self, request: Request) -> Response:
        situation = services.situation_of(request.user) or Situation()  # nothing told yet: every answer empty
        return Response(SituationSerializer(situation).data)

    @extend_schema(summary="Write your own situation", request=SituationSerializer, responses=SituationSerializer)
    def put(self, request: Request) -> Response:
        serializer = SituationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        situation = services.set_situation(person=request.user, **serializer.validated_data)
        return Response(SituationSerializer(situation).data)


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


def register(router: Router) -> list[URLPattern]:
    """Register this app's viewsets on `router`; return extra (non-viewset) paths."""
    router.register("learning-accounts", LearningAccountViewSet, basename="learning-account")
    router.register("funds", FundViewSet, basename="fund")
    router.register("provider-payments", ProviderPaymentViewSet, basename="provider-payment")
    router.register("allocation-rounds", RoundViewSet, basename="allocation-round")
    return [
        path("participation-figures", ParticipationView.as_view(), name="participation-figures"),
        path("funding-situations/me", OwnSituationView.as_view(), name="funding-situation-me"),
        path(
            "allocation-rounds/<uuid:uuid>/application",
            OwnApplicationView.as_view(),
            name="allocation-round-application",
        ),
    ]
