"""Pages of the loopbaan-APK under /loopbaan/: the guided check-up, the plan, PDFs, adviser mode, movers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from wendbaar.careers import services
from wendbaar.careers.models import CheckUp, Plan, PlanStep, StepStatus
from wendbaar.regions.constants import LABOUR_MARKET_REGIONS, Role
from wendbaar.regions.permissions import AUTHENTICATED, RoleRequiredMixin
from wendbaar.skills.models import Kind, Label
from wendbaar.web.pdf.cache import pdf_response, person_kind

PEOPLE = frozenset({AUTHENTICATED})
MOVER_ROLES = frozenset({Role.EMPLOYER, Role.COORDINATOR, Role.ADMIN})


def concept_by_label(text: str, kind: str) -> str | None:
    """Return the URI of the concept whose label is `text` (case-insensitive), or `text` if it is a URI."""
    text = text.strip()
    if not text:
        return None
    found = (
        Label.objects.filter(text__iexact=text, concept__kind=kind)
        .order_by("kind", "concept__uri")
        .values_list("concept__uri", flat=True)
        .first()
    )
    return found or (text if text.startswith(("http://", "https://", "urn:")) else None)


def _skills_from(text: str) -> tuple[list[str], list[str]]:
    uris: list[str] = []
    unknown: list[str] = []
    for line in text.replace(",", "\n").splitlines():
        if not line.strip():
            continue
        uri = concept_by_label(line, Kind.SKILL)
        (uris if uri else unknown).append(uri or line.strip())
    return uris, unknown


def _unknown_skills(unknown: list[str]) -> str:
    """The error for lines that are no skill's name, with the skills the engine read in them to copy."""
    message = _("We do not know these skills: %(names)s.") % {"names": ", ".join(unknown)}
    names, layer = services.suggest_skills(unknown)
    if not names:
        return message
    how = _("by meaning") if layer == "semantic" else _("by words")
    hint = _("Did you mean (found %(how)s): %(names)s? Type the name as shown.")
    return f"{message} {hint % {'how': how, 'names': '; '.join(names)}}"


def _checkup(request: HttpRequest, uuid: Any) -> CheckUp:
    checkup = get_object_or_404(CheckUp.objects.select_related("person", "region", "occupation", "target"), uuid=uuid)
    if not services.may_see(request.user, checkup.person):
        raise PermissionDenied(_("You can only see this check-up when the person has given you consent."))
    return checkup


def _base(request: HttpRequest, checkup: CheckUp, step: str) -> dict[str, Any]:
    return {
        "checkup": checkup,
        "step": step,
        "as_adviser": request.user.pk != checkup.person_id,
        "notes": list(checkup.notes.select_related("author")),
    }


class HomeView(RoleRequiredMixin, View):
    allowed_roles = PEOPLE

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "careers/home.html",
            {
                "checkups": CheckUp.objects.filter(person_id=request.user.pk).select_related("target", "occupation")[
                    :10
                ],
                "plans": Plan.objects.filter(person_id=request.user.pk).select_related("target")[:10],
                "due": services.due_plan(request.user),
                "regions": list(LABOUR_MARKET_REGIONS),
            },
        )


