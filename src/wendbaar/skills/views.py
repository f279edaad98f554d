"""Pages of the taxonomy browser: search, occupation, skill, and coordinators' regional additions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import ANYONE, RoleRequiredMixin, allows
from wendbaar.skills import search, services
from wendbaar.skills.models import Broader, Concept, Kind, LabelKind, OccupationSkill

WRITE_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _item(concept: Concept, lang: str) -> dict[str, Any]:
    label, label_lang = concept.preferred_label(lang)
    return {"concept": concept, "label": label, "fallback": label_lang != lang, "label_lang": label_lang}


class SearchView(RoleRequiredMixin, TemplateView):
    """The taxonomy browser's start: search occupations and skills, with autocomplete."""

    allowed_roles = frozenset({ANYONE})
    template_name = "skills/search.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:200]
        kind = self.request.GET.get("kind") or None
        kind = kind if kind in (Kind.OCCUPATION, Kind.SKILL) else None
        results: list[dict[str, Any]] = []
        layer = ""
        if query:
            hits, layer = search.search_with_layer(query, kind=kind, k=30)
            lang = _lang()
            by_uri = {c.uri: c for c in services.with_labels(Concept.objects.filter(uri__in=[h.uri for h in hits]))}
            results = [{**_item(by_uri[h.uri], lang), "matched": h.label} for h in hits if h.uri in by_uri]
        context.update(query=query, kind=kind or "", results=results, layer=layer)
        return context


class ConceptView(RoleRequiredMixin, TemplateView):
    allowed_roles = frozenset({ANYONE})
    kind = Kind.OCCUPATION

    def get_concept(self) -> Concept:
        qs = services.with_labels(Concept.objects.filter(kind=self.kind), all_labels=True).select_related(
            "isco_group", "replaced_by"
        )
        return get_object_or_404(qs.prefetch_related("descriptions", "collections"), uuid=self.kwargs["uuid"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        lang = _lang()
        concept = self.get_concept()
        labels = sorted(concept.labels.all(), key=lambda lab: (lab.language, lab.kind != LabelKind.PREFERRED, lab.text))
        descriptions = {d.language: d.text for d in concept.descriptions.all()}
        description_lang = lang if lang in descriptions else next(iter(sorted(descriptions)), "")
        context.update(
            concept=concept,
            head=_item(concept, lang),
            lang=lang,
            labels_nl=[lab for lab in labels if lab.language == "nl"],
            labels_en=[lab for lab in labels if lab.language == "en"],
            description=descriptions.get(description_lang, ""),
            description_fallback=description_lang not in ("", lang),
            can_edit=allows(WRITE_ROLES, self.request),
            label_form=RegionalLabelForm(),
        )
        return context


class OccupationView(ConceptView):
    template_name = "skills/occupation.html"
    kind = Kind.OCCUPATION

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        concept, lang = context["concept"], context["lang"]
        skills = dict(OccupationSkill.objects.filter(occupation=concept).values_list("skill_id", "relation"))
        items = [_item(c, lang) for c in services.with_labels(Concept.objects.filter(id__in=skills))]
        items.sort(key=lambda i: i["label"].casefold())
        related = (
            OccupationSkill.objects.filter(skill_id__in=skills)
            .exclude(occupation=concept)
            .values("occupation_id")
            .annotate(shared=Count("id"))
            .order_by("-shared", "occupation_id")[:8]
        )
        shared = {r["occupation_id"]: r["shared"] for r in related}
        related_items = [
            {**_item(c, lang), "shared": shared[c.id]}
            for c in services.with_labels(Concept.objects.filter(id__in=shared))
        ]
        related_items.sort(key=lambda i: -i["shared"])
        isco = (
            _item(services.with_labels(Concept.objects.filter(pk=concept.isco_group_id)).get(), lang)
            if concept.isco_group_id
            else None
        )
        context.update(
            essential=[i for i in items if skills[i["concept"].id] == "essential"],
            optional=[i for i in items if skills[i["concept"].id] == "optional"],
            related=related_items,
            isco=isco,
        )
        return context


class SkillView(ConceptView):
    template_name = "skills/skill.html"
    kind = Kind.SKILL

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        concept, lang = context["concept"], context["lang"]
        broader_ids = Broader.objects.filter(concept=concept).values_list("broader_id", flat=True)
        narrower_ids = Broader.objects.filter(broader=concept).values_list("concept_id", flat=True)
        needs = dict(OccupationSkill.objects.filter(skill=concept).values_list("occupation_id", "relation"))
        occupations = [
            {**_item(c, lang), "relation": needs[c.id]}
            for c in services.with_labels(Concept.objects.filter(id__in=needs))
        ]
        occupations.sort(key=lambda i: (i["relation"], i["label"].casefold()))
        context.update(
            broader=[_item(c, lang) for c in services.with_labels(Concept.objects.filter(id__in=broader_ids))],
            narrower=[_item(c, lang) for c in services.with_labels(Concept.objects.filter(id__in=narrower_ids))],
            occupations=occupations,
        )
        return context


class RegionalLabelForm(forms.Form):
    text = forms.CharField(label=_("New synonym"), max_length=400)
    language = forms.ChoiceField(label=_("Language"), choices=[("nl", _("Dutch")), ("en", _("English"))])


class AddLabelView(RoleRequiredMixin, FormView):
    """A coordinator adds a regional synonym to an occupation or skill."""

    allowed_roles = WRITE_ROLES
    form_class = RegionalLabelForm
    template_name = "skills/add_label_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["concept"] = get_object_or_404(Concept, uuid=self.kwargs["uuid"])
        context["concept_url"] = concept_url(context["concept"])
        return context

    def form_valid(self, form: RegionalLabelForm) -> HttpResponse:
        concept = get_object_or_404(Concept, uuid=self.kwargs["uuid"])
        services.add_regional_label(
            concept=concept,
            text=form.cleaned_data["text"],
            language=form.cleaned_data["language"],
            region=services.label_region_of(self.request.user),
        )
        messages.success(self.request, _("The synonym was added."))
        return HttpResponseRedirect(concept_url(concept))


class RegionalSkillForm(forms.Form):
    label_nl = forms.CharField(label=_("Name in Dutch"), max_length=400)
    label_en = forms.CharField(label=_("Name in English (optional)"), max_length=400, required=False)
    description = forms.CharField(
        label=_("Description (optional)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class RegionalSkillView(RoleRequiredMixin, FormView):
    """A coordinator adds a skill that ESCO lacks; it is marked as not ESCO."""

    allowed_roles = WRITE_ROLES
    form_class = RegionalSkillForm
    template_name = "skills/regional_skill_form.html"

    def form_valid(self, form: RegionalSkillForm) -> HttpResponse:
        concept = services.create_regional_skill(**form.cleaned_data, created_by=self.request.user)
        messages.success(self.request, _("The regional skill was added."))
        return HttpResponseRedirect(concept_url(concept))


def concept_url(concept: Concept) -> str:
    """Return the page of an occupation or skill."""
    name = "skills:occupation" if concept.kind == Kind.OCCUPATION else "skills:skill"
    return reverse(name, kwargs={"uuid": concept.uuid})
