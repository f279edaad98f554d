"""The monitor's page: coordinators (their region or regions), funds (their own funds) and administrators."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wendbaar.funding.monitor import figures, queries
from wendbaar.radar.dashboards.views import requested_download
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import RoleRequiredMixin

MONITOR_ROLES = frozenset({Role.COORDINATOR, Role.FUND, Role.ADMIN})


class FilterForm(forms.Form):
    """The period (a whole year, or all years) and the dimension; invalid values fall back to the defaults."""

    year = forms.ChoiceField(label=gettext_lazy("Year"), required=False)
    dimension = forms.ChoiceField(
        label=gettext_lazy("Split by"), required=False, initial="region", choices=list(queries.DIMENSIONS.items())
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("All years")), *((str(y), str(y)) for y in years)]
        self.fields["year"].choices = choices  # type: ignore[attr-defined]  # a ChoiceField


class MonitorView(RoleRequiredMixin, TemplateView):
    """Participation per region, sector, age, diploma, fund or school; small numbers are hidden."""

    allowed_roles = MONITOR_ROLES
    template_name = "funding/monitor.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = queries.scope_of(request.user)
        if scope is None:
            raise PermissionDenied
        years = queries.years(scope)
        form = FilterForm(request.GET or None, years=years)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        year = int(data["year"]) if data.get("year") else None
        dimension = data.get("dimension") or "region"
        table = queries.participation(scope=scope, dimension=dimension, year=year)
        period = str(year) if year else _("All years")
        figure_list = figures.figures(table, period=period)
        download = requested_download(request, figure_list, f"deelname-{{key}}-{year or 'alle-jaren'}")
        if download is not None:
            return download
        context = self.get_context_data(form=form, figures=figure_list, table=table, period=period)
        return self.render_to_response(context)
