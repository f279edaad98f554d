"""The funds API: a funder's staff see, make and fill their own organisation's funds and give people entitlements
from them. The serializers read only types; the rules are the services' (`create_fund`, `add_money`, `grant`), and a
refusal answers 400 problem+json naming the field, with nothing written."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from wendbaar.api_conventions import REPLAYED, REPLAYED_HEADER, idempotency_key
from wendbaar.catalogue.models import CredentialType
from wendbaar.funding.constants import EducationLevel, EmploymentStatus
from wendbaar.funding.funds import services
from wendbaar.funding.models import BASIS_POINTS, Account, AccountKind, Fund, LedgerTransaction
from wendbaar.funding.services import balance
from wendbaar.regions.constants import Role, Sector
from wendbaar.regions.models import Organisation, Region
from wendbaar.regions.permissions import HasAllowedRole
from wendbaar.regions.roles import organisation_ids, roles_of


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
    key = serializers.CharField(
        required=False, max_length=200, min_length=1,
        help_text="Idempotency key (or the `Idempotency-Key` header), per fund organisation: a replay gets the same "
        "fund back and makes nothing; the same key with other rules is refused (`key`, `idempotency_conflict`). "
        "Without a key every request makes a fund.",
    )  # fmt: skip


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


REPLAY_DESCRIPTION = (
    "A fund's staff, for a fund of their own organisation (another's answers 404). Booked once per `key`: the "
    "same key and body again answer 200 with the first booking "
    "(`Idempotent-Replayed: true`) and book nothing; the key with another body: 400 on `key` (`idempotency_conflict`)."
)

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="Your key for this request (1 to 200 characters, per fund organisation); the body's `key` says the "
    "same.",
)  # fmt: skip


def _booked(booked: LedgerTransaction) -> Response:
    """The answer to a booking: 201, or 200 with `Idempotent-Replayed` when its key was booked before."""
    if booked.replayed:
        return Response(BookingSerializer(booked).data, headers=REPLAYED)
    return Response(BookingSerializer(booked).data, status=201)


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

    @extend_schema(
        summary="Make a fund with its rules",
        description="A fund's staff make a fund for their own organisation (another organisation as `funder`: 403). "
        "With an idempotency key (header `Idempotency-Key` or body `key`) a replay answers 200 with the "
        "same fund as it is now (`Idempotent-Replayed: true`) and makes nothing; the key with other rules: 400 on "
        "`key` (`idempotency_conflict`).",
        request=FundCreateSerializer,
        parameters=[IDEMPOTENCY_HEADER, REPLAYED_HEADER],
        responses={201: FundSerializer, 200: FundSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = FundCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        key = idempotency_key(request, data.pop("key", None))
        funder = data.pop("funder") or self._only_funder()
        made = services.create_fund(by=request.user, funder=funder, key=key, **data)
        if made.replayed:
            return Response(FundSerializer(made.fund).data, headers=REPLAYED)
        return Response(FundSerializer(made.fund).data, status=201)

    def _only_funder(self) -> Organisation:
        own = list(Organisation.objects.filter(pk__in=organisation_ids(self.request.user, role=Role.FUND))[:2])
        if len(own) != 1:
            raise serializers.ValidationError(
                {"funder": [ErrorDetail(_("Say for which fund organisation you make this fund."), code="required")]}
            )
        return own[0]

    @extend_schema(
        summary="Put money into this fund", description=REPLAY_DESCRIPTION, request=MoneySerializer,
        parameters=[REPLAYED_HEADER], responses={201: BookingSerializer, 200: BookingSerializer},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def money(self, request: Request, uuid: str) -> Response:
        fund = self.get_object()
        given = MoneySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        booked = services.add_money(by=request.user, fund=fund, **given.validated_data)
        return _booked(booked)

    @extend_schema(
        summary="Give a person an entitlement from this fund", description=REPLAY_DESCRIPTION,
        request=GrantSerializer, parameters=[REPLAYED_HEADER],
        responses={201: BookingSerializer, 200: BookingSerializer},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def entitlements(self, request: Request, uuid: str) -> Response:
        fund = self.get_object()
        given = GrantSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        person = services.find_person(data["person"])
        booked = services.grant(by=request.user, fund=fund, person=person, amount_cents=data["amount_cents"],
                                key=data["key"])  # fmt: skip
        return _booked(booked)
