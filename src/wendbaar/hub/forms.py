"""Forms of the hub pages; the rules themselves live in services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wendbaar.hub.constants import ActionStatus, EventKind, Factor, InitiativeStatus, LinkKind, TargetGroup, Theme
from wendbaar.hub.models import Action, Event, Initiative
from wendbaar.regions.constants import Role, Sector
from wendbaar.regions.models import Organisation, Region

OWNER_HELP = _("Every action has exactly one owner: the person who makes it happen.")
CAPACITY_HELP = _("Leave empty for no limit. When it is full, people go on a waiting list.")
URL_RE = re.compile(r"https?://\S+")
FACTOR_HELP = _("Separate tags with a comma. Suggested: %(tags)s.")


def factor_help() -> str:
    # The suggested tags are names (the Turner/Kennispunt factors): marked as such, so the pages'
    # readability check scores the sentence around them, not the names.
    names = ", ".join(str(label) for label in Factor.labels)
    return format_html(str(FACTOR_HELP) % {"tags": "{tags}"}, tags=format_html("<span data-names>{}</span>", names))


class ServiceErrorsMixin:
    # Fields the service requires: marked "(required)" on the page but checked by the service, so a
    # person sees every problem of the form at once (the form alone would stop at the first missing field).
    service_required: tuple[str, ...] = ()

    def mark_service_required(self) -> None:
        for name in self.service_required:
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is not None:
                field.required = False
                field.shown_required = True

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's errors at the fields they name, the rest at the top."""
        fields = self.fields  # type: ignore[attr-defined]
        for field, messages in error.message_dict.items():
            self.add_error(field if field in fields else None, messages)  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search words"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", _("All themes")), *Theme.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Every status")), *InitiativeStatus.choices]
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])
    target_group = forms.ChoiceField(
        label=_("Target group"), required=False, choices=[("", _("All target groups")), *TargetGroup.choices]
    )
    factor = forms.ChoiceField(label=_("Factor"), required=False, choices=[("", _("Every factor")), *Factor.choices])
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = [("", _("All regions")), *Region.objects.values_list("code", "name")]
        self.fields["region"].choices = regions  # type: ignore[attr-defined]


def _tags(text: str) -> list[str]:
    # A suggested factor typed by its label, in the page's language or in English, is stored as its tag.
    labels = {str(label).lower(): value for value, label in Factor.choices}
    with translation.override("en"):
        labels.update({str(label).lower(): value for value, label in Factor.choices})
    out = []
    for part in text.split(","):
        tag = part.strip()
        if tag:
            out.append(labels.get(tag.lower(), tag))
    return out


