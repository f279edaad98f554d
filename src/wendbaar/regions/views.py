"""Pages of the regions app: the regions, one region, one organisation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from wendbaar.regions import services
from wendbaar.regions.constants import Role
from wendbaar.regions.forms import OrganisationForm
from wendbaar.regions.models import Organisation, Region
from wendbaar.regions.permissions import AUTHENTICATED, RoleRequiredMixin
from wendbaar.regions.roles import coordinated_region_ids, roles_of, visible_organisations
from wendbaar.regions.svg import outline_path


class RegionListView(RoleRequiredMixin, ListView):
    allowed_roles = frozenset({AUTHENTICATED})
    template_name = "regions/region_list.html"
    context_object_name = "regions"

    def get_queryset(self) -> QuerySet[Region]:
        return Region.objects.annotate(
            municipality_count=Count("municipalities", distinct=True),
            organisation_count=Count("organisations", distinct=True),
        )


class RegionDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = frozenset({AUTHENTICATED})
    template_name = "regions/region_detail.html"
    context_object_name = "region"
    slug_field = "code"
    slug_url_kwarg = "code"
    queryset = Region.objects.all()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        region: Region = self.object
        context["municipalities"] = region.municipalities.all()
        context["organisations"] = region.organisations.all()
        context["outline"] = outline_path(region.geometry) if region.geometry else None
        context["is_coordinator"] = region.pk in coordinated_region_ids(self.request.user)
        context["may_add_organisation"] = context["is_coordinator"] or Role.ADMIN in roles_of(self.request.user)
        return context


class OrganisationCreateView(RoleRequiredMixin, FormView):
    """A coordinator adds an organisation to their region; an admin to any region."""

    allowed_roles = frozenset({Role.COORDINATOR, Role.ADMIN})
    template_name = "regions/organisation_form.html"
    form_class = OrganisationForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.region = get_object_or_404(Region, code=kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self._require_coordination()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self._require_coordination()
        return super().post(request, *args, **kwargs)

    def _require_coordination(self) -> None:
        user = self.request.user
        if Role.ADMIN not in roles_of(user) and self.region.pk not in coordinated_region_ids(user):
            raise PermissionDenied

    def form_valid(self, form: OrganisationForm) -> HttpResponse:
        try:
            organisation = services.create_organisation(region_codes=[self.region.code], **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("The organisation %(name)s has been added.") % {"name": organisation.name})
        return redirect("regions:detail", code=self.region.code)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "region_codes": [self.region.code]}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(region=self.region, **kwargs)


class OrganisationDetailView(RoleRequiredMixin, DetailView):
    """Members of the organisation, coordinators of one of its regions and admins see it."""

    allowed_roles = frozenset({Role.EMPLOYER, Role.PROVIDER, Role.FUND, Role.COORDINATOR, Role.ADMIN})
    template_name = "regions/organisation_detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset: QuerySet[Organisation] | None = None) -> Organisation:
        organisation = get_object_or_404(Organisation.objects.prefetch_related("regions"), uuid=self.kwargs["uuid"])
        if not visible_organisations(self.request.user).filter(pk=organisation.pk).exists():
            raise PermissionDenied
        return organisation

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.object.memberships.select_related("user").order_by("role", "user__username")
        return context
