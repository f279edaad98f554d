"""EVC (recognition of prior learning) for assessors, and the credentials a provider issued (revocation)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from wendbaar.passport import services
from wendbaar.passport.constants import Decision, ViewChannel
from wendbaar.passport.forms import RecognitionForm
from wendbaar.passport.models import Credential, Recognition
from wendbaar.passport.views.common import add_errors, lang, skill_rows
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import RoleRequiredMixin
from wendbaar.regions.roles import organisation_ids
from wendbaar.skills.services import preferred_labels


class ProviderPage(RoleRequiredMixin, TemplateView):
    allowed_roles = frozenset({Role.PROVIDER})


class EvcListView(ProviderPage):
    """An assessor's EVC procedures, and opening a new one for a candidate who gave permission."""

    template_name = "passport/evc_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        organisations = services.assessor_organisations(self.request.user)
        context.update(
            organisations=organisations,
            recognitions=list(
                Recognition.objects.filter(organisation__in=organisations).select_related("person", "organisation")[
                    :200
                ]
            ),
            form=kwargs.get("form") or RecognitionForm(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = RecognitionForm(request.POST)
        organisations = services.assessor_organisations(request.user)
        candidate_skills = None
        if form.is_valid() and not organisations:
            form.add_error(None, _("You are not an assessor."))
        elif form.is_valid():
            person = form.cleaned_data["person"]
            picked = request.POST.getlist("skill")
            if not picked:
                shared = services.shared_passport(
                    viewer=request.user, person=person, channel=ViewChannel.EVC, what=_("EVC intake")
                )
                if shared is None:
                    form.add_error(
                        "person", _("This person has not given your organisation permission to see their passport.")
                    )
                else:
                    candidate_skills = skill_rows(shared.skills)
                    if not candidate_skills:
                        form.add_error("person", _("This person has no skills in their passport yet."))
            else:
                try:
                    recognition = services.open_recognition(
                        assessor=request.user,
                        organisation=organisations[0],
                        person=person,
                        title=form.cleaned_data["title"],
                        skill_uris=picked,
                        achievement_type=form.cleaned_data["achievement_type"],
                    )
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    return HttpResponseRedirect(reverse("passport:evc-detail", args=[recognition.uuid]))
        return self.render_to_response(self.get_context_data(form=form, candidate_skills=candidate_skills))


class EvcDetailView(ProviderPage):
    """Decide per skill (recognised or not, with the evidence seen) and close the procedure."""

    template_name = "passport/evc_detail.html"

    def recognition(self) -> Recognition:
        organisations = services.assessor_organisations(self.request.user)
        return get_object_or_404(
            Recognition.objects.select_related("person", "organisation", "credential"),
            uuid=self.kwargs["uuid"],
            organisation__in=organisations,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        recognition = self.recognition()
        items = list(recognition.items.select_related("skill").prefetch_related(preferred_labels("skill__labels")))
        context.update(
            recognition=recognition,
            items=[{"item": i, "label": i.skill.preferred_label(lang())[0]} for i in items],
            errors=kwargs.get("errors", []),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        recognition = self.recognition()
        errors: list[str] = []
        for item in recognition.items.select_related("skill"):
            decision = request.POST.get(f"decision-{item.pk}", "")
            evidence = request.POST.get(f"evidence-{item.pk}", "")
            if decision in (Decision.RECOGNISED, Decision.NOT_RECOGNISED):
                try:
                    services.decide(
                        recognition=recognition,
                        assessor=request.user,
                        item=item,
                        decision=decision,
                        evidence_seen=evidence,
                    )
                except ValidationError as exc:
                    errors.extend(f"{item.skill.preferred_label(lang())[0]}: {m}" for m in exc.messages)
        if not errors and "close" in request.POST:
            try:
                services.close_recognition(recognition=recognition, assessor=request.user)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(
                    request, _("The procedure is closed. The recognised skills are in the candidate's passport.")
                )
                return HttpResponseRedirect(request.path)
        if not errors:
            messages.success(request, _("Decisions saved."))
            return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(errors=errors))


class IssuedView(ProviderPage):
    """Certificates my organisation issued, with the possibility to withdraw (revoke) one."""

    template_name = "passport/issued.html"

    def credentials(self) -> Any:
        return Credential.objects.filter(
            origin="issued", issuer_organisation_id__in=organisation_ids(self.request.user, role=Role.PROVIDER)
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["credentials"] = list(self.credentials().select_related("issuer_organisation")[:500])
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        credential = get_object_or_404(self.credentials(), uuid=request.POST.get("revoke", ""))
        services.revoke_credential(credential=credential, by=request.user)
        messages.success(request, _("The certificate has been withdrawn. Verifiers see this at once."))
        return HttpResponseRedirect(request.path)
