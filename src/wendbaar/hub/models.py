"""Models of the hub app: initiatives and adoptions, profiles, agenda actions, events, search terms."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wendbaar.hub.constants import (
    ActionStatus,
    EventKind,
    InitiativeStatus,
    LinkKind,
    RegistrationStatus,
)
from wendbaar.regions.models import Organisation, Region


class Initiative(models.Model):
    """An LLO initiative or pilot: what it wants, who takes part, what worked and what did not."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="initiatives")
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"))
    description = models.TextField(_("description"), blank=True, default="")
    # Lists of choice values (constants.Theme, Sector, TargetGroup); checked by the services.
    themes = models.JSONField(default=list, blank=True)
    sectors = models.JSONField(default=list, blank=True)
    target_groups = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=InitiativeStatus.choices)
    # Factor tags: suggested constants.Factor values or a region's own short tag.
    success_factors = models.JSONField(default=list, blank=True)
    failure_factors = models.JSONField(default=list, blank=True)
    # Results with evidence: [{"kind": figure|link|document, "label": ..., "value": ..., "url": ...}]
    results = models.JSONField(default=list, blank=True)
    actors = models.ManyToManyField(Organisation, related_name="hub_initiatives", blank=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="hub_contact_for"
    )
    # Skills the engine read in the goal and description, at save time: [[uri, label], ...].
    skills = models.JSONField(default=list, blank=True)
    adopted_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="adoptions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class AdoptionReport(models.Model):
    """What a region that adopted an initiative reports back to the origin."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    adoption = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class InitiativeTerm(models.Model):
    """One search term or matchmaking feature of an initiative (a word stem, or `theme:demand`, ...)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=160)
    weight = models.FloatField(default=1.0)

    class Meta:
        # Covering (weight included): ranking reads only the index, never the table rows.
        indexes = [models.Index(fields=["term", "initiative", "weight"], name="hub_initiative_term")]


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Profile(models.Model):
    """A person's card on the board: what they work on, offer and seek. Findable only when opted in."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hub_profile")
    findable = models.BooleanField(_("findable by others"), default=False)
    region = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="hub_profiles"
    )
    works_on = models.TextField(_("what I work on"), blank=True, default="")
    offers = models.TextField(_("what I offer"), blank=True, default="")
    seeks = models.TextField(_("what I am looking for"), blank=True, default="")
    themes = models.JSONField(default=list, blank=True)
    sectors = models.JSONField(default=list, blank=True)
    target_groups = models.JSONField(default=list, blank=True)
    skills = models.JSONField(default=list, blank=True)
    # The secret in the address of the person's own calendar and feed (calendar apps cannot log in).
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"profile of {self.user}"


class ProfileTerm(models.Model):
    """A matchmaking feature of a findable profile; profiles that are not findable have none."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=160)
    weight = models.FloatField(default=1.0)

    class Meta:
        indexes = [models.Index(fields=["term", "profile", "weight"], name="hub_profile_term")]


class Action(models.Model):
    """An action of a region's human capital agenda, with exactly one owner."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agenda_actions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hub_actions")
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="hub_owned_actions")
    partners = models.ManyToManyField(Organisation, related_name="hub_partner_actions", blank=True)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    # What the action addresses: an initiative here, a radar indicator, a pool or gap in demand.
    initiative = models.ForeignKey(
        Initiative, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_actions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline", "title"]

    def __str__(self) -> str:
        return self.title


class ActionLink(models.Model):
    """A typed reference from an action to what it addresses: a radar page (occupation group or skill in the
    action's region) or a pool or gap of the demand. Kept by its identity (ISCO code, ESCO URI, UUID) and
    not as a foreign key: pools are re-formed by pooling runs, and a link to one that is gone says so."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    target = models.CharField(max_length=200)  # ISCO group code | ESCO skill URI | pool UUID | gap UUID

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["action", "kind", "target"], name="hub_action_link_unique")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.target}"


class ActionChange(models.Model):
    """One entry of an action's history: who changed what, when (old and new values)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(default=dict)  # {field: [old, new]}; creation has {"created": [null, title]}
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-changed_at", "-pk"]


class Event(models.Model):
    """An event on a region's calendar: an open day, a trial placement, an information session, ..."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="hub_events")
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    organiser = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="hub_events")
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="hub_events"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("place"), max_length=300, blank=True, default="")
    online_url = models.URLField(_("online link"), blank=True, default="")
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)  # None: no limit
    sectors = models.JSONField(default=list, blank=True)
    # For trial placements and job rotation: the occupation offered (ESCO URI), read by the loopbaan-APK.
    occupation_uri = models.CharField(_("occupation (ESCO)"), max_length=200, blank=True, default="")
    skills = models.JSONField(default=list, blank=True)
    cancelled = models.BooleanField(default=False)
    sequence = models.PositiveIntegerField(default=0)  # RFC 5545 SEQUENCE: raised on every change
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="hub_event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class EventChange(models.Model):
    """One change of an event (who, when, which fields from what to what), told to the people registered."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    sequence = models.PositiveIntegerField()  # the event's SEQUENCE after this change
    changes = models.JSONField(default=dict)  # {field: [old, new]} as shown; a cancellation: {"cancelled": [...]}

    class Meta:
        ordering = ["sequence", "pk"]


class RegistrationNotice(models.TextChoices):
    """What happened to a registration that the person has not seen yet (beside changes of the event)."""

    NONE = "", "-"
    TO_WAITING = "to_waiting", _("Moved to the waiting list: the event has fewer places now")
    MOVED_UP = "moved_up", _("A place came free: you are registered now")


class Registration(models.Model):
    """A person's place at an event, or on its waiting list."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hub_registrations")
    status = models.CharField(max_length=16, choices=RegistrationStatus.choices)
    # The event's SEQUENCE the person last saw: a higher one on the event means news for them.
    seen_sequence = models.PositiveIntegerField(default=0)
    notice = models.CharField(max_length=16, choices=RegistrationNotice.choices, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="hub_registration_unique")]
