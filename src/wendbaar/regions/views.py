"""Pages of the regions app: the regions, one region, one organisation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from wendbaar.regions.constants import Role
from wendbaar.regions.models import Organisation, Region
from wendbaar.regions.permissions import AUTHENTICATED, RoleRequiredMixin
from wendbaar.regions.roles import coordinated_region_ids, organisation_ids, roles_of
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
        return context


class OrganisationDetailView(RoleRequiredMixin, DetailView):
    """Members of the organisation, coordinators of one of its regions and admins see it."""

    allowed_roles = frozenset({Role.EMPLOYER, Role.PROVIDER, Role.FUND, Role.COORDINATOR, Role.ADMIN})
    template_name = "regions/organisation_detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset: QuerySet[Organisation] | None = None) -> Organisation:
        organisation = get_object_or_404(Organisation.objects.prefetch_related("regions"), uuid=self.kwargs["uuid"])
        user = self.request.user
        region_ids = {region.pk for region in organisation.regions.all()}
        may_see = (
            Role.ADMIN in roles_of(user)
            or organisation.pk in organisation_ids(user)
            or bool(region_ids & coordinated_region_ids(user))
        )
        if not may_see:
            raise PermissionDenied
        return organisation

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.object.memberships.select_related("user").order_by("role", "user__username")
        return context
