"""The funding app's API under /api/v1/: a person's own learning account, a funder's funds, a provider's payments;
allocation rounds and a person's own situation (written in `api_writes`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from rest_framework import serializers, viewsets

from wendbaar.api_conventions import Router
from wendbaar.funding import queries
from wendbaar.funding.api_writes import OwnApplicationView, OwnSituationView, RoundViewSet
from wendbaar.funding.models import Account, AccountKind, Fund, LedgerEntry
from wendbaar.funding.monitor.api import ParticipationViewSet
from wendbaar.funding.services import balance
from wendbaar.regions.constants import Role
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


def register(router: Router) -> list[URLPattern]:
    """Register this app's viewsets on `router`; return extra (non-viewset) paths."""
    router.register("learning-accounts", LearningAccountViewSet, basename="learning-account")
    router.register("funds", FundViewSet, basename="fund")
    router.register("provider-payments", ProviderPaymentViewSet, basename="provider-payment")
    router.register("participation-figures", ParticipationViewSet, basename="participation-figure")
    router.register("allocation-rounds", RoundViewSet, basename="allocation-round")
    return [
        path("funding-situations/me", OwnSituationView.as_view(), name="funding-situation-me"),
        path(
            "allocation-rounds/<uuid:uuid>/application",
            OwnApplicationView.as_view(),
            name="allocation-round-application",
        ),
    ]
