"""API of the skills language: occupations, skills, suggestions, regional labels and regional skills.

Reads are public: ESCO is public EU data. Writes (regional labels, regional skills) need a coordinator
or admin. Concepts are addressed by their `uuid`; `?uri=` on the lists finds one by its ESCO URI.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wendbaar.api_conventions import Router
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import ANYONE, HasAllowedRole
from wendbaar.skills import search, services
from wendbaar.skills.models import Concept, Kind, Label, LabelKind, LabelSource, OccupationSkill, SkillType

WRITE_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})
LANGS = ("nl", "en")


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "nl")
    if lang not in LANGS:
        raise serializers.ValidationError({"lang": [_("Use one of %(choices)s.") % {"choices": ", ".join(LANGS)}]})
    return lang


class LabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Label
        fields = ["uuid", "language", "kind", "text", "source"]


class ConceptSummarySerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()  # type: ignore[assignment]  # drf-stubs read the field name as Field's attribute of that name
    label_language = serializers.SerializerMethodField()

    class Meta:
        model = Concept
        fields = ["uuid", "uri", "kind", "label", "label_language", "is_esco", "status"]

    def _pref(self, obj: Concept) -> tuple[str, str]:
        return obj.preferred_label(self.context.get("lang", "nl"))

    def get_label(self, obj: Concept) -> str:
        return self._pref(obj)[0]

    def get_label_language(self, obj: Concept) -> str:
        return self._pref(obj)[1]


class ConceptDetailSerializer(ConceptSummarySerializer):
    labels = LabelSerializer(many=True, read_only=True)
    descriptions = serializers.SerializerMethodField()
    isco_group = serializers.SerializerMethodField()
    replaced_by = serializers.SlugRelatedField(slug_field="uri", read_only=True, allow_null=True)  # type: ignore[var-annotated]

    class Meta(ConceptSummarySerializer.Meta):
        fields = [
            *ConceptSummarySerializer.Meta.fields,
            "code",
            "skill_type",
            "reuse_level",
            "version",
            "labels",
            "descriptions",
            "isco_group",
            "replaced_by",
        ]

    def get_descriptions(self, obj: Concept) -> dict[str, str]:
        return {d.language: d.text for d in obj.descriptions.all()}

    def get_isco_group(self, obj: Concept) -> dict[str, Any] | None:
        group = obj.isco_group if obj.isco_group_id is not None else None
        if group is None:
            return None
        return {"uri": group.uri, "code": group.code}


class RelatedConceptSerializer(serializers.Serializer):
    relation = serializers.CharField()
    concept = ConceptSummarySerializer()


def _summaries(uris: list[str], *, kind: str, lang: str) -> dict[str, dict[str, Any]]:
    """Return ConceptSummarySerializer's fields by URI in one query, without model instances (search is hot)."""
    rows = (
        Concept.objects.filter(kind=kind, uri__in=uris, labels__kind=LabelKind.PREFERRED)
        .order_by("labels__id")
        .values_list("uuid", "uri", "kind", "is_esco", "status", "labels__language", "labels__text")
    )
    out: dict[str, dict[str, Any]] = {}
    preferred: dict[str, dict[str, str]] = defaultdict(dict)
    for uuid, uri, concept_kind, is_esco, concept_status, language, text in rows:
        preferred[uri].setdefault(language, text)
        out[uri] = {"uuid": str(uuid), "uri": uri, "kind": concept_kind, "is_esco": is_esco, "status": concept_status}
    for uri, item in out.items():
        texts = preferred[uri]
        label_lang = next(x for x in (lang, "en", *sorted(texts)) if x in texts)
        item.update(label=texts[label_lang], label_language=label_lang)
    return out


class ConceptViewSet(viewsets.ReadOnlyModelViewSet):
    """Shared list/detail: `?q=` searches (ranked), `?uri=` finds one concept, `?lang=nl|en` picks labels."""

    allowed_roles = frozenset({ANYONE})
    permission_classes = [HasAllowedRole]
    lookup_field = "uuid"
    kind = Kind.OCCUPATION

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "lang": _lang(self.request)}

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return ConceptDetailSerializer if self.action == "retrieve" else ConceptSummarySerializer

    def get_queryset(self) -> QuerySet[Concept]:
        qs = Concept.objects.filter(kind=self.kind)
        if self.action == "retrieve":
            return (
                services.with_labels(qs, all_labels=True)
                .prefetch_related("descriptions")
                .select_related("isco_group", "replaced_by")
            )
        return services.with_labels(qs).order_by("uri")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _lang(request)
        uri = request.query_params.get("uri")
        query = request.query_params.get("q", "").strip()
        if query and not uri:
            hits, layer = search.search_with_layer(query, kind=self.kind, k=50)
            page = self.paginate_queryset(hits)  # type: ignore[arg-type]
            rows = _summaries([h.uri for h in page or ()], kind=self.kind, lang=_lang(request))
            found = [h for h in page or () if h.uri in rows]
            # found_by: the engine layer that ranked the hit ("semantic": by meaning; "lexical": by words).
            data = [
                {**rows[h.uri], "score": round(h.score, 4), "matched_label": h.label, "found_by": layer} for h in found
            ]
            return self.get_paginated_response(data)
        qs = self.get_queryset()  # built only here: cloning querysets costs more than a search's own query
        if uri:
            qs = qs.filter(uri=uri)
        page = self.paginate_queryset(qs)  # type: ignore[arg-type]  # the viewset's search hits or its concepts
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class OccupationSkillsSerializer(serializers.Serializer):
    essential = RelatedConceptSerializer(many=True)
    optional = RelatedConceptSerializer(many=True)


