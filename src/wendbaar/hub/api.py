"""The hub app's API under /api/v1/: initiatives, agenda actions, events, trial placements, profiles.

Thin: serializers check types, the services check the rules (every field problem in one 400) and
the region scope (403). Reading initiatives, events and the agenda needs a login; profiles are
listed only when their person opted in.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wendbaar.api_conventions import Pagination, Router
from wendbaar.hub import links, search, services
from wendbaar.hub.access import WRITER_ROLES
from wendbaar.hub.constants import (
    CLOSED_ACTION_STATUSES,
    PLACEMENT_KINDS,
    EventKind,
    EvidenceKind,
    InitiativeStatus,
    LinkKind,
    RegistrationStatus,
    TargetGroup,
    Theme,
)
from wendbaar.hub.models import Action, ActionChange, Event, Initiative, Profile, Registration
from wendbaar.regions.constants import Sector
from wendbaar.regions.models import Organisation, Region
from wendbaar.regions.permissions import AUTHENTICATED, HasAllowedRole


def _region_field(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), help_text="CBS code of the region, e.g. AM22",
        error_messages={"does_not_exist": "Unknown region code: {value}."}, **kwargs,
    )  # fmt: skip


def _organisations(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="uuid", queryset=Organisation.objects.all(), **kwargs)


def _person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"name": user.get_full_name() or user.get_username(), "username": user.get_username()}


def _body(request: Request) -> dict[str, Any]:
    return request.data if isinstance(request.data, dict) else {}


# ---------------------------------------------------------------- initiatives
class ResultSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    label = serializers.CharField(max_length=200)  # type: ignore[assignment]  # the field is called label
    value = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    url = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class InitiativeSerializer(serializers.ModelSerializer):
    region = _region_field()
    themes = serializers.ListField(child=serializers.ChoiceField(choices=Theme.choices), required=False)
    sectors = serializers.ListField(child=serializers.ChoiceField(choices=Sector.choices), required=False)
    target_groups = serializers.ListField(child=serializers.ChoiceField(choices=TargetGroup.choices), required=False)
    success_factors = serializers.ListField(child=serializers.CharField(max_length=80), required=False)
    failure_factors = serializers.ListField(child=serializers.CharField(max_length=80), required=False)
    results = ResultSerializer(many=True, required=False)
    status = serializers.ChoiceField(choices=InitiativeStatus.choices, required=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    goal = serializers.CharField(required=False, allow_blank=True)
    actors = _organisations(many=True, required=False, help_text="UUIDs of the organisations taking part")
    contact = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()
    adopted_from: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    adoptions = serializers.SerializerMethodField()
    confirm_duplicate = serializers.BooleanField(
        write_only=True, required=False, default=False,
        help_text="Save although a likely duplicate exists (it is named in the 400 answer otherwise)",
    )  # fmt: skip

    class Meta:
        model = Initiative
        fields = [
            "uuid", "region", "title", "goal", "description", "themes", "sectors", "target_groups", "status",
            "success_factors", "failure_factors", "results", "actors", "contact", "skills", "adopted_from",
            "adoptions", "created_at", "updated_at", "confirm_duplicate",
        ]  # fmt: skip
        read_only_fields = ["uuid", "created_at", "updated_at"]

    def get_contact(self, initiative: Initiative) -> dict[str, Any] | None:
        return _person(initiative.contact)

    def get_skills(self, initiative: Initiative) -> list[dict[str, str]]:
        return [{"uri": uri, "label": label} for uri, label in initiative.skills]

    def get_adoptions(self, initiative: Initiative) -> list[dict[str, str]]:
        return [{"uuid": str(a.uuid), "region": a.region.code} for a in initiative.adoptions.all()]


class HubSuggestionSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()
    region = serializers.CharField(allow_null=True)
    reason = serializers.CharField(help_text="Why it is suggested, in the reader's language")
    shared = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    score = serializers.FloatField()


def _suggestions(items: list[search.Suggestion]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        if item.initiative is not None:
            region: str | None
            uuid, name, region = item.initiative.uuid, item.initiative.title, item.initiative.region.code
        else:
            assert item.profile is not None
            user = item.profile.user
            uuid, name = item.profile.uuid, user.get_full_name() or user.get_username()
            region = item.profile.region.code if item.profile.region else None
        out.append({"uuid": uuid, "name": name, "region": region, "reason": item.reason, "shared": item.shared,
                    "score": round(item.score, 4)})  # fmt: skip
    return out


MATCHES = inline_serializer(
    "Matches", {"initiatives": HubSuggestionSerializer(many=True), "people": HubSuggestionSerializer(many=True)}
)
SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description="Words to find (Dutch; all must occur)"),
    OpenApiParameter("theme", str, enum=Theme.values),
    OpenApiParameter("status", str, enum=InitiativeStatus.values),
    OpenApiParameter("sector", str, enum=Sector.values),
    OpenApiParameter("target_group", str, enum=TargetGroup.values),
    OpenApiParameter("factor", str, description="A success or failure factor tag"),
    OpenApiParameter("region", str, description="CBS code of a region, e.g. AM22"),
]


@extend_schema_view(
    list=extend_schema(summary="Search the initiatives of every region", parameters=SEARCH_PARAMETERS),
    retrieve=extend_schema(summary="One initiative"),
    create=extend_schema(summary="Add an initiative (the region's partners and coordinators)"),
    partial_update=extend_schema(summary="Change an initiative (its region's coordinators, author or contact)"),
)
class InitiativeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    allowed_roles = frozenset({AUTHENTICATED})
    write_roles = WRITER_ROLES
    permission_classes = [HasAllowedRole]
    serializer_class = InitiativeSerializer
    queryset = Initiative.objects.select_related("region", "contact", "adopted_from").prefetch_related(
        "actors", "adoptions__region"
    )
    lookup_field = "uuid"
    http_method_names = ["get", "post", "patch", "head", "options"]
    filter_backends: list[Any] = []

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        paginator = Pagination()
        size = paginator.get_page_size(request) or 20
        try:
            number = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            number = 1
        params = request.query_params
        found = search.search_initiatives(
            q=params.get("q", ""),
            filters=search.SearchFilters(
                theme=params.get("theme", ""),
                status=params.get("status", ""),
                sector=params.get("sector", ""),
                target_group=params.get("target_group", ""),
                factor=params.get("factor", ""),
                region=params.get("region", ""),
            ),  # fmt: skip
            limit=size,
            offset=(number - 1) * size,
        )
        prefetch_related_objects(found.initiatives, "actors", "adoptions__region", "contact", "adopted_from")
        data = self.get_serializer(found.initiatives, many=True).data
        return Response({"count": found.total, "page": number, "results": data})

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        region = data.pop("region")
        actors = data.pop("actors", [])
        try:
            serializer.instance = services.create_initiative(by=self.request.user, region=region, actors=actors, **data)
        except services.DuplicateInitiative as duplicate:  # keep its code, so clients can tell it apart
            message = duplicate.message_dict["title"][0]
            raise serializers.ValidationError({"title": [ErrorDetail(message, code="duplicate")]}) from duplicate

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("confirm_duplicate", None)
        initiative = serializer.instance
        assert isinstance(initiative, Initiative)
        if "region" in data and data.pop("region") != initiative.region:
            raise serializers.ValidationError({"region": ["An initiative stays in its region; adopt it instead."]})
        serializer.instance = services.update_initiative(
            by=self.request.user, initiative=initiative, actors=data.pop("actors", None), **data
        )

    @extend_schema(summary="Initiatives and people working on similar things, each explained", responses=MATCHES)
    @action(detail=True, methods=["get"])
    def similar(self, request: Request, uuid: str | None = None) -> Response:
        initiatives, people = search.similar_to_initiative(self.get_object())
        return Response({"initiatives": _suggestions(initiatives), "people": _suggestions(people)})

    @extend_schema(
        summary="Adopt the initiative for a region (its coordinators): a linked copy",
        request=inline_serializer("Adoption", {"region": serializers.CharField()}),
        responses={201: InitiativeSerializer},
    )
    @action(detail=True, methods=["post"])
    def adopt(self, request: Request, uuid: str | None = None) -> Response:
        region = Region.objects.filter(code=str(_body(request).get("region", ""))).first()
        if region is None:
            raise serializers.ValidationError({"region": ["Give the code of your region, e.g. AM13."]})
        copy = services.adopt_initiative(by=request.user, origin=self.get_object(), region=region)
        return Response(self.get_serializer(copy).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Report back to the origin of an adopted initiative",
        request=inline_serializer("ReportBack", {"text": serializers.CharField()}),
        responses={
            201: inline_serializer("Report", {"uuid": serializers.UUIDField(), "text": serializers.CharField()})
        },
    )
    @action(detail=True, methods=["post"])
    def reports(self, request: Request, uuid: str | None = None) -> Response:
        text = str(_body(request).get("text", ""))
        report = services.report_back(by=request.user, adoption=self.get_object(), text=text)
        return Response({"uuid": report.uuid, "text": report.text}, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- the agenda
class ActionLinkSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LinkKind.choices)
    target = serializers.CharField(
        max_length=200,
        help_text="radar_occupation: an ISCO code or ESCO occupation URI (stored as its ISCO code); radar_skill: "
        "an ESCO skill URI; pool, gap: the UUID of a pool or gap of the demand in the action's region",
    )
    label = serializers.CharField(read_only=True, help_text="What it is, as far as the reader may see it")  # type: ignore[assignment]  # the field is called label
    url = serializers.CharField(read_only=True, allow_null=True, help_text="The page, when the reader may open it")


class ActionSerializer(serializers.ModelSerializer):
    region = _region_field()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    owner = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.all(),
        required=False, allow_null=True, help_text="Username of the one owner",
    )  # fmt: skip
    owner_organisation = _organisations(required=False, allow_null=True)
    partners = _organisations(many=True, required=False)
    deadline = serializers.DateField(required=False, allow_null=True)
    initiative = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Initiative.objects.all(), required=False, allow_null=True
    )
    is_late = serializers.SerializerMethodField()
    note = serializers.CharField(write_only=True, required=False, allow_blank=True, help_text="Kept in the history")
    links = ActionLinkSerializer(many=True, required=False, help_text="What the action addresses besides an initiative")

    class Meta:
        model = Action
        fields = [
            "uuid", "region", "title", "description", "owner", "owner_organisation", "partners", "deadline",
            "status", "initiative", "links", "is_late", "created_at", "updated_at", "note",
        ]  # fmt: skip
        read_only_fields = ["uuid", "created_at", "updated_at"]

    def get_is_late(self, action: Action) -> bool:
        return action.status not in CLOSED_ACTION_STATUSES and action.deadline < timezone.localdate()

    def to_representation(self, instance: Action) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = request.user if request is not None else None
        data["links"] = [
            {"kind": link.kind, "target": link.target, "label": link.label, "url": link.url}
            for link in links.shown_links(instance, user)
        ]  # fmt: skip
        return data


class ActionFilter(filters.FilterSet):
    region = filters.CharFilter(field_name="region__code", help_text="CBS code of a region, e.g. AM22")
    late = filters.BooleanFilter(method="filter_late", help_text="Only actions past their deadline and not closed")
    owner = filters.CharFilter(field_name="owner__username")

    class Meta:
        model = Action
        fields = ["region", "status", "owner", "late"]

    def filter_late(self, queryset: QuerySet[Action], name: str, value: bool) -> QuerySet[Action]:
        late = Q(deadline__lt=timezone.localdate()) & ~Q(status__in=CLOSED_ACTION_STATUSES)
        return queryset.filter(late) if value else queryset.exclude(late)


@extend_schema_view(
    list=extend_schema(summary="The actions of the human capital agendas"),
    retrieve=extend_schema(summary="One action"),
    create=extend_schema(summary="Put an action on a region's agenda (its coordinators)"),
    partial_update=extend_schema(
        summary="Change an action (the region's coordinators; the owner: status and description)"
    ),
)
class ActionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    allowed_roles = frozenset({AUTHENTICATED})
    write_roles = WRITER_ROLES
    permission_classes = [HasAllowedRole]
    serializer_class = ActionSerializer
    queryset = Action.objects.select_related("region", "owner", "owner_organisation", "initiative").prefetch_related(
        "partners", "links"
    )
    filterset_class = ActionFilter
    lookup_field = "uuid"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("note", None)
        region, partners = data.pop("region"), data.pop("partners", [])
        data.setdefault("owner", None)
        data.setdefault("owner_organisation", None)
        data.setdefault("deadline", None)
        serializer.instance = services.create_action(
            by=self.request.user, region=region, partners=partners, links=data.pop("links", []), **data
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        agenda_action = serializer.instance
        assert isinstance(agenda_action, Action)
        if "region" in data and data.pop("region") != agenda_action.region:
            raise serializers.ValidationError({"region": ["An action stays on its region's agenda."]})
        serializer.instance = services.update_action(
            by=self.request.user, action=agenda_action, partners=data.pop("partners", None),
            links=data.pop("links", None), note=data.pop("note", ""), **data,
        )  # fmt: skip

    @extend_schema(
        summary="The change history of an action",
        responses=inline_serializer(
            "ActionChange",
            {
                "changed_at": serializers.DateTimeField(),
                "changed_by": serializers.CharField(allow_null=True),
                "changes": serializers.DictField(),
                "note": serializers.CharField(),
            },
            many=True,
        ),  # fmt: skip
    )
    @action(detail=True, methods=["get"])
    def history(self, request: Request, uuid: str | None = None) -> Response:
        changes = ActionChange.objects.filter(action=self.get_object()).select_related("changed_by")
        return Response([
            {"changed_at": c.changed_at, "changed_by": c.changed_by.get_username() if c.changed_by else None,
             "changes": c.changes, "note": c.note}
            for c in changes
        ])  # fmt: skip


# ---------------------------------------------------------------- events
class EventSerializer(serializers.ModelSerializer):
    region = _region_field()
    kind = serializers.ChoiceField(choices=EventKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    organiser = _organisations(required=False, allow_null=True)
    starts_at = serializers.DateTimeField(required=False, allow_null=True)
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    sectors = serializers.ListField(child=serializers.ChoiceField(choices=Sector.choices), required=False)
    places_taken = serializers.SerializerMethodField()
    waiting = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "uuid", "region", "kind", "title", "description", "organiser", "starts_at", "ends_at", "location",
            "online_url", "capacity", "places_taken", "waiting", "sectors", "occupation_uri", "skills",
            "cancelled", "created_at",
        ]  # fmt: skip
        read_only_fields = ["uuid", "skills", "cancelled", "created_at"]

    def get_places_taken(self, event: Event) -> int:
        return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()

    def get_waiting(self, event: Event) -> int:
        return event.registrations.filter(status=RegistrationStatus.WAITING).count()


class EventFilter(filters.FilterSet):
    region = filters.CharFilter(field_name="region__code", help_text="CBS code of a region, e.g. AM22")
    starts_after = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")

    class Meta:
        model = Event
        fields = ["region", "kind", "starts_after"]


@extend_schema_view(
    list=extend_schema(summary="The events of the regional calendars"),
    retrieve=extend_schema(summary="One event"),
    create=extend_schema(summary="Add an event (the region's coordinators; partners for their organisation)"),
    partial_update=extend_schema(
        summary="Change an event (the region's coordinators, the organiser's people); fewer places move the "
        "last registrations to the waiting list"
    ),
)
class EventViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    allowed_roles = frozenset({AUTHENTICATED})
    write_roles = WRITER_ROLES
    permission_classes = [HasAllowedRole]
    serializer_class = EventSerializer
    queryset = Event.objects.select_related("region", "organiser")
    filterset_class = EventFilter
    lookup_field = "uuid"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        event = serializer.instance
        assert isinstance(event, Event)
        if "region" in data and data.pop("region") != event.region:
            raise serializers.ValidationError({"region": ["An event stays in its region."]})
        serializer.instance = services.update_event(by=self.request.user, event=event, **data)

    @extend_schema(summary="Cancel the event (the region's coordinators, the organiser's people)", request=None,
                   responses=EventSerializer)  # fmt: skip
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, uuid: str | None = None) -> Response:
        event = services.cancel_event(by=request.user, event=self.get_object())
        return Response(self.get_serializer(event).data)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        region: Region = data.pop("region")
        for name in ("kind", "title", "organiser", "starts_at", "ends_at"):
            data.setdefault(name, None)
        serializer.instance = services.create_event(by=self.request.user, region=region, **data)


class RegistrationSerializer(serializers.ModelSerializer):
    event: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="uuid", read_only=True)

    class Meta:
        model = Registration
        fields = ["uuid", "event", "status", "created_at"]


class EventRegistrationView(APIView):
    """Register for an event (a place, or the waiting list when it is full) or give the place up."""

    allowed_roles = frozenset({AUTHENTICATED})
    permission_classes = [HasAllowedRole]

    @extend_schema(summary="Register for an event; when it is full, you go on the waiting list", request=None,
                   responses={201: RegistrationSerializer})  # fmt: skip
    def post(self, request: Request, uuid: str) -> Response:
        event: Event = get_object_or_404(Event, uuid=uuid)
        registration = services.register(user=request.user, event=event)
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Give up your place; the first on the waiting list moves up", request=None,
                   responses={204: None})  # fmt: skip
    def delete(self, request: Request, uuid: str) -> Response:
        event: Event = get_object_or_404(Event, uuid=uuid)
        services.cancel_registration(user=request.user, event=event)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TrialPlacementSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    employer = serializers.CharField(source="organiser.name", read_only=True)
    sector = serializers.CharField(source="organiser.sector", read_only=True)
    places_left = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "uuid", "kind", "title", "description", "employer", "sector", "region", "starts_at", "ends_at",
            "location", "occupation_uri", "skills", "capacity", "places_left",
        ]  # fmt: skip

    def get_places_left(self, event: Event) -> int | None:
        if event.capacity is None:
            return None
        taken = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
        return max(0, event.capacity - taken)


class TrialPlacementFilter(filters.FilterSet):
    region = filters.CharFilter(field_name="region__code", help_text="CBS code of a region, e.g. AM22")
    occupation = filters.CharFilter(field_name="occupation_uri", help_text="ESCO occupation URI")

    class Meta:
        model = Event
        fields = ["region", "occupation"]


@extend_schema_view(
    list=extend_schema(summary="Upcoming trial placements and job rotation offers (read by the loopbaan-APK)"),
    retrieve=extend_schema(summary="One trial placement"),
)
class TrialPlacementViewSet(viewsets.ReadOnlyModelViewSet):
    allowed_roles = frozenset({AUTHENTICATED})
    permission_classes = [HasAllowedRole]
    serializer_class = TrialPlacementSerializer
    filterset_class = TrialPlacementFilter
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Event]:
        upcoming = Event.objects.filter(kind__in=PLACEMENT_KINDS, cancelled=False, ends_at__gt=timezone.now())
        return upcoming.select_related("region", "organiser")


# ---------------------------------------------------------------- profiles
class ProfileSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    region = _region_field(required=False, allow_null=True)
    organisation = _organisations(required=False, allow_null=True)
    themes = serializers.ListField(child=serializers.ChoiceField(choices=Theme.choices), required=False)
    sectors = serializers.ListField(child=serializers.ChoiceField(choices=Sector.choices), required=False)
    target_groups = serializers.ListField(child=serializers.ChoiceField(choices=TargetGroup.choices), required=False)
    learning_ambassador = serializers.SerializerMethodField()

    class Meta:
        model = Profile
        fields = [
            "uuid", "name", "findable", "region", "organisation", "works_on", "offers", "seeks", "themes",
            "sectors", "target_groups", "skills", "learning_ambassador", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["uuid", "skills", "updated_at"]

    def get_name(self, profile: Profile) -> str:
        return profile.user.get_full_name() or profile.user.get_username()

    def get_learning_ambassador(self, profile: Profile) -> bool:
        return profile.user.memberships.filter(is_learning_ambassador=True).exists()


@extend_schema_view(
    list=extend_schema(summary="The people who opted in to being findable"),
    retrieve=extend_schema(summary="One findable person's profile"),
)
class ProfileViewSet(viewsets.ReadOnlyModelViewSet):
    allowed_roles = frozenset({AUTHENTICATED})
    permission_classes = [HasAllowedRole]
    serializer_class = ProfileSerializer
    lookup_field = "uuid"
    lookup_value_regex = "[0-9a-f-]{36}"

    def get_queryset(self) -> QuerySet[Profile]:
        # The list shows the findable; one's own card is also readable at its address (and at /me).
        visible = Q(findable=True) if self.action == "list" else Q(findable=True) | Q(user_id=self.request.user.pk)
        return Profile.objects.filter(visible).select_related("user", "region", "organisation").order_by("pk")

    @extend_schema(summary="Initiatives and people working on what this person works on, each explained",
                   responses=MATCHES)  # fmt: skip
    @action(detail=True, methods=["get"])
    def matches(self, request: Request, uuid: str | None = None) -> Response:
        initiatives, people = search.matches_for_profile(self.get_object())
        return Response({"initiatives": _suggestions(initiatives), "people": _suggestions(people)})


class OwnProfileView(APIView):
    """The logged-in person's own profile: read it, or write it (opting in or out of being findable)."""

    allowed_roles = frozenset({AUTHENTICATED})
    permission_classes = [HasAllowedRole]

    @extend_schema(summary="Your own profile", responses=ProfileSerializer)
    def get(self, request: Request) -> Response:
        profile = services.own_profile(user=request.user)
        return Response(ProfileSerializer(profile).data)

    @extend_schema(summary="Write your own profile", request=ProfileSerializer, responses=ProfileSerializer)
    def put(self, request: Request) -> Response:
        serializer = ProfileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        profile = services.save_profile(user=request.user, findable=bool(data.pop("findable", False)), **data)
        return Response(ProfileSerializer(profile).data)


def register(router: Router) -> list[URLPattern]:
    """Register this app's viewsets on `router`; return extra (non-viewset) paths."""
    router.register("initiatives", InitiativeViewSet, basename="initiative")
    router.register("agenda-actions", ActionViewSet, basename="agenda-action")
    router.register("events", EventViewSet, basename="event")
    router.register("trial-placements", TrialPlacementViewSet, basename="trial-placement")
    router.register("hub-profiles", ProfileViewSet, basename="hub-profile")
    return [
        path("hub-profiles/me", OwnProfileView.as_view(), name="hub-profile-me"),
        path("events/<uuid:uuid>/registration", EventRegistrationView.as_view(), name="event-registration"),
    ]
