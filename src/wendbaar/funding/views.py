"""Pages of the funding app: my learning account, my situation, allocation rounds, a fund's staff's own funds
(the monitor: monitor/views.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from wendbaar.funding.accounts import queries as account_queries
from wendbaar.funding.accounts import services as accounts
from wendbaar.funding.allocation import queries as round_queries
from wendbaar.funding.allocation import services as allocation
from wendbaar.funding.forms import FundForm, GrantForm, MoneyForm, RoundForm, SituationForm
from wendbaar.funding.funds import queries as fund_queries
from wendbaar.funding.funds import services as fund_services
from wendbaar.funding.models import Application, Fund, Round
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Organisation
from wendbaar.regions.permissions import RoleRequiredMixin
from wendbaar.regions.roles import organisation_ids, roles_of


class MyAccountView(RoleRequiredMixin, TemplateView):
    """Mijn leerrekening: what the person can spend, on what, until when (only their own)."""

    allowed_roles = frozenset({Role.LEARNER})
    template_name = "funding/mine.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from wendbaar.enrolment.models import Enrolment

        context = super().get_context_data(**kwargs)
        context["entitlements"] = account_queries.learning_account(self.request.user)  # only the own account
        context["situation"] = accounts.situation_of(self.request.user)
        context["funds"] = account_queries.fund_eligibility(self.request.user)
        context["enrolments"] = Enrolment.objects.filter(person_id=self.request.user.pk).select_related("run__offering")
        return context


class SituationView(RoleRequiredMixin, FormView):
    """The person tells the funds where they live, their sector, diploma and work (only their own)."""

    allowed_roles = frozenset({Role.LEARNER})
    template_name = "funding/situation.html"
    form_class = SituationForm

    def get_initial(self) -> dict[str, Any]:
        situation = accounts.situation_of(self.request.user)
        if situation is None:
            return {}
        return {
            "region": situation.region, "sector": situation.sector, "education_level": situation.education_level,
            "employment_status": situation.employment_status, "birth_year": situation.birth_year,
        }  # fmt: skip

    def form_valid(self, form: SituationForm) -> HttpResponse:
        try:
            accounts.set_situation(person=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you. We saved your answers."))
        return redirect("funding:mine")


ROUND_ROLES = frozenset({Role.LEARNER, Role.FUND, Role.COORDINATOR, Role.ADMIN})


def _own_funds(user: Any) -> Any:
    return Fund.objects.filter(funder_id__in=organisation_ids(user, role=Role.FUND))


class RoundListView(RoleRequiredMixin, TemplateView):
    """The rounds of the funds: when they open, the rule, and the published seed commitment."""

    allowed_roles = ROUND_ROLES
    template_name = "funding/rounds.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rounds"] = Round.objects.select_related("fund__funder")
        context["may_open"] = Role.FUND in roles_of(self.request.user) and _own_funds(self.request.user).exists()
        return context


class RoundCreateView(RoleRequiredMixin, FormView):
    """A fund opens a round for one of its own funds."""

    allowed_roles = frozenset({Role.FUND})
    template_name = "funding/round_form.html"
    form_class = RoundForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "funds": _own_funds(self.request.user)}

    def form_valid(self, form: RoundForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            round = allocation.open_round(
                fund=data["fund"], name=data["name"], opens_at=data["opens_at"], closes_at=data["closes_at"],
                amount_per_person_cents=data["amount_per_person"] * 100, budget_cents=data["budget"] * 100,
                rule=data["rule"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("The round is made. Its rules and the lottery code are now public."))
        return redirect("funding:round", uuid=round.uuid)


class RoundDetailView(RoleRequiredMixin, TemplateView):
    """One round: the rule and the commitment; a person applies here and reads their outcome."""

    allowed_roles = ROUND_ROLES
    template_name = "funding/round.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        round = get_object_or_404(Round.objects.select_related("fund__funder"), uuid=self.kwargs["uuid"])
        user = self.request.user
        application = Application.objects.filter(round=round, person_id=user.pk).select_related("round").first()
        context.update(
            round=round, application=application, is_learner=Role.LEARNER in roles_of(user),
            explanation=round_queries.explain_application(application) if application else [],
            seats=round.budget_cents // round.amount_per_person_cents, applications=round.applications.count(),
        )  # fmt: skip
        return context

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        round = get_object_or_404(Round, uuid=kwargs["uuid"])
        if Role.LEARNER not in roles_of(request.user):
            messages.error(request, _("Only a worker or job seeker can apply."))
            return redirect("funding:round", uuid=round.uuid)
        try:
            allocation.apply(round=round, person=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("You applied. After the window closes, the draw decides."))
        return redirect("funding:round", uuid=round.uuid)


# --- a fund's own staff: their funds, a new fund with its rules, money in, entitlements out ------------

FUND_STAFF = frozenset({Role.FUND})


def _funders(user: Any) -> Any:
    return Organisation.objects.filter(pk__in=organisation_ids(user, role=Role.FUND)).order_by("name")


def _own_fund(user: Any, uuid: Any) -> Fund:
    """One of the user's own funds; another's does not exist for them (404)."""
    return get_object_or_404(_own_funds(user).select_related("funder"), uuid=uuid)


class FundListView(RoleRequiredMixin, TemplateView):
    """A fund's staff see their own funds (only those of their own organisations) with the money left."""

    allowed_roles = FUND_STAFF
    template_name = "funding/funds.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["funds"] = fund_queries.funds_overview(_own_funds(self.request.user))
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
            fund = fund_services.create_fund(by=self.request.user, **form.service_arguments())
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
            fund=fund, rules=fund_queries.fund_rules(fund), balance=fund_queries.fund_balance(fund),
            entitlements=fund_queries.fund_entitlements(fund),
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
                    person = fund_services.find_person(data["person"])
                    fund_services.grant(by=request.user, fund=fund, person=person, amount_cents=data["amount"] * 100,
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
                data = money_form.cleaned_data
                fund_services.add_money(by=request.user, fund=fund, amount_cents=data["amount"] * 100, key=data["key"])
            except ValidationError as error:
                money_form.add_service_errors(error)
            else:
                messages.success(request, _("The money is in the fund."))
                return redirect("funding:fund", uuid=fund.uuid)
        return self.render_to_response(self.get_context_data(money_form=money_form, **kwargs), status=400)
