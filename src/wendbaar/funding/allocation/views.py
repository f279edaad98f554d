"""Pages of the allocation rounds: the rounds with their rules and seed commitments, a fund's new round, and one
round, where a person applies and reads their outcome explained."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from wendbaar.funding.allocation import queries, services
from wendbaar.funding.allocation.forms import RoundForm
from wendbaar.funding.funds.queries import own_funds
from wendbaar.funding.models import Application, Round
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import RoleRequiredMixin
from wendbaar.regions.roles import roles_of

ROUND_ROLES = frozenset({Role.LEARNER, Role.FUND, Role.COORDINATOR, Role.ADMIN})


class RoundListView(RoleRequiredMixin, TemplateView):
    """The rounds of the funds: when they open, the rule, and the published seed commitment."""

    allowed_roles = ROUND_ROLES
    template_name = "funding/rounds.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rounds"] = Round.objects.select_related("fund__funder")
        context["may_open"] = Role.FUND in roles_of(self.request.user) and own_funds(self.request.user).exists()
        return context


class RoundCreateView(RoleRequiredMixin, FormView):
    """A fund opens a round for one of its own funds."""

    allowed_roles = frozenset({Role.FUND})
    template_name = "funding/round_form.html"
    form_class = RoundForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "funds": own_funds(self.request.user)}

    def form_valid(self, form: RoundForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            round = services.open_round(
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
            explanation=queries.explain_application(application) if application else [],
            seats=round.budget_cents // round.amount_per_person_cents, applications=round.applications.count(),
        )  # fmt: skip
        return context

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        round = get_object_or_404(Round, uuid=kwargs["uuid"])
        if Role.LEARNER not in roles_of(request.user):
            messages.error(request, _("Only a worker or job seeker can apply."))
            return redirect("funding:round", uuid=round.uuid)
        try:
            services.apply(round=round, person=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("You applied. After the window closes, the draw decides."))
        return redirect("funding:round", uuid=round.uuid)
