"""Pages of a fund's own staff: their funds, a new fund with its rules, money in, entitlements out (only their own
organisation's funds; another's is a 404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from wendbaar.funding.funds import queries, services
from wendbaar.funding.funds.forms import FundForm, GrantForm, MoneyForm
from wendbaar.funding.funds.queries import own_funds
from wendbaar.funding.models import Fund
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Organisation
from wendbaar.regions.permissions import RoleRequiredMixin
from wendbaar.regions.roles import organisation_ids

FUND_STAFF = frozenset({Role.FUND})


def _funders(user: Any) -> Any:
    return Organisation.objects.filter(pk__in=organisation_ids(user, role=Role.FUND)).order_by("name")


def _own_fund(user: Any, uuid: Any) -> Fund:
    """One of the user's own funds; another's does not exist for them (404)."""
    return get_object_or_404(own_funds(user).select_related("funder"), uuid=uuid)


class FundListView(RoleRequiredMixin, TemplateView):
    """A fund's staff see their own funds (only those of their own organisations) with the money left."""

    allowed_roles = FUND_STAFF
    template_name = "funding/funds.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["funds"] = queries.funds_overview(own_funds(self.request.user))
        return context


class FundCreateView(RoleRequiredMixin, FormView):
    """A fund's staff make a fund with its rules for their own organisation (`services.create_fund`)."""

    allowed_roles = FUND_STAFF
    template_name = "funding/fund_form.html"
    form_class = FundForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "funders": _funders(self.request.user)}

    def get_initial(self) -> dict[str, Any]:
        return {"valid_from": timezone.localdate()}

    def form_valid(self, form: FundForm) -> HttpResponse:
        try:
            fund = services.create_fund(by=self.request.user, **form.service_arguments()).fund
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("The fund is made. You can now give people money from it."))
        return redirect("funding:fund", uuid=fund.uuid)


class FundView(RoleRequiredMixin, TemplateView):
    """One own fund: its rules, its money, the people who got money; staff add money and give entitlements."""

    allowed_roles = FUND_STAFF
    template_name = "funding/fund.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        fund = _own_fund(self.request.user, self.kwargs["uuid"])
        context.update(
            fund=fund, rules=queries.fund_rules(fund), balance=queries.fund_balance(fund),
            entitlements=queries.fund_entitlements(fund),
            money_form=kwargs.get("money_form") or MoneyForm(prefix="money"),
            grant_form=kwargs.get("grant_form") or GrantForm(prefix="grant"),
        )  # fmt: skip
        return context

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        fund = _own_fund(request.user, kwargs["uuid"])
        if request.POST.get("action") == "grant":
            grant_form = GrantForm(request.POST, prefix="grant")
            if grant_form.is_valid():
                data = grant_form.cleaned_data
                try:
                    person = services.find_person(data["person"])
                    services.grant(by=request.user, fund=fund, person=person, amount_cents=data["amount"] * 100,
                                   key=data["key"])  # fmt: skip
                except ValidationError as error:
                    grant_form.add_service_errors(error)
                else:
                    messages.success(request, _("The person got the money in their learning account."))
                    return redirect("funding:fund", uuid=fund.uuid)
            return self.render_to_response(self.get_context_data(grant_form=grant_form, **kwargs), status=400)
        money_form = MoneyForm(request.POST, prefix="money")
        if money_form.is_valid():
            try:
                services.add_money(by=request.user, fund=fund, amount_cents=money_form.cleaned_data["amount"] * 100,
                                   key=money_form.cleaned_data["key"])  # fmt: skip
            except ValidationError as error:
                money_form.add_service_errors(error)
            else:
                messages.success(request, _("The money is in the fund."))
                return redirect("funding:fund", uuid=fund.uuid)
        return self.render_to_response(self.get_context_data(money_form=money_form, **kwargs), status=400)
