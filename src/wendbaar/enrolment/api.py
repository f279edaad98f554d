"""The enrolment app's API under /api/v1/: enrolments and the provider's runs, read and written.

A person enrols in a run and cancels their own enrolment (`/enrolments`); provider staff read their own
runs with sessions, plan, move and cancel sessions, record a session's attendance and mark completion or
drop-out (`/provider-runs`). The rules are `enrolment.services`'; this module finds the objects the
requester may reach (another's: 404, an unknown uuid in a body: 400 naming the field) and answers. Every
command is idempotent by its subject: enrolling twice gives the first enrolment back, marks sent again pay
nothing twice, completion, drop-out and cancel sent again return the enrolment as it is, and sessions sent
again are refused as overlapping. Enrolling also takes an idempotency key (`Idempotency-Key` header or body
`key`, `services.enrol_once`), so a client's retry after a cancellation does not enrol again.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import URLPattern
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail, NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from wendbaar.api_conventions import REPLAYED, REPLAYED_HEADER, Router, idempotency_key
from wendbaar.catalogue.models import Run, Status
from wendbaar.enrolment import services
from wendbaar.enrolment.models import (
    ACTIVE,
    COMPLETION_RESULTS,
    DROP_OUT_REASONS,
    Attendance,
    Enrolment,
    EnrolmentStatus,
    FundingLine,
    Outcome,
    Session,
)
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import HasAllowedRole
from wendbaar.regions.roles import organisation_ids

PROVIDERS = frozenset({Role.PROVIDER})


class FundingLineSerializer(serializers.ModelSerializer):
    fund = serializers.CharField(source="fund.name")
    fund_uuid = serializers.UUIDField(source="fund.uuid")

    class Meta:
        model = FundingLine
        fields = ["fund", "fund_uuid", "amount_cents"]
        read_only_fields = fields


class EnrolmentSerializer(serializers.ModelSerializer):
    """An enrolment; `funding` is what the funds pay (reserved), `own_share_cents` what is left for the person."""

    run = serializers.UUIDField(source="run.uuid")
    offering = serializers.CharField(source="run.offering.title_nl")
    person = serializers.CharField(source="person.get_username")
    funding = FundingLineSerializer(many=True)
    credential = serializers.UUIDField(source="credential.uuid", allow_null=True, default=None)
    outcome_label = serializers.CharField(
        source="get_outcome_display", help_text="The outcome (result or reason for stopping) in the reader's language."
    )

    class Meta:
        model = Enrolment
        fields = [
            "uuid", "run", "offering", "person", "status", "price_cents", "funding", "own_share_cents", "outcome",
            "outcome_label", "reason", "result", "credential", "created_at", "ended_at",
        ]  # fmt: skip
        read_only_fields = fields


class EnrolRequestSerializer(serializers.Serializer):
    run = serializers.UUIDField(help_text="The run (cohort) to enrol in, of a published offering.")
    key = serializers.CharField(
        required=False, max_length=200, min_length=1,
        help_text="Idempotency key (or the `Idempotency-Key` header): a replay gets the same enrolment back, also "
        "once cancelled; the same key for another run is refused (`key`, `idempotency_conflict`).",
    )  # fmt: skip


IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="Your key for this request (1 to 200 characters, per person); the body's `key` says the same.",
)  # fmt: skip


def _not_found(field: str, message: str) -> ValidationError:
    return ValidationError({field: [ErrorDetail(message, code="does_not_exist")]})


def _enrolments() -> QuerySet[Enrolment]:
    return Enrolment.objects.select_related("run__offering", "person", "credential").prefetch_related("funding__fund")


@extend_schema_view(
    list=extend_schema(summary="Enrolments: your own, and (provider staff) those in your runs"),
    retrieve=extend_schema(summary="One enrolment (your own, or in a run of yours)"),
    create=extend_schema(
        summary="Enrol in a run (learners): funds reserve their part; a full run puts you on the waiting list",
        description="Enrolling again in the same run gives the first enrolment back (nothing is reserved twice). "
        "On the waiting list nothing is reserved yet, and `own_share_cents` is the whole price until a seat "
        "comes free. With an idempotency key (header `Idempotency-Key` or body `key`) a replay answers 200 "
        "with the same enrolment as it is now (`Idempotent-Replayed: true`), also when it was cancelled: "
        "nothing is enrolled again; send a new key to enrol anew. The key with another run: 400 on `key` "
        "(`idempotency_conflict`).",
        request=EnrolRequestSerializer,
        parameters=[IDEMPOTENCY_HEADER, REPLAYED_HEADER],
        responses={201: EnrolmentSerializer, 200: EnrolmentSerializer},
    ),
)
class EnrolmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Enrolments: a person sees and writes their own; a provider reads those in its own runs."""

    allowed_roles = frozenset({Role.LEARNER, Role.PROVIDER})
    write_roles = frozenset({Role.LEARNER})
    permission_classes = [HasAllowedRole]
    serializer_class = EnrolmentSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Enrolment]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Enrolment.objects.none()
        user = self.request.user
        if self.action == "cancel":  # only the person themselves
            return _enrolments().filter(person_id=user.pk)
        providers = organisation_ids(user, role=Role.PROVIDER)
        return _enrolments().filter(Q(person=user) | Q(run__offering__provider_id__in=providers))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = EnrolRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = Run.objects.filter(uuid=body.validated_data["run"], offering__status=Status.PUBLISHED).first()
        if run is None:
            raise _not_found("run", _("There is no course run with this UUID that you can enrol in."))
        key = idempotency_key(request, body.validated_data.get("key"))
        if key is None:
            enrolment = services.enrol(person=request.user, run=run)
            return Response(self._read(enrolment), status=status.HTTP_201_CREATED)
        enrolled = services.enrol_once(person=request.user, run=run, key=key)
        if enrolled.replayed:
            return Response(self._read(enrolled.enrolment), headers=REPLAYED)
        return Response(self._read(enrolled.enrolment), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel your own enrolment before the course starts (reservation released)",
        request=None,
        responses=EnrolmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, uuid: str | None = None) -> Response:
        enrolment = services.cancel(person=request.user, enrolment=self.get_object())
        return Response(self._read(enrolment))

    def _read(self, enrolment: Enrolment) -> Any:
        return EnrolmentSerializer(_enrolments().get(pk=enrolment.pk)).data


