"""Pages of the demand app under /vraag/: per role what they may see; thin, `services` decides."""

from __future__ import annotations

import csv
import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from wendbaar.catalogue import services as catalogue
from wendbaar.catalogue.models import Run
from wendbaar.demand import explain, importer, services
from wendbaar.demand.api import match_rows
from wendbaar.demand.forms import DemandForm, InviteForm, ProposalForm, UploadForm
from wendbaar.demand.models import DemandStatus, Gap, Pool
from wendbaar.radar.store.cache import page_cached
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import RoleRequiredMixin
from wendbaar.regions.roles import roles_of
from wendbaar.skills.models import FoundBy

WRITERS = frozenset({Role.EMPLOYER, Role.FUND, Role.ADMIN})
READERS = frozenset({Role.EMPLOYER, Role.FUND, Role.COORDINATOR, Role.ADMIN})
GAP_READERS = frozenset({Role.PROVIDER, Role.COORDINATOR, Role.ADMIN})


def _with_labels(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = skill_labels({uri for row in rows for uri in row["missing"]})
    for row in rows:
        row["missing_labels"] = [labels[uri] for uri in row["missing"]]
        row["labelled_parts"] = explain.labelled_parts(row["parts"])
    return rows


def skill_labels(uris: Any) -> dict[str, str]:
    from wendbaar.radar.indicators.lookups import concept_labels, fallback_label

    wanted = list(uris)
    labels = concept_labels(wanted)
    return {uri: labels.get(uri) or fallback_label(uri) for uri in wanted}


class HomeView(RoleRequiredMixin, View):
    """Employers and funds: their demands and pool status. Providers: viable pools and gaps. Coordinators: all."""

    allowed_roles = frozenset({Role.EMPLOYER, Role.FUND, Role.PROVIDER, Role.COORDINATOR, Role.ADMIN})

    def get(self, request: HttpRequest) -> HttpResponse:
        roles = roles_of(request.user)
        demands = list(services.visible_demands(request.user).filter(status=DemandStatus.OPEN)[:200])
        pools = list(services.visible_pools(request.user).filter(people__gt=0)[:100])
        shown_pools = [p for p in pools if p.viable or bool(roles & {Role.COORDINATOR, Role.ADMIN})]
        gaps = list(services.visible_gaps(request.user).filter(is_open=True)[:50])
        return render(
            request,
            "demand/home.html",
            {
                "demands": [(d, explain.pool_sentence(d.pool) if d.pool else "") for d in demands],
                "pools": [(p, explain.pool_sentence(p)) for p in shown_pools],
                "gaps": gaps,
                "may_write": bool(roles & WRITERS),
                "sees_pools": bool(roles & {Role.PROVIDER, Role.COORDINATOR, Role.ADMIN}),
                "sees_gaps": bool(roles & GAP_READERS),
            },
        )


class CreateView(RoleRequiredMixin, View):
    """The demand form: type what people must learn; when no skills are read, pick them from a search."""

    allowed_roles = WRITERS

    def _form(self, request: HttpRequest, data: Any = None) -> DemandForm:
        organisations = services.demand_organisations(request.user)
        choices: list[tuple[str, str]] = []
        if data is not None:
            from wendbaar.skills.search import search

            data = data.copy()
            picked = data.getlist("skills")
            occupation = (data.get("occupation") or "").strip()
            if occupation:
                # Take an occupation's essential skills, ticked, for the asker to untick what is not needed.
                picked = list(dict.fromkeys([*picked, *services.essential_skills(occupation)]))
                data.setlist("skills", picked)
            query = (data.get("skill_search") or "").strip()
            uris = list(picked)
            if query and data.get("action") == "search":
                uris += [hit.uri for hit in search(query, kind="skill", k=8) if hit.uri not in uris]
            labels = skill_labels(uris)
            choices = [(uri, labels[uri]) for uri in uris]
        return DemandForm(data, organisations=organisations, skill_choices=choices)

    def _occupations(self, request: HttpRequest) -> list[tuple[str, str]]:
        query = (request.POST.get("occupation_search") or "").strip()
        if not query or request.POST.get("action") != "occupation-search":
            return []
        from wendbaar.skills.search import search

        hits = search(query, kind="occupation", k=5)
        labels = skill_labels(hit.uri for hit in hits)
        return [(hit.uri, labels[hit.uri]) for hit in hits]

    def get(self, request: HttpRequest) -> HttpResponse:
        if not services.demand_organisations(request.user):
            raise PermissionDenied
        return render(request, "demand/form.html", {"form": self._form(request), "picking": False})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, request.POST)
        searching = request.POST.get("action") in ("search", "occupation-search") or bool(
            request.POST.get("occupation")
        )
        if searching or not form.is_valid():
            if searching:
                form.errors.clear()
            context = {"form": form, "picking": True, "occupations": self._occupations(request)}
            return render(request, "demand/form.html", context)
        organisations = form.organisation_list
        chosen = [o for o in organisations if str(o.uuid) == form.cleaned_data.get("organisation")]
        organisation = chosen[0] if chosen else (organisations[0] if organisations else None)
        if organisation is None:
            raise PermissionDenied
        try:
            demand = services.create_demand(organisation=organisation, data=form.service_data(), by=request.user)
        except ValidationError as exc:
            form.add_service_errors(exc)
            return render(request, "demand/form.html", {"form": form, "picking": "skills" in exc.message_dict})
        messages.success(request, _("Your demand is saved. We look for others who want the same."))
        return redirect("demand:detail", uuid=demand.uuid)


