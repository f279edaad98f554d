"""The catalogue's API under /api/v1/: search offerings (anyone), create and change them (a provider's staff).

`GET /offerings` takes the search filters (see `catalogue.search`) and says for every result which
asked skills it teaches and which not. Writes go through `catalogue.services`, which checks that the
caller is staff of the offering's provider (or an admin) and reports every field error in one 400.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from wendbaar.api_conventions import Router
from wendbaar.catalogue import search, services
from wendbaar.catalogue.models import Offering, OfferingSkill, Run, Status
from wendbaar.regions.constants import ActorType, Role
from wendbaar.regions.models import Organisation
from wendbaar.regions.permissions import ANYONE, HasAllowedRole

WRITE_ROLES = frozenset({Role.PROVIDER, Role.ADMIN})


class OfferingRunSerializer(serializers.ModelSerializer):
    offering = serializers.SlugRelatedField(slug_field="uuid", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = Run
        fields = [
            "uuid", "offering", "start_date", "end_date", "weekdays", "start_time", "end_time", "seats", "location",
            "is_evening", "is_weekend",
        ]  # fmt: skip
        read_only_fields = fields


class OfferingOutcomeSerializer(serializers.Serializer):
    uri = serializers.CharField(source="skill.uri")
    label = serializers.SerializerMethodField()  # type: ignore[assignment]
    source = serializers.CharField()  # type: ignore[assignment]
    confirmed = serializers.BooleanField()
    evidence = serializers.ListField(child=serializers.CharField())
    found_by = serializers.CharField(
        help_text="Which layer of the engine read it in the text: words, meaning or both; empty when not read."
    )

    def get_label(self, outcome: OfferingSkill) -> str:
        return outcome.skill.preferred_label(self.context.get("lang", "nl"))[0]


class OfferingSerializer(serializers.ModelSerializer):
    provider = serializers.SerializerMethodField()
    crebo = serializers.CharField(source="crebo_id", allow_null=True)
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    runs = OfferingRunSerializer(many=True, read_only=True)
    skills = serializers.SerializerMethodField()

    class Meta:
        model = Offering
        fields = [
            "uuid", "provider", "code", "title_nl", "title_en", "description_nl", "description_en", "credential_type",
            "crebo", "level", "study_load_hours", "language", "mode", "municipality", "region", "price_cents",
            "funding_tags", "min_group_size", "max_group_size", "url", "status", "is_evening", "is_weekend",
            "is_daytime", "runs", "skills", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(
        inline_serializer("OfferingProvider", fields={"uuid": serializers.UUIDField(), "name": serializers.CharField()})
    )
    def get_provider(self, offering: Offering) -> dict[str, str]:
        return {"uuid": str(offering.provider.uuid), "name": offering.provider.name}

    @extend_schema_field(OfferingOutcomeSerializer(many=True))
    def get_skills(self, offering: Offering) -> list[dict[str, Any]]:
        outcomes = [o for o in offering.skills.all() if not o.removed]
        return OfferingOutcomeSerializer(outcomes, many=True, context=self.context).data  # type: ignore[return-value]


class OfferingAskedSkillSerializer(serializers.Serializer):
    uri = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    source = serializers.CharField(help_text="skill, occupation or text")  # type: ignore[assignment]


class OfferingMatchSerializer(serializers.Serializer):
    covered = OfferingAskedSkillSerializer(many=True)
    missing = OfferingAskedSkillSerializer(many=True)
    coverage = serializers.FloatField()
    distance_km = serializers.FloatField(allow_null=True)


class OfferingSearchHitSerializer(serializers.Serializer):
    offering = OfferingSerializer()
    match = OfferingMatchSerializer()


class OfferingSearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    asked = OfferingAskedSkillSerializer(many=True)
    text_as_words = serializers.BooleanField()
    results = OfferingSearchHitSerializer(many=True)


class OfferingRunWriteSerializer(serializers.Serializer):
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)
    weekdays = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=7), required=False)
    start_time = serializers.TimeField(required=False, allow_null=True)
    end_time = serializers.TimeField(required=False, allow_null=True)
    seats = serializers.IntegerField(required=False, allow_null=True)
    location = serializers.CharField(required=False, allow_blank=True)


class OfferingWriteSerializer(serializers.Serializer):
    """The body of POST and PATCH: field values go unchanged to the service, which validates them all."""

    provider = serializers.UUIDField(required=False, help_text="UUID of the providing organisation (POST)")
    code = serializers.CharField(required=False, allow_blank=True)
    title_nl = serializers.CharField(required=False)
    title_en = serializers.CharField(required=False, allow_blank=True)
    description_nl = serializers.CharField(required=False)
    description_en = serializers.CharField(required=False, allow_blank=True)
    credential_type = serializers.CharField(required=False)
    crebo = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    level = serializers.CharField(required=False, allow_blank=True)
    study_load_hours = serializers.IntegerField(required=False, allow_null=True)
    language = serializers.CharField(required=False)
    mode = serializers.CharField(required=False)
    municipality = serializers.CharField(required=False, allow_blank=True, allow_null=True, help_text="GM code")
    price_cents = serializers.IntegerField(required=False)
    funding_tags = serializers.ListField(child=serializers.CharField(), required=False)
    min_group_size = serializers.IntegerField(required=False, allow_null=True)
    max_group_size = serializers.IntegerField(required=False, allow_null=True)
    url = serializers.CharField(required=False, allow_blank=True)
    status = serializers.CharField(required=False)
    runs = OfferingRunWriteSerializer(many=True, required=False, help_text="POST only: the offering's runs")
    skills = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="ESCO skill URIs: the confirmed outcomes (without them on POST, the engine proposes)",
    )


def _raw(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise ValidationError({"nonFieldErrors": ["Send a JSON object."]})
    return dict(request.data)


class SearchSchema(AutoSchema):
    """The search answers one page object (count, asked, results), not a bare list."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        if getattr(self.view, "action", None) == "list":
            return False
        return bool(super()._is_list_view(serializer))


