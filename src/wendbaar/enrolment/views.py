"""Pages of the enrolment app: a person's own courses with their lessons; the provider's runs, one run with
attendance and payments, the CSV export."""

from __future__ import annotations

import csv
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView, View

from wendbaar.catalogue.models import Run
from wendbaar.enrolment import services
from wendbaar.enrolment.forms import SeriesForm, SessionForm
from wendbaar.enrolment.models import (
    ACTIVE,
    COMPLETION_RESULTS,
    DROP_OUT_REASONS,
    Attendance,
    Enrolment,
    EnrolmentStatus,
    Session,
)
from wendbaar.funding import queries
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import RoleRequiredMixin
from wendbaar.regions.roles import organisation_ids

PROVIDER_ROLES = frozenset({Role.PROVIDER})


class MyEnrolmentsView(RoleRequiredMixin, TemplateView):
    """Mijn opleidingen: the person's own enrolments, each with the lessons of its run (cancelled ones marked)."""

    allowed_roles = frozenset({Role.LEARNER})
    template_name = "enrolment/mine.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["enrolments"] = (
            Enrolment.objects.filter(person_id=self.request.user.pk)  # only the own enrolments
            .select_related("run__offering__provider")
            .prefetch_related("run__sessions")
            .order_by("-run__start_date", "-created_at")
        )
        return context


def _own_runs(request: HttpRequest) -> Any:
    return Run.objects.filter(offering__provider_id__in=organisation_ids(request.user, role=Role.PROVIDER))


def _own_run(request: HttpRequest, uuid: Any) -> Run:
    run = get_object_or_404(Run.objects.select_related("offering__provider"), uuid=uuid)
    if run.offering.provider_id not in organisation_ids(request.user, role=Role.PROVIDER):
        raise Http404  # another provider's run does not exist for you
    return run


class ProviderRunsView(RoleRequiredMixin, TemplateView):
    allowed_roles = PROVIDER_ROLES
    template_name = "enrolment/runs.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["runs"] = (
            _own_runs(self.request)
            .select_related("offering")
            .annotate(
                enrolled=Count("enrolments", filter=Q(enrolments__status__in=ACTIVE)),
                waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
            )
        )
        ids = organisation_ids(self.request.user, role=Role.PROVIDER)
        context["payments"] = queries.provider_payments(ids)[:50]
        return context


