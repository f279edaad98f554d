"""Pages of the radar dashboards: region, occupation in a region, skill, vacancies behind a figure, report.

Who may see them: the dashboards are regional labour-market information, so every role may read them,
learners (workers and job seekers) included; anonymous visitors log in first because the vacancy lists
show employers' names. The printable report is for the parties at the regional table (coordinators,
providers, employers, funds, admins).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from wendbaar.radar.dashboards import figures, pages, report, services
from wendbaar.radar.dashboards.charts import Figure
from wendbaar.radar.dashboards.formats import month_label
from wendbaar.radar.indicators import lookups, occupations, skills
from wendbaar.radar.indicators.scope import MONTH, NATIONAL, Scope, ScopeError, add_months, month_range
from wendbaar.radar.pipeline.api import PIPELINE_ROLES
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import ALL_ROLES, RoleRequiredMixin, allows

DASHBOARD_ROLES = ALL_ROLES
REPORT_ROLES = frozenset({Role.COORDINATOR, Role.PROVIDER, Role.EMPLOYER, Role.FUND, Role.ADMIN})
PAGE_SIZE = 50


def csv_response(figure: Figure, filename: str) -> HttpResponse:
    """Return a figure's table as a CSV download."""
    response = HttpResponse(figure.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def requested_download(request: HttpRequest, figures: list[Figure], filename: str) -> HttpResponse | None:
    """The CSV of the figure `?download=<key>` names (`filename` with the key in it), None when no download
    is asked; 404 for a key no figure on the page has."""
    wanted = request.GET.get("download")
    if not wanted:
        return None
    for figure in figures:
        if figure.key == wanted:
            return csv_response(figure, filename.format(key=figure.key))
    raise Http404(_("There is no table with this name."))


class FilterForm(forms.Form):
    """Period and occupation level of a dashboard; invalid values fall back to the defaults."""

    end = forms.ChoiceField(label=gettext_lazy("Period ends in"), required=False)
    level = forms.ChoiceField(
        label=gettext_lazy("Occupation level"),
        required=False,
        initial=pages.DEFAULT_LEVEL,  # so the select shows the level the page uses before any choice
        choices=[
            ("1", gettext_lazy("ISCO level 1 (broad)")),
            ("2", gettext_lazy("ISCO level 2")),
            ("3", gettext_lazy("ISCO level 3")),
            ("4", gettext_lazy("ISCO level 4 (detailed)")),
        ],
    )
    map = forms.ChoiceField(
        label=gettext_lazy("Colour the map by"),
        required=False,
        choices=[(key, gettext_lazy(text)) for key, (text, _fmt) in figures.MAP_INDICATORS.items()],
    )

    def __init__(self, *args: Any, months: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(m, month_label(m, long=True)) for m in reversed(months)]
        self.fields["end"].choices = choices  # type: ignore[attr-defined]  # a ChoiceField


class RegionPageMixin(RoleRequiredMixin):
    """Resolve the region of the URL (a labour-market region or NL) and the filters."""

    allowed_roles = DASHBOARD_ROLES

    def setup_region(self, request: HttpRequest, region: str) -> dict[str, Any]:
        try:
            name = services.region_name(region)
        except services.UnknownRegion as exc:
            raise Http404(_("There is no region with this code.")) from exc
        available = occupations.months_available()
        months = month_range(add_months(available[1], -23), available[1]) if available else []
        form = FilterForm(request.GET or None, months=months)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        return {
            "region": region,
            "region_name": name,
            "form": form,
            "end": data.get("end") or (available[1] if available else None),
            "level": data.get("level") or pages.DEFAULT_LEVEL,
            "map_indicator": data.get("map") or "vacancies",
            "has_data": available is not None,
        }

    def render_or_download(
        self, request: HttpRequest, context: dict[str, Any], figure_list: list[Figure]
    ) -> HttpResponse:
        download = requested_download(request, figure_list, f"{context['region']}-{{key}}-{context.get('end') or ''}")
        if download is not None:
            return download
        context["figures"] = figure_list
        return self.render_to_response(context)  # type: ignore[attr-defined]


class DashboardIndexView(RoleRequiredMixin, TemplateView):
    allowed_roles = DASHBOARD_ROLES
    template_name = "radar/dashboard_index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["regions"] = sorted(services.REGION_NAMES.items())
        return context


class DashboardView(RegionPageMixin, TemplateView):
    template_name = "radar/dashboard.html"

    def get(self, request: HttpRequest, region: str) -> HttpResponse:
        context = self.setup_region(request, region)
        figure_list: list[Figure] = []
        if context["has_data"]:
            geometries = pages.region_geometries()
            board, figure_list, occupation_links, skill_links = pages.dashboard_page(
                region,
                context["level"],
                context["end"],
                context["map_indicator"],
                get_language(),
                tuple(sorted(geometries)),
            )
            context.update(board=board, occupation_links=occupation_links, skill_links=skill_links)
            context["period_first"] = month_label(board.first or "", long=True)
            context["period_last"] = month_label(board.end or "", long=True)
            if region != NATIONAL and board.vacancies == 0:
                # No vacancies of this region in the period: say so, offer the country and the upload, keep the map.
                context["region_empty"] = True
                context["can_upload"] = allows(PIPELINE_ROLES, request)
                figure_list = [f for f in figure_list if f.key == "map"]
        context["can_print"] = allows(REPORT_ROLES, request)
        return self.render_or_download(request, context, figure_list)


class OccupationView(RegionPageMixin, TemplateView):
    template_name = "radar/occupation.html"

    def get(self, request: HttpRequest, region: str, group: str) -> HttpResponse:
        context = self.setup_region(request, region)
        figure_list: list[Figure] = []
        if context["has_data"]:
            page, figure_list = pages.occupation_page(region, group, context["end"], get_language())
            context["page"] = page
            context["trend_text"] = figures.pct(page.growth.trend if page.growth else None, signed=True)
            context["national_trend_text"] = figures.pct(
                page.growth_national.trend if page.growth_national else None, signed=True
            )
        return self.render_or_download(request, context, figure_list)


class SkillView(RegionPageMixin, TemplateView):
    template_name = "radar/skill.html"

    def get(self, request: HttpRequest, region: str) -> HttpResponse:
        context = self.setup_region(request, region)
        uri = request.GET.get("uri", "").strip()[:300]
        if not uri:
            # No skill chosen: offer the region's most asked skills to choose from.
            if context["has_data"]:
                shares = skills.skill_shares(Scope.of(region=region), context["end"])[:30]
                labels = lookups.label_map([s.skill_uri for s in shares], kind="skill")
                context["choices"] = [(figures.skill_url(region, s.skill_uri), labels[s.skill_uri]) for s in shares]
            return self.render_to_response(context)
        figure_list: list[Figure] = []
        if context["has_data"]:
            page, figure_list = pages.skill_page(region, uri, context["end"], get_language())
            context["page"] = page
        return self.render_or_download(request, context, figure_list)


class VacancyListView(RoleRequiredMixin, TemplateView):
    """The vacancies behind a figure, read from the store, filtered by region, occupation, skill and months."""

    allowed_roles = DASHBOARD_ROLES
    template_name = "radar/dashboard_vacancies.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        params = request.GET
        month = MONTH
        available = occupations.months_available()
        last = params.get("last") or (available[1] if available else "2000-01")
        first = params.get("first") or add_months(last, -11)
        if not (month.match(first) and month.match(last)):
            return HttpResponseBadRequest(_("first and last are months like 2025-03."))
        try:
            scope = Scope.of(region=params.get("region"), isco=params.get("isco"), skill_uri=params.get("skill"))
        except ScopeError as exc:
            return HttpResponseBadRequest(str(exc))
        try:
            page = max(1, int(params.get("page", "1")))
        except ValueError:
            page = 1
        total, rows = services.vacancies(
            scope=scope, first=first, last=last, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        if params.get("download") == "vacancies":
            total, rows = services.vacancies(scope=scope, first=first, last=last, offset=0, limit=10_000)
            from wendbaar.radar.dashboards.charts import Row

            table = Figure(
                "vacancies",
                "",
                "",
                ("vacancy_id", "title", "employer", "region", "posted", "isco", "occupation"),
                tuple(Row(tuple(r.__dict__.values())) for r in rows),
            )
            return csv_response(table, "vacancies")
        context = {
            "rows": rows,
            "total": total,
            "page": page,
            "first": first,
            "last": last,
            "scope": scope,
            "region_name": services.region_name(scope.region or NATIONAL),
            "has_next": page * PAGE_SIZE < total,
            "has_previous": page > 1,
        }
        return self.render_to_response(context)


class ReportView(RegionPageMixin, TemplateView):
    """The printable regional report (HTML here, PDF at the .pdf address)."""

    allowed_roles = REPORT_ROLES
    template_name = "radar/report.html"
    as_pdf = False

    def get(self, request: HttpRequest, region: str) -> HttpResponse:
        context = self.setup_region(request, region)
        context.update(report.report_context(region=region, end=context["end"], level=context["level"]))
        if not self.as_pdf:
            return self.render_to_response(context)
        pdf = report.render_pdf(context=context, request=request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="radar-{region}-{context.get("end") or ""}.pdf"'
        return response
