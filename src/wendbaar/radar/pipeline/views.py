"""Pages of the radar pipeline: upload vacancy files, see runs and their rejected rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from wendbaar.radar.ingest import supported_suffixes
from wendbaar.radar.ingest.records import translated_errors
from wendbaar.radar.pipeline import runs, services
from wendbaar.radar.pipeline.api import PIPELINE_ROLES
from wendbaar.regions.permissions import RoleRequiredMixin


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(d, initial) for d in data]
        if isinstance(data, list | tuple):
            data = None  # no file chosen: the required check below says so
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(  # type: ignore[assignment]  # the stubs read it as BaseForm.files
        label=gettext_lazy("Vacancy files"),
        help_text=gettext_lazy("CSV, JSON Lines, JSON-LD or HTML pages with job postings."),
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Where the vacancies come from, for rows that do not say so themselves."),
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Store the good rows and set the wrong rows aside"),
        required=False,
        help_text=gettext_lazy("Without this, a file with one wrong row is not stored at all."),
    )


class IngestView(RoleRequiredMixin, View):
    allowed_roles = PIPELINE_ROLES
    template_name = "radar/ingest_upload.html"

    def _render(self, request: HttpRequest, form: UploadForm) -> HttpResponse:
        visible = runs.runs_visible_to(request.user)[:20]
        context = {"form": form, "runs": visible, "suffixes": ", ".join(supported_suffixes())}
        return render(request, self.template_name, context, status=400 if form.errors else 200)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, UploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form)
        run = services.queue_upload(
            uploads=form.cleaned_data["files"],
            source=form.cleaned_data["source"] or None,
            skip_invalid=form.cleaned_data["skip_invalid"],
            user=request.user,
        )
        messages.success(request, _("The files have been received. They are read and enriched in the background."))
        return redirect("radar:run", uuid=run.uuid)


class RunView(RoleRequiredMixin, View):
    """A run's counts and errors; POST retries a failed or stalled run (the same roles that upload)."""

    allowed_roles = PIPELINE_ROLES

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        run = get_object_or_404(runs.runs_visible_to(request.user), uuid=uuid)
        context = {
            "run": run,
            "stalled": runs.is_stalled(run),
            "can_retry": services.retry_refusal(run) is None,
            "stale_minutes": round(runs.stale_after().total_seconds() / 60),
            "errors": translated_errors(run.errors),
            "wrong_rows": len({(error.get("file"), error.get("line")) for error in run.errors if error.get("line")}),
        }
        return render(request, "radar/run_detail.html", context)

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        run = get_object_or_404(runs.runs_visible_to(request.user), uuid=uuid)
        try:
            services.retry_run(run)
        except services.RetryRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The run has been queued again. The files are read and enriched again "
                                        "in the background; nothing is counted twice."))  # fmt: skip
        return redirect("radar:run", uuid=run.uuid)


class RejectsView(RoleRequiredMixin, View):
    allowed_roles = PIPELINE_ROLES

    def get(self, request: HttpRequest, uuid: str) -> FileResponse:
        run = get_object_or_404(runs.runs_visible_to(request.user), uuid=uuid)
        path = Path(run.rejects_file) if run.rejects_file else None
        if path is None or not path.is_file():
            raise Http404
        return FileResponse(open(path, "rb"), as_attachment=True, filename=f"rejects-{run.uuid}.csv")
