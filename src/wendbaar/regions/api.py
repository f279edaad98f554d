"""API of the regions app: regions, municipalities and organisations.

Reading needs a login (a person, or an organisation's system with a token): the region data
are public CBS facts, but they come with the organisations in a region, and the platform of a
region's partners is not a public directory. Organisations are written by admins and by
coordinators of all the organisation's regions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from wendbaar.api_conventions import Router
from wendbaar.regions import services
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Municipality, Organisation, Region, kvk_validator
from wendbaar.regions.permissions import AUTHENTICATED, HasAllowedRole
from wendbaar.regions.roles import coordinated_region_ids, roles_of, visible_organisations


class RegionSerializer(serializers.ModelSerializer):
    has_geometry = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = ["uuid", "code", "name", "has_geometry"]

    def get_has_geometry(self, region: Region) -> bool:
        return region.geometry is not None


class RegionDetailSerializer(RegionSerializer):
    geometry = serializers.JSONField(read_only=True, help_text="GeoJSON Polygon or MultiPolygon (WGS84), or null")
    municipalities = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")  # type: ignore[var-annotated]

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "geometry", "municipalities"]


class MunicipalitySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = Municipality
        fields = ["uuid", "code", "name", "region"]


class OrganisationSerializer(serializers.ModelSerializer):
    regions = serializers.SlugRelatedField(
        many=True,
        allow_empty=False,  # documented as minItems 1: an organisation lies in at least one region
        slug_field="code",
        queryset=Region.objects.all(),
        help_text="CBS codes of the labour-market regions, e.g. AM22",
        error_messages={
            "does_not_exist": _("Unknown region code: {value}."),
            "invalid": _("Give a region code such as AM22."),
        },
    )

    class Meta:
        model = Organisation
        fields = ["uuid", "name", "kvk", "actor_type", "sector", "size_class", "regions", "created_at"]
        read_only_fields = ["uuid", "created_at"]
        # Uniqueness is a business rule checked below together with the field rules (reported once).
        validators: list = []
        extra_kwargs = {"name": {"validators": []}, "kvk": {"validators": [kvk_validator]}}

    def to_internal_value(self, data: Any) -> Any:
        """Report field errors and duplicates together, so a client sees every problem in one 400."""
        errors: dict[str, Any] = {}
        value: Any = None
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            errors = dict(exc.detail)  # type: ignore[arg-type]
        if hasattr(data, "get"):
            instance = self.instance if isinstance(self.instance, Organisation) else None
            exclude = instance.pk if instance is not None else None
            name = data.get("name", instance.name if instance is not None else "")
            kvk = data.get("kvk", instance.kvk if instance is not None else "")
            duplicates = services.duplicate_errors(
                name=name if isinstance(name, str) else "", kvk=kvk if isinstance(kvk, str) else "", exclude_pk=exclude
            )
            for field, message in duplicates.items():
                errors.setdefault(field, []).append(message)
        if errors:
            raise serializers.ValidationError(errors)
        return value

    def validate_regions(self, regions: list[Region]) -> list[Region]:
        if not regions:
            raise serializers.ValidationError(_("Choose at least one region."))
        return regions


class RegionFilter(filters.FilterSet):
    region = filters.ModelChoiceFilter(
        field_name="region",
        to_field_name="code",
        queryset=Region.objects.all(),
        help_text="CBS code of a region, e.g. AM22; an unknown code is a 400 naming `region`",
    )

    class Meta:
        model = Municipality
        fields = ["region"]


@extend_schema_view(
    list=extend_schema(summary="List the 35 labour-market regions"),
    retrieve=extend_schema(summary="One region with its geometry and municipalities"),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    allowed_roles = frozenset({AUTHENTICATED})
    permission_classes = [HasAllowedRole]
    queryset = Region.objects.all()
    lookup_field = "code"
    lookup_value_regex = "AM[0-9]{2}"

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return RegionDetailSerializer if self.action == "retrieve" else RegionSerializer

    def get_queryset(self) -> QuerySet[Region]:
        if self.action == "retrieve":
            return Region.objects.prefetch_related("municipalities")
        return Region.objects.all()


@extend_schema_view(
    list=extend_schema(summary="List municipalities, optionally of one region"),
    retrieve=extend_schema(summary="One municipality"),
)
class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    allowed_roles = frozenset({AUTHENTICATED})
    permission_classes = [HasAllowedRole]
    queryset = Municipality.objects.select_related("region")
    serializer_class = MunicipalitySerializer
    filterset_class = RegionFilter
    lookup_field = "code"
    lookup_value_regex = "GM[0-9]{4}"


class OrganisationFilter(filters.FilterSet):
    region = filters.ModelChoiceFilter(
        field_name="regions",
        to_field_name="code",
        queryset=Region.objects.all(),
        help_text="CBS code of a region, e.g. AM22; an unknown code is a 400 naming `region`",
    )

    class Meta:
        model = Organisation
        fields = ["region", "actor_type", "sector"]


@extend_schema_view(
    list=extend_schema(summary="List organisations"),
    retrieve=extend_schema(summary="One organisation"),
    create=extend_schema(summary="Create an organisation (admins; coordinators of all its regions)"),
    update=extend_schema(summary="Replace an organisation (admins; coordinators of all its regions)"),
    partial_update=extend_schema(summary="Change an organisation (admins; coordinators of all its regions)"),
    destroy=extend_schema(summary="Delete an organisation (admins; coordinators of all its regions)"),
)
class OrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    allowed_roles = frozenset({AUTHENTICATED})
    write_roles = frozenset({Role.ADMIN, Role.COORDINATOR})
    permission_classes = [HasAllowedRole]
    queryset = Organisation.objects.prefetch_related("regions")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Organisation]:
        # The organisation page's rule (regions.roles.visible_organisations): another organisation's
        # KvK number and details answer 404 to learners, employers, providers and funds.
        return visible_organisations(self.request.user).prefetch_related("regions").order_by("name", "pk")

    def _require_coordination(self, region_ids: set[int]) -> None:
        """Coordinators may only write organisations that lie wholly within regions they coordinate."""
        if Role.ADMIN in roles_of(self.request.user):
            return
        if not region_ids <= coordinated_region_ids(self.request.user):
            raise PermissionDenied("You coordinate only some of this organisation's regions.")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        self._require_coordination({region.pk for region in data["regions"]})
        serializer.instance = services.create_organisation(
            name=data["name"],
            actor_type=data["actor_type"],
            region_codes=[region.code for region in data["regions"]],
            kvk=data.get("kvk", ""),
            sector=data.get("sector", ""),
            size_class=data.get("size_class", ""),
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        organisation = serializer.instance
        assert isinstance(organisation, Organisation)
        data = dict(serializer.validated_data)
        regions = data.pop("regions", None)
        current = set(organisation.regions.values_list("pk", flat=True))
        self._require_coordination(current | ({region.pk for region in regions} if regions is not None else set()))
        serializer.instance = services.update_organisation(
            organisation=organisation,
            region_codes=[region.code for region in regions] if regions is not None else None,
            **data,
        )

    def perform_destroy(self, instance: Organisation) -> None:
        self._require_coordination(set(instance.regions.values_list("pk", flat=True)))
        services.delete_organisation(organisation=instance)


def register(router: Router) -> list:
    """Register this app's viewsets; return extra URL patterns."""
    router.register("regions", RegionViewSet, basename="region")
    router.register("municipalities", MunicipalityViewSet, basename="municipality")
    router.register("organisations", OrganisationViewSet, basename="organisation")
    return []

