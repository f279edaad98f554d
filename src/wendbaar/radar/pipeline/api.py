"""API of the radar pipeline: ingest runs (list, read, upload files to queue one, retry a failed or stalled one)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from wendbaar.api_conventions import Router
from wendbaar.radar.ingest.records import translated_errors
from wendbaar.radar.models import Run
from wendbaar.radar.pipeline import runs, services
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import HasAllowedRole

PIPELINE_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})


class RunSerializer(serializers.ModelSerializer):
    stalled = serializers.SerializerMethodField(
        help_text="The run is `running` but its worker gave no sign of life (`heartbeat_at`) for longer than "
        "WENDBAAR_RADAR_RUN_STALE_AFTER seconds: it probably died. Retry it with POST …/retry."
    )

    class Meta:
        model = Run
        fields = [
            "uuid", "kind", "status", "stalled", "source", "file_names", "skip_invalid", "enrich", "started_at",
            "heartbeat_at", "finished_at", "attempts", "read", "accepted", "duplicates", "rejected", "enriched",
            "errors", "failure", "engine_version", "taxonomy_version", "executor",
        ]  # fmt: skip
        read_only_fields = fields

    def get_stalled(self, run: Run) -> bool:
        return runs.is_stalled(run)

    def to_representation(self, instance: Run) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["errors"] = translated_errors(instance.errors)  # in the request's language
        return data


class RunNotRetryable(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "run_not_retryable"
    default_detail = gettext_lazy("This run cannot be retried.")


class UploadSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(), allow_empty=False, help_text="CSV, JSON Lines, JSON-LD or HTML files"
    )
    source = serializers.CharField(required=False, allow_blank=True, max_length=100)  # type: ignore[assignment]
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

    def get_queryset(self) -> Any:
        # Another region's runs answer 404, in the list and one by one (retry included).
        return runs.runs_visible_to(self.request.user)

    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses={202: RunSerializer},
        description="Upload vacancy files. The run is queued (202) and read and enriched in the background; "
        "GET the run until its status is succeeded, refused (every error in `errors`) or failed (`failure`).",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        upload = UploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        run = services.queue_upload(
            uploads=data["files"],
            source=data.get("source") or None,
            skip_invalid=data["skip_invalid"],
            user=request.user,
        )
        location = reverse("radar-run-detail", kwargs={"uuid": run.uuid}, request=request)
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})

    @extend_schema(
        request=None,
        responses={
            202: RunSerializer,
            409: OpenApiResponse(
                description="The run succeeded, was refused, is queued or still running "
                "(not stalled), or its files were not kept (application/problem+json)."
            ),
        },  # fmt: skip
        description="Queue a failed or stalled upload again with the files kept from its upload (same run, "
        "`attempts` + 1). What an earlier attempt stored is not stored or counted twice.",
    )
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, uuid: str | None = None) -> Response:
        try:
            run = services.retry_run(self.get_object())
        except services.RetryRefused as exc:
            raise RunNotRetryable(str(exc.message)) from exc
        location = reverse("radar-run-detail", kwargs={"uuid": run.uuid}, request=request)
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


def register(router: Router) -> list:
    """Register the pipeline's viewsets; return extra URL patterns."""
    router.register("radar-runs", RunViewSet, basename="radar-run")
    return []
