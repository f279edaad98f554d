"""Sharing: consents to organisations and people, share links, the view log, and what others shared with me."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from wendbaar.passport import services
from wendbaar.passport.constants import Scope, ViewChannel
from wendbaar.passport.forms import ConsentForm, ShareLinkForm
from wendbaar.passport.models import Consent, ShareLink
from wendbaar.passport.views.common import (
    PassportPage,
    add_errors,
    credential_label,
    end_of_day,
    lang,
    passport_context,
)
from wendbaar.passport.views.owner import render_passport_pdf
from wendbaar.regions.permissions import ANYONE, RoleRequiredMixin
from wendbaar.regions.roles import organisation_ids


class SharingView(PassportPage):
    """Who may see my passport: give and revoke consent, make and stop share links."""

    template_name = "passport/sharing.html"

    def consent_form(self, data: Any = None) -> ConsentForm:
        user = self.request.user
        skills = [(str(s.uuid), s.skill.preferred_label(lang())[0]) for s in services.skills_of(user)]
        credentials = [(str(c.uuid), credential_label(c)) for c in services.credentials_of(user)]
        return ConsentForm(data, skills=skills, credentials=credentials, prefix="consent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        now = timezone.now()
        consents = list(services.consents_of(user))
        language = lang()
        for consent in consents:
            names = [s.skill.preferred_label(language)[0] for s in consent.skills.all()]
            names += [c.achievement_name for c in consent.credentials.all()]
            consent.summary = ", ".join(names)  # type: ignore[attr-defined]
        context.update(
            consent_form=kwargs.get("consent_form") or self.consent_form(),
            link_form=kwargs.get("link_form") or ShareLinkForm(prefix="link"),
            active=[c for c in consents if c.revoked_at is None and c.valid_until > now],
            ended=[c for c in consents if not (c.revoked_at is None and c.valid_until > now)][:20],
            links=list(ShareLink.objects.filter(person=user.pk, revoked_at__isnull=True, expires_at__gt=now)),
            new_link=kwargs.get("new_link"),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if "revoke_consent" in request.POST:
            consent = get_object_or_404(Consent, uuid=request.POST["revoke_consent"], person=user)
            services.revoke_consent(person=user, consent=consent)
            messages.success(request, _("Permission withdrawn. From now on they cannot see your passport."))
            return HttpResponseRedirect(request.path)
        if "revoke_link" in request.POST:
            link = get_object_or_404(ShareLink, uuid=request.POST["revoke_link"], person=user)
            services.revoke_share_link(person=user, link=link)
            messages.success(request, _("The link no longer works."))
            return HttpResponseRedirect(request.path)
        if "make_link" in request.POST:
            link_form = ShareLinkForm(request.POST, prefix="link")
            if link_form.is_valid():
                try:
                    _link, token = services.create_share_link(
                        person=user,
                        expires_at=end_of_day(link_form.cleaned_data["expires_on"]),
                        label=link_form.cleaned_data["label"],
                    )
                except ValidationError as exc:
                    add_errors(link_form, exc)
                else:
                    url = request.build_absolute_uri(reverse("passport:share-link", args=[token]))
                    return self.render_to_response(self.get_context_data(new_link=url))
            return self.render_to_response(self.get_context_data(link_form=link_form))
        form = self.consent_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            skills = (
                list(services.skills_of(user).filter(uuid__in=data["skills"])) if data["scope"] == Scope.SKILLS else []
            )
            credentials = (
                list(services.credentials_of(user).filter(uuid__in=data["credentials"]))
                if data["scope"] == Scope.CREDENTIALS
                else []
            )
            try:
                services.give_consent(
                    person=user,
                    organisation=data["organisation"],
                    grantee=data["person"],
                    scope=data["scope"],
                    skills=skills,
                    credentials=credentials,
                    valid_until=end_of_day(data["valid_until"]),
                    purpose=data["purpose"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Permission given."))
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(consent_form=form))


class ViewLogView(PassportPage):
    """Who has looked at my passport: person, organisation, when, what."""

    template_name = "passport/views_log.html"
    per_page = 50  # a page a person can read; the log itself is kept whole

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # An unknown or out-of-range ?page= gives the first or the last page, never an error.
        page = Paginator(services.views_of(self.request.user), self.per_page).get_page(self.request.GET.get("page"))
        context.update(views=list(page), page=page)
        return context


class SharedWithMeView(PassportPage):
    """Passports others let me (or my organisation) see."""

    template_name = "passport/shared_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["consents"] = list(
            Consent.objects.filter(revoked_at__isnull=True, valid_until__gt=timezone.now())
            .filter(Q(grantee_user=user) | Q(grantee_organisation_id__in=organisation_ids(user)))
            .select_related("person", "grantee_organisation")
        )
        return context


class SharedPassportView(PassportPage):
    """Someone's passport shared with me through a consent: checked and logged on every view."""

    template_name = "passport/shared.html"
    channel = ViewChannel.PAGE

    def shared(self) -> tuple[Consent, services.SharedPassport]:
        consent = Consent.objects.filter(uuid=self.kwargs["uuid"]).select_related("person").first()
        if consent is None:
            raise Http404
        shared = services.shared_passport(
            viewer=self.request.user, person=consent.person, channel=self.channel, what=_("passport")
        )
        if shared is None:
            raise PermissionDenied  # no valid consent for this viewer (any more)
        return consent, shared

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        consent, shared = self.shared()
        if self.channel == ViewChannel.PDF:
            return render_passport_pdf(
                request, person=consent.person, shared=shared, shared_by=consent.person.get_username()
            )
        context = self.get_context_data(**kwargs)
        context.update(passport_context(shared), person=consent.person, consent=consent)
        return self.render_to_response(context)


class SharedPassportPdfView(SharedPassportView):
    channel = ViewChannel.PDF


class ShareLinkView(RoleRequiredMixin, TemplateView):
    """A passport opened through a share link (no account needed) until the link expires; logged."""

    allowed_roles = frozenset({ANYONE})
    template_name = "passport/shared.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        shared = services.open_share_link(
            token=kwargs["token"], viewer=request.user if request.user.is_authenticated else None
        )
        if shared is None:
            response = self.render_to_response({"expired": True})
            response.status_code = 404
            return response
        context = self.get_context_data(**kwargs)
        context.update(passport_context(shared), person=shared.person, via_link=True)
        return self.render_to_response(context)
