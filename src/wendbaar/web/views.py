"""Home page: an anonymous landing page, or what each of the person's roles can do here."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest
from django.views import View
from django.views.generic import TemplateView

from wendbaar.regions.constants import Role
from wendbaar.regions.models import Organisation, Region
from wendbaar.regions.permissions import ANYONE, RoleRequiredMixin
from wendbaar.regions.roles import roles_of

# The order in which a person with several roles sees them on the home page.
ROLE_ORDER = [Role.ADMIN, Role.COORDINATOR, Role.FUND, Role.PROVIDER, Role.EMPLOYER, Role.LEARNER]


class HomeView(RoleRequiredMixin, TemplateView):
    allowed_roles = frozenset({ANYONE})

    def get_template_names(self) -> list[str]:
        return ["web/home.html" if self.request.user.is_authenticated else "web/landing.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not user.is_authenticated:
            context["region_count"] = Region.objects.count()
            return context
        roles = roles_of(user)
        memberships = user.memberships.select_related("organisation", "region")  # type: ignore[union-attr]
        context["home_roles"] = [role for role in ROLE_ORDER if role in roles]
        context["role_templates"] = [f"web/home/{role}.html" for role in context["home_roles"]]
        context["coordinated_regions"] = [m.region for m in memberships if m.role == Role.COORDINATOR and m.region]
        context["organisations"] = list(
            Organisation.objects.filter(memberships__user=user).distinct().prefetch_related("regions")
        )
        context["own_regions"] = sorted(
            {region for organisation in context["organisations"] for region in organisation.regions.all()}
            | set(context["coordinated_regions"]),
            key=lambda region: region.code,
        )
        return context


class FaviconView(RoleRequiredMixin, View):
    """Our own icon at /favicon.ico, where browsers ask for it on every page (also without a <link>)."""

    allowed_roles = frozenset({ANYONE})

    def get(self, request: HttpRequest) -> FileResponse:
        path = finders.find("web/favicon.ico")
        if not path:
            raise Http404
        response = FileResponse(open(str(path), "rb"), content_type="image/x-icon")
        response["Cache-Control"] = "public, max-age=86400"
        return response
