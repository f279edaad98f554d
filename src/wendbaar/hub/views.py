"""Pages of the hub: thin views that translate HTTP to a service call and back."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from wendbaar.hub import access, calendar, forms, links, search, services
from wendbaar.hub.constants import CLOSED_ACTION_STATUSES, EventKind, Factor, RegistrationStatus
from wendbaar.hub.models import Action, Event, EventChange, Initiative, Profile, Registration
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership, Organisation, Region
from wendbaar.regions.permissions import ANYONE, AUTHENTICATED, RoleRequiredMixin
from wendbaar.regions.roles import coordinated_region_ids, roles_of
from wendbaar.web.pdf.cache import pdf_response

READERS = frozenset({AUTHENTICATED})


def home_region(user: Any) -> Region | None:
    """Return the region a person works in: the one they coordinate, their organisation's, or their card's."""
    coordinated = coordinated_region_ids(user)
    if coordinated:
        return Region.objects.filter(pk__in=coordinated).first()
    organisation = Organisation.objects.filter(memberships__user=user).prefetch_related("regions").first()
    if organisation is not None and organisation.regions.exists():
        return organisation.regions.first()
    profile = Profile.objects.filter(user=user).select_related("region").first()
    return profile.region if profile else None


def _uid(request: HttpRequest) -> int:
    """Return the logged-in person's id (the views below all require a login)."""
    return int(request.user.pk or 0)


def _fail(request: HttpRequest, error: PermissionDenied) -> None:
    raise PermissionDenied(str(error) or _("You may not do this."))


class HubHomeView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        region = home_region(request.user)
        profile = Profile.objects.filter(user_id=_uid(request)).first()
        context = {
            "region": region,
            "recent": Initiative.objects.select_related("region")[:5],
            "upcoming": Event.objects.filter(ends_at__gte=timezone.now(), cancelled=False).select_related("region")[:5],
            "late_count": _late(Action.objects.filter(region=region)).count() if region else 0,
            "profile": profile,
            "news": _news(request.user),
        }
        return render(request, "hub/home.html", context)


# ---------------------------------------------------------------- initiatives
class InitiativeSearchView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        form = forms.SearchForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        try:
            page = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page = 1
        found = search.search_initiatives(
            q=data.get("q", ""),
            filters=search.SearchFilters(
                theme=data.get("theme", ""), status=data.get("status", ""), sector=data.get("sector", ""),
                target_group=data.get("target_group", ""), factor=data.get("factor", ""),
                region=data.get("region", ""),
            ),  # fmt: skip
            offset=(page - 1) * search.SEARCH_PAGE,
        )
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "found": found,
            "page": page,
            "has_next": page * search.SEARCH_PAGE < found.total,
            "query": query.urlencode(),
            "may_add": bool(roles_of(request.user) & access.WRITER_ROLES),
            "feed_token": _feed_token(request),
        }
        return render(request, "hub/initiative_search.html", context)


def _feed_token(request: HttpRequest) -> str:
    return services.own_profile(user=request.user).feed_token


class InitiativeCreateView(RoleRequiredMixin, View):
    allowed_roles = access.WRITER_ROLES

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.region = home_region(request.user) if request.user.is_authenticated else None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._show(forms.InitiativeForm(region=self.region))

    def post(self, request: HttpRequest) -> HttpResponse:
        show_confirm = "confirm_shown" in request.POST
        form = forms.InitiativeForm(request.POST, region=self.region, show_confirm=show_confirm)
        duplicates: list[Initiative] = []
        if form.is_valid() and self.region is not None:
            data = form.service_data()
            actors = data.pop("actors")
            try:
                initiative = services.create_initiative(by=request.user, region=self.region, actors=actors, **data)
            except services.DuplicateInitiative as error:
                duplicates = error.duplicates
                form = forms.InitiativeForm(request.POST, region=self.region, show_confirm=True)
                form.is_valid()
                form.add_service_errors(error)
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied as error:
                _fail(request, error)
            else:
                messages.success(request, _("The initiative has been added."))
                return redirect("hub:initiative", uuid=initiative.uuid)
        return self._show(form, duplicates=duplicates, status=400)

    def _show(self, form: forms.InitiativeForm, *, duplicates: list[Initiative] | None = None,
              status: int = 200) -> HttpResponse:  # fmt: skip
        context = {"form": form, "region": self.region, "duplicates": duplicates or [],
                   "confirm_shown": "confirm_duplicate" in form.fields}  # fmt: skip
        return render(self.request, "hub/initiative_form.html", context, status=status)


