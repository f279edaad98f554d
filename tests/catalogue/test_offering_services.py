"""Offerings and runs: validation (every error at once, nothing half-written), derived flags, access."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.catalogue.conftest import WELDING, course_data, make_staff, run_data
from wendbaar.catalogue import services
from wendbaar.catalogue.models import Offering, OfferingSkill, Run
from wendbaar.regions.models import Municipality, Organisation

pytestmark = pytest.mark.django_db


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, Any]:
    return exc.value.message_dict


def test_create_offering_with_runs_derives_region_and_time_flags(
    provider: Organisation, places: dict[str, Municipality]
) -> None:
    offering = services.create_offering(
        provider=provider,
        data=course_data(),
        runs=[run_data(), run_data(weekdays=[6], start_time="09:00", end_time="12:00")],
        propose=False,
    )
    assert offering.region is not None and offering.region.code == "AM22"
    assert (offering.is_evening, offering.is_weekend, offering.is_daytime) == (True, True, False)
    evening, weekend = offering.runs.order_by("start_time")[1], offering.runs.order_by("start_time")[0]
    assert evening.is_evening and not evening.is_weekend
    assert weekend.is_weekend and not weekend.is_evening


def test_evening_starts_at_six(provider: Organisation, places: dict[str, Municipality]) -> None:
    offering = services.create_offering(
        provider=provider, data=course_data(), runs=[run_data(start_time="17:59", end_time="20:00")], propose=False
    )
    assert not offering.is_evening and offering.is_daytime
    run = offering.runs.get()
    services.update_run(run=run, data={"start_time": "18:00"})
    offering.refresh_from_db()
    assert offering.is_evening and not offering.is_daytime


def test_every_error_reported_at_once_and_nothing_written(
    provider: Organisation, places: dict[str, Municipality]
) -> None:
    bad = course_data(price_cents=-1, min_group_size=10, max_group_size=4, crebo="99999", credential_type="course")
    with pytest.raises(ValidationError) as exc:
        services.create_offering(
            provider=provider,
            data=bad,
            runs=[run_data(start_date="2027-05-01", end_date="2027-04-01")],
            skills=["http://data.europa.eu/esco/skill/not-a-skill"],
        )
    errors = errors_of(exc)
    assert set(errors) == {"price_cents", "min_group_size", "crebo", "runs.0.end_date", "skills"}
    assert Offering.objects.count() == 0 and Run.objects.count() == 0


def test_types_with_cohorts_need_a_run(provider: Organisation, places: dict[str, Municipality]) -> None:
    with pytest.raises(ValidationError) as exc:
        services.create_offering(provider=provider, data=course_data(), runs=[], propose=False)
    assert "runs" in errors_of(exc)
    # An EVC procedure has no cohorts; a draft course may wait for its runs.
    services.create_offering(provider=provider, data=course_data(credential_type="evc"), propose=False)
    services.create_offering(provider=provider, data=course_data(status="draft"), propose=False)


def test_mbo_certificate_needs_a_known_crebo(
    provider: Organisation, places: dict[str, Municipality], crebo: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.create_offering(
            provider=provider, data=course_data(credential_type="mbo_certificate"), runs=[run_data()], propose=False
        )
    assert "crebo" in errors_of(exc)
    offering = services.create_offering(
        provider=provider,
        data=course_data(credential_type="mbo_certificate", crebo="25193"),
        runs=[run_data()],
        propose=False,
    )
    assert offering.crebo_id == "25193"


def test_last_run_of_a_published_course_cannot_go(provider: Organisation, places: dict[str, Municipality]) -> None:
    offering = services.create_offering(provider=provider, data=course_data(), runs=[run_data()], propose=False)
    with pytest.raises(ValidationError):
        services.delete_run(run=offering.runs.get())
    assert offering.runs.count() == 1


def test_only_own_staff_change_an_offering(
    provider: Organisation, other_provider: Organisation, places: dict[str, Municipality]
) -> None:
    own, stranger = make_staff(provider, "own"), make_staff(other_provider, "stranger")
    offering = services.create_offering(provider=provider, data=course_data(), runs=[run_data()], by=own, propose=False)
    with pytest.raises(PermissionDenied):
        services.update_offering(offering=offering, data={"title_nl": "Gekaapt"}, by=stranger)
    with pytest.raises(PermissionDenied):
        services.create_offering(provider=provider, data=course_data(), runs=[run_data()], by=stranger)
    offering.refresh_from_db()
    assert offering.title_nl == "Lassen voor beginners"


def test_engine_proposes_and_provider_confirms_or_removes(
    taxonomy: None, provider: Organisation, places: dict[str, Municipality]
) -> None:
    offering = services.create_offering(
        provider=provider,
        data=course_data(
            title_nl="Welding course",
            description_nl="You learn to use welding equipment and welding techniques safely.",
            language="en",
        ),
        runs=[run_data()],
    )
    proposed = {row.skill.uri: row for row in offering.skills.select_related("skill")}
    assert WELDING in proposed
    assert proposed[WELDING].evidence and not proposed[WELDING].confirmed
    services.confirm_skill(outcome=proposed[WELDING])
    other = [row for uri, row in proposed.items() if uri != WELDING]
    for row in other:
        services.remove_skill(outcome=row)
    # Proposing again keeps the provider's decisions.
    services.update_offering(offering=offering, data={"description_nl": offering.description_nl + " Also safety."})
    rows = {row.skill.uri: row for row in OfferingSkill.objects.filter(offering=offering).select_related("skill")}
    assert rows[WELDING].confirmed
    assert all(rows[row.skill.uri].removed for row in other)
