"""Preferred weekdays of a demand: checked and stored (form, API, CSV), kept by pools, and weighed in matching
(a run on other days scores lower and says so)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from tests.demand.conftest import WELDING, WELDING_TECHNIQUES, demand_data, run_data, welding_course
from wendbaar.demand import explain, services
from wendbaar.demand.matching import Ask, OfferingPoint, RunPoint, score
from wendbaar.demand.models import Demand, Pool, PoolStatus

pytestmark = pytest.mark.django_db


def test_weekdays_are_read_from_numbers_and_day_names_and_bad_ones_are_named(taxonomy, places, employers) -> None:
    demand = services.create_demand(organisation=employers[0], data=demand_data(weekdays=["ma", "4", 4]))
    assert demand.weekdays == [1, 4] and demand.weekday_names() == "maandag, donderdag"
    with pytest.raises(ValidationError) as caught:
        services.create_demand(organisation=employers[1], data=demand_data(weekdays=["ma", "feestdag", 9]))
    message = caught.value.message_dict["weekdays"][0]
    assert "feestdag" in message and "9" in message
    assert Demand.objects.count() == 1


def test_demands_apart_only_in_weekdays_are_not_pooled_and_a_pool_keeps_the_common_days(
    taxonomy, places, employers
) -> None:
    services.create_demand(organisation=employers[0], data=demand_data(people=4, weekdays=[1, 4]))
    services.create_demand(organisation=employers[1], data=demand_data(people=4, weekdays=[4, 5]))
    services.create_demand(organisation=employers[2], data=demand_data(people=4, weekdays=[2]))
    pools = sorted(Pool.objects.filter(demands__isnull=False).distinct(), key=lambda p: -p.people)
    assert [p.people for p in pools] == [8, 4]
    assert pools[0].status == PoolStatus.VIABLE and pools[0].weekdays == [4]
    assert "donderdag" in " ".join(explain.pool_reasons(pools[0], {}))


def test_a_run_on_other_days_scores_lower_and_is_explained() -> None:
    ask = Ask(skills={"weld": 2.0}, window=(100, 400), people=3, weekdays=frozenset({1, 4}))
    on_thursday = OfferingPoint("x", frozenset({"weld"}), runs=(RunPoint("r1", 110, 200, frozenset({"evening"}), None,
                                                                         frozenset({4})),), online=True)  # fmt: skip
    on_tuesday = OfferingPoint("y", frozenset({"weld"}), runs=(RunPoint("r2", 110, 200, frozenset({"evening"}), None,
                                                                        frozenset({2})),), online=True)  # fmt: skip
    half = OfferingPoint("z", frozenset({"weld"}), runs=(RunPoint("r3", 110, 200, frozenset({"evening"}), None,
                                                                  frozenset({2, 4})),), online=True)  # fmt: skip
    good, bad, mixed = score(ask, on_thursday), score(ask, on_tuesday), score(ask, half)
    assert good.parts["days"] == 1.0 and "other_days" not in good.notes
    assert bad.parts["days"] == 0.0 and "other_days" in bad.notes and bad.score < mixed.score < good.score
    assert mixed.parts["days"] == 0.5
    anyday = score(Ask(skills={"weld": 2.0}, window=(100, 400), people=3), on_tuesday)
    assert anyday.parts["days"] == 1.0 and anyday.score == good.score


def test_matching_a_demand_reads_the_runs_days(taxonomy, places, employers, provider) -> None:
    welding_course(provider, runs=[run_data(weekdays=[2])])  # Tuesday evenings
    tuesday = services.create_demand(organisation=employers[0], data=demand_data(weekdays=["di"]))
    friday = services.create_demand(organisation=employers[1], data=demand_data(weekdays=["vr"], people=20))
    (fits,), (other,) = services.matches_for_demand(tuesday), services.matches_for_demand(friday)
    assert fits.parts["days"] == 1.0 and other.parts["days"] == 0.0 and "other_days" in other.notes
    assert "andere dagen" in explain.match_sentence(other, None)


def test_the_api_and_the_form_take_weekdays(taxonomy, places, employers, employer_users) -> None:
    client = Client()
    client.force_login(employer_users[0])
    made = client.post("/api/v1/learning-demands", demand_data(weekdays=[1, "do"]), content_type="application/json")
    assert made.status_code == 201 and made.json()["weekdays"] == [1, 4]
    wrong = client.post("/api/v1/learning-demands", demand_data(weekdays=["zondagmiddag"]),
                        content_type="application/json")  # fmt: skip
    assert wrong.status_code == 400 and "weekdays" in {p["name"] for p in wrong.json()["invalidParams"]}
    page = client.get("/vraag/nieuw").content.decode()
    assert 'name="weekdays"' in page and "Op welke dagen" in page


def test_the_csv_column_weekdays(tmp_path: Path, taxonomy, places, employers) -> None:
    path = tmp_path / "vraag.csv"
    path.write_text(
        "people,municipality,earliest_start,latest_end,skills,weekdays\n"
        f"3,GM0599,2027-01-01,2027-06-30,{WELDING} {WELDING_TECHNIQUES},ma|do\n",
        encoding="utf-8",
    )
    call_command("demand", "import", str(path), "--organisation", employers[0].name)
    assert Demand.objects.get().weekdays == [1, 4]
