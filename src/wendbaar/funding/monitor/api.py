"""The monitor's figures under /api/v1/participation-figures: the same published figures as the page."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wendbaar.funding.monitor import queries
from wendbaar.funding.monitor.views import MONITOR_ROLES
from wendbaar.regions.permissions import HasAllowedRole


class ParticipationQuery(serializers.Serializer):
    dimension = serializers.ChoiceField(
        list(queries.DIMENSIONS), default="region", help_text="What to split by: " + ", ".join(queries.DIMENSIONS)
    )
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="Only enrolments of this year (default: all)."
    )


class FiguresSerializer(serializers.Serializer):
    """One group's figures; null is a figure hidden to protect the people counted (fewer than 10)."""

    key = serializers.CharField(help_text="The group's code (region or fund id, SBI letter, band, level); '' = total.")
    name = serializers.CharField(source="label", help_text="The group's name in the request's language.")
    people = serializers.IntegerField(allow_null=True)
    enrolments = serializers.IntegerField(allow_null=True)
    completed = serializers.IntegerField(allow_null=True)
    dropped_out = serializers.IntegerField(allow_null=True)
    spent_cents = serializers.IntegerField(allow_null=True, help_text="Paid to schools and trainers, less refunds.")
    cost_per_completion_cents = serializers.IntegerField(allow_null=True)


class ParticipationSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    small_cell = serializers.IntegerField(help_text="Figures of fewer people than this are hidden (null).")
    rows = FiguresSerializer(many=True)
    total = FiguresSerializer()


class ParticipationView(APIView):  # one document, not a list (a viewset's `list` is described as an array)
    """Participation per region, sector, age band, education level, fund or provider.

    Coordinators see their region(s), funds the enrolments their own funds pay for, administrators all.
    """

    allowed_roles = MONITOR_ROLES
    permission_classes = [HasAllowedRole]

    @extend_schema(parameters=[ParticipationQuery], responses=ParticipationSerializer, summary="Participation figures")
    def get(self, request: Request) -> Response:
        query = ParticipationQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        scope = queries.scope_of(request.user)
        if scope is None:
            raise PermissionDenied
        table = queries.participation(scope=scope, **query.validated_data)
        data: dict[str, Any] = {
            "dimension": table.dimension, "year": table.year, "small_cell": queries.SMALL_CELL,
            "rows": table.rows, "total": table.total,
        }  # fmt: skip
        return Response(ParticipationSerializer(data).data)
