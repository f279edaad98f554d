"""The human capital agenda: exactly one owner, no deadline in the past at creation, only the region's
coordinators (and owners, for their own actions) edit, a change history, a late overview and a PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from tests.hub.conftest import Hub
from wendbaar.hub import services
from wendbaar.hub.models import Action, ActionChange

pytestmark = pytest.mark.django_db


def _action(hub: Hub, **fields: object) -> Action:
    data: dict = {
        "by": hub.coordinator, "region": hub.am22, "title": "Scholingsfonds voor de haven",
        "owner": hub.employer, "owner_organisation": hub.organisation("Havenbouw Demo BV"),
        "deadline": timezone.localdate() + dt.timedelta(days=30),
    }  # fmt: skip
    data.update(fields)
    return services.create_action(**data)


def test_an_action_without_owner_and_with_a_past_deadline_is_refused_with_both_errors(hub: Hub) -> None:
    with pytest.raises(ValidationError) as caught:
        _action(hub, owner=None, deadline=timezone.localdate() - dt.timedelta(days=1))
    errors = caught.value.message_dict
    assert "precies één eigenaar" in errors["owner"][0]  # the user's language: Dutch first
    assert "verleden" in errors["deadline"][0]
    assert Action.objects.count() == 0 and ActionChange.objects.count() == 0


def test_today_is_a_valid_deadline(hub: Hub) -> None:
    assert _action(hub, deadline=timezone.localdate()).deadline == timezone.localdate()


def test_the_owner_organisation_and_partners_take_part_in_the_region(hub: Hub) -> None:
    from wendbaar.regions.models import Organisation

    utrecht = Organisation.objects.get(name="Zorg Utrecht Demo")
    with pytest.raises(ValidationError) as caught:
        _action(hub, owner_organisation=utrecht, partners=[utrecht])
    assert {"owner_organisation", "partners"} <= set(caught.value.message_dict)


def test_only_the_regions_coordinators_add_actions(hub: Hub) -> None:
    for outsider in (hub.other_coordinator, hub.employer, hub.learner):
        with pytest.raises(PermissionDenied):
            _action(hub, by=outsider)
    assert Action.objects.count() == 0
    _action(hub, by=hub.admin)


def test_owner_changes_status_only_and_every_change_is_in_the_history(hub: Hub) -> None:
    action = _action(hub)
    services.update_action(by=hub.employer, action=action, status="in_progress", note="Eerste gesprek gehad")
    with pytest.raises(PermissionDenied):
        services.update_action(by=hub.employer, action=action, deadline=action.deadline + dt.timedelta(days=5))
    with pytest.raises(PermissionDenied):
        services.update_action(by=hub.other_coordinator, action=action, status="done")
    with pytest.raises(PermissionDenied):
        services.update_action(by=hub.world.users["provider"], action=action, status="done")
    services.update_action(by=hub.coordinator, action=action, owner=hub.coordinator,
                           owner_organisation=hub.organisation("Gemeente Demo-Rijnmond"))  # fmt: skip
    history = list(action.changes.order_by("changed_at", "pk"))
    assert history[0].changes == {"created": [None, "Scholingsfonds voor de haven"]}
    assert history[1].changes == {"status": ["open", "in_progress"]} and history[1].note == "Eerste gesprek gehad"
    assert history[1].changed_by == hub.employer
    assert set(history[2].changes) == {"owner", "owner_organisation"}
    # The former owner no longer edits it.
    with pytest.raises(PermissionDenied):
        services.update_action(by=hub.employer, action=action, status="done")


def test_late_actions_show_in_the_overview_with_their_owner(hub: Hub) -> None:
    late = _action(hub, title="Te laat")
    Action.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    _action(hub, title="Op tijd")
    done = _action(hub, title="Klaar")
    Action.objects.filter(pk=done.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3), status="done")
    client = Client()
    client.force_login(hub.learner)
    page = client.get("/hub/agenda/AM22/").content.decode()
    late_section = page.split('id="main"')[1].split("<h2>")[1]
    assert "Te laat" in late_section and "Op tijd" not in late_section and "Klaar" not in late_section
    assert "Erik Werkgever" in late_section
    api = client.get("/api/v1/agenda-actions?region=AM22&late=true").json()
    assert [a["title"] for a in api["results"]] == ["Te laat"] and api["results"][0]["is_late"] is True


def test_the_agenda_prints_as_pdf(hub: Hub) -> None:
    from pypdf import PdfReader

    _action(hub, title="Scholingsfonds voor de haven")
    client = Client()
    client.force_login(hub.coordinator)
    response = client.get("/hub/agenda/AM22/agenda.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Scholingsfonds voor de haven" in text and "Erik Werkgever" in text


def test_an_owner_edits_through_the_page_and_an_outsider_is_refused(hub: Hub) -> None:
    action = _action(hub)
    owner = Client()
    owner.force_login(hub.employer)
    page = owner.get(f"/hub/acties/{action.uuid}/").content.decode()
    assert 'name="status"' in page and 'name="deadline"' not in page
    response = owner.post(f"/hub/acties/{action.uuid}/", {"status": "done", "description": "", "note": "Klaar"})
    assert response.status_code == 302
    outsider = Client()
    outsider.force_login(hub.other_coordinator)
    assert 'name="status"' not in outsider.get(f"/hub/acties/{action.uuid}/").content.decode()
    assert outsider.post(f"/hub/acties/{action.uuid}/", {"status": "open"}).status_code == 403
    action.refresh_from_db()
    assert action.status == "done"


def test_the_action_page_shows_every_missing_field_at_once(hub: Hub) -> None:
    client = Client()
    client.force_login(hub.coordinator)
    response = client.post("/hub/agenda/AM22/nieuw/", {"title": ""})
    assert response.status_code == 400
    summary = response.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    for message in ("Geef de actie een titel.", "precies één eigenaar", "Kies de organisatie", "Geef een deadline"):
        assert message in summary
    assert Action.objects.count() == 0
