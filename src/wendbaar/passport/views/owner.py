"""The owner's passport: the overview, adding skills (own words, CV, occupation), evidence, credentials,
export (JSON, PDF) and erasure."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from wendbaar.passport import cv, proposals, services
from wendbaar.passport.constants import EvidenceKind, SkillSource
from wendbaar.passport.forms import CvForm, EvidenceForm, ImportForm, OccupationSearchForm, TextForm
from wendbaar.passport.models import Credential, Evidence, PassportSkill
from wendbaar.passport.views.common import PassportPage, add_errors, lang, own_or_403, passport_context
from wendbaar.skills import reading, search
from wendbaar.skills.models import Concept, Kind, OccupationSkill, RelationType
from wendbaar.skills.services import preferred_labels
from wendbaar.web.pdf.cache import pdf_response, person_kind


class HomeView(PassportPage):
    """My passport: skills with their strength and evidence, certificates, and what to do next."""

    template_name = "passport/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        own = services.shared_passport(viewer=self.request.user, person=self.request.user, channel="page")
        assert own is not None
        context.update(passport_context(own))
        context["view_count"] = services.views_of(self.request.user).count()
        return context


def _picked(request: HttpRequest) -> tuple[list[str], dict[str, str]]:
    """Return the skill URIs a person ticked in a proposals form, with the words that matched each."""
    uris, words = [], {}
    for index in request.POST.getlist("pick"):
        uri = request.POST.get(f"uri-{index}", "")
        if uri:
            uris.append(uri)
            words[uri] = request.POST.get(f"words-{index}", "")[:400]
    return uris, words


def _confirm(
    request: HttpRequest, *, source: str, evidence_kind: str, title: str, issuer_name: str = ""
) -> HttpResponse | None:
    """Add the ticked proposals; return a redirect, or None when nothing was ticked."""
    uris, words = _picked(request)
    if not uris:
        messages.error(request, _("You did not tick any skill."))
        return None
    try:
        added = services.add_skills(
            person=request.user,
            skill_uris=uris,
            source=source,
            matched_words=words,
            evidence_kind=evidence_kind,
            title=title,
            issuer_name=issuer_name,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    messages.success(request, _("%(count)d skills added to your passport.") % {"count": len(added)})
    return HttpResponseRedirect(reverse("passport:home"))


class AddTextView(PassportPage):
    """Type what you can in your own words; the engine proposes skills with the words that matched."""

    template_name = "passport/add_text.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", TextForm())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "confirm" in request.POST:
            done = _confirm(request, source=SkillSource.TYPED, evidence_kind=EvidenceKind.SELF_ASSESSMENT, title="")
            if done is not None:
                return done
        form = TextForm(request.POST)
        found: list[proposals.Proposal] | None = None
        if form.is_valid():
            found = proposals.propose_for_text(form.cleaned_data["text"], lang=lang())
        layer = reading.current_layer() if found is not None else ""
        return self.render_to_response(self.get_context_data(form=form, proposals=found, layer=layer))


class AddCvView(PassportPage):
    """Upload a CV; its text is read (not stored) and the engine proposes skills per section."""

    template_name = "passport/add_cv.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", CvForm())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "confirm" in request.POST:
            done = _confirm(
                request, source=SkillSource.CV, evidence_kind=EvidenceKind.SELF_ASSESSMENT, title=_("From my CV")
            )
            if done is not None:
                return done
            return self.render_to_response(self.get_context_data())
        form = CvForm(request.POST, request.FILES)
        found = None
        parts: list[cv.Section] = []
        if form.is_valid():
            upload = form.cleaned_data["cv"]
            try:
                if upload.size > cv.MAX_BYTES:
                    raise cv.CvError(_("The file is too large (at most 5 MB)."))
                text = cv.read_text(name=upload.name, data=upload.read())
                found, parts = proposals.propose_for_cv(text, lang=lang())
            except cv.CvError as exc:
                form.add_error("cv", str(exc))
        layer = reading.current_layer() if found is not None else ""
        return self.render_to_response(self.get_context_data(form=form, proposals=found, sections=parts, layer=layer))


class AddOccupationView(PassportPage):
    """Choose an occupation you have worked in and tick its essential skills."""

    template_name = "passport/add_occupation.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        language = lang()
        form = OccupationSearchForm(self.request.GET or None)
        occupations: list[dict[str, Any]] = []
        if form.is_valid():
            hits = search.search(form.cleaned_data["q"], kind=Kind.OCCUPATION, k=10)
            hit_concepts = Concept.objects.filter(uri__in=[h.uri for h in hits]).prefetch_related(preferred_labels())
            found = {c.uri: c for c in hit_concepts}
            occupations = [
                {"concept": found[h.uri], "label": found[h.uri].preferred_label(language)[0]}
                for h in hits
                if h.uri in found
            ]
        chosen = None
        skills: list[dict[str, Any]] = []
        wanted = self.request.GET.get("occupation", "")
        if wanted:
            chosen = (
                Concept.objects.filter(kind=Kind.OCCUPATION, uuid=wanted).prefetch_related(preferred_labels()).first()
                if _is_uuid(wanted)
                else None
            )
        if chosen is not None:
            owned = set(PassportSkill.objects.filter(person=self.request.user.pk).values_list("skill_id", flat=True))
            relations = OccupationSkill.objects.filter(
                occupation=chosen, relation=RelationType.ESSENTIAL
            ).select_related("skill")
            concepts = Concept.objects.filter(pk__in=relations.values("skill_id")).prefetch_related(preferred_labels())
            skills = sorted(
                ({"concept": c, "label": c.preferred_label(language)[0], "owned": c.pk in owned} for c in concepts),
                key=lambda row: row["label"].lower(),
            )
        context.update(
            form=form,
            occupations=occupations,
            chosen=chosen,
            chosen_label=chosen.preferred_label(language)[0] if chosen else "",
            skills=skills,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        done = _confirm(
            request,
            source=SkillSource.OCCUPATION,
            evidence_kind=EvidenceKind.WORK_EXPERIENCE,
            title=request.POST.get("occupation_label", "")[:200],
            issuer_name=request.POST.get("employer", "")[:200],
        )
        return done or HttpResponseRedirect(request.get_full_path())


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class SkillView(PassportPage):
    """One skill of my passport: its evidence, add evidence, remove."""

    template_name = "passport/skill.html"

    def entry(self) -> PassportSkill:
        return own_or_403(
            PassportSkill.objects.select_related("skill"),
            owner_field="person",
            user=self.request.user,
            uuid=self.kwargs["uuid"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entry = self.entry()
        context.update(
            entry=entry,
            label=entry.skill.preferred_label(lang())[0],
            strength=services.strength_label(entry.strength),
            evidence=list(entry.evidence.select_related("credential")),
            form=kwargs.get("form") or EvidenceForm(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        entry = self.entry()
        if "remove" in request.POST:
            services.remove_skill(person=request.user, passport_skill=entry)
            messages.success(request, _("The skill has been removed from your passport."))
            return HttpResponseRedirect(reverse("passport:home"))
        if "remove_evidence" in request.POST:
            evidence = get_object_or_404(Evidence, uuid=request.POST["remove_evidence"], passport_skill=entry)
            services.remove_evidence(person=request.user, evidence=evidence)
            return HttpResponseRedirect(request.path)
        form = EvidenceForm(request.POST)
        if form.is_valid():
            try:
                services.add_skill(
                    person=request.user,
                    skill_uri=entry.skill.uri,
                    evidence_kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    issuer_name=form.cleaned_data["issuer_name"],
                    started_on=form.cleaned_data["started_on"],
                    ended_on=form.cleaned_data["ended_on"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Evidence added."))
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))


class CredentialView(PassportPage):
    """One of my certificates: what it says, whether it is valid now, download."""

    template_name = "passport/credential.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        credential = own_or_403(
            Credential.objects.all(), owner_field="holder", user=self.request.user, uuid=self.kwargs["uuid"]
        )
        outcome = services.verify_credential(credential=credential.jwt or credential.document)
        context.update(
            credential=credential,
            outcome=outcome,
            document=json.dumps(credential.document, indent=2, ensure_ascii=False),
        )
        return context


class CredentialDownloadView(PassportPage):
    """Download one of my certificates: JSON with its embedded proof, or the VC-JWT."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        credential = own_or_403(Credential.objects.all(), owner_field="holder", user=request.user, uuid=kwargs["uuid"])
        if kwargs.get("form") == "jwt":
            if not credential.jwt:
                return HttpResponse(status=404)
            response = HttpResponse(credential.jwt, content_type="application/vc+jwt")
            response["Content-Disposition"] = f'attachment; filename="certificaat-{credential.uuid}.jwt"'
            return response
        response = HttpResponse(
            json.dumps(credential.document, indent=2, ensure_ascii=False), content_type="application/vc+ld+json"
        )
        response["Content-Disposition"] = f'attachment; filename="certificaat-{credential.uuid}.json"'
        return response


