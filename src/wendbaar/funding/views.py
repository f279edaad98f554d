"""Pages of the funding app: my learning account, the participation monitor."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from wendbaar.funding import queries
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import RoleRequiredMixin
from wendbaar.regions.roles import organisation_ids, roles_of

MONITOR_ROLES = frozenset({Role.COORDINATOR, Role.FUND, Role.ADMIN})


class MyAccountView(RoleRequiredMixin, TemplateView):
    """Mijn leerrekening: what the person can spend, on what, until when (only their own)."""

    allowed_roles = frozenset({Role.LEARNER})
    template_name = "funding/mine.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from wendbaar.enrolment.models import Enrolment

        context = super().get_context_data(**kwargs)
        context["entitlements"] = queries.learning_account(self.request.user)  # only the own account
        context["enrolments"] = Enrolment.objects.filter(person_id=self.request.user.pk).select_related("run__offering")
        return context


class MonitorView(RoleRequiredMixin, TemplateView):
    """Participation per region and fund; a fund sees only its own funds; small cells are hidden."""

    allowed_roles = MONITOR_ROLES
    template_name = "funding/monitor.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from wendbaar.funding.models import Fund

        context = super().get_context_data(**kwargs)
        user = self.request.user
        fund_ids = None
        if not roles_of(user) & {Role.COORDINATOR, Role.ADMIN}:
            funders = organisation_ids(user, role=Role.FUND)
            fund_ids = frozenset(Fund.objects.filter(funder_id__in=funders).values_list("pk", flat=True))
        context["rows"] = [
            {
                "region": row.region, "fund": row.fund, "enrolments": queries.show_count(row.enrolments),
                "completed": queries.show_count(row.completed), "dropped_out": queries.show_count(row.dropped_out),
                "spent": row.spent_cents if row.enrolments >= queries.SMALL_CELL else None,
            }
            for row in queries.participation(fund_ids=fund_ids)
        ]  # fmt: skip
        return context