class RunView(RoleRequiredMixin, View):
    """One run: its lessons (planned, changed and cancelled here), participants, attendance per session and payments."""

    allowed_roles = PROVIDER_ROLES

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        run = _own_run(request, uuid)
        change = None
        if request.GET.get("change"):
            lesson = get_object_or_404(Session, uuid=request.GET["change"], run=run)
            initial = {f: getattr(lesson, f) for f in ("date", "start", "end", "location", "online")}
            change = (lesson, SessionForm(prefix="change", initial=initial))
        return self._render(request, run, change=change)

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        run = _own_run(request, uuid)
        if request.POST.get("action") in ("add_sessions", "change_session", "cancel_session"):
            return self._plan(request, run, request.POST["action"])
        session = get_object_or_404(Session, uuid=request.POST.get("session"), run=run)
        enrolment = get_object_or_404(Enrolment, uuid=request.POST.get("enrolment"), run=run)
        action = request.POST.get("action", "present")
        try:
            if action in ("present", "absent"):
                services.record_attendance(staff=request.user, session=session, enrolment=enrolment,
                                           present=action == "present")  # fmt: skip
            elif action == "complete":
                services.complete(staff=request.user, enrolment=enrolment, outcome=request.POST.get("outcome", ""))
            elif action == "drop_out":
                services.drop_out(staff=request.user, enrolment=enrolment, outcome=request.POST.get("outcome", ""),
                                  reason=request.POST.get("reason", ""))  # fmt: skip
        except ValidationError as error:
            return self._render(request, run, errors=[m for ms in error.message_dict.values() for m in ms], status=400)
        except PermissionDenied:
            raise
        return redirect("enrolment:run", uuid=run.uuid)

    def _plan(self, request: HttpRequest, run: Run, action: str) -> HttpResponse:
        """Plan, change or cancel lessons; a refusal shows the form again with the errors next to the fields."""
        if action == "add_sessions":
            form: SessionForm = SeriesForm(request.POST, prefix="new")
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.add_sessions(run=run, by=request.user, day=data["date"], start=data["start"],
                                          end=data["end"], weeks=data["weeks"], location=data["location"],
                                          online=data["online"])  # fmt: skip
                    return redirect("enrolment:run", uuid=run.uuid)
                except ValidationError as error:
                    form.show(error)
            return self._render(request, run, new_form=form, status=400)
        lesson = get_object_or_404(Session, uuid=request.POST.get("session"), run=run)
        try:
            if action == "cancel_session":
                services.cancel_session(session=lesson, by=request.user)
                return redirect("enrolment:run", uuid=run.uuid)
            form = SessionForm(request.POST, prefix="change")
            if form.is_valid():
                data = form.cleaned_data
                services.change_session(session=lesson, by=request.user, day=data["date"], start=data["start"],
                                        end=data["end"], location=data["location"], online=data["online"])  # fmt: skip
                return redirect("enrolment:run", uuid=run.uuid)
        except ValidationError as error:
            if action == "cancel_session":
                return self._render(request, run, errors=[m for ms in error.message_dict.values() for m in ms],
                                    status=400)  # fmt: skip
            form.show(error)
        return self._render(request, run, change=(lesson, form), status=400)

    def _render(
        self, request: HttpRequest, run: Run, errors: list[str] | None = None, status: int = 200,
        new_form: SessionForm | None = None, change: tuple[Session, SessionForm] | None = None,
    ) -> HttpResponse:  # fmt: skip
        from django.shortcuts import render

        sessions = list(Session.objects.filter(run=run))
        enrolments = list(
            Enrolment.objects.filter(run=run).exclude(status=EnrolmentStatus.CANCELLED).select_related("person")
        )
        present = set(
            Attendance.objects.filter(session__run=run, present=True).values_list("session_id", "enrolment_id")
        )
        held = [s for s in sessions if not s.cancelled]  # a cancelled lesson has no attendance column
        rows = [{"enrolment": e, "cells": [(s, (s.pk, e.pk) in present) for s in held]} for e in enrolments]
        references = [f"enrolment:{e.uuid}" for e in enrolments]
        payments = queries.provider_payments(frozenset({run.offering.provider_id})).filter(
            transaction__reservation__reference__in=references
        )
        with_attendance = set(Attendance.objects.filter(session__run=run).values_list("session_id", flat=True))
        context = {
            "run": run, "sessions": sessions, "held": held, "rows": rows, "payments": payments, "errors": errors or [],
            "new_form": new_form or SeriesForm(prefix="new"), "change": change, "with_attendance": with_attendance,
            "results": COMPLETION_RESULTS, "reasons": DROP_OUT_REASONS,
        }  # fmt: skip
        return render(request, "enrolment/run.html", context, status=status)


class RunExportView(RoleRequiredMixin, View):
    """The run's participants as CSV, for the provider's own administration."""

    allowed_roles = PROVIDER_ROLES

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        run = _own_run(request, uuid)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="inschrijvingen-{run.uuid}.csv"'
        writer = csv.writer(response)
        writer.writerow([
            "enrolment", "person", "status", "price_cents", "own_share_cents", "attended", "outcome", "reason", "result"
        ])  # fmt: skip
        for e in Enrolment.objects.filter(run=run).select_related("person"):
            attended = Attendance.objects.filter(enrolment=e, present=True).count()
            writer.writerow([e.uuid, e.person.get_username(), e.status, e.price_cents, e.own_share_cents, attended,
                             e.outcome, e.reason, e.result])  # fmt: skip
        return response