SEARCH_PARAMETERS = [
    OpenApiParameter("skill", str, many=True, description="ESCO skill URI(s); repeat or separate by commas"),
    OpenApiParameter("occupation", str, description="ESCO occupation URI: asks its essential skills"),
    OpenApiParameter("q", str, description="free text in Dutch or English, read by the engine into skills"),
    OpenApiParameter("lang", str, enum=["nl", "en"], description="language of the text and of labels"),
    OpenApiParameter("region", str, description="CBS code of a region, e.g. AM22"),
    OpenApiParameter("near", str, description="municipality (GM code or name) to measure the distance from"),
    OpenApiParameter("distance", float, description="at most this many km from `near`"),
    OpenApiParameter("time", str, many=True, enum=list(search.TIMES), description="daytime, evening, weekend (any)"),
    OpenApiParameter("start_after", OpenApiTypes.DATE, description="a run starts on or after this date"),
    OpenApiParameter("start_before", OpenApiTypes.DATE, description="a run starts on or before this date"),
    OpenApiParameter("max_price", float, description="price up to, in euros"),
    OpenApiParameter("mode", str, description="on_site, online, hybrid, workplace"),
    OpenApiParameter("level", str, description="mbo1-mbo4, nlqf1-nlqf8"),
    OpenApiParameter("type", str, description="credential type, e.g. course, mbo_certificate"),
    OpenApiParameter("provider", str, description="UUID of a provider"),
    OpenApiParameter("page", int),
    OpenApiParameter("pageSize", int),
]


