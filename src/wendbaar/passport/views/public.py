"""Public pages and documents: credential verification, issuer profiles, did:web documents, status lists,
and the administrators' counts."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from wendbaar.passport import services, verification
from wendbaar.passport.forms import CredentialInputForm
from wendbaar.passport.models import Credential, StatusList
from wendbaar.regions.constants import ActorType, Role
from wendbaar.regions.models import Organisation
from wendbaar.regions.permissions import ANYONE, RoleRequiredMixin


class PublicPage(RoleRequiredMixin, TemplateView):
    allowed_roles = frozenset({ANYONE})


class VerifyView(PublicPage):
    """Check a credential (paste or upload, JSON or VC-JWT): valid, or why not. No account needed."""

    template_name = "passport/verify.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", CredentialInputForm())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = CredentialInputForm(request.POST, request.FILES)
        outcome = None
        if form.is_valid():
            outcome = services.verify_credential(credential=form.cleaned_data["text"])
        return self.render_to_response(self.get_context_data(form=form, outcome=outcome))


class IssuerView(PublicPage):
    """The public profile of an issuer: its name, did:web, keys and how to verify its credentials."""

    template_name = "passport/issuer.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        organisation = None
        if "uuid" in self.kwargs:
            organisation = get_object_or_404(Organisation, uuid=self.kwargs["uuid"])
        did = services.issuer_did(organisation)
        issued = Credential.objects.filter(origin="issued", issuer_organisation=organisation)
        context.update(
            organisation=organisation,
            name=organisation.name if organisation else services.platform_name(),
            did=did,
            methods=verification.did_document(did)["verificationMethod"],
            issued_count=issued.count(),
            is_provider=organisation is not None and organisation.actor_type == ActorType.EDUCATION_PROVIDER,
        )
        return context


class DidDocumentView(RoleRequiredMixin, TemplateView):
    """The did:web document of the platform (/.well-known/did.json) or of an organisation."""

    allowed_roles = frozenset({ANYONE})

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "uuid" in kwargs:
            organisation = get_object_or_404(Organisation, uuid=kwargs["uuid"])
            did = verification.organisation_did(organisation)
        else:
            did = verification.platform_did()
        response = JsonResponse(verification.did_document(did), content_type="application/did+json")
        response["Access-Control-Allow-Origin"] = "*"
        return response


class StatusListView(RoleRequiredMixin, TemplateView):
    """A Bitstring Status List credential at its stable URL (signed; read by any verifier)."""

    allowed_roles = frozenset({ANYONE})

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        status_list = StatusList.objects.filter(uuid=kwargs["uuid"]).select_related("organisation").first()
        if status_list is None:
            raise Http404
        response = JsonResponse(services.status_list_credential(status_list), content_type="application/vc+ld+json")
        response["Cache-Control"] = "no-cache"  # a revocation must be seen at once
        response["Access-Control-Allow-Origin"] = "*"
        return response


class OverviewView(RoleRequiredMixin, TemplateView):
    """Counts for administrators and coordinators: how much the passport is used. Never any content."""

    allowed_roles = frozenset({Role.ADMIN, Role.COORDINATOR})
    template_name = "passport/overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["counts"] = services.admin_counts()
        return context