def _results(text: str) -> list[dict[str, str]]:
    """One result per line: "label: figure", or a line with a web address (a link)."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        url = URL_RE.search(line)
        if url:
            label = (line[: url.start()] + line[url.end() :]).strip(" :-–") or url.group()
            out.append({"kind": "link", "label": label, "value": "", "url": url.group()})
        else:
            label, _sep, value = line.partition(":")
            out.append({"kind": "figure", "label": label.strip(), "value": value.strip(), "url": ""})
    return out


def results_text(results: list[dict[str, str]]) -> str:
    return "\n".join(
        f"{r['label']} {r['url']}" if r.get("url") else f"{r['label']}: {r.get('value', '')}" for r in results
    )


class InitiativeForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("What should the initiative achieve, and for whom?"))  # fmt: skip
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Choose a status")), *InitiativeStatus.choices])
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False, choices=Theme.choices,
                                       widget=forms.CheckboxSelectMultiple)  # fmt: skip
    sectors = forms.MultipleChoiceField(label=_("Sectors"), required=False, choices=Sector.choices,
                                        widget=forms.CheckboxSelectMultiple)  # fmt: skip
    target_groups = forms.MultipleChoiceField(label=_("Target groups"), required=False, choices=TargetGroup.choices,
                                              widget=forms.CheckboxSelectMultiple)  # fmt: skip
    success_factors = forms.CharField(label=_("What worked (success factors)"), required=False)
    failure_factors = forms.CharField(label=_("What did not work (failure factors)"), required=False)
    results = forms.CharField(
        label=_("Results with evidence"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('One result per line. A figure: "Participants: 45". A link or document: "Evaluation https://…".'),
    )  # fmt: skip
    actors = forms.ModelMultipleChoiceField(
        label=_("Organisations taking part"), required=False, queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    confirm_duplicate = forms.BooleanField(
        label=_("I checked the similar initiative: mine is a different one. Save it anyway."), required=False
    )

    service_required = ("title", "goal", "status")

    def __init__(self, *args: Any, region: Region | None = None, show_confirm: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mark_service_required()
        self.fields["success_factors"].help_text = factor_help()
        self.fields["failure_factors"].help_text = factor_help()
        if region is not None:
            self.fields["actors"].queryset = region.organisations.all()  # type: ignore[attr-defined]
        if not show_confirm:
            del self.fields["confirm_duplicate"]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["success_factors"] = _tags(data.get("success_factors", ""))
        data["failure_factors"] = _tags(data.get("failure_factors", ""))
        data["results"] = _results(data.get("results", ""))
        return data


class ReportForm(forms.Form):
    text = forms.CharField(label=_("What did you learn? What worked in your region, what did not?"),
                           widget=forms.Textarea(attrs={"rows": 5}))  # fmt: skip


def _region_people(region: Region) -> Any:
    user_model = get_user_model()
    in_region = Q(memberships__organisation__regions=region) | Q(memberships__region=region)
    return user_model.objects.filter(in_region).distinct().order_by("last_name", "first_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class ActionForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner = PersonChoiceField(label=_("Owner"), queryset=get_user_model().objects.none(), required=False,
                              empty_label=_("Choose one owner"),
                              help_text=OWNER_HELP)  # fmt: skip
    owner_organisation = forms.ModelChoiceField(label=_("Organisation of the owner"), required=False,
                                                queryset=Organisation.objects.none(),
                                                empty_label=_("Choose an organisation"))  # fmt: skip
    partners = forms.ModelMultipleChoiceField(label=_("Partners"), required=False, queryset=Organisation.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)  # fmt: skip
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("Today or later."))  # fmt: skip
    initiative = forms.ModelChoiceField(label=_("Initiative it supports"), required=False,
                                        queryset=Initiative.objects.none())  # fmt: skip

    service_required = ("title", "owner", "owner_organisation", "deadline")

    def __init__(self, *args: Any, region: Region, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_link_fields(self, region=region, user=user)
        self.mark_service_required()
        self.fields["owner"].queryset = _region_people(region)  # type: ignore[attr-defined]
        self.fields["owner_organisation"].queryset = region.organisations.all()  # type: ignore[attr-defined]
        self.fields["partners"].queryset = region.organisations.all()  # type: ignore[attr-defined]
        self.fields["initiative"].queryset = region.initiatives.all()  # type: ignore[attr-defined]


LINK_FIELDS = ("radar_occupation", "radar_skill", "demand_link")


def add_link_fields(form: forms.Form, *, region: Region, user: Any) -> None:
    """Add the fields that link an action to the radar and to a pool or gap of the region's demand."""
    from wendbaar.demand import services as demand

    form.fields["radar_occupation"] = forms.CharField(
        label=_("Occupation on the radar"), required=False, max_length=200,
        help_text=_("An ISCO code (for example 7212) or the ESCO address of an occupation."),
    )  # fmt: skip
    form.fields["radar_skill"] = forms.CharField(
        label=_("Skill on the radar"), required=False, max_length=200, help_text=_("The ESCO address of a skill.")
    )
    choices: list[tuple[str, Any]] = [("", _("None"))]
    # Only the columns the labels need: the pools' other JSON columns and joined offerings were read for nothing.
    visible = demand.visible_pools(user).select_related(None).only("uuid", "people", "skills", "region_codes")
    pools = [p for p in visible.order_by("-people", "pk")[:500] if region.code in p.region_codes]
    for pool in pools[:100]:
        label = _("Group of %(people)d people, %(skills)d shared skills") % {
            "people": pool.people, "skills": len(pool.skills)}  # fmt: skip
        choices.append((f"pool:{pool.uuid}", label))
    for gap in demand.visible_gaps(user).filter(region=region, is_open=True).order_by("-people", "pk")[:100]:
        label = _("Gap: %(people)d people, %(missing)d skills missing") % {
            "people": gap.people, "missing": len(gap.missing)}  # fmt: skip
        choices.append((f"gap:{gap.uuid}", label))
    form.fields["demand_link"] = forms.ChoiceField(
        label=_("Group or gap in the demand"), required=False, choices=choices,
        help_text=_("The groups and gaps of this region that you may see."),
    )  # fmt: skip


