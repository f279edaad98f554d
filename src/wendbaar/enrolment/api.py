"""The enrolment app's API under /api/v1/: enrolments (a person's own; a provider's runs')."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import URLPattern
from rest_framework import serializers, viewsets

from wendbaar.api_conventions import Router
from wendbaar.enrolment.models import Enrolment
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import HasAllowedRole
from wendbaar.regions.roles import organisation_ids


class EnrolmentSerializer(serializers.ModelSerializer):
    run = serializers.UUIDField(source="run.uuid")
    offering = serializers.CharField(source="run.offering.title_nl")

    class Meta:
        model = Enrolment
        fields = [
            "uuid",
            "run",
            "offering",
            "status",
            "price_cents",
            "own_share_cents",
            "reason",
            "result",
            "created_at",
        ]
        read_only_fields = fields


class EnrolmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Enrolments: a person sees their own; a provider those in its own runs."""

    allowed_roles = frozenset({Role.LEARNER, Role.PROVIDER})
    permission_classes = [HasAllowedRole]
    serializer_class = EnrolmentSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Enrolment]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Enrolment.objects.none()
        user = self.request.user
        providers = organisation_ids(user, role=Role.PROVIDER)
        return Enrolment.objects.filter(Q(person=user) | Q(run__offering__provider_id__in=providers)).select_related(
            "run__offering"
        )


def register(router: Router) -> list[URLPattern]:
    """Register this app's viewsets on `router`; return extra (non-viewset) paths."""
    router.register("enrolments", EnrolmentViewSet, basename="enrolment")
    return []
