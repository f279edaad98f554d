"""API of the radar pipeline: ingest runs (list, read, upload files to start one)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from wendbaar.api_conventions import Router
from wendbaar.radar import services
from wendbaar.radar.ingest import uploads
from wendbaar.radar.models import Run
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import HasAllowedRole

PIPELINE_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})


class RunSerializer(serializers.ModelSerializer):
    class Meta:
        model = Run
        fields = [
            "uuid", "kind", "status", "source", "file_names", "skip_invalid", "started_at", "finished_at",
            "read", "accepted", "duplicates", "rejected", "enriched", "errors", "engine_version",
            "taxonomy_version", "executor",
        ]  # fmt: skip
        read_only_fields = fields


class UploadSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(), allow_empty=False, help_text="CSV, JSON Lines, JSON-LD or HTML files"
    )
    source = serializers.CharField(required=False, allow_blank=True, max_length=100)
    skip_invalid = serializers.BooleanField(required=False, default=False)


class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Ingest and enrichment runs. POST uploads vacancy files as a new ingest run."""

    allowed_roles = PIPELINE_ROLES
    write_roles = PIPELINE_ROLES
    permission_classes = [HasAllowedRole]
    queryset = Run.objects.all()
    serializer_class = RunSerializer
    lookup_field = "uuid"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: RunSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        upload = UploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        with uploads.saved(data["files"]) as (paths, names):
            try:
                run = services.ingest_files(
                    files=paths,
                    names=names,
                    source=data.get("source") or None,
                    skip_invalid=data["skip_invalid"],
                    user=request.user,
                )
            except services.IngestRefused as exc:
                # Every error in one 400, each naming file, line and field; nothing was stored.
                raise serializers.ValidationError({"files": [str(e) for e in exc.errors]}) from exc
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)


def register(router: Router) -> list:
    """Register the pipeline's viewsets; return extra URL patterns."""
    router.register("radar-runs", RunViewSet, basename="radar-run")
    return []