@extend_schema_view(
    list=extend_schema(
        operation_id="offerings_list",  # a one-object response would otherwise name it offerings_retrieve
        summary="Search offerings by skill, occupation, text, place, time, date, price and kind (anyone)",
        parameters=SEARCH_PARAMETERS,
        responses=OfferingSearchPageSerializer,
    ),
    retrieve=extend_schema(summary="One offering with its runs and outcomes (anyone)"),
    create=extend_schema(
        summary="Create an offering with its runs (the provider's staff, admins)",
        request=OfferingWriteSerializer,
        responses={201: OfferingSerializer},
    ),
    partial_update=extend_schema(
        summary="Change an offering (the provider's staff, admins)",
        request=OfferingWriteSerializer,
        responses=OfferingSerializer,
    ),
    destroy=extend_schema(summary="Delete an offering (the provider's staff, admins)"),
)
class OfferingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    allowed_roles = frozenset({ANYONE})
    write_roles = WRITE_ROLES
    permission_classes = [HasAllowedRole]
    serializer_class = OfferingSerializer
    schema = SearchSchema()
    pagination_class = None  # the search answers its own pages (with `asked` and the explanation)
    lookup_field = "uuid"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Offering]:
        qs = Offering.objects.select_related("provider", "municipality", "region").prefetch_related(
            "runs", "skills__skill__labels"
        )
        return qs

    def get_object(self) -> Offering:
        offering = super().get_object()
        if offering.status != Status.PUBLISHED and not services.can_manage(self.request.user, offering.provider):
            raise NotFound("No such offering.")  # drafts and archived offerings only for their provider
        return offering

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["lang"] = "en" if self.request.query_params.get("lang") == "en" else "nl"
        return context

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query, errors = search.query_from_params(request.query_params)
        if errors:
            raise ValidationError(errors)
        result = search.search(query)
        ids = [hit.offering.pk for hit in result.hits]
        full = {o.pk: o for o in self.get_queryset().filter(pk__in=ids)}
        context = self.get_serializer_context()
        results = []
        for hit in result.hits:
            results.append(
                {
                    "offering": OfferingSerializer(full[hit.offering.pk], context=context).data,
                    "match": {
                        "covered": [_asked(a) for a in hit.covered],
                        "missing": [_asked(a) for a in hit.missing],
                        "coverage": round(hit.coverage, 4),
                        "distance_km": hit.distance_km,
                    },
                }
            )
        url = request.build_absolute_uri()
        page = query.offset // query.limit + 1
        return Response(
            {
                "count": result.total,
                "next": replace_query_param(url, "page", page + 1)
                if query.offset + query.limit < result.total
                else None,
                "previous": replace_query_param(url, "page", page - 1) if page > 1 else None,
                "asked": [_asked(a) for a in result.asked],
                "text_as_words": result.text_as_words,
                "results": results,
            }
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _raw(request)
        provider_id = data.pop("provider", None)
        runs = data.pop("runs", [])
        skills = data.pop("skills", None)
        provider = Organisation.objects.filter(uuid=_uuid(provider_id), actor_type=ActorType.EDUCATION_PROVIDER).first()
        if provider is None:
            raise ValidationError({"provider": ["Give the UUID of an education provider."]})
        if not isinstance(runs, list) or not all(isinstance(run, dict) for run in runs):
            raise ValidationError({"runs": ["Give a list of runs."]})
        offering = services.create_offering(provider=provider, data=data, runs=runs, skills=skills, by=request.user)
        return Response(self._read(offering), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        offering = self.get_object()
        data = _raw(request)
        skills = data.pop("skills", None)
        for name in ("provider", "runs"):
            if name in data:
                raise ValidationError({name: ["Cannot be changed here."]})
        offering = services.update_offering(offering=offering, data=data, by=request.user)
        if skills is not None:
            services.set_skills(offering=offering, uris=skills, by=request.user)
        return Response(self._read(offering))

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    def perform_destroy(self, instance: Offering) -> None:
        services.delete_offering(offering=instance, by=self.request.user)

    def _read(self, offering: Offering) -> Any:
        fresh = self.get_queryset().get(pk=offering.pk)
        return OfferingSerializer(fresh, context=self.get_serializer_context()).data

    @extend_schema(
        summary="Add a run to an offering (the provider's staff, admins)",
        request=OfferingRunWriteSerializer,
        responses={201: OfferingRunSerializer},
    )
    @action(detail=True, methods=["post"], url_path="runs")
    def add_run(self, request: Request, uuid: str | None = None) -> Response:
        offering = self.get_object()
        run = services.create_run(offering=offering, data=_raw(request), by=request.user)
        return Response(OfferingRunSerializer(run).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Runs (cohorts) of published offerings, soonest first (anyone)"),
    retrieve=extend_schema(summary="One run (anyone)"),
    partial_update=extend_schema(
        summary="Change a run (the provider's staff, admins)",
        request=OfferingRunWriteSerializer,
        responses=OfferingRunSerializer,
    ),
    destroy=extend_schema(summary="Delete a run (the provider's staff, admins)"),
)
class RunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    allowed_roles = frozenset({ANYONE})
    write_roles = WRITE_ROLES
    permission_classes = [HasAllowedRole]
    serializer_class = OfferingRunSerializer
    lookup_field = "uuid"
    http_method_names = ["get", "patch", "delete", "head", "options"]
    queryset = Run.objects.select_related("offering__provider").order_by("start_date", "id")

    def get_queryset(self) -> QuerySet[Run]:
        qs = super().get_queryset()
        return qs.filter(offering__status=Status.PUBLISHED) if self.action == "list" else qs

    def get_object(self) -> Run:
        run = super().get_object()
        offering = run.offering
        if offering.status != Status.PUBLISHED and not services.can_manage(self.request.user, offering.provider):
            raise NotFound("No such run.")
        return run

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run = services.update_run(run=self.get_object(), data=_raw(request), by=request.user)
        return Response(OfferingRunSerializer(run).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    def perform_destroy(self, instance: Run) -> None:
        services.delete_run(run=instance, by=self.request.user)


def _asked(asked: search.AskedSkill) -> dict[str, str]:
    return {"uri": asked.uri, "label": asked.label, "source": asked.source}


def _uuid(value: Any) -> Any:
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def register(router: Router) -> list:
    """Register this app's viewsets on `router`; return extra (non-viewset) paths."""
    router.register("offerings", OfferingViewSet, basename="offering")
    router.register("runs", RunViewSet, basename="run")
    return []