# --- the provider's runs --------------------------------------------------------------------------


class SessionSerializer(serializers.ModelSerializer):
    cancelled = serializers.BooleanField(
        read_only=True, help_text="A cancelled lesson stays listed; it does not take place."
    )

    class Meta:
        model = Session
        fields = ["uuid", "date", "start", "end", "location", "online", "cancelled"]
        read_only_fields = fields


class NewSessionsSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The lesson's date; of a weekly series the first (the weekday follows).")
    start = serializers.TimeField(help_text="Start time, e.g. 19:00.")
    end = serializers.TimeField(help_text="End time, after the start.")
    weeks = serializers.IntegerField(
        min_value=1, max_value=services.MAX_WEEKS, default=1, help_text="1: one lesson; more: one every week."
    )
    location = serializers.CharField(max_length=200, allow_blank=True, default="", help_text="Where, if not online.")
    online = serializers.BooleanField(default=False)


class SessionChangeSerializer(serializers.Serializer):
    """A change to a lesson; what is left out stays as it is."""

    date = serializers.DateField(required=False)
    start = serializers.TimeField(required=False)
    end = serializers.TimeField(required=False)
    location = serializers.CharField(max_length=200, allow_blank=True, required=False)
    online = serializers.BooleanField(required=False)


class ProviderRunSerializer(serializers.ModelSerializer):
    offering = serializers.UUIDField(source="offering.uuid")
    offering_title = serializers.CharField(source="offering.title_nl")
    enrolled = serializers.IntegerField(help_text="Seats taken: enrolled, completed or stopped.")
    waiting = serializers.IntegerField(help_text="People on the waiting list.")
    sessions = SessionSerializer(many=True)

    class Meta:
        model = Run
        fields = [
            "uuid", "offering", "offering_title", "start_date", "end_date", "seats", "location", "enrolled",
            "waiting", "sessions",
        ]  # fmt: skip
        read_only_fields = fields


class AttendanceSerializer(serializers.ModelSerializer):
    session = serializers.UUIDField(source="session.uuid")
    enrolment = serializers.UUIDField(source="enrolment.uuid")

    class Meta:
        model = Attendance
        fields = ["session", "enrolment", "present", "recorded_at"]
        read_only_fields = fields


class MarkSerializer(serializers.Serializer):
    enrolment = serializers.UUIDField()
    present = serializers.BooleanField()


class SessionAttendanceSerializer(serializers.Serializer):
    session = serializers.UUIDField(help_text="A session of this run that has taken place.")
    records = MarkSerializer(many=True, help_text="Who was there; all are recorded or none.")


