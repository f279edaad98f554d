"""The bulk writes of a pooling run (`demand.bulk`) store what the ORM would: JSON, dates, times with a zone, UUIDs,
choices, booleans, foreign keys — read back through the ORM on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.demand.conftest import demand_data
from wendbaar.demand import bulk, services
from wendbaar.demand.models import Demand, Gap, Pool, PoolStatus
from wendbaar.regions.models import Region

pytestmark = pytest.mark.django_db


def _pool(**fields: object) -> Pool:
    values: dict = {
        "region_codes": ["AM22", "AM23"], "cross_region": True, "people": 9, "organisations": 3,
        "skills": ["http://example.org/s/1"], "window_start": dt.date(2027, 2, 1), "window_end": dt.date(2027, 6, 30),
        "times": ["evening"], "weekdays": [1, 4], "farthest_km": 12.5, "min_group": 6, "status": PoolStatus.VIABLE,
        "explanation": {"kept": False, "shared_skills": ["http://example.org/s/1"], "note": "één"},
    }  # fmt: skip
    values.update(fields)
    return Pool(**values)


def test_inserted_and_updated_rows_read_back_as_the_orm_wrote_them(db: None) -> None:
    region = Region.objects.get(code="AM22")
    pools = [_pool(region=region), _pool(people=4, status=PoolStatus.FORMING, cross_region=False)]
    bulk.insert(pools)
    assert all(p.pk for p in pools) and len({p.pk for p in pools}) == 2
    first = Pool.objects.get(pk=pools[0].pk)
    assert first.uuid == pools[0].uuid and first.region == region and first.cross_region is True
    assert first.window_start == dt.date(2027, 2, 1) and first.weekdays == [1, 4] and first.farthest_km == 12.5
    assert first.explanation["note"] == "één" and first.status == PoolStatus.VIABLE and first.created_at is not None
    assert Pool.objects.get(pk=pools[1].pk).status == PoolStatus.FORMING

    first.people, first.explanation, first.window_end = 11, {"kept": True}, dt.date(2027, 7, 31)
    first.updated_at = dt.datetime(2027, 1, 5, 12, 30, tzinfo=dt.UTC)
    bulk.update([first], ["people", "explanation", "window_end", "updated_at"])
    again = Pool.objects.get(pk=first.pk)
    assert again.people == 11 and again.explanation == {"kept": True} and again.window_end == dt.date(2027, 7, 31)
    assert again.updated_at == dt.datetime(2027, 1, 5, 12, 30, tzinfo=dt.UTC)
    assert Pool.objects.get(pk=pools[1].pk).people == 4  # the other row untouched

    gap = Gap(subject=f"pool:{first.uuid}", pool=first, skills=["a", "b"], missing=["b"], best_coverage=0.5, people=11)
    bulk.insert([gap])
    stored = Gap.objects.get(pk=gap.pk)
    assert stored.pool == first and stored.missing == ["b"] and stored.is_open is True and stored.demand is None


def test_demands_move_to_their_pools_in_one_pass(taxonomy, places, employers) -> None:
    demands = [services.create_demand(organisation=org, data=demand_data(), repool=False) for org in employers]
    pool = _pool()
    bulk.insert([pool])
    bulk.set_column(Demand, "pool", [(d.pk, pool.pk) for d in demands[:2]])
    assert sorted(Demand.objects.filter(pool=pool).values_list("pk", flat=True)) == sorted(d.pk for d in demands[:2])
    assert Demand.objects.get(pk=demands[2].pk).pool is None
    assert bulk.fetch(Demand.objects.filter(pk__in=[]).values_list("pk")) == []