class DetailView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        demand = get_object_or_404(services.visible_demands(request.user), uuid=uuid)
        rows = list(demand.skills.select_related("skill"))
        labels = skill_labels(row.skill.uri for row in rows)
        matches = _with_labels(match_rows(services.matches_for_demand(demand, limit=5)))
        pool = demand.pool
        return render(
            request,
            "demand/detail.html",
            {
                "demand": demand,
                "skills": [(row, labels[row.skill.uri]) for row in rows],
                "found_by_meaning": any(row.found_by == FoundBy.MEANING for row in rows),
                "matches": matches,
                "pool": pool,
                "pool_sentence": explain.pool_sentence(pool) if pool else "",
                "members": services.pool_members(pool, request.user) if pool else [],
                "may_withdraw": demand.organisation in services.demand_organisations(request.user),
            },
        )


class WithdrawView(RoleRequiredMixin, View):
    """Withdraw one's own demand (it leaves its pool); asks first."""

    allowed_roles = WRITERS

    def _demand(self, request: HttpRequest, uuid: str) -> Any:
        own = {o.pk for o in services.demand_organisations(request.user)}
        return get_object_or_404(services.visible_demands(request.user).filter(organisation_id__in=own), uuid=uuid)

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        return render(request, "demand/withdraw.html", {"demand": self._demand(request, uuid)})

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        demand = self._demand(request, uuid)
        services.withdraw_demand(demand=demand, by=request.user)
        messages.success(request, _("Your demand is withdrawn."))
        return redirect("demand:home")


