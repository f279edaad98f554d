"""Pages of a person's own leerrekening: what they can spend, on what, until when, and their situation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from wendbaar.funding.accounts import queries, services
from wendbaar.funding.accounts.forms import SituationForm
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import RoleRequiredMixin


class MyAccountView(RoleRequiredMixin, TemplateView):
    """Mijn leerrekening: what the person can spend, on what, until when (only their own)."""

    allowed_roles = frozenset({Role.LEARNER})
    template_name = "funding/mine.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from wendbaar.enrolment.models import Enrolment

        context = super().get_context_data(**kwargs)
        context["entitlements"] = queries.learning_account(self.request.user)  # only the own account
        context["situation"] = services.situation_of(self.request.user)
        context["funds"] = queries.fund_eligibility(self.request.user)
        context["enrolments"] = Enrolment.objects.filter(person_id=self.request.user.pk).select_related("run__offering")
        return context


class SituationView(RoleRequiredMixin, FormView):
    """The person tells the funds where they live, their sector, diploma and work (only their own)."""

    allowed_roles = frozenset({Role.LEARNER})
    template_name = "funding/situation.html"
    form_class = SituationForm

    def get_initial(self) -> dict[str, Any]:
        situation = services.situation_of(self.request.user)
        if situation is None:
            return {}
        return {
            "region": situation.region, "sector": situation.sector, "education_level": situation.education_level,
            "employment_status": situation.employment_status, "birth_year": situation.birth_year,
        }  # fmt: skip

    def form_valid(self, form: SituationForm) -> HttpResponse:
        try:
            services.set_situation(person=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you. We saved your answers."))
        return redirect("funding:mine")
