"""What the passport's pages share: the base page, the language, how a passport is laid out."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.views.generic import TemplateView

from wendbaar.passport import services
from wendbaar.passport.constants import Strength
from wendbaar.passport.models import Credential, PassportSkill
from wendbaar.regions.permissions import AUTHENTICATED, RoleRequiredMixin


def lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


class PassportPage(RoleRequiredMixin, TemplateView):
    """A page for any logged-in person about their own passport (everyone can own one)."""

    allowed_roles = frozenset({AUTHENTICATED})


def skill_rows(skills: list[PassportSkill]) -> list[dict[str, Any]]:
    """Skills laid out for a page: label, strength in words and as a level 1-4, evidence."""
    language = lang()
    levels = {Strength.OWN: 1, Strength.SHOWN: 2, Strength.CERTIFIED: 3, Strength.VERIFIED: 4}
    rows = []
    for entry in skills:
        label = services.strength_label(entry.strength)
        text, text_language = entry.skill.preferred_label(language)
        rows.append(
            {
                "entry": entry,
                "label": text,
                # ESCO has no label in the page's language: the other one is shown, marked (as the skills pages do)
                "label_lang": text_language if text_language != language else "",
                "strength": Strength(label).label,
                "level": levels[Strength(label)],
                "evidence": list(entry.evidence.all()),
            }
        )
    return rows


def passport_context(shared: services.SharedPassport) -> dict[str, Any]:
    return {"skills": skill_rows(shared.skills), "credentials": shared.credentials, "everything": shared.everything}


def end_of_day(day: Any) -> datetime:
    """The end of `day` in the local time zone, as an aware datetime (consents and links end then)."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def add_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its fields where they exist, else on the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def own_or_403(queryset: QuerySet[Any], *, owner_field: str, user: Any, **lookup: Any) -> Any:
    """Return the object of `queryset` matching `lookup`: 404 if there is none, 403 if it is someone else's."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    if getattr(found, f"{owner_field}_id") != user.pk:
        raise PermissionDenied
    return found


def credential_label(credential: Credential) -> str:
    return f"{credential.achievement_name} ({credential.issuer_name})"
