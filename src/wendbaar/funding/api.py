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
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wendbaar.api_conventions import Router
from wendbaar.catalogue.models import CredentialType
from wendbaar.funding import queries
from wendbaar.funding.accounts import services as accounts
from wendbaar.funding.allocation import queries as round_queries
from wendbaar.funding.allocation import services as allocation
from wendbaar.funding.constants import EducationLevel, EmploymentStatus
from wendbaar.funding.funds import services as fund_services
from wendbaar.funding.models import (
    BASIS_POINTS,
    Account,
    AccountKind,
    Application,
    Fund,
    LedgerEntry,
    LedgerTransaction,
    Round,
    RoundRule,
    Situation,
)  # fmt: skip
from wendbaar.funding.monitor.api import ParticipationView
from wendbaar.funding.services import balance
from wendbaar.regions.constants import Role, Sector
from wendbaar.regions.models import Organisation, Region
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


MAX_CENTS = 2_147_483_647  # the largest amount a fund's columns hold (bigger answers 400, not a database error)


def _cents(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(max_value=MAX_CENTS, min_value=-MAX_CENTS, **kwargs)


def _choices(choices: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), required=False, default=list)


class FundCreateSerializer(serializers.Serializer):
    """What a fund's staff send to make a fund: its name and rules. Only types are read here; the rules (amounts
    above zero, shares within 0-100%, the end on or after the start) are `services.create_fund`'s."""

    funder = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Organisation.objects.all(), required=False, default=None, allow_null=True,
        help_text="Your fund organisation's UUID; may be left out when you work for one fund organisation.",
    )  # fmt: skip
    name = serializers.CharField(max_length=200)
    cap_per_person_cents = _cents()
    cap_per_offering_cents = _cents(required=False, default=None, allow_null=True)
    share_bp = _cents(required=False, default=BASIS_POINTS, help_text="The share the fund pays, 1-10000 (=100%).")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    eligible_regions = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), many=True, required=False, default=list,  # type: ignore[arg-type]  # many=True: a list
    )
    eligible_sectors = _choices(Sector.choices)
    eligible_education_levels = _choices(EducationLevel.choices)
    eligible_employment_statuses = _choices(EmploymentStatus.choices)
    eligible_tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, default=list)
    eligible_credential_types = _choices(CredentialType.choices)
    eligible_providers = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Organisation.objects.all(), many=True, required=False, default=list,  # type: ignore[arg-type]  # many=True: a list
    )
    pay_on_start_bp = _cents(required=False, default=0)
    pay_on_attendance_bp = _cents(required=False, default=0)
    min_attendance_bp = _cents(required=False, default=0)
    budget_cents = _cents(required=False, default=0, help_text="Put into the fund at once (0: nothing yet).")


class MoneySerializer(serializers.Serializer):
    """Money into a fund, once per `key` (the same key again books nothing new and answers the first booking)."""

    amount_cents = _cents()
    key = serializers.CharField(max_length=200)


class GrantSerializer(MoneySerializer):
    """An entitlement for a person (user name or e-mail address), under the fund's rules, once per `key`."""

    person = serializers.CharField(max_length=254)


class BookingSerializer(serializers.Serializer):
    """One booking in the ledger, as a write of the funds API answers it."""

    uuid = serializers.UUIDField()
    kind = serializers.CharField()
    key = serializers.CharField()
    amount_cents = serializers.SerializerMethodField()
    entitlement = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_amount_cents(self, booked: LedgerTransaction) -> int:
        return int(booked.request.get("amount", 0))

    def get_entitlement(self, booked: LedgerTransaction) -> str | None:
        """The person's learning account a grant went to (none for money into the fund)."""
        account = booked.entries.filter(account__kind=AccountKind.ENTITLEMENT).select_related("account").first()
        return str(account.account.uuid) if account else None


class FundViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Funds: a funder's staff see, make and fill only their own organisation's funds (another's answers 404); an
    administrator reads all. The rules are the services' (`create_fund`, `add_money`, `grant`)."""

    allowed_roles = frozenset({Role.FUND, Role.ADMIN})
    write_roles = frozenset({Role.FUND})
    permission_classes = [HasAllowedRole]
    serializer_class = FundSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Fund]:
        funds = Fund.objects.select_related("funder").order_by("valid_from", "pk")
        if self.request.method in SAFE_METHODS and Role.ADMIN in roles_of(self.request.user):
            return funds
        return funds.filter(funder_id__in=organisation_ids(self.request.user, role=Role.FUND))

    @extend_schema(summary="Make a fund with its rules", request=FundCreateSerializer, responses={201: FundSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = FundCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        funder = data.pop("funder") or self._only_funder()
        fund = fund_services.create_fund(by=request.user, funder=funder, **data)
        return Response(FundSerializer(fund).data, status=201)

    def _only_funder(self) -> Organisation:
        own = list(Organisation.objects.filter(pk__in=organisation_ids(self.request.user, role=Role.FUND))[:2])
        if len(own) != 1:
            raise serializers.ValidationError(
                {"funder": [ErrorDetail(_("Say for which fund organisation you make this fund."), code="required")]}
            )
        return own[0]

    @extend_schema(summary="Put money into this fund", request=MoneySerializer, responses={201: BookingSerializer})
    @action(detail=True, methods=["post"])
    def money(self, request: Request, uuid: str) -> Response:
        fund = self.get_object()
        given = MoneySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        booked = fund_services.add_money(by=request.user, fund=fund, **given.validated_data)
        return Response(BookingSerializer(booked).data, status=201)

    @extend_schema(summary="Give a person an entitlement from this fund", request=GrantSerializer,
                   responses={201: BookingSerializer})  # fmt: skip
    @action(detail=True, methods=["post"])
    def entitlements(self, request: Request, uuid: str) -> Response:
        fund = self.get_object()
        given = GrantSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        person = fund_services.find_person(data["person"])
        booked = fund_services.grant(by=request.user, fund=fund, person=person, amount_cents=data["amount_cents"],
                                key=data["key"])  # fmt: skip
        return Response(BookingSerializer(booked).data, status=201)


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
        serializer.instance = allocation.open_round(
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
        situation = accounts.situation_of(request.user) or Situation()  # nothing told yet: every answer empty
        return Response(SituationSerializer(situation).data)

    @extend_schema(summary="Write your own situation", request=SituationSerializer, responses=SituationSerializer)
    def put(self, request: Request) -> Response:
        serializer = SituationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        situation = accounts.set_situation(person=request.user, **serializer.validated_data)
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
        return round_queries.explain_application(application)


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
        application = allocation.apply(round=round, person=request.user)
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