class OccupationViewSet(ConceptViewSet):
    kind = Kind.OCCUPATION

    @extend_schema(responses=OccupationSkillsSerializer, parameters=[])
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def skills(self, request: Request, uuid: str) -> Response:
        """The occupation's essential and optional skills."""
        occupation = get_object_or_404(Concept, uuid=uuid, kind=Kind.OCCUPATION)
        relations = (
            OccupationSkill.objects.filter(occupation=occupation)
            .select_related("skill")
            .prefetch_related(services.preferred_labels("skill__labels"))
        )
        context = self.get_serializer_context()
        data = [
            {"relation": r.relation, "concept": ConceptSummarySerializer(r.skill, context=context).data}
            for r in sorted(relations, key=lambda r: (r.relation, r.skill.uri))
        ]
        return Response(
            {
                "essential": [d for d in data if d["relation"] == "essential"],
                "optional": [d for d in data if d["relation"] == "optional"],
            }
        )


class SkillCreateSerializer(serializers.Serializer):
    label_nl = serializers.CharField(max_length=400)
    label_en = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    skill_type = serializers.ChoiceField(choices=[SkillType.SKILL, SkillType.KNOWLEDGE], default=SkillType.SKILL)


class SkillViewSet(mixins.CreateModelMixin, ConceptViewSet):
    """Skills; POST creates a regional skill (not ESCO) — coordinators and admins."""

    kind = Kind.SKILL
    write_roles = WRITE_ROLES

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "create":
            return SkillCreateSerializer
        return super().get_serializer_class()

    @extend_schema(request=SkillCreateSerializer, responses={201: ConceptDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = SkillCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        concept = services.create_regional_skill(**serializer.validated_data, created_by=request.user)
        concept = services.with_labels(Concept.objects.filter(pk=concept.pk), all_labels=True).get()
        data = ConceptDetailSerializer(concept, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=RelatedConceptSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def occupations(self, request: Request, uuid: str) -> Response:
        """The occupations that need this skill."""
        skill = get_object_or_404(Concept, uuid=uuid, kind=Kind.SKILL)
        relations = (
            OccupationSkill.objects.filter(skill=skill)
            .select_related("occupation")
            .prefetch_related(services.preferred_labels("occupation__labels"))
        )
        context = self.get_serializer_context()
        return Response(
            [
                {"relation": r.relation, "concept": ConceptSummarySerializer(r.occupation, context=context).data}
                for r in sorted(relations, key=lambda r: (r.relation, r.occupation.uri))
            ]
        )


class RegionalLabelSerializer(serializers.ModelSerializer):
    concept = serializers.SlugRelatedField(slug_field="uuid", queryset=Concept.objects.all())
    language = serializers.ChoiceField(choices=LANGS)

    class Meta:
        model = Label
        fields = ["uuid", "concept", "language", "text"]


class RegionalLabelViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Synonyms added by coordinators; ESCO imports keep them. Public read, coordinator/admin write."""

    allowed_roles = frozenset({ANYONE})
    write_roles = WRITE_ROLES
    permission_classes = [HasAllowedRole]
    serializer_class = RegionalLabelSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Label]:
        qs = Label.objects.filter(source=LabelSource.REGIONAL, kind="regional").select_related("concept").order_by("id")
        concept = self.request.query_params.get("concept")
        return qs.filter(concept__uuid=concept) if concept else qs

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data  # type: ignore[attr-defined]
        serializer.instance = services.add_regional_label(
            concept=data["concept"],
            text=data["text"],
            language=data["language"],
            region=services.label_region_of(self.request.user),
        )

    def perform_destroy(self, instance: Label) -> None:
        try:
            services.delete_regional_label(label=instance, user=self.request.user)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc


class SuggestionSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    uri = serializers.URLField()
    kind = serializers.ChoiceField(choices=[Kind.OCCUPATION, Kind.SKILL])
    label = serializers.CharField(help_text="The label that matched the prefix.")  # type: ignore[assignment]


class SuggestionsView(APIView):
    """Autocomplete: `GET /api/v1/suggestions?q=heftr&kind=occupation` — label prefixes, then fuzzy matches."""

    allowed_roles = frozenset({ANYONE})
    permission_classes = [HasAllowedRole]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="What the person has typed so far."),
            OpenApiParameter("kind", str, enum=[Kind.OCCUPATION, Kind.SKILL], description="Only this kind."),
        ],
        responses=SuggestionSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        kind = request.query_params.get("kind") or None
        if kind not in (None, Kind.OCCUPATION, Kind.SKILL):
            raise serializers.ValidationError({"kind": [_("Use occupation or skill.")]})
        hits = search.autocomplete(request.query_params.get("q", ""), kind=kind, k=10)
        uuids = dict(Concept.objects.filter(uri__in=[h.uri for h in hits]).values_list("uri", "uuid"))
        return Response(
            [
                {"uuid": str(uuids[h.uri]), "uri": h.uri, "kind": h.kind, "label": h.label}
                for h in hits
                if h.uri in uuids
            ]
        )


def register(router: Router) -> list:
    """Register this app's viewsets; return extra URL patterns."""
    router.register("occupations", OccupationViewSet, basename="occupation")
    router.register("skills", SkillViewSet, basename="skill")
    router.register("regional-labels", RegionalLabelViewSet, basename="regional-label")
    return [path("suggestions", SuggestionsView.as_view(), name="skill-suggestions")]
