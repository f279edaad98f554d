"""Fixtures of the careers tests: a small planted taxonomy (occupations A, B, C), a person, a provider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from django.contrib.auth.models import User

from wendbaar.careers import mobility
from wendbaar.catalogue import services as catalogue
from wendbaar.catalogue.models import Offering
from wendbaar.regions import services as regions
from wendbaar.regions.constants import ActorType, Role
from wendbaar.regions.models import Municipality, Organisation, Region
from wendbaar.skills.models import Broader, Concept, Kind, Label, LabelKind, OccupationSkill, RelationType

OCC = "http://example.org/occupation/"
SK = "http://example.org/skill/"
A, B, C = OCC + "zorg", OCC + "installatie", OCC + "logistiek"
A_SKILLS = [SK + f"a{i}" for i in range(1, 5)]
B_SKILLS = [SK + f"b{i}" for i in range(1, 5)]
C_SKILLS = [SK + f"c{i}" for i in range(1, 4)]
GROUP = SK + "g1"  # broader than c1
NAMES = {
    A: ("verzorgende", "carer", "5322"),
    B: ("installatiemonteur", "installer", "7411"),
    C: ("magazijnmedewerker", "warehouse worker", "4321"),
}
SKILL_NAMES = {
    SK + "a1": "cliënten verzorgen",
    SK + "a2": "medicijnen geven",
    SK + "a3": "rapporteren",
    SK + "a4": "hygiëne bewaken",
    SK + "b1": "veilig werken",
    SK + "b2": "tekeningen lezen",
    SK + "b3": "leidingen aanleggen",
    SK + "b4": "elektrische installaties testen",
    SK + "c1": "heftruck besturen",
    SK + "c2": "voorraad tellen",
    SK + "c3": "orders verzamelen",
    GROUP: "voertuigen besturen",
}


def _concept(uri: str, kind: str, nl: str, en: str, code: str = "") -> Concept:
    concept = Concept.objects.create(uri=uri, kind=kind, code=code)
    Label.objects.create(concept=concept, language="nl", kind=LabelKind.PREFERRED, text=nl)
    Label.objects.create(concept=concept, language="en", kind=LabelKind.PREFERRED, text=en)
    return concept


@pytest.fixture(autouse=True)
def fresh_index() -> Any:
    mobility.forget()
    yield
    mobility.forget()


@pytest.fixture
def taxonomy(db: None) -> dict[str, Concept]:
    concepts = {uri: _concept(uri, Kind.SKILL, nl, nl) for uri, nl in SKILL_NAMES.items()}
    for uri, (nl, en, code) in NAMES.items():
        concepts[uri] = _concept(uri, Kind.OCCUPATION, nl, en, code)
    ess, opt = RelationType.ESSENTIAL, RelationType.OPTIONAL
    rel = [(A, s, ess) for s in A_SKILLS] + [(B, s, ess) for s in B_SKILLS] + [(B, A_SKILLS[2], opt)]
    rel += [(C, s, ess) for s in C_SKILLS] + [(C, B_SKILLS[0], ess)]
    for occ, skill, kind in rel:
        OccupationSkill.objects.create(occupation=concepts[occ], skill=concepts[skill], relation=kind)
    Broader.objects.create(concept=concepts[SK + "c1"], broader=concepts[GROUP])
    return concepts


@pytest.fixture
def person(db: None) -> User:
    return User.objects.create_user(username="sanne", password="x", first_name="Sanne")


@pytest.fixture
def provider(db: None) -> Organisation:
    Municipality.objects.get_or_create(
        code="GM0599", defaults={"name": "Rotterdam", "region": Region.objects.get(code="AM22")}
    )
    organisation = regions.create_organisation(
        name="ROC Rijnmond", actor_type=ActorType.EDUCATION_PROVIDER, region_codes=["AM22"]
    )
    catalogue.ensure_provider(organisation=organisation)
    return organisation


def plant_offering(provider: Organisation, title: str, skills: list[str], *, evening: bool = True) -> Offering:
    start = dt.date.today() + dt.timedelta(days=40)
    run = {
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=60)).isoformat(),
        "weekdays": [2],
        "start_time": "19:00" if evening else "09:00",
        "end_time": "21:30" if evening else "12:00",
        "seats": 12,
    }
    data = {
        "title_nl": title,
        "description_nl": "Je leert het in de praktijk.",
        "credential_type": "course",
        "mode": "on_site",
        "municipality": "GM0599",
        "price_cents": 45000,
        "study_load_hours": 40,
    }
    return catalogue.create_offering(provider=provider, data=data, runs=[run], skills=skills)


def make_user(username: str) -> User:
    user = User.objects.create_user(username=username, password="x")
    return user


@dataclass
class Vacancy:
    region: str
    occupation: str
    month: str
    skills: tuple[str, ...] = ()


def plant_store(store: Path, vacancies: list[Vacancy]) -> None:
    """Write vacancies (and their skills) into a radar store under `store` (tests only)."""
    from wendbaar.radar.store import parquet as radar_store
    from wendbaar.radar.store import schema

    rows, skill_rows = [], []
    for n, v in enumerate(vacancies):
        day = dt.date.fromisoformat(v.month + "-15")
        rows.append(
            {
                "vacancy_id": f"v{n}",
                "region_code": v.region,
                "posted_date": day,
                "occupation_uri": v.occupation,
                "isco_code": NAMES.get(v.occupation, ("", "", "9999"))[2],
                "title": "t",
            }
        )
        for s in v.skills:
            skill_rows.append(
                {
                    "vacancy_id": f"v{n}",
                    "skill_uri": s,
                    "region_code": v.region,
                    "occupation_uri": v.occupation,
                    "isco_code": NAMES.get(v.occupation, ("", "", "9999"))[2],
                    "posted_date": day,
                }
            )
    vac = schema.conform(pa.Table.from_pylist(rows), schema.VACANCIES)
    sk = schema.conform(pa.Table.from_pylist(skill_rows), schema.VACANCY_SKILLS)
    radar_store.append_vacancies(vac, sk, stem="planted", root=store)


def add_member(user: User, role: str, organisation: Organisation | None = None, region: str = "") -> None:
    regions.add_membership(
        user=user, role=role, organisation=organisation, region=Region.objects.get(code=region) if region else None
    )


__all__ = ["Role", "plant_offering", "plant_store", "make_user", "add_member"]

from tests.skills.semantic_taxonomy import semantic_site, tiny_semantic  # noqa: E402, F401 - fixtures (semantic layer)
