"""What an agenda action links to, as the viewer may see it: a link to a page they may open, or plain text
that names nothing they may not see (a pool of another region's employers stays "a group in the demand")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import resolve, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wendbaar.hub.constants import LinkKind
from wendbaar.hub.models import Action, ActionLink
from wendbaar.regions.permissions import ANYONE, AUTHENTICATED
from wendbaar.regions.roles import roles_of
from wendbaar.skills.models import Concept, Kind
from wendbaar.skills.services import preferred_labels

MAX_SKILLS_NAMED = 3


@dataclass(frozen=True)
class ShownLink:
    kind: str
    kind_label: str
    target: str
    label: str  # what this viewer may read
    url: str | None  # None: shown as text (not theirs to open, or gone)
    exists: bool = True


def may_open(user: Any, url: str) -> bool:
    """Whether the roles of `user` open the page at `url` (the view's own allowed_roles decide)."""
    match = resolve(url.split("?", 1)[0])
    view_class = getattr(match.func, "view_class", None)
    allowed = set(getattr(view_class, "allowed_roles", frozenset()))
    if ANYONE in allowed:
        return True
    if not user.is_authenticated:
        return False
    return AUTHENTICATED in allowed or bool(roles_of(user) & allowed)


def _concept_label(concept: Concept | None, fallback: str) -> str:
    if concept is None:
        return fallback
    text, _lang = concept.preferred_label((get_language() or "nl")[:2])
    return text


def _labels(uris: list[str]) -> dict[str, str]:
    concepts = Concept.objects.filter(uri__in=uris).prefetch_related(preferred_labels())
    return {c.uri: _concept_label(c, c.uri) for c in concepts}


def _radar(link: ActionLink, action: Action, user: Any) -> ShownLink:
    kind_label = str(LinkKind(link.kind).label)
    region = action.region.code
    if link.kind == LinkKind.RADAR_OCCUPATION:
        groups = Concept.objects.filter(kind=Kind.ISCO_GROUP, code=link.target)
        concept = groups.prefetch_related(preferred_labels()).first()
        label = _concept_label(concept, f"ISCO {link.target}")
        url = reverse("radar:occupation", kwargs={"region": region, "group": link.target})
    else:
        label = _labels([link.target]).get(link.target, link.target)
        from urllib.parse import urlencode

        url = reverse("radar:skill", kwargs={"region": region}) + "?" + urlencode({"uri": link.target})
    label = _("%(name)s in %(region)s") % {"name": label, "region": region}
    return ShownLink(link.kind, kind_label, link.target, label, url if may_open(user, url) else None)


def _demand(link: ActionLink, user: Any) -> ShownLink:
    from wendbaar.demand import services as demand
    from wendbaar.demand.models import Gap, Pool

    kind_label = str(LinkKind(link.kind).label)
    model = Pool if link.kind == LinkKind.POOL else Gap
    if not model.objects.filter(uuid=link.target).exists():
        return ShownLink(link.kind, kind_label, link.target, _("no longer there (the demand was pooled again)"), None,
                         exists=False)  # fmt: skip
    visible = demand.visible_pools(user) if link.kind == LinkKind.POOL else demand.visible_gaps(user)
    found = visible.filter(uuid=link.target).first()
    if found is None:  # not theirs to see: no skills, no counts, no names
        hidden = _("a group in the demand that you cannot open") if link.kind == LinkKind.POOL else _(
            "a gap in the offer that you cannot open"
        )
        return ShownLink(link.kind, kind_label, link.target, hidden, None)
    uris = list((found.skills if isinstance(found, Pool) else (found.missing or found.skills))[:MAX_SKILLS_NAMED])
    names = _labels(uris)
    skills = ", ".join(names.get(uri, uri) for uri in uris)
    label = _("%(people)d people: %(skills)s") % {"people": found.people, "skills": skills or "–"}
    name = "demand:pool" if link.kind == LinkKind.POOL else "demand:gap"
    url = reverse(name, kwargs={"uuid": found.uuid})
    return ShownLink(link.kind, kind_label, link.target, label, url if may_open(user, url) else None)


def shown_links(action: Action, user: Any) -> list[ShownLink]:
    """Return the action's links as `user` may see them."""
    out = []
    for link in action.links.all():
        if link.kind in (LinkKind.RADAR_OCCUPATION, LinkKind.RADAR_SKILL):
            out.append(_radar(link, action, user))
        else:
            out.append(_demand(link, user))
    return out