class InitiativeEditView(RoleRequiredMixin, View):
    allowed_roles = access.WRITER_ROLES

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.initiative = get_object_or_404(Initiative.objects.select_related("region"), uuid=kwargs["uuid"])
        return super().dispatch(request, *args, **kwargs)

    def _require(self) -> None:
        if not access.may_edit_initiative(self.request.user, self.initiative):
            raise PermissionDenied(_("Only the region's coordinators, the author and the contact person change this."))

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        self._require()
        i = self.initiative
        initial = {
            "title": i.title, "goal": i.goal, "description": i.description, "status": i.status, "themes": i.themes,
            "sectors": i.sectors, "target_groups": i.target_groups, "success_factors": ", ".join(i.success_factors),
            "failure_factors": ", ".join(i.failure_factors), "results": forms.results_text(i.results),
            "actors": list(i.actors.all()),
        }  # fmt: skip
        form = forms.InitiativeForm(initial=initial, region=i.region)
        return render(request, "hub/initiative_form.html", {"form": form, "region": i.region, "initiative": i})

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        self._require()
        form = forms.InitiativeForm(request.POST, region=self.initiative.region)
        if form.is_valid():
            data = form.service_data()
            actors = data.pop("actors")
            try:
                services.update_initiative(by=request.user, initiative=self.initiative, actors=actors, **data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The initiative has been saved."))
                return redirect("hub:initiative", uuid=self.initiative.uuid)
        context = {"form": form, "region": self.initiative.region, "initiative": self.initiative}
        return render(request, "hub/initiative_form.html", context, status=400)


class InitiativeDetailView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        initiative = get_object_or_404(
            Initiative.objects.select_related("region", "contact", "adopted_from__region"), uuid=uuid
        )
        similar, people = search.similar_to_initiative(initiative)
        user = request.user
        adoptable_regions = [
            region
            for region in Region.objects.filter(pk__in=coordinated_region_ids(user))
            if region != initiative.region
        ]
        context = {
            "initiative": initiative,
            "factor_labels": dict(Factor.choices),
            "similar": similar,
            "people": people,
            "adoptions": initiative.adoptions.select_related("region").prefetch_related("reports__author"),
            "reports": initiative.reports.select_related("author"),
            "actors": initiative.actors.all(),
            "may_edit": access.may_edit_initiative(user, initiative),
            "may_adopt": bool(adoptable_regions) or access.is_admin(user),
            "actions": initiative.agenda_actions.select_related("owner"),
        }
        return render(request, "hub/initiative_detail.html", context)


class InitiativeAdoptView(RoleRequiredMixin, View):
    """A coordinator adopts an initiative of another region for their own region: a linked copy."""

    allowed_roles = frozenset({Role.COORDINATOR, Role.ADMIN})

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.origin = get_object_or_404(Initiative.objects.select_related("region"), uuid=kwargs["uuid"])
        return super().dispatch(request, *args, **kwargs)

    def _regions(self) -> QuerySet[Region]:
        regions = Region.objects.all() if access.is_admin(self.request.user) else Region.objects.filter(
            pk__in=coordinated_region_ids(self.request.user)
        )
        return regions.exclude(pk=self.origin.region_id)

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        return render(request, "hub/initiative_adopt.html", {"initiative": self.origin, "regions": self._regions()})

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        region = self._regions().filter(code=request.POST.get("region", "")).first()
        error = ""
        if region is None:
            error = _("Choose the region that adopts the initiative.")
        else:
            try:
                copy = services.adopt_initiative(by=request.user, origin=self.origin, region=region)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("Adopted. Report back later what you learned."))
                return redirect("hub:initiative", uuid=copy.uuid)
        context = {"initiative": self.origin, "regions": self._regions(), "error": error}
        return render(request, "hub/initiative_adopt.html", context, status=400)