class PoolView(RoleRequiredMixin, View):
    """A pool, explained; a provider invites it to one of its runs."""

    allowed_roles = frozenset({Role.EMPLOYER, Role.FUND, Role.PROVIDER, Role.COORDINATOR, Role.ADMIN})

    def _pool(self, request: HttpRequest, uuid: str) -> Pool:
        return get_object_or_404(services.visible_pools(request.user), uuid=uuid)

    def _runs(self, request: HttpRequest) -> list[Run]:
        providers = catalogue.managed_providers(request.user) if Role.PROVIDER in roles_of(request.user) else []
        return list(
            Run.objects.filter(offering__provider__in=providers).select_related("offering").order_by("start_date")
        )

    def _context(self, request: HttpRequest, pool: Pool, form: InviteForm | None) -> dict[str, Any]:
        labels = skill_labels(pool.skills)
        matches = _with_labels(match_rows(services.matches_for_pool(pool, limit=5)))
        return {
            "pool": pool,
            "sentence": explain.pool_sentence(pool),
            "reasons": explain.pool_reasons(pool, labels),
            "skill_labels": [labels[u] for u in pool.skills],
            "members": services.pool_members(pool, request.user),
            "matches": matches,
            "form": form,
        }

    def _invite_form(self, request: HttpRequest, data: Any = None) -> InviteForm | None:
        runs = self._runs(request)
        if not runs:
            return None
        choices = [(str(r.uuid), f"{r.offering.title_nl} — {r.start_date:%d-%m-%Y}") for r in runs]
        return InviteForm(data, runs=choices)

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        pool = self._pool(request, uuid)
        form = self._invite_form(request) if pool.viable else None
        return render(request, "demand/pool.html", self._context(request, pool, form))

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        pool = self._pool(request, uuid)
        form = self._invite_form(request, request.POST)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            run = get_object_or_404(Run, uuid=form.cleaned_data["run"])
            try:
                services.invite_pool(pool=pool, run=run, by=request.user)
            except ValidationError as exc:
                for messages_ in exc.message_dict.values():
                    form.add_error(None, messages_)
            else:
                messages.success(request, _("The group is invited. The employers see it now."))
                return redirect("demand:pool", uuid=pool.uuid)
        return render(request, "demand/pool.html", self._context(request, pool, form))


def rising_skills(region_codes: list[str]) -> list[tuple[str, float]]:
    """Return (label, change) of the radar's rising skills in the first region, or nothing without a radar."""
    if not region_codes:
        return []
    return _rising_skills(region_codes[0], get_language())


@page_cached
def _rising_skills(region: str, language: str) -> list[tuple[str, float]]:
    """Memoised per store and taxonomy version and language (store/cache.py): sorting the region's skill
    shares and labelling them was half of the gaps page's CPU, the same for every visitor until the radar
    or the taxonomy changes."""
    try:
        from wendbaar.radar.dashboards.services import end_month
        from wendbaar.radar.indicators.scope import Scope
        from wendbaar.radar.indicators.skills import skill_shares

        last = end_month()
        if last is None:
            return []
        shares = [s for s in skill_shares(Scope.of(region=region), last) if s.status == "rising"]
    except Exception:  # noqa: BLE001 - the radar store may be absent or empty; the gaps stand on their own
        return []
    shares.sort(key=lambda s: -s.change)
    labels = skill_labels(s.skill_uri for s in shares[:10])
    return [(labels[s.skill_uri], s.change) for s in shares[:10]]


class GapListView(RoleRequiredMixin, View):
    allowed_roles = GAP_READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        gaps = list(services.visible_gaps(request.user).filter(is_open=True)[:200])
        labels = skill_labels({u for g in gaps for u in g.missing})
        codes = sorted({g.region.code for g in gaps if g.region})
        if not codes:
            codes = sorted({r.code for r in _regions_of(request)})
        return render(
            request,
            "demand/gaps.html",
            {
                "gaps": [(g, [labels[u] for u in g.missing]) for g in gaps],
                "rising": rising_skills(codes),
                "region": codes[0] if codes else "",
                "may_export": bool(roles_of(request.user) & {Role.COORDINATOR, Role.ADMIN}),
            },
        )


def _regions_of(request: HttpRequest) -> list[Any]:
    from wendbaar.regions.models import Region

    ids = services.provider_region_ids(request.user)
    from wendbaar.regions.roles import coordinated_region_ids

    return list(Region.objects.filter(pk__in=ids | coordinated_region_ids(request.user)))