def _outcomes(values: Any) -> list[tuple[str, Any]]:
    return [(value.value, value.label) for value in values]


class CompletionSerializer(serializers.Serializer):
    enrolment = serializers.UUIDField()
    outcome = serializers.ChoiceField(
        choices=_outcomes(COMPLETION_RESULTS), default=Outcome.PASSED.value, help_text="The result, from the list."
    )
    result = serializers.CharField(max_length=200, allow_blank=True, default="", help_text="E.g. a grade.")


class DropOutSerializer(serializers.Serializer):
    enrolment = serializers.UUIDField()
    outcome = serializers.ChoiceField(
        choices=_outcomes(DROP_OUT_REASONS), help_text="Why the person stopped, from the list."
    )
    reason = serializers.CharField(
        max_length=2000, allow_blank=True, default="", help_text="In your own words; needed for `other`."
    )


@extend_schema_view(
    list=extend_schema(summary="Your school's runs with their sessions and seats taken (provider staff)"),
    retrieve=extend_schema(summary="One run of your school (another school's: 404)"),
)
class ProviderRunViewSet(viewsets.ReadOnlyModelViewSet):
    """A provider's own runs: sessions, attendance, completion and drop-out. Runs are made in the catalogue
    (`POST /api/v1/offerings/{uuid}/runs`)."""

    allowed_roles = PROVIDERS
    write_roles = PROVIDERS
    permission_classes = [HasAllowedRole]
    serializer_class = ProviderRunSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Run]:
        if getattr(self, "swagger_fake_view", False):
            return Run.objects.none()
        providers = organisation_ids(self.request.user, role=Role.PROVIDER)
        return (
            Run.objects.filter(offering__provider_id__in=providers)
            .select_related("offering")
            .prefetch_related("sessions")
            .annotate(
                enrolled=Count("enrolments", filter=Q(enrolments__status__in=ACTIVE)),
                waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
            )
            .order_by("start_date", "id")
        )

    def _marks(self, run: Run, data: dict[str, Any]) -> tuple[Session, list[tuple[Enrolment, bool]]]:
        """Find the session and the enrolments the body names in `run`; every unknown one in one 400."""
        session = Session.objects.filter(run=run, uuid=data["session"]).first()
        wanted = {mark["enrolment"] for mark in data["records"]}
        found = {e.uuid: e for e in Enrolment.objects.filter(run=run, uuid__in=wanted)}
        errors: dict[str, list[ErrorDetail]] = {}
        if session is None:
            message = _("There is no session with this UUID in this course run.")
            errors["session"] = [ErrorDetail(message, code="does_not_exist")]
        for index, mark in enumerate(data["records"]):
            if mark["enrolment"] not in found:
                message = _("There is no enrolment with this UUID in this course run.")
                errors[f"records.{index}.enrolment"] = [ErrorDetail(message, code="does_not_exist")]
        if errors or session is None:
            raise ValidationError(errors)
        return session, [(found[mark["enrolment"]], mark["present"]) for mark in data["records"]]

    @extend_schema(
        summary="Plan a lesson, or a weekly series of lessons, in your run: all are added or none",
        description="Refused, naming the field: an end not after the start (`end`), a date in the past, "
        "before the run starts or on a lesson the run already has (`date`), a series past the run's end "
        "(`weeks`).",
        request=NewSessionsSerializer,
        responses={201: SessionSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], url_path="sessions")
    def sessions(self, request: Request, uuid: str | None = None) -> Response:
        run = self.get_object()
        body = NewSessionsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        added = services.add_sessions(
            run=run, by=request.user, day=data["date"], start=data["start"], end=data["end"], weeks=data["weeks"],
            location=data["location"], online=data["online"],
        )  # fmt: skip
        return Response(SessionSerializer(added, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        summary="Move a lesson or change its times or place (refused once attendance is recorded)",
        description="The rules of planning apply; a lesson with attendance is refused (`session`, "
        "`has_attendance`). The enrolled people see the change at once.",
        request=SessionChangeSerializer,
        responses=SessionSerializer,
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Cancel a lesson: it stays listed as cancelled (refused once attendance is recorded)",
        description="The lesson stays in the run's sessions with `cancelled: true`, so the participants see it "
        "does not take place; it no longer counts for attendance or overlaps. Sent again: 204, nothing changes.",
        request=None,
        responses={204: None},
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"sessions/(?P<session>[0-9a-fA-F-]{36})")
    def session(self, request: Request, uuid: str | None = None, session: str = "") -> Response:
        run = self.get_object()
        lesson = Session.objects.filter(run=run, uuid=session).first()
        if lesson is None:
            raise NotFound(_("There is no session with this UUID in this course run."))
        if request.method == "DELETE":
            services.cancel_session(session=lesson, by=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        body = SessionChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        changed = services.change_session(
            session=lesson, by=request.user, day=data.get("date", lesson.date), start=data.get("start", lesson.start),
            end=data.get("end", lesson.end), location=data.get("location", lesson.location),
            online=data.get("online", lesson.online),
        )  # fmt: skip
        return Response(SessionSerializer(changed).data)

    def _enrolment(self, run: Run, uuid: Any, field: str) -> Enrolment:
        enrolment = Enrolment.objects.filter(run=run, uuid=uuid).first()
        if enrolment is None:
            raise _not_found(field, _("There is no enrolment with this UUID in this course run."))
        return enrolment

    @extend_schema(
        summary="The run's participants: every enrolment with its status (waiting and cancelled too)",
        responses=EnrolmentSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def enrolments(self, request: Request, uuid: str | None = None) -> Response:
        run = self.get_object()
        return Response(EnrolmentSerializer(_enrolments().filter(run=run).order_by("created_at", "id"), many=True).data)

    @extend_schema(
        methods=["GET"], summary="The run's attendance: one record per session and person", request=None,
        responses=AttendanceSerializer(many=True),
    )  # fmt: skip
    @extend_schema(
        methods=["POST"],
        summary="Record a session's attendance (all marks or none); the start and attendance parts are paid",
        description="Sending the same marks again changes and pays nothing. Refused: a session in the future "
        "(`session`), someone not enrolled in this run (`records.<i>.enrolment`).",
        request=SessionAttendanceSerializer,
        responses=AttendanceSerializer(many=True),
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def attendance(self, request: Request, uuid: str | None = None) -> Response:
        run = self.get_object()
        if request.method == "POST":
            body = SessionAttendanceSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            session, marks = self._marks(run, body.validated_data)
            services.record_session_attendance(staff=request.user, session=session, marks=marks)
            records = Attendance.objects.filter(session=session)
        else:
            records = Attendance.objects.filter(session__run=run)
        records = records.select_related("session", "enrolment").order_by("session__date", "session__start", "id")
        return Response(AttendanceSerializer(records, many=True).data)

    @extend_schema(
        summary="Mark an enrolment completed: the rest is paid and a credential goes into the person's passport",
        description="`outcome` is the result from the list (default `passed`); `result` free, e.g. a grade. Refused "
        "below the attendance a fund asks (`attendance`) or when the person is not enrolled (`enrolment`). Sent "
        "again: the completed enrolment, nothing paid or issued twice.",
        request=CompletionSerializer,
        responses=EnrolmentSerializer,
    )
    @action(detail=True, methods=["post"], url_path="completions")
    def completions(self, request: Request, uuid: str | None = None) -> Response:
        run = self.get_object()
        body = CompletionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        enrolment = self._enrolment(run, body.validated_data["enrolment"], "enrolment")
        data = body.validated_data
        done = services.complete(
            staff=request.user, enrolment=enrolment, result=data["result"], outcome=data["outcome"]
        )
        return Response(EnrolmentSerializer(_enrolments().get(pk=done.pk)).data)

    @extend_schema(
        summary="Mark that a person stopped, with a reason from the list: what was not paid goes back to the learning "
        "account",
        description="`outcome` is one of the reasons for stopping; `reason` your own words (needed for `other`: "
        "`reason` `no_reason`). Sent again: the enrolment as it is, nothing released twice.",
        request=DropOutSerializer,
        responses=EnrolmentSerializer,
    )
    @action(detail=True, methods=["post"], url_path="drop-outs")
    def drop_outs(self, request: Request, uuid: str | None = None) -> Response:
        run = self.get_object()
        body = DropOutSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        enrolment = self._enrolment(run, body.validated_data["enrolment"], "enrolment")
        data = body.validated_data
        stopped = services.drop_out(staff=request.user, enrolment=enrolment, outcome=data["outcome"],
                                    reason=data["reason"])  # fmt: skip
        return Response(EnrolmentSerializer(_enrolments().get(pk=stopped.pk)).data)


def register(router: Router) -> list[URLPattern]:
    """Register this app's viewsets on `router`; return extra (non-viewset) paths."""
    router.register("enrolments", EnrolmentViewSet, basename="enrolment")
    router.register("provider-runs", ProviderRunViewSet, basename="provider-run")
    return []