class StartView(RoleRequiredMixin, View):
    """Start a check-up: region, current occupation, skills to add, times I can learn.

    The occupation is picked with the combobox (careers/occupation.js) or, without JavaScript, with the
    "find my job" button, which shows the matching occupations to choose from and keeps what was typed.
    """

    allowed_roles = PEOPLE

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._form(request, {}, {})

    def _form(
        self, request: HttpRequest, data: Any, errors: dict[str, list[str]], status: int = 200, **occupation: Any
    ) -> HttpResponse:
        return render(
            request,
            "careers/start.html",
            {
                "data": data,
                "times": data.getlist("times") if hasattr(data, "getlist") else [],
                "errors": errors,
                "regions": list(LABOUR_MARKET_REGIONS),
                **occupation,
            },
            status=status,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        data = request.POST
        errors: dict[str, list[str]] = {}
        occupation, choices = services.choose_occupation(text=data.get("occupation", ""), uri=_picked(data))
        if "find_occupation" in data:
            if occupation and not choices:
                choices = services.find_occupations(data.get("occupation", "")) or _kept(occupation)
            return self._form(request, data, {}, chosen=occupation, choices=choices, searched=True)
        if data.get("occupation", "").strip() and not occupation:
            errors["occupation"] = [
                _("Choose your job from the list, or change what you typed.")
                if choices
                else _("We do not know this occupation. Check the spelling, or leave it empty.")
            ]
        skills, unknown = _skills_from(data.get("skills", ""))
        if unknown:
            errors["skills"] = [_unknown_skills(unknown)]
        if errors:
            return self._form(request, data, errors, 400, chosen=occupation, choices=choices or _kept(occupation))
        try:
            checkup = services.start_checkup(
                person=request.user,
                by=request.user,
                region_code=data.get("region", ""),
                occupation_uri=occupation or "",
                skill_uris=skills,
                times=data.getlist("times"),
            )
        except ValidationError as exc:
            return self._form(request, data, exc.message_dict, 400, chosen=occupation, choices=_kept(occupation))
        return HttpResponseRedirect(reverse("careers:standing", args=[checkup.uuid]))


def _kept(occupation: str | None) -> list[services.OccupationChoice]:
    """The occupation already chosen, shown again as a checked choice when the form comes back with errors."""
    return [services.OccupationChoice(occupation, services.labels([occupation])[occupation], "")] if occupation else []


def _picked(data: Any) -> str:
    """The occupation URI picked in the combobox (hidden field) or from the list (radio): the last one given."""
    picked = [value for value in data.getlist("occupation_uri") if value]
    return picked[-1] if picked else ""


class StandingView(RoleRequiredMixin, View):
    """Step 1: where I stand. Advisers (and the person) add notes here."""

    allowed_roles = PEOPLE

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        checkup = _checkup(request, uuid)
        context = _base(request, checkup, "standing")
        context["standing"] = services.standing(checkup=checkup, by=request.user)
        return render(request, "careers/standing.html", context)

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        checkup = _checkup(request, uuid)
        if "note" in request.POST:
            try:
                services.add_note(checkup=checkup, author=request.user, text=request.POST["note"])
                messages.success(
                    request,
                    _("Your note is saved. %(name)s can read it.")
                    % {"name": checkup.person.get_full_name() or checkup.person.get_username()},
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            skills, unknown = _skills_from(request.POST.get("skills", ""))
            if unknown:
                messages.error(request, _unknown_skills(unknown))
            elif skills:
                services.update_checkup(checkup=checkup, by=request.user, skill_uris=skills)
                messages.success(request, _("The skills are added to your passport."))
        return HttpResponseRedirect(reverse("careers:standing", args=[checkup.uuid]))


class PathsView(RoleRequiredMixin, View):
    """Step 2: where I could go."""

    allowed_roles = PEOPLE

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        checkup = _checkup(request, uuid)
        context = _base(request, checkup, "paths")
        context["paths"] = services.where_i_could_go(checkup=checkup, by=request.user)
        context["has_skills"] = bool(services.passport.skill_uris_of(checkup.person))
        return render(request, "careers/paths.html", context)


class GapView(RoleRequiredMixin, View):
    """Steps 3-5: what is missing, how to close it, and my first step (saved as a plan)."""

    allowed_roles = PEOPLE

    def _context(self, request: HttpRequest, checkup: CheckUp, occupation: str) -> dict[str, Any]:
        context = _base(request, checkup, "gap")
        context["gap"] = services.gap(checkup=checkup, by=request.user, occupation_uri=occupation)
        ways = services.ways_to_close(checkup=checkup, by=request.user, occupation_uri=occupation)
        context["ways"] = ways
        context["rows"] = [(s, ways.per_skill.get(s.uri, [])) for s in context["gap"].skills]
        return context

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        checkup = _checkup(request, uuid)
        occupation = request.GET.get("beroep", "") or (checkup.target.uri if checkup.target else "")
        if not occupation:
            context = _base(request, checkup, "gap")
            context["choose"] = True
            return render(request, "careers/gap.html", context)
        try:
            context = self._context(request, checkup, occupation)
        except ValidationError as exc:
            context = _base(request, checkup, "gap")
            context["error"] = " ".join(exc.messages)
            return render(request, "careers/gap.html", context, status=404)
        if context["ways"].unmet:
            services.count_unmet(checkup=checkup, skill_uris=context["ways"].unmet)
        return render(request, "careers/gap.html", context)

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        checkup = _checkup(request, uuid)
        occupation = request.POST.get("beroep", "")
        steps = []
        for value in request.POST.getlist("step"):
            kind, _sep, ref = value.partition(":")
            if kind == "offering":
                offering, _sep, run = ref.partition("/")
                steps.append({"kind": kind, "offering": offering, "run": run or None})
            elif kind == "trial":
                steps.append({"kind": kind, "event": ref})
            else:
                steps.append({"kind": kind})
        try:
            plan = services.choose_first_step(checkup=checkup, by=request.user, occupation_uri=occupation, steps=steps)
        except ValidationError as exc:
            context = self._context(request, checkup, occupation) if occupation else _base(request, checkup, "gap")
            context["error"] = " ".join(exc.messages)
            return render(request, "careers/gap.html", context, status=400)
        messages.success(request, _("Your plan is saved."))
        return HttpResponseRedirect(reverse("careers:plan", args=[plan.uuid]))


def _pdf(html: str, request: HttpRequest, name: str, person: Any) -> HttpResponse:
    return pdf_response(html, request=request, kind=person_kind(person.pk, name), filename=name)


class CheckUpPdfView(RoleRequiredMixin, View):
    allowed_roles = PEOPLE

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        checkup = _checkup(request, uuid)
        context = _base(request, checkup, "pdf")
        context["standing"] = services.standing(checkup=checkup, by=request.user)
        context["paths"] = services.where_i_could_go(checkup=checkup, by=request.user)
        if checkup.target:
            context["gap"] = services.gap(checkup=checkup, by=request.user, occupation_uri=checkup.target.uri)
            ways = services.ways_to_close(checkup=checkup, by=request.user, occupation_uri=checkup.target.uri)
            context["ways"] = ways
            context["rows"] = [(s, ways.per_skill.get(s.uri, [])) for s in context["gap"].skills]
        context["printing"] = True
        html = render_to_string("careers/checkup_print.html", context, request=request)
        return _pdf(html, request, "loopbaan-apk", checkup.person)


def _plan(request: HttpRequest, uuid: Any) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("person", "target", "checkup"), uuid=uuid)
    if not services.may_see(request.user, plan.person):
        raise PermissionDenied(_("You can only see this plan when the person has given you consent."))
    return plan


def plan_context(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    return {
        "plan": plan,
        "target_label": services.labels([plan.target.uri])[plan.target.uri],
        "steps": list(plan.steps.select_related("offering", "run", "event")),
        "statuses": StepStatus.choices,
        "notes": list(plan.checkup.notes.select_related("author")) if plan.checkup else [],
        "as_adviser": request.user.pk != plan.person_id,
        "now": timezone.now(),
    }


class PlanView(RoleRequiredMixin, View):
    allowed_roles = PEOPLE

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        plan = _plan(request, uuid)
        return render(request, "careers/plan.html", plan_context(request, plan))

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        plan = _plan(request, uuid)
        step = get_object_or_404(PlanStep, plan=plan, uuid=request.POST.get("step"))
        try:
            services.set_step_status(step=step, by=request.user, status=request.POST.get("status", ""))
            messages.success(request, _("The status of the step is saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("careers:plan", args=[plan.uuid]))


class PlanPdfView(RoleRequiredMixin, View):
    allowed_roles = PEOPLE

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        plan = _plan(request, uuid)
        context = plan_context(request, plan)
        context["printing"] = True
        html = render_to_string("careers/plan_print.html", context, request=request)
        return _pdf(html, request, "ontwikkelplan", plan.person)


class AdviserView(RoleRequiredMixin, View):
    """The check-ups of people who gave me consent to see their passport."""

    allowed_roles = PEOPLE

    def get(self, request: HttpRequest) -> HttpResponse:
        from wendbaar.passport.models import Consent

        people = set(
            Consent.objects.filter(
                grantee_user_id=request.user.pk, revoked_at__isnull=True, valid_until__gt=timezone.now()
            ).values_list("person_id", flat=True)
        )
        checkups = [
            c
            for c in CheckUp.objects.filter(person_id__in=people).select_related("person", "target")
            if services.may_see(request.user, c.person)
        ]
        return render(request, "careers/adviser.html", {"checkups": checkups})


class MoversView(RoleRequiredMixin, View):
    """Who could move into this occupation: occupations whose people already have most of its skills."""

    allowed_roles = MOVER_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        text = request.GET.get("beroep", "").strip()
        uri, choices = services.choose_occupation(text=text, uri=_picked(request.GET))
        context: dict[str, Any] = {"text": text, "chosen": uri, "choices": choices}
        if uri:
            try:
                context["movers"] = services.movers_into(occupation_uri=uri)
            except ValidationError:  # an occupation without skills is not in the mobility index
                context["error"] = _("We do not know the skills of this occupation yet.")
                return render(request, "careers/movers.html", context, status=404)
            context["label"] = services.labels([uri])[uri]
            context["text"] = context["label"]
        elif text and not choices:
            context["error"] = _("We do not know this occupation. Check the spelling.")
            return render(request, "careers/movers.html", context, status=404)
        return render(request, "careers/movers.html", context)