class InitiativeReportView(RoleRequiredMixin, View):
    """An adopting region reports back to the origin."""

    allowed_roles = access.WRITER_ROLES

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.adoption = get_object_or_404(
            Initiative.objects.select_related("region", "adopted_from__region"), uuid=kwargs["uuid"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        self._require()
        return render(request, "hub/initiative_report.html", {"initiative": self.adoption, "form": forms.ReportForm()})

    def _require(self) -> None:
        if not access.may_edit_initiative(self.request.user, self.adoption) or self.adoption.adopted_from_id is None:
            raise PermissionDenied(_("Only the people of an adopting region report back."))

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        self._require()
        form = forms.ReportForm(request.POST)
        if form.is_valid():
            try:
                services.report_back(by=request.user, adoption=self.adoption, text=form.cleaned_data["text"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you. The origin can read your report now."))
                return redirect("hub:initiative", uuid=self.adoption.uuid)
        context = {"initiative": self.adoption, "form": form}
        return render(request, "hub/initiative_report.html", context, status=400)


# ---------------------------------------------------------------- people, profiles, learning ambassadors
class PeopleView(RoleRequiredMixin, View):
    """The board: the people who opted in, and suggestions for the person looking."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        own = Profile.objects.filter(user_id=_uid(request)).first()
        suggestions: tuple[list[search.Suggestion], list[search.Suggestion]] = ([], [])
        if own is not None and (own.works_on or own.themes or own.sectors or own.target_groups):
            suggestions = search.matches_for_profile(own)
        people = Profile.objects.filter(findable=True).select_related("user", "region", "organisation")
        region = request.GET.get("region", "")
        if region:
            people = people.filter(region__code=region)
        context = {"own": own, "initiatives": suggestions[0], "people": suggestions[1],
                   "board": people.order_by("user__last_name", "user__first_name")[:100]}  # fmt: skip
        return render(request, "hub/people.html", context)


class PersonView(RoleRequiredMixin, View):
    """A person's card: only when they opted in (or it is one's own)."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        profile = get_object_or_404(Profile.objects.select_related("user", "region", "organisation"), uuid=uuid)
        if not profile.findable and profile.user_id != _uid(request):
            raise Http404(_("This person is not findable."))
        initiatives, people = search.matches_for_profile(profile)
        ambassador_at = Membership.objects.filter(user=profile.user, is_learning_ambassador=True).select_related(
            "organisation"
        )
        context = {"profile": profile, "initiatives": initiatives, "people": people, "ambassador_at": ambassador_at,
                   "events": _ambassador_events(profile.user_id) if ambassador_at else []}  # fmt: skip
        return render(request, "hub/person.html", context)


def _ambassador_events(user_id: int) -> QuerySet[Event]:
    return Event.objects.filter(contact_id=user_id, ends_at__gte=timezone.now(), cancelled=False).select_related(
        "region"
    )


class ProfileEditView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def _initial(self, profile: Profile | None) -> dict[str, Any]:
        ambassador = Membership.objects.filter(user_id=_uid(self.request), is_learning_ambassador=True).exists()
        if profile is None:
            return {"region": home_region(self.request.user), "learning_ambassador": ambassador}
        return {
            "findable": profile.findable, "works_on": profile.works_on, "offers": profile.offers,
            "seeks": profile.seeks, "region": profile.region, "organisation": profile.organisation,
            "themes": profile.themes, "sectors": profile.sectors, "target_groups": profile.target_groups,
            "learning_ambassador": ambassador,
        }  # fmt: skip

    def get(self, request: HttpRequest) -> HttpResponse:
        profile = Profile.objects.filter(user_id=_uid(request)).first()
        form = forms.ProfileForm(initial=self._initial(profile), user=request.user)
        return render(request, "hub/profile_form.html", {"form": form, "profile": profile})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.ProfileForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            ambassador = data.pop("learning_ambassador", None)
            try:
                profile = services.save_profile(user=request.user, **data)
                if ambassador is not None:
                    memberships = Membership.objects.filter(user_id=_uid(request)).exclude(organisation=None)
                    if profile.organisation is not None:
                        memberships = memberships.filter(organisation=profile.organisation)
                    for membership in memberships.exclude(role=Role.LEARNER):
                        services.set_learning_ambassador(by=request.user, membership=membership, value=ambassador)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Your card has been saved."))
                return redirect("hub:profile")
        own = Profile.objects.filter(user_id=_uid(request)).first()
        return render(request, "hub/profile_form.html", {"form": form, "profile": own}, status=400)


class AmbassadorsView(RoleRequiredMixin, View):
    """Learning ambassadors: colleagues find the ones at their own organisation; everyone the findable ones."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        own_orgs = Organisation.objects.filter(memberships__user_id=_uid(request))
        findable_users = Profile.objects.filter(findable=True).values("user_id")
        ambassadors = (
            Membership.objects.filter(is_learning_ambassador=True)
            .filter(Q(organisation__in=own_orgs) | Q(user_id__in=findable_users))
            .select_related("user", "organisation", "user__hub_profile")
            .order_by("organisation__name", "user__last_name")
        )
        rows = [(m, _ambassador_events(m.user_id)[:3]) for m in ambassadors]
        meetings = Event.objects.filter(kind=EventKind.AMBASSADOR_MEETING, ends_at__gte=timezone.now(),
                                        cancelled=False).select_related("region")[:10]  # fmt: skip
        return render(request, "hub/ambassadors.html", {"rows": rows, "meetings": meetings})


# ---------------------------------------------------------------- the human capital agenda
def _late(actions: QuerySet[Action]) -> QuerySet[Action]:
    return actions.filter(deadline__lt=timezone.localdate()).exclude(status__in=CLOSED_ACTION_STATUSES)


class AgendaIndexView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        late = Q(agenda_actions__deadline__lt=today) & ~Q(agenda_actions__status__in=CLOSED_ACTION_STATUSES)
        regions = Region.objects.annotate(
            action_count=Count("agenda_actions", distinct=True), late_count=Count("agenda_actions", filter=late)
        )
        return render(request, "hub/agenda_index.html", {"regions": regions, "home": home_region(request.user)})


def agenda_context(region: Region, user: Any) -> dict[str, Any]:
    actions = Action.objects.filter(region=region).select_related("owner", "owner_organisation", "initiative")
    rows = list(actions.prefetch_related("partners", "links"))
    for row in rows:
        row.shown_links = links.shown_links(row, user)  # type: ignore[attr-defined]
    late_pks = set(_late(actions).values_list("pk", flat=True))
    return {
        "region": region,
        "actions": rows,
        "late": [row for row in rows if row.pk in late_pks],
        "today": timezone.localdate(),
        "may_add": access.coordinates(user, region),
        "generated_at": timezone.now(),
    }


class AgendaView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        region = get_object_or_404(Region, code=code)
        return render(request, "hub/agenda.html", agenda_context(region, request.user))


class AgendaPdfView(RoleRequiredMixin, View):
    """The printable agenda for the regional table (WeasyPrint from the print template)."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        region = get_object_or_404(Region, code=code)
        html = render_to_string("hub/agenda_print.html", agenda_context(region, request.user), request=request)
        return pdf_response(html, request=request, kind="hub-agenda", filename=f"agenda-{region.code}")


class ActionCreateView(RoleRequiredMixin, View):
    allowed_roles = frozenset({Role.COORDINATOR, Role.ADMIN})

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.region = get_object_or_404(Region, code=kwargs["code"])
        if request.user.is_authenticated and roles_of(request.user) & self.allowed_roles:
            if not access.coordinates(request.user, self.region):
                raise PermissionDenied(_("Only a coordinator of the region adds actions to its agenda."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        form = forms.ActionForm(region=self.region, user=request.user)
        return render(request, "hub/action_form.html", {"form": form, "region": self.region})

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        form = forms.ActionForm(request.POST, region=self.region, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            partners = data.pop("partners")
            action_links = forms.new_links(data)
            try:
                action = services.create_action(
                    by=request.user, region=self.region, partners=partners, links=action_links, **data
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The action is on the agenda."))
                return redirect("hub:action", uuid=action.uuid)
        return render(request, "hub/action_form.html", {"form": form, "region": self.region}, status=400)


class ActionDetailView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.action = get_object_or_404(
            Action.objects.select_related("region", "owner", "owner_organisation", "initiative"), uuid=kwargs["uuid"]
        )
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data: Any = None) -> forms.ActionUpdateForm | None:
        user = self.request.user
        if not access.may_edit_action(user, self.action):
            return None
        initial = {"status": self.action.status, "description": self.action.description,
                   "deadline": self.action.deadline}  # fmt: skip
        owner_only = not access.coordinates(user, self.action.region)
        return forms.ActionUpdateForm(data, initial=initial, owner_only=owner_only, action=self.action, user=user)

    def _show(self, form: forms.ActionUpdateForm | None, status: int = 200) -> HttpResponse:
        context = {
            "action": self.action,
            "form": form,
            "partners": self.action.partners.all(),
            "links": links.shown_links(self.action, self.request.user),
            "history": self.action.changes.select_related("changed_by"),
            "is_late": self.action.status not in CLOSED_ACTION_STATUSES and self.action.deadline < timezone.localdate(),
        }
        return render(self.request, "hub/action_detail.html", context, status=status)

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        return self._show(self._form())

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        form = self._form(request.POST)
        if form is None:
            raise PermissionDenied(_("Only the region's coordinators and the owner change this action."))
        if form.is_valid():
            data = dict(form.cleaned_data)
            note = data.pop("note", "")
            action_links = form.links(data)
            try:
                services.update_action(by=request.user, action=self.action, note=note, links=action_links, **data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The action has been saved."))
                return redirect("hub:action", uuid=self.action.uuid)
        return self._show(form, status=400)


# ---------------------------------------------------------------- events
class EventListView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        events = Event.objects.filter(ends_at__gte=timezone.now()).select_related("region", "organiser")
        region_code = request.GET.get("region", "")
        kind = request.GET.get("kind", "")
        if region_code:
            events = events.filter(region__code=region_code)
        if kind:
            events = events.filter(kind=kind)
        profile = services.own_profile(user=request.user)
        context = {
            "events": events[:200],
            "regions": Region.objects.all(),
            "kinds": EventKind.choices,
            "region_code": region_code,
            "kind": kind,
            "home": home_region(request.user),
            "feed_token": profile.feed_token,
            "may_add": bool(roles_of(request.user) & access.WRITER_ROLES),
            "news": _news(request.user),
            "mine": Registration.objects.filter(user_id=_uid(request), event__ends_at__gte=timezone.now())
            .exclude(status=RegistrationStatus.CANCELLED)
            .select_related("event")
            .order_by("event__starts_at"),
        }
        return render(request, "hub/events.html", context)


def _news(user: Any) -> list[tuple[Registration, list[EventChange]]]:
    """The person's registrations with news, each with the changes they have not seen."""
    return [(r, services.changes_unseen(r)) for r in services.news_for(user=user)]


class EventCreateView(RoleRequiredMixin, View):
    allowed_roles = access.WRITER_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        form = forms.EventForm(user=request.user, initial={"region": home_region(request.user)})
        return render(request, "hub/event_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.EventForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            region = data.pop("region")
            try:
                event = services.create_event(by=request.user, region=region, **data)
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied as error:
                _fail(request, error)
            else:
                messages.success(request, _("The event is on the calendar."))
                return redirect("hub:event", uuid=event.uuid)
        return render(request, "hub/event_form.html", {"form": form}, status=400)


class EventEditView(RoleRequiredMixin, View):
    """The organiser's people and the region's coordinators change an event (others: 403, like initiatives)."""

    allowed_roles = access.WRITER_ROLES

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.event = get_object_or_404(Event.objects.select_related("region", "organiser"), uuid=kwargs["uuid"])
        return super().dispatch(request, *args, **kwargs)

    def _require(self) -> None:
        if not access.may_manage_event(self.request.user, self.event):
            raise PermissionDenied(_("Only the region's coordinators and the organiser's people change this."))

    def _show(self, form: forms.EventForm, status: int = 200) -> HttpResponse:
        taken = self.event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
        context = {"form": form, "event": self.event, "taken": taken}
        return render(self.request, "hub/event_edit.html", context, status=status)

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        self._require()
        return self._show(forms.EventForm(user=request.user, event=self.event))

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        self._require()
        if request.POST.get("do") == "cancel-event":
            services.cancel_event(by=request.user, event=self.event)
            messages.success(request, _("The event has been cancelled. The people registered see it on their page."))
            return redirect("hub:event", uuid=self.event.uuid)
        form = forms.EventForm(request.POST, user=request.user, event=self.event)
        if form.is_valid():
            try:
                services.update_event(by=request.user, event=self.event, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied as error:
                _fail(request, error)
            else:
                messages.success(request, _("The event has been saved. The people registered see what changed."))
                return redirect("hub:event", uuid=self.event.uuid)
        return self._show(form, status=400)


class EventDetailView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.event = get_object_or_404(Event.objects.select_related("region", "organiser", "contact"),
                                       uuid=kwargs["uuid"])  # fmt: skip
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, uuid: str, error: str = "", status: int = 200) -> HttpResponse:
        event = self.event
        registrations = event.registrations
        mine = registrations.filter(user_id=_uid(request)).exclude(status=RegistrationStatus.CANCELLED).first()
        taken = registrations.filter(status=RegistrationStatus.REGISTERED).count()
        context = {
            "event": event,
            "mine": mine,
            "taken": taken,
            "waiting": registrations.filter(status=RegistrationStatus.WAITING).count(),
            "left": None if event.capacity is None else max(0, event.capacity - taken),
            "is_over": event.ends_at <= timezone.now(),
            "error": error,
            "may_manage": access.may_manage_event(request.user, event),
            "news": [item for item in _news(request.user) if item[0].event_id == event.pk],
        }
        return render(request, "hub/event_detail.html", context, status=status)

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        what = request.POST.get("do", "")
        try:
            if what == "register":
                registration = services.register(user=request.user, event=self.event)
                if registration.status == RegistrationStatus.WAITING:
                    messages.success(request, _("The event is full. You are on the waiting list."))
                else:
                    messages.success(request, _("You are registered."))
            elif what == "unregister":
                services.cancel_registration(user=request.user, event=self.event)
                messages.success(request, _("You are no longer registered."))
            elif what == "seen":
                services.mark_seen(user=request.user, event=self.event)
            elif what == "cancel-event":
                services.cancel_event(by=request.user, event=self.event)
                messages.success(request, _("The event has been cancelled."))
        except ValidationError as exc:
            return self.get(request, uuid, error=" ".join(exc.messages), status=400)
        return redirect("hub:event", uuid=self.event.uuid)


# ---------------------------------------------------------------- feeds
class RegionCalendarView(View):
    """A region's events as iCalendar. Public: calendar apps cannot log in, and the events are announcements."""

    allowed_roles = frozenset({ANYONE})

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        region = get_object_or_404(Region, code=code)
        body = calendar.build_calendar(
            calendar.region_events(region.code), name=_("Wendbaar events %(region)s") % {"region": region.name},
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )  # fmt: skip
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="wendbaar-{region.code}.ics"'
        return response


class PersonCalendarView(View):
    """A person's own events as iCalendar, behind the secret in its address (no login: calendar apps)."""

    allowed_roles = frozenset({ANYONE})

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        profile = get_object_or_404(Profile.objects.select_related("user"), feed_token=token)
        events, waiting = calendar.person_events(profile.user_id)
        body = calendar.build_calendar(
            events, name=_("My Wendbaar events"), base_url=request.build_absolute_uri("/").rstrip("/"), waiting=waiting
        )
        return HttpResponse(body, content_type="text/calendar; charset=utf-8")