class ImportView(PassportPage):
    """Add a certificate from elsewhere: it is verified first and only then counts as evidence."""

    template_name = "passport/import.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportForm())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                stored, unknown = services.import_credential(
                    person=request.user,
                    credential=form.cleaned_data["text"],
                    allow_network=form.cleaned_data["allow_network"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The certificate is checked and added to your passport."))
                if unknown:
                    messages.info(
                        request,
                        _("%(count)d skills of this certificate are not known here and were not added.")
                        % {"count": len(unknown)},
                    )
                return HttpResponseRedirect(reverse("passport:credential", args=[stored.uuid]))
        return self.render_to_response(self.get_context_data(form=form))


class ExportJsonView(PassportPage):
    """Everything the passport holds about me, as JSON (certificates as issued)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        data = services.export_passport(request.user)
        response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="mijn-paspoort.json"'
        return response


def render_passport_pdf(
    request: HttpRequest, *, person: Any, shared: services.SharedPassport, shared_by: str = ""
) -> HttpResponse:
    """Return a printable PDF of (the shared part of) a passport, rendered by WeasyPrint."""
    context = {**passport_context(shared), "person": person, "shared_by": shared_by}
    html = render_to_string("passport/pdf.html", context, request=request)
    return pdf_response(html, request=request, kind=person_kind(person.pk, "passport"), filename="paspoort")


class ExportPdfView(PassportPage):
    """My passport as a printable PDF."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        own = services.shared_passport(viewer=request.user, person=request.user, channel="pdf")
        assert own is not None
        return render_passport_pdf(request, person=request.user, shared=own)


class EraseView(PassportPage):
    """Erase my passport (after confirming); certificates I issued to others stay valid."""

    template_name = "passport/erase.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm that you want to erase your passport."))
            return render(request, self.template_name, self.get_context_data())
        services.erase_passport(person=request.user)
        messages.success(request, _("Your passport has been erased."))
        return HttpResponseRedirect(reverse("passport:home"))
