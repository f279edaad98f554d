"""Demand services on the real database: validation (every error at once, nothing written), pooling runs,
matching, gaps, invitations and proposals."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.demand.conftest import (
    HYGIENE,
    PYTHON,
    WELDING,
    WELDING_TECHNIQUES,
    demand_data,
    make_member,
    make_staff,
    run_data,
    welding_course,
)
from wendbaar.demand import services
from wendbaar.demand.models import Demand, DemandSkill, Gap, Pool, PoolStatus
from wendbaar.regions.constants import Role

pytestmark = pytest.mark.django_db


def test_bad_demand_reports_every_error_and_writes_nothing(taxonomy, places, employers) -> None:
    bad = demand_data(
        people=0, earliest_start="2027-06-01", latest_end="2027-01-01", skills=["http://example.org/nope"],
        municipality="Brussel", times=["night"],
    )  # fmt: skip
    with pytest.raises(ValidationError) as info:
        services.create_demand(organisation=employers[0], data=bad, repool=False)
    errors = info.value.message_dict
    assert {"people", "latest_end", "skills", "municipality", "times"} <= set(errors)
    assert "geen gemeente in Nederland" in errors["municipality"][0]
    assert "Onbekende vaardigheid" in errors["skills"][0]
    assert Demand.objects.count() == 0 and DemandSkill.objects.count() == 0


def test_negative_people_refused(taxonomy, places, employers) -> None:
    with pytest.raises(ValidationError) as info:
        services.create_demand(organisation=employers[0], data=demand_data(people=-2), repool=False)
    assert "people" in info.value.message_dict


def test_text_without_skills_asks_to_pick(taxonomy, places, employers) -> None:
    data = demand_data(skills=[], text="iets heel vaags zonder vakwoorden")
    with pytest.raises(ValidationError) as info:
        services.create_demand(organisation=employers[0], data=data, repool=False)
    assert "Kies de vaardigheden uit de lijst" in info.value.message_dict["skills"][0]


def test_skills_read_from_dutch_text(taxonomy, places, employers) -> None:
    demand = services.create_demand(
        organisation=employers[0], data=demand_data(skills=[], text="Onze mensen moeten leren lassen."), repool=False
    )
    rows = list(demand.skills.select_related("skill"))
    assert WELDING in {r.skill.uri for r in rows}
    assert all(r.source == DemandSkill.Source.TEXT for r in rows)


def test_three_small_demands_become_a_viable_pool(taxonomy, places, employers) -> None:
    for org in employers:
        services.create_demand(organisation=org, data=demand_data())
    pools = list(Pool.objects.all())
    assert len(pools) == 1
    (pool,) = pools
    assert pool.people == 9 and pool.organisations == 3 and pool.status == PoolStatus.VIABLE
    assert set(pool.skills) == {WELDING, WELDING_TECHNIQUES}
    assert pool.explanation["window"] == ["2027-01-15", "2027-06-30"]
    assert Demand.objects.filter(pool=pool).count() == 3


def test_incompatible_demands_stay_apart(taxonomy, places, employers) -> None:
    services.create_demand(organisation=employers[0], data=demand_data(people=5))
    services.create_demand(organisation=employers[1], data=demand_data(people=5, times=["daytime"]))
    services.create_demand(organisation=employers[2], data=demand_data(people=5, skills=[PYTHON]))
    assert sorted(Pool.objects.values_list("people", flat=True)) == [5, 5, 5]
    assert not Pool.objects.filter(status=PoolStatus.VIABLE).exists()


def test_the_offering_minimum_makes_a_small_pool_viable(taxonomy, places, employers, provider) -> None:
    welding_course(provider, data={"min_group_size": 4})
    services.create_demand(organisation=employers[0], data=demand_data(people=2))
    services.create_demand(organisation=employers[1], data=demand_data(people=2))
    (pool,) = Pool.objects.all()
    assert pool.status == PoolStatus.VIABLE and pool.min_group == 4


def test_a_viable_pool_survives_a_full_run_and_keeps_its_identity(taxonomy, places, employers) -> None:
    for org in employers:
        services.create_demand(organisation=org, data=demand_data())
    (pool,) = Pool.objects.all()
    services.run_pooling()
    assert list(Pool.objects.values_list("uuid", flat=True)) == [pool.uuid]


def test_withdrawing_a_demand_repools(taxonomy, places, employers) -> None:
    demands = [services.create_demand(organisation=org, data=demand_data()) for org in employers]
    services.withdraw_demand(demand=demands[0])
    (pool,) = Pool.objects.filter(demands__isnull=False).distinct()
    assert pool.people == 6 and pool.status == PoolStatus.FORMING


def test_matches_have_a_score_breakdown(taxonomy, places, employers, provider) -> None:
    offering = welding_course(provider, data={"price_cents": 80000})
    demand = services.create_demand(organisation=employers[0], data=demand_data(max_price_cents=40000))
    (match,) = services.matches_for_demand(demand)
    assert match.offering == str(offering.uuid)
    assert match.parts["skills"] == 1.0 and match.parts["dates"] == 1.0 and match.parts["times"] == 1.0
    assert match.parts["price"] == 0.5 and "over_budget" in match.notes
    assert 0 < match.score < 1


def test_a_pool_without_an_offering_becomes_a_gap_and_a_provider_proposes(
    taxonomy, places, employers, provider
) -> None:
    for org in employers:
        services.create_demand(organisation=org, data=demand_data(skills=[HYGIENE]))
    (gap,) = Gap.objects.all()
    assert gap.missing == [HYGIENE] and gap.people == 9 and gap.organisations == 3 and gap.region.code == "AM22"
    staff = make_staff(provider, "docent")
    services.propose(gap=gap, provider=provider, data={"message": "Wij kunnen dit in maart starten."}, by=staff)
    assert gap.proposals.count() == 1
    # Once an offering covers the skills, the gap closes (kept: it has a proposal).
    welding_course(provider, skills=[HYGIENE])
    services.run_pooling()
    gap.refresh_from_db()
    assert not gap.is_open


def test_provider_invites_a_viable_pool_to_its_own_run_only(
    taxonomy, places, employers, provider, other_provider
) -> None:
    offering = welding_course(provider)
    for org in employers:
        services.create_demand(organisation=org, data=demand_data())
    pool = Pool.objects.get()
    stranger = make_staff(other_provider, "elders")
    with pytest.raises(PermissionDenied):
        services.invite_pool(pool=pool, run=offering.runs.get(), by=stranger)
    staff = make_staff(provider, "docent")
    services.invite_pool(pool=pool, run=offering.runs.get(), by=staff)
    pool.refresh_from_db()
    assert pool.status == PoolStatus.INVITED
    # A later demand joining the pool keeps the invitation.
    extra = make_member(employers[0], "extra")
    services.create_demand(organisation=employers[0], data=demand_data(people=1), by=extra)
    pool.refresh_from_db()
    assert pool.status == PoolStatus.INVITED and pool.people == 10


def test_employers_see_only_their_own_demands(taxonomy, places, employers, employer_users, coordinator) -> None:
    mine = services.create_demand(organisation=employers[0], data=demand_data(), by=employer_users[0])
    services.create_demand(organisation=employers[1], data=demand_data(), by=employer_users[1])
    assert list(services.visible_demands(employer_users[0])) == [mine]
    assert services.visible_demands(coordinator).count() == 2
    with pytest.raises(PermissionDenied):
        services.create_demand(organisation=employers[1], data=demand_data(), by=employer_users[0])


def test_names_are_hidden_unless_opted_in(taxonomy, places, employers, employer_users) -> None:
    services.create_demand(organisation=employers[0], data=demand_data(), by=employer_users[0])
    services.create_demand(organisation=employers[1], data=demand_data(show_name=True), by=employer_users[1])
    services.create_demand(organisation=employers[2], data=demand_data(), by=employer_users[2])
    pool = Pool.objects.get()
    seen = services.pool_members(pool, employer_users[0])
    names = sorted(m["organisation"] or "-" for m in seen)
    assert names == ["-", "Lasbedrijf Noord", "Staalbouw Zuid"]


def test_a_fund_registers_demand_on_behalf_of_others(taxonomy, places) -> None:
    from tests.demand.conftest import make_employer
    from wendbaar.regions.constants import ActorType

    fund = make_employer("O&O Metaal", actor_type=ActorType.FUND)
    user = make_member(fund, "fonds", role=Role.FUND)
    demand = services.create_demand(
        organisation=fund, data=demand_data(on_behalf_of="werkzoekenden in de metaal"), by=user
    )
    assert list(services.visible_demands(user)) == [demand]


def test_a_run_is_matched_to_the_pool_window(taxonomy, places, employers, provider) -> None:
    welding_course(provider, runs=[run_data(start_date="2028-01-01", end_date="2028-03-01")])
    demand = services.create_demand(organisation=employers[0], data=demand_data())
    (match,) = services.matches_for_demand(demand)
    assert match.parts["dates"] == 0.0 and "outside_window" in match.notes


def test_demo_step_registers_and_pools_idempotently(taxonomy, located, demo_world) -> None:
    # `located`: the catalogue's demo step has loaded the municipalities' places before this one.
    from wendbaar.demand.demo import register_demand

    first = register_demand(demo_world)
    assert "demands registered" in first
    count = Demand.objects.count()
    assert count >= 4
    assert Pool.objects.filter(status=PoolStatus.VIABLE, people=10).exists()
    register_demand(demo_world)
    assert Demand.objects.count() == count


def test_workplace_points_come_from_the_municipality_shapes(taxonomy, places, employers) -> None:
    from django.conf import settings

    from tests.conftest import require_shared_data
    from wendbaar.catalogue import services as catalogue

    require_shared_data("regions", "gemeente_2025.topojson")
    # The points the catalogue's import-places takes from the shapes: the one source search and demand share.
    catalogue.import_places(path=Path(settings.SHARED_DATA) / "regions" / "gemeente_2025.topojson")
    near = services.create_demand(organisation=employers[0], data=demand_data(people=4, municipality="GM0606"))
    services.create_demand(organisation=employers[1], data=demand_data(people=4, municipality="GM0599"))
    far = services.create_demand(organisation=employers[2], data=demand_data(people=4, municipality="Amsterdam"))
    near.refresh_from_db()
    far.refresh_from_db()
    assert near.lat is not None and 51.8 < near.lat < 52.0
    assert near.pool is not None and near.pool.people == 8 and 0 < near.pool.farthest_km < 25
    assert far.pool is not None and far.pool.people == 4  # Amsterdam is ~60 km away: not within 25 km


def test_an_incremental_add_touches_only_the_pools_sharing_a_skill_and_a_full_run_agrees(
    taxonomy, located, employers
) -> None:
    for org in employers:
        services.create_demand(organisation=org, data=demand_data())
    (welding,) = Pool.objects.all()
    before = welding.updated_at
    hygiene = services.create_demand(organisation=employers[0], data=demand_data(skills=[HYGIENE], people=2))
    hygiene.refresh_from_db()
    welding.refresh_from_db()
    assert welding.updated_at == before and welding.people == 9  # shares no skill with the newcomer: not rewritten
    assert hygiene.pool is not None and hygiene.pool.people == 2
    assert Gap.objects.get(pool=hygiene.pool).missing == [HYGIENE]
    late = services.create_demand(organisation=employers[1], data=demand_data(people=1, municipality="GM0606"))
    late.refresh_from_db()
    assert late.pool_id == welding.pk  # joined the viable pool nearby
    shape = {p.uuid: sorted(p.demands.values_list("uuid", flat=True)) for p in Pool.objects.all()}
    services.run_pooling()
    assert {p.uuid: sorted(p.demands.values_list("uuid", flat=True)) for p in Pool.objects.all()} == shape
