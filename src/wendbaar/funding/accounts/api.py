"""API of a person's own leerrekening: their learning accounts (entitlements) and their situation (what the funds'
rules ask). The rules are the services' (`set_situation`); a refusal answers 400 problem+json naming the field."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wendbaar.funding.accounts import services
from wendbaar.funding.constants import EducationLevel, EmploymentStatus
from wendbaar.funding.models import Account, AccountKind, Situation
from wendbaar.funding.services import balance
from wendbaar.regions.constants import Role, Sector
from wendbaar.regions.models import Region
from wendbaar.regions.permissions import HasAllowedRole


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
