"""Home page, chosen by role."""

from django.views.generic import TemplateView

from wendbaar.regions.permissions import ANYONE, RoleRequiredMixin


class HomeView(RoleRequiredMixin, TemplateView):
    allowed_roles = frozenset({ANYONE})
    template_name = "web/home.html"
