"""Pages of the catalogue under /aanbod/: search (anyone), offering pages (anyone), provider pages (their staff).

Views only translate HTTP to `catalogue.services` / `catalogue.search` and back; a service's
`PermissionDenied` becomes a 403 and its field errors land on the form fields.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from wendbaar.catalogue import gaps, jsonld, search, services
from wendbaar.catalogue.forms import FirstRunForm, OfferingForm, RunForm, SearchForm, add_service_errors
from wendbaar.catalogue.models import Offering, OfferingSkill, Run, Status
from wendbaar.regions.constants import LABOUR_MARKET_REGIONS, Role
from wendbaar.regions.models import Organisation
from wendbaar.regions.permissions import ANYONE, RoleRequiredMixin
from wendbaar.skills.services import preferred_labels

STAFF_ROLES = frozenset({Role.PROVIDER, Role.ADMIN})


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


class SearchView(RoleRequiredMixin, TemplateView):
    """Find offerings by what you want to learn, where and when."""

    allowed_roles = frozenset({ANYONE})
    template_name = "catalogue/search.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        form = SearchForm(params or None, regions=list(LABOUR_MARKET_REGIONS))
        result = None
        errors: dict[str, list[str]] = {}
        searched = bool(params)
        if searched and form.is_valid():
            query, errors = search.query_from_params(params)
            query.lang = _lang() if not query.text else query.lang
            if not errors:
                try:
                    result = search.search(query)
                except ValidationError as exc:
                    errors = exc.message_dict
            for name, messages_ in errors.items():
                field = {"skill": None, "time": "time", "max_price": "max_price"}.get(name, name)
                for message in messages_:
                    form.add_error(field if field in form.fields else None, message)
        elif not searched:
            query, _errors = search.query_from_params(params)
            query.lang = _lang()
            result = search.search(query)
        context.update(form=form, result=result, searched=searched, lang=_lang())
        return context


def _visible(offering: Offering, request: HttpRequest) -> bool:
    return offering.status == Status.PUBLISHED or services.can_manage(request.user, offering.provider)


class OfferingView(RoleRequiredMixin, TemplateView):
    """One offering: what you learn (skills), runs, price, and schema.org Course JSON-LD."""

    allowed_roles = frozenset({ANYONE})
    template_name = "catalogue/offering.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        offering = get_object_or_404(
            Offering.objects.select_related("provider", "municipality", "region", "crebo").prefetch_related(
                "runs", "skills__skill__labels"
            ),
            uuid=kwargs["uuid"],
        )
        if not _visible(offering, self.request):
            raise Http404
        lang = _lang()
        outcomes = [
            {"outcome": o, "label": o.skill.preferred_label(lang)[0]} for o in offering.skills.all() if not o.removed
        ]
        url = self.request.build_absolute_uri(reverse("catalogue:offering", args=[offering.uuid]))
        context.update(
            offering=offering,
            title=offering.title(lang),
            description=offering.description(lang),
            outcomes=outcomes,
            runs=list(offering.runs.all()),
            price=offering.price_cents / 100,
            can_manage=services.can_manage(self.request.user, offering.provider),
            # Escaped for a <script type="application/ld+json"> data block (not executed; CSP allows it).
            json_ld=json.dumps(jsonld.course(offering, url=url, lang=lang), ensure_ascii=False)
            .replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("&", "\\u0026"),
        )
        return context


def _provider_from(request: HttpRequest) -> tuple[Organisation | None, list[Organisation]]:
    providers = services.managed_providers(request.user)
    chosen = request.GET.get("provider") or request.POST.get("provider")
    for provider in providers:
        if chosen and str(provider.uuid) == chosen:
            return provider, providers
    return (providers[0] if providers else None), providers


class ProviderHomeView(RoleRequiredMixin, TemplateView):
    """A provider's offer: its offerings and runs, and the radar's rising skills it does not teach yet."""

    allowed_roles = STAFF_ROLES
    template_name = "catalogue/provider.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        provider, providers = _provider_from(self.request)
        offerings = []
        gap_rows: list[gaps.Gap] = []
        if provider is not None:
            offerings = list(
                Offering.objects.filter(provider=provider).prefetch_related("runs").order_by("title_nl", "id")
            )
            try:
                gap_rows = gaps.rising_gaps(provider=provider)
            except Exception:  # noqa: BLE001 - the radar store may be absent or mid-publish; the page still works
                gap_rows = []
        context.update(provider=provider, providers=providers, offerings=offerings, gaps=gap_rows)
        return context


class OfferingCreateView(RoleRequiredMixin, View):
    """Create an offering with its first run; the engine proposes its skills afterwards."""

    allowed_roles = STAFF_ROLES
    template_name = "catalogue/offering_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        provider, providers = _provider_from(request)
        if provider is None:
            raise PermissionDenied
        return self._render(request, provider, providers, OfferingForm(), FirstRunForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        provider, providers = _provider_from(request)
        if provider is None:
            raise PermissionDenied
        form, run_form = OfferingForm(request.POST), FirstRunForm(request.POST)
        if form.is_valid() and run_form.is_valid():
            runs = [run_form.cleaned_data] if run_form.has_run() else []
            try:
                offering = services.create_offering(
                    provider=provider, data=form.service_data(), runs=runs, by=request.user
                )
            except ValidationError as exc:
                add_service_errors(exc, {"": form, "run": run_form})
            else:
                messages.success(request, _("The offering is saved. Check the skills we found."))
                return HttpResponseRedirect(reverse("catalogue:offering-edit", args=[offering.uuid]))
        return self._render(request, provider, providers, form, run_form, status=400)

    def _render(
        self,
        request: HttpRequest,
        provider: Organisation,
        providers: list[Organisation],
        form: OfferingForm,
        run_form: RunForm,
        status: int = 200,
    ) -> HttpResponse:
        context = {"form": form, "run_form": run_form, "provider": provider, "providers": providers, "offering": None}
        return render(request, self.template_name, context, status=status)


def _managed_offering(request: HttpRequest, uuid: Any) -> Offering:
    offering = get_object_or_404(Offering.objects.select_related("provider", "municipality"), uuid=uuid)
    if not services.can_manage(request.user, offering.provider):
        raise PermissionDenied
    return offering


class OfferingEditView(RoleRequiredMixin, View):
    """Edit an offering; check the proposed skills; see and change its runs."""

    allowed_roles = STAFF_ROLES
    template_name = "catalogue/offering_form.html"

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        offering = _managed_offering(request, uuid)
        return self._render(request, offering, OfferingForm(initial=OfferingForm.initial_of(offering)))

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        offering = _managed_offering(request, uuid)
        form = OfferingForm(request.POST)
        if form.is_valid():
            try:
                services.update_offering(offering=offering, data=form.service_data(), by=request.user)
            except ValidationError as exc:
                add_service_errors(exc, {"": form})
            else:
                messages.success(request, _("The offering is saved."))
                return HttpResponseRedirect(reverse("catalogue:offering-edit", args=[offering.uuid]))
        return self._render(request, offering, form, status=400)

    def _render(self, request: HttpRequest, offering: Offering, form: OfferingForm, status: int = 200) -> HttpResponse:
        lang = _lang()
        outcomes = [
            {"outcome": o, "label": o.skill.preferred_label(lang)[0]}
            for o in offering.skills.select_related("skill").prefetch_related(preferred_labels("skill__labels"))
        ]
        context = {
            "form": form,
            "offering": offering,
            "provider": offering.provider,
            "outcomes": outcomes,
            "runs": list(offering.runs.all()),
        }
        return render(request, self.template_name, context, status=status)


class OutcomeView(RoleRequiredMixin, View):
    """Confirm or remove a proposed skill, or add one by its ESCO URI (POST only)."""

    allowed_roles = STAFF_ROLES

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        offering = _managed_offering(request, uuid)
        return HttpResponseRedirect(reverse("catalogue:offering-edit", args=[offering.uuid]) + "#skills")

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        offering = _managed_offering(request, uuid)
        action = request.POST.get("action")
        try:
            if action == "add":
                services.add_skill(offering=offering, uri=request.POST.get("uri", ""), by=request.user)
            else:
                outcome = get_object_or_404(OfferingSkill, offering=offering, pk=request.POST.get("outcome") or 0)
                if action == "confirm":
                    services.confirm_skill(outcome=outcome, by=request.user)
                elif action == "remove":
                    services.remove_skill(outcome=outcome, by=request.user)
                else:
                    return HttpResponse(status=400)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The skills are saved."))
        return HttpResponseRedirect(reverse("catalogue:offering-edit", args=[offering.uuid]) + "#skills")


class RunCreateView(RoleRequiredMixin, View):
    """Add a run (cohort) to an offering."""

    allowed_roles = STAFF_ROLES
    template_name = "catalogue/run_form.html"

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        offering = _managed_offering(request, uuid)
        return render(request, self.template_name, {"form": RunForm(), "offering": offering, "run": None})

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        offering = _managed_offering(request, uuid)
        form = RunForm(request.POST)
        if form.is_valid():
            try:
                services.create_run(offering=offering, data=form.cleaned_data, by=request.user)
            except ValidationError as exc:
                add_service_errors(exc, {"": form})
            else:
                messages.success(request, _("The run is saved."))
                return HttpResponseRedirect(reverse("catalogue:offering-edit", args=[offering.uuid]) + "#runs")
        return render(request, self.template_name, {"form": form, "offering": offering, "run": None}, status=400)


def _managed_run(request: HttpRequest, uuid: Any) -> Run:
    run = get_object_or_404(Run.objects.select_related("offering__provider"), uuid=uuid)
    if not services.can_manage(request.user, run.offering.provider):
        raise PermissionDenied
    return run


class RunEditView(RoleRequiredMixin, View):
    """Change or delete a run."""

    allowed_roles = STAFF_ROLES
    template_name = "catalogue/run_form.html"

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        run = _managed_run(request, uuid)
        context = {"form": RunForm(initial=RunForm.initial_of(run)), "offering": run.offering, "run": run}
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        run = _managed_run(request, uuid)
        back = reverse("catalogue:offering-edit", args=[run.offering.uuid]) + "#runs"
        if request.POST.get("action") == "delete":
            try:
                services.delete_run(run=run, by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The run is deleted."))
            return HttpResponseRedirect(back)
        form = RunForm(request.POST)
        if form.is_valid():
            try:
                services.update_run(run=run, data=form.cleaned_data, by=request.user)
            except ValidationError as exc:
                add_service_errors(exc, {"": form})
            else:
                messages.success(request, _("The run is saved."))
                return HttpResponseRedirect(back)
        return render(request, self.template_name, {"form": form, "offering": run.offering, "run": run}, status=400)


class OoapiImportView(RoleRequiredMixin, View):
    """A provider's staff upload OOAPI v5 JSON files; every object is reported, nothing half-written."""

    allowed_roles = STAFF_ROLES
    template_name = "catalogue/ooapi_import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        provider, providers = _provider_from(request)
        if provider is None:
            raise PermissionDenied
        return render(request, self.template_name, {"provider": provider, "providers": providers, "report": None})

    def post(self, request: HttpRequest) -> HttpResponse:
        import tempfile
        from pathlib import Path

        from wendbaar.catalogue.ooapi import services as ooapi

        provider, providers = _provider_from(request)
        if provider is None:
            raise PermissionDenied
        files = request.FILES.getlist("files")
        context: dict[str, Any] = {"provider": provider, "providers": providers, "report": None, "error": ""}
        if not files:
            context["error"] = _("Choose one or more JSON files.")
            return render(request, self.template_name, context, status=400)
        with tempfile.TemporaryDirectory(prefix="wendbaar-ooapi-") as folder:
            for index, upload in enumerate(files):
                target = Path(folder) / f"{index:03d}-{Path(upload.name or 'upload').stem}.json"
                with open(target, "wb") as fh:
                    for chunk in upload.chunks():
                        fh.write(chunk)
            try:
                report = ooapi.import_ooapi(paths=[Path(folder)], only_provider=provider)
            except ooapi.OoapiImportError as exc:
                context["error"] = str(exc).replace(folder + "/", "")
                return render(request, self.template_name, context, status=400)
        for result in report.objects:
            result.source = result.source.replace(folder + "/", "")
        context["report"] = report
        return render(request, self.template_name, context, status=200 if report.written else 400)