def new_links(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Take the link fields out of cleaned data; return them as (kind, target) pairs for the services."""
    links = []
    occupation, skill = data.pop("radar_occupation", "").strip(), data.pop("radar_skill", "").strip()
    demand_link = data.pop("demand_link", "")
    if occupation:
        links.append((LinkKind.RADAR_OCCUPATION.value, occupation))
    if skill:
        links.append((LinkKind.RADAR_SKILL.value, skill))
    if demand_link:
        kind, _sep, target = demand_link.partition(":")
        links.append((kind, target))
    return links


class ActionUpdateForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note for the history"), required=False)

    def __init__(
        self, *args: Any, owner_only: bool = False, action: Action | None = None, user: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.existing: list[tuple[str, str]] = []
        if owner_only:
            del self.fields["deadline"]
        elif action is not None:
            from wendbaar.hub.links import shown_links

            shown = shown_links(action, user)
            self.existing = [(link.kind, link.target) for link in shown]
            if shown:
                self.fields["remove_links"] = forms.MultipleChoiceField(
                    label=_("Remove links"), required=False, widget=forms.CheckboxSelectMultiple,
                    choices=[(f"{link.kind}:{link.target}", f"{link.kind_label}: {link.label}") for link in shown],
                )  # fmt: skip
            add_link_fields(self, region=action.region, user=user)

    def links(self, data: dict[str, Any]) -> list[tuple[str, str]] | None:
        """Take the link fields out of cleaned data: the links kept plus the new ones (None: not offered)."""
        if "radar_skill" not in self.fields:
            return None
        removed = set(data.pop("remove_links", []) or [])
        kept = [(kind, target) for kind, target in self.existing if f"{kind}:{target}" not in removed]
        return kept + new_links(data)


class EventForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Choose a kind")), *EventKind.choices])
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), to_field_name="code",
                                    empty_label=_("Choose a region"))  # fmt: skip
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=Organisation.objects.none(),
                                       empty_label=_("Choose an organisation"))  # fmt: skip
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                    help_text=_("Time in the Netherlands."))  # fmt: skip
    ends_at = forms.DateTimeField(label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    location = forms.CharField(label=_("Place"), required=False, help_text=_("Address, or leave empty when online."))
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("Number of places"), required=False,
                                  help_text=CAPACITY_HELP)  # fmt: skip
    occupation_uri = forms.CharField(label=_("Occupation (ESCO address), for a trial placement"), required=False)

    service_required = ("kind", "title", "organiser", "starts_at", "ends_at")

    def __init__(self, *args: Any, user: Any, event: Event | None = None, **kwargs: Any) -> None:
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = event_initial(event)
        super().__init__(*args, **kwargs)
        self.mark_service_required()
        from wendbaar.hub.access import is_admin
        from wendbaar.regions.roles import coordinated_region_ids, organisation_ids

        if is_admin(user):
            organisations = Organisation.objects.all()
        else:
            mine = Q(pk__in=organisation_ids(user)) | Q(regions__in=coordinated_region_ids(user))
            if event is not None:  # the current organiser stays a choice for the coordinator who edits
                mine |= Q(pk=event.organiser_id)
            organisations = Organisation.objects.filter(mine).distinct()
        self.fields["organiser"].queryset = organisations  # type: ignore[attr-defined]
        if event is not None:
            del self.fields["region"]  # an event stays in its region


def event_initial(event: Event) -> dict[str, Any]:
    """Return the form's initial values of an event (times in the Netherlands, as the form shows them)."""
    from django.utils import timezone

    initial: dict[str, Any] = {name: getattr(event, name) for name in (
        "kind", "title", "description", "organiser", "location", "online_url", "capacity", "occupation_uri",
    )}  # fmt: skip
    for name in ("starts_at", "ends_at"):
        initial[name] = timezone.localtime(getattr(event, name)).strftime("%Y-%m-%dT%H:%M")
    return initial


class ProfileForm(ServiceErrorsMixin, forms.Form):
    findable = forms.BooleanField(label=_("Others may find me on the board (matchmaking)"), required=False)
    works_on = forms.CharField(label=_("What I work on"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    offers = forms.CharField(label=_("What I offer"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    seeks = forms.CharField(label=_("What I am looking for"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    region = forms.ModelChoiceField(label=_("My region"), queryset=Region.objects.all(), required=False,
                                    empty_label=_("No region"))  # fmt: skip
    organisation = forms.ModelChoiceField(label=_("My organisation"), queryset=Organisation.objects.none(),
                                          required=False, empty_label=_("No organisation"))  # fmt: skip
    learning_ambassador = forms.BooleanField(label=_("I am a learning ambassador at my organisation"), required=False)
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False, choices=Theme.choices,
                                       widget=forms.CheckboxSelectMultiple)  # fmt: skip
    sectors = forms.MultipleChoiceField(label=_("Sectors"), required=False, choices=Sector.choices,
                                        widget=forms.CheckboxSelectMultiple)  # fmt: skip
    target_groups = forms.MultipleChoiceField(label=_("Target groups"), required=False, choices=TargetGroup.choices,
                                              widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(memberships__user=user).distinct()
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if not user.memberships.exclude(organisation=None).exclude(role=Role.LEARNER).exists():
            del self.fields["learning_ambassador"]
