"""Sample URL kwargs for the role matrix (see tests/web/role_matrix.py): the demand pages.

Each sample is a demand of the demo employer in the demo region for a skill of its own, pooled with two
others into a viable pool that has a gap (no offering teaches that skill). The samples are found by that
skill, so they are the same on the test world and on the full demo, where the employer has demands of its
own (the load test's plan). Roles allowed in general but not for that object are listed as out of scope
(another organisation's demand is a 404).
"""

from __future__ import annotations

from typing import Any

from tests.web.role_matrix import Sample
from wendbaar.demand import services
from wendbaar.demand.models import Demand, Gap, Pool
from wendbaar.regions import services as regions
from wendbaar.regions.constants import ActorType
from wendbaar.regions.models import Municipality, Region
from wendbaar.skills.models import Concept, Kind
from wendbaar.web.demo import DemoWorld

SKILL = "http://data.europa.eu/esco/skill/sample-demand-skill"


def _world(world: DemoWorld) -> Demand:
    employer = world.organisations["Havenbouw Demo BV"]
    existing = Demand.objects.filter(organisation=employer, skills__skill__uri=SKILL).order_by("id").first()
    if existing is not None:
        return existing
    region = Region.objects.get(code="AM22")
    Municipality.objects.get_or_create(code="GM0599", defaults={"name": "Rotterdam", "region": region})
    Concept.objects.get_or_create(uri=SKILL, defaults={"kind": Kind.SKILL})
    data = {"skills": [SKILL], "people": 3, "municipality": "GM0599", "earliest_start": "2027-01-01",
            "latest_end": "2027-06-30"}  # fmt: skip
    others = [
        regions.create_organisation(name=f"Sample werkgever {i}", actor_type=ActorType.EMPLOYER, region_codes=["AM22"])
        for i in range(2)
    ]
    demand = services.create_demand(organisation=employer, data=data)
    for organisation in others:
        services.create_demand(organisation=organisation, data=data)
    return demand


def _demand(world: DemoWorld) -> Sample:
    return Sample({"uuid": _world(world).uuid}, out_of_scope=frozenset({"fund"}))


def _sample_pool(world: DemoWorld) -> Pool:
    pool = Pool.objects.filter(demands=_world(world), people__gt=0).first()
    if pool is None:
        raise LookupError(f"the sample demand for {SKILL} is in no pool: did pooling run?")
    return pool


def _pool(world: DemoWorld) -> Sample:
    return Sample({"uuid": _sample_pool(world).uuid}, out_of_scope=frozenset({"fund"}))


def _gap(world: DemoWorld) -> dict[str, Any]:
    gap = Gap.objects.filter(pool=_sample_pool(world)).order_by("id").first()
    if gap is None:
        raise LookupError(f"the sample pool for {SKILL} has no gap: does an offering teach it?")
    return {"uuid": gap.uuid}


def _upload(world: DemoWorld) -> Sample:
    upload = services.record_upload(
        organisation=world.organisations["Havenbouw Demo BV"], by=world.users["employer"], file_name="vraag.csv",
        read=2, created=1, rejected=1, rejects=[{"file": "vraag.csv", "line": "3", "field": "people", "reason": "0"}],
    )  # fmt: skip
    return Sample({"uuid": upload.uuid}, out_of_scope=frozenset({"fund"}))  # another organisation's upload: 404


SAMPLE_URLS = {
    "demand:detail": _demand, "demand:withdraw": _demand, "demand:pool": _pool, "demand:gap": _gap,
    "demand:upload-rejects": _upload,
}  # fmt: skip
