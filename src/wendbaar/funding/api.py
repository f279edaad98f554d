"""The funding app's API under /api/v1/: its routes, and a provider's payments from the ledger. Each capability's
serializers and views are in its own package: a person's learning account and situation (`accounts/api.py`), a
funder's funds (`funds/api.py`), allocation rounds and applications (`allocation/api.py`), the participation
monitor (`monitor/api.py`)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from rest_framework import serializers, viewsets

from wendbaar.api_conventions import Router
from wendbaar.funding import queries
from wendbaar.funding.accounts.api import LearningAccountViewSet, OwnSituationView
from wendbaar.funding.allocation.api import OwnApplicationView, RoundViewSet
from wendbaar.funding.funds.api import FundViewSet
from wendbaar.funding.models import LedgerEntry
from wendbaar.funding.monitor.api import ParticipationView
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import HasAllowedRole
from wendbaar.regions.roles import organisation_ids


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
