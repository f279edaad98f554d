"""Sample URL kwargs for the role matrix (see tests/web/role_matrix.py): the provider's run pages."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.utils import timezone

from wendbaar.catalogue.models import CredentialType, Offering, Run
from wendbaar.enrolment.models import Session
from wendbaar.regions.constants import Role
from wendbaar.web.demo import DemoWorld


def _own_run(world: DemoWorld) -> dict[str, Any]:
    membership = world.users[Role.PROVIDER].memberships.get(role=Role.PROVIDER)  # type: ignore[attr-defined]
    offering = Offering.objects.create(
        provider=membership.organisation, title_nl="Lassen in de avond", description_nl="Leer lassen.",
        credential_type=CredentialType.COURSE, price_cents=100_000, funding_tags=["stap"],
    )  # fmt: skip
    # Relative to today, so the page has a future run to plan lessons in whatever the date.
    start = timezone.localdate() + timedelta(days=7)
    run = Run.objects.create(offering=offering, start_date=start, end_date=start + timedelta(days=28),
                             weekdays=[start.isoweekday()], start_time=time(19), end_time=time(21),
                             seats=12)  # fmt: skip
    Session.objects.create(run=run, date=start, start=time(19), end=time(21), location="Lokaal 3")
    return {"uuid": run.uuid}


SAMPLE_URLS = {
    "enrolment:run": _own_run,
    "enrolment:run-export": _own_run,
}


def _owned_enrolments(world: DemoWorld, outsiders: object) -> list:
    """Another school's run and a stranger's enrolment in it: the demo's provider, learner and others reach
    neither (404 or 403), and none of their commands changes or pays anything."""
    from django.contrib.auth import get_user_model

    from tests.web.object_access import Probe
    from wendbaar.enrolment import services
    from wendbaar.enrolment.models import Attendance, Enrolment, EnrolmentStatus
    from wendbaar.regions.constants import ActorType
    from wendbaar.regions.models import Organisation

    school = Organisation.objects.create(name="Andere School", actor_type=ActorType.EDUCATION_PROVIDER)
    offering = Offering.objects.create(
        provider=school, title_nl="Metselen voor gevorderden", description_nl="Leer metselen.",
        credential_type=CredentialType.COURSE, price_cents=50_000,
    )  # fmt: skip
    today = timezone.localdate()
    run = Run.objects.create(offering=offering, start_date=today, end_date=today + timedelta(days=7), seats=5)
    session = Session.objects.create(run=run, date=today, start=time(19), end=time(21))
    stranger = get_user_model().objects.create_user(username="metselaar-in-opleiding")
    enrolment = services.enrol(person=stranger, run=run)
    everyone = ("learner", "employer", "provider", "fund", "other-coordinator", "other-employer")
    base = f"/api/v1/provider-runs/{run.uuid}"

    def unchanged() -> bool:
        still = Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.ENROLLED
        return still and not Attendance.objects.filter(enrolment=enrolment).exists()

    def lessons_unchanged() -> bool:
        lessons = list(Session.objects.filter(run=run).values_list("date", "start", "end"))
        return unchanged() and lessons == [(today, time(19), time(21))]

    lesson = {"date": (today + timedelta(days=1)).isoformat(), "start": "19:00", "end": "21:00", "weeks": 2}
    mark = {"session": str(session.uuid), "records": [{"enrolment": str(enrolment.uuid), "present": True}]}
    return [
        Probe("provider run", "GET", base, everyone, secret="Metselen"),
        Probe(
            "provider runs list", "GET", "/api/v1/provider-runs", ("provider",), secret=str(run.uuid), listing=True
        ),  # fmt: skip
        Probe("run attendance", "GET", f"{base}/attendance", everyone, secret=str(enrolment.uuid)),
        Probe("run participants", "GET", f"{base}/enrolments", everyone, secret="metselaar"),
        Probe("record attendance", "POST", f"{base}/attendance", everyone, body=mark, unchanged=unchanged),
        Probe(
            "complete",
            "POST",
            f"{base}/completions",
            everyone,
            body={"enrolment": str(enrolment.uuid)},
            unchanged=unchanged,
        ),  # fmt: skip
        Probe(
            "drop out",
            "POST",
            f"{base}/drop-outs",
            everyone,
            body={"enrolment": str(enrolment.uuid), "outcome": "moved"},
            unchanged=unchanged,
        ),  # fmt: skip
        Probe("plan sessions", "POST", f"{base}/sessions", everyone, body=lesson, unchanged=lessons_unchanged),
        Probe(
            "move a session",
            "PATCH",
            f"{base}/sessions/{session.uuid}",
            everyone,
            body={"start": "09:00"},
            unchanged=lessons_unchanged,
        ),  # fmt: skip
        Probe("cancel a session", "DELETE", f"{base}/sessions/{session.uuid}", everyone, unchanged=lessons_unchanged),
        Probe("enrolment", "GET", f"/api/v1/enrolments/{enrolment.uuid}", everyone, secret="metselaar"),
        Probe(
            "enrolments list",
            "GET",
            "/api/v1/enrolments",
            ("learner", "provider"),
            secret=str(enrolment.uuid),
            listing=True,
        ),  # fmt: skip
        Probe("cancel", "POST", f"/api/v1/enrolments/{enrolment.uuid}/cancel", everyone, unchanged=unchanged),
    ]


OWNED = [_owned_enrolments]