class GapView(RoleRequiredMixin, View):
    allowed_roles = GAP_READERS

    def _providers(self, request: HttpRequest) -> list[Any]:
        if Role.PROVIDER not in roles_of(request.user) and Role.ADMIN not in roles_of(request.user):
            return []
        return catalogue.managed_providers(request.user)

    def _render(self, request: HttpRequest, gap: Gap, form: ProposalForm | None) -> HttpResponse:
        labels = skill_labels([*gap.skills, *gap.missing])
        return render(
            request,
            "demand/gap.html",
            {
                "gap": gap,
                "missing": [labels[u] for u in gap.missing],
                "skills": [labels[u] for u in gap.skills],
                "proposals": list(gap.proposals.select_related("provider", "offering")),
                "form": form,
            },
        )

    def _form(self, providers: list[Any], data: Any = None) -> ProposalForm:
        offerings = list(services.proposable_offerings(providers))
        return ProposalForm(data, providers=providers, offerings=offerings)

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        gap = get_object_or_404(services.visible_gaps(request.user), uuid=uuid)
        providers = self._providers(request)
        return self._render(request, gap, self._form(providers) if providers else None)

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        gap = get_object_or_404(services.visible_gaps(request.user), uuid=uuid)
        providers = self._providers(request)
        if not providers:
            raise PermissionDenied
        form = self._form(providers, request.POST)
        if form.is_valid():
            chosen = [p for p in providers if str(p.uuid) == form.cleaned_data.get("provider")] or providers[:1]
            try:
                services.propose(gap=gap, provider=chosen[0], data=form.cleaned_data, by=request.user)
            except ValidationError as exc:
                for name, msgs in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, msgs)
            else:
                messages.success(request, _("Thank you. The region can see your proposal."))
                return redirect("demand:gap", uuid=gap.uuid)
        return self._render(request, gap, form)


class GapExportView(RoleRequiredMixin, View):
    """The gaps as CSV, for the regional table."""

    allowed_roles = frozenset({Role.COORDINATOR, Role.ADMIN})

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="gaten.csv"'
        writer = csv.writer(response)
        for row in services.gap_rows(services.visible_gaps(request.user)):
            writer.writerow(row)
        return response


class UploadView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def _form(self, request: HttpRequest, data: Any = None, files: Any = None) -> UploadForm:
        return UploadForm(data, files, organisations=services.demand_organisations(request.user))

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "demand/upload.html", {"form": self._form(request), "columns": _columns()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, request.POST, request.FILES)
        context: dict[str, Any] = {"form": form, "columns": _columns()}
        if form.is_valid():
            organisations = services.demand_organisations(request.user)
            chosen = [o for o in organisations if str(o.uuid) == form.cleaned_data.get("organisation")]
            organisation = chosen[0] if chosen else (organisations[0] if organisations else None)
            if organisation is None:
                raise PermissionDenied
            upload = form.cleaned_data["file"]
            try:
                text = upload.read().decode("utf-8-sig")
                report = importer.import_demands(
                    organisation=organisation, text=text, name=upload.name,
                    skip_invalid=form.cleaned_data["skip_invalid"], by=request.user,
                )  # fmt: skip
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text."))
            except importer.DemandImportError as exc:
                context["problems"] = exc.problems[:100]
            else:
                context["report"] = report
                context["upload"] = services.record_upload(
                    organisation=organisation, by=request.user, file_name=upload.name, read=report.read,
                    created=report.created, rejected=report.rejected, rejects=report.rejects,
                )  # fmt: skip
        return render(request, "demand/upload.html", context, status=400 if context.get("problems") else 200)


class UploadRejectsView(RoleRequiredMixin, View):
    """The lines an upload refused, as CSV (file, line, field, reason): for its organisation's people only (404)."""

    allowed_roles = WRITERS

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        upload = get_object_or_404(services.visible_uploads(request.user), uuid=uuid)
        response = HttpResponse(importer.rejects_csv(upload.rejects), content_type="text/csv; charset=utf-8")
        stem = re.sub(r"[^\w.-]", "_", upload.file_name.rsplit(".", 1)[0]) or "vraag"  # a safe header value
        response["Content-Disposition"] = f'attachment; filename="{stem}-afgewezen.csv"'
        return response


def _columns() -> list[str]:
    return [*importer.REQUIRED, *importer.OPTIONAL]
