"""The check-up steps on a planted taxonomy, catalogue, hub and radar store (real database, no mocks)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from tests.careers.conftest import A_SKILLS, B_SKILLS, GROUP, SK, A, B, C, Vacancy, plant_offering, plant_store
from wendbaar.careers import services
from wendbaar.careers.models import Plan, UnmetGap
from wendbaar.hub.models import Event
from wendbaar.passport import services as passport
from wendbaar.regions.models import Organisation, Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def no_store(settings: Any, tmp_path: Path) -> Path:
    settings.STORE_DIR = tmp_path / "store"
    return tmp_path / "store"


def start(person: User, skills: list[str], **kw: Any) -> Any:
    return services.start_checkup(person=person, by=person, skill_uris=skills, **kw)


def test_known_answer_a_and_half_of_b_gets_b_with_its_gap_and_the_evening_course(
    taxonomy: Any, person: User, provider: Organisation, no_store: Path
) -> None:
    planted = plant_offering(provider, "Leidingen en installaties testen (avond)", [B_SKILLS[2], B_SKILLS[3]])
    plant_offering(provider, "Heftruckcursus", [SK + "c1"], evening=False)
    checkup = start(person, A_SKILLS + B_SKILLS[:2], region_code="AM22", occupation_uri=A, times=["evening"])
    paths = services.where_i_could_go(checkup=checkup, by=person)
    assert paths[0].occupation == B
    assert A not in [p.occupation for p in paths]  # the current occupation is not a path
    assert paths[0].explanation == "You already have 2 of the 4 most important skills of installer."
    the_gap = services.gap(checkup=checkup, by=person, occupation_uri=B)
    assert {s.uri for s in the_gap.skills} == {B_SKILLS[2], B_SKILLS[3]}
    ways = services.ways_to_close(checkup=checkup, by=person, occupation_uri=B)
    for uri in (B_SKILLS[2], B_SKILLS[3]):
        (way,) = ways.per_skill[uri]
        assert way.offering.pk == planted.pk
        assert way.run is not None and way.run.is_evening
        assert way.explanation
    assert ways.unmet == [] and ways.messages == []
    assert services.funding_for(person=person, offering=planted) is None  # the funding hook


def test_the_skills_entered_in_the_checkup_fill_the_passport(taxonomy: Any, person: User, no_store: Path) -> None:
    start(person, A_SKILLS[:2])
    assert set(passport.skill_uris_of(person)) == set(A_SKILLS[:2])


def test_no_skills_gives_a_guiding_message_and_no_paths(taxonomy: Any, person: User, no_store: Path) -> None:
    checkup = start(person, [])
    standing = services.standing(checkup=checkup, by=person)
    assert "Add a few skills" in standing.message
    assert services.where_i_could_go(checkup=checkup, by=person) == []


def test_unknown_occupation_region_times_and_skill_are_named_in_one_error(
    taxonomy: Any, person: User, no_store: Path
) -> None:
    with pytest.raises(ValidationError) as caught:
        start(person, [SK + "nope"], occupation_uri=SK + "a1", region_code="AM99", times=["night"])
    assert set(caught.value.message_dict) == {"occupation", "region", "times", "skills"}
    with pytest.raises(ValidationError):
        services.gap(checkup=start(person, A_SKILLS), by=person, occupation_uri=OCCUPATION_UNKNOWN)


OCCUPATION_UNKNOWN = "http://example.org/occupation/unknown"


def test_no_offering_for_a_gap_says_so_and_counts_it_anonymously(
    taxonomy: Any, person: User, provider: Organisation, no_store: Path
) -> None:
    checkup = start(person, A_SKILLS + B_SKILLS[:2], region_code="AM22")
    ways = services.ways_to_close(checkup=checkup, by=person, occupation_uri=B)
    assert set(ways.unmet) == {B_SKILLS[2], B_SKILLS[3]}
    assert "no course near you" in ways.messages[0]
    services.count_unmet(checkup=checkup, skill_uris=ways.unmet)
    services.count_unmet(checkup=checkup, skill_uris=ways.unmet)  # the same check-up looked at again
    counts = {g.skill.uri: g.count for g in UnmetGap.objects.select_related("skill")}
    assert counts == {B_SKILLS[2]: 1, B_SKILLS[3]: 1}
    second = start(person, A_SKILLS, region_code="AM22")  # another check-up counts again
    services.count_unmet(checkup=second, skill_uris=[B_SKILLS[3]])
    counts = {g.skill.uri: g.count for g in UnmetGap.objects.select_related("skill")}
    assert counts == {B_SKILLS[2]: 1, B_SKILLS[3]: 2}
    assert all(g.region and g.region.code == "AM22" for g in UnmetGap.objects.all())


def test_a_skill_held_via_a_broader_one_gets_an_evc_hint(taxonomy: Any, person: User, no_store: Path) -> None:
    passport.add_skills(person=person, skill_uris=[GROUP, SK + "c2"], source="manual")
    checkup = start(person, [])
    the_gap = services.gap(checkup=checkup, by=person, occupation_uri=C)
    assert [s.partly for s in the_gap.skills if s.uri == SK + "c1"] == [True]
    ways = services.ways_to_close(checkup=checkup, by=person, occupation_uri=C)
    assert ways.evc and SK + "c1" in ways.evc[0].skill_uris


def test_radar_outlook_region_without_data_falls_back_to_national(taxonomy: Any, person: User, no_store: Path) -> None:
    months = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)]
    vacancies = []
    for i, month in enumerate(months):
        # B grows in AM22; skills b4 asked far more than b3.
        for k in range(2 + i):
            vacancies.append(Vacancy("AM22", B, month, (B_SKILLS[3],) if k % 4 else (B_SKILLS[2], B_SKILLS[3])))
        vacancies.append(Vacancy("AM22", A, month))
    plant_store(no_store, vacancies)
    here = start(person, A_SKILLS + B_SKILLS[:2], region_code="AM22", occupation_uri=A)
    sentence = services.standing(checkup=here, by=person).outlook.sentence  # type: ignore[union-attr]
    assert "in your region" in sentence
    paths = services.where_i_could_go(checkup=here, by=person)
    assert paths[0].outlook.status == "growing"
    the_gap = services.gap(checkup=here, by=person, occupation_uri=B)
    assert [s.uri for s in the_gap.skills] == [B_SKILLS[3], B_SKILLS[2]]  # most asked first
    assert the_gap.frequency_scope == "region"
    assert "100 vacancies" in the_gap.skills[0].explanation
    elsewhere = start(person, [], region_code="AM01", occupation_uri=A)
    outlook = services.standing(checkup=elsewhere, by=person).outlook
    assert outlook is not None and outlook.scope == "national"
    assert "Your region has no radar figures yet" in outlook.sentence
    assert services.gap(checkup=elsewhere, by=person, occupation_uri=B).frequency_scope == "national"


def test_no_radar_store_at_all_is_said_plainly(taxonomy: Any, person: User, no_store: Path) -> None:
    checkup = start(person, A_SKILLS, occupation_uri=A)
    outlook = services.standing(checkup=checkup, by=person).outlook
    assert outlook is not None and outlook.scope == "none"
    assert "no figures" in outlook.sentence


def test_trial_placements_from_the_hub_are_offered(
    taxonomy: Any, person: User, provider: Organisation, no_store: Path
) -> None:
    now = timezone.now()
    Event.objects.create(
        region=Region.objects.get(code="AM22"),
        kind="trial_placement",
        title="Meeloopdag installateur",
        organiser=provider,
        starts_at=now + dt.timedelta(days=10),
        ends_at=now + dt.timedelta(days=10, hours=6),
        occupation_uri=B,
    )
    checkup = start(person, A_SKILLS, region_code="AM22")
    ways = services.ways_to_close(checkup=checkup, by=person, occupation_uri=B)
    assert [w.title for w in ways.trials] == ["Meeloopdag installateur"]


def test_open_days_and_placements_of_the_paths_sector_in_the_region_are_offered(
    taxonomy: Any, person: User, provider: Organisation, no_store: Path
) -> None:
    now = timezone.now()
    rijnmond, elsewhere = Region.objects.get(code="AM22"), Region.objects.get(code="AM01")
    installer = Organisation.objects.create(name="Installatiebedrijf Zuid", sector="F")
    hospital = Organisation.objects.create(name="Ziekenhuis West", sector="Q")

    def event(title: str, kind: str, organiser: Organisation, days: int, **kw: Any) -> None:
        start = now + dt.timedelta(days=days)
        Event.objects.create(
            region=kw.pop("region", rijnmond), kind=kind, title=title, organiser=organiser, starts_at=start,
            ends_at=start + dt.timedelta(hours=6), **kw,
        )  # fmt: skip

    event("Open dag bouw en techniek", "open_day", provider, 5, sectors=["F", "C"])  # named sector (code 7411: F, C, D)
    event("Open dag installatiebedrijf", "open_day", installer, 9)  # no sectors named: the organiser's
    event("Meelopen bij de monteurs", "job_rotation", installer, 12)
    event("Proefplaatsing installatiemonteur", "trial_placement", hospital, 20, occupation_uri=B)  # the occupation
    event("Open dag zorg", "open_day", hospital, 3)  # another sector
    event("Open dag techniek, alleen zorg", "open_day", installer, 4, sectors=["Q"])  # names other sectors only
    event("Open dag elders", "open_day", installer, 6, region=elsewhere)  # another region
    event("Afgelast", "open_day", installer, 7, cancelled=True)
    event("Informatieavond", "information_session", installer, 8)  # not a way to try the work
    checkup = start(person, A_SKILLS, region_code="AM22")
    ways = services.ways_to_close(checkup=checkup, by=person, occupation_uri=B)
    assert [w.title for w in ways.trials] == ["Proefplaatsing installatiemonteur", "Meelopen bij de monteurs"]
    assert [w.title for w in ways.open_days] == ["Open dag bouw en techniek", "Open dag installatiebedrijf"]
    assert ways.trials[0].explanation == "Try the job of installer for a day or a few weeks at Ziekenhuis West."
    assert ways.trials[1].explanation == (
        "Try work in construction for a day or a few weeks at Installatiebedrijf Zuid."
    )
    assert ways.open_days[0].explanation == "Visit ROC Rijnmond on an open day and see the work in construction."
    national = start(person, [])
    everywhere = services.ways_to_close(checkup=national, by=person, occupation_uri=B)
    assert "Open dag elders" in [w.title for w in everywhere.open_days]


def test_an_occupation_without_a_sector_gets_only_events_for_itself(
    taxonomy: Any, person: User, provider: Organisation, no_store: Path
) -> None:
    taxonomy[B].code = "1321"  # a manager: found in every sector
    taxonomy[B].save()
    start_at = timezone.now() + dt.timedelta(days=3)
    for title, occupation in (("Open dag fabriek", ""), ("Open dag voor managers", B)):
        Event.objects.create(
            region=Region.objects.get(code="AM22"), kind="open_day", title=title, organiser=provider,
            starts_at=start_at, ends_at=start_at + dt.timedelta(hours=3), sectors=["C"], occupation_uri=occupation,
        )  # fmt: skip
    checkup = start(person, A_SKILLS, region_code="AM22")
    ways = services.ways_to_close(checkup=checkup, by=person, occupation_uri=B)
    assert [w.title for w in ways.open_days] == ["Open dag voor managers"]


def test_plan_with_steps_defaults_to_a_checkup_in_a_year(
    taxonomy: Any, person: User, provider: Organisation, no_store: Path
) -> None:
    offering = plant_offering(provider, "Installaties testen", [B_SKILLS[3]])
    checkup = start(person, A_SKILLS, region_code="AM22")
    run = offering.runs.first()
    plan = services.choose_first_step(
        checkup=checkup,
        by=person,
        occupation_uri=B,
        steps=[
            {"kind": "offering", "offering": str(offering.uuid), "run": str(run.uuid), "skill_uris": [B_SKILLS[3]]},
            {"kind": "conversation", "title": "Praten met mijn leidinggevende"},
        ],
    )
    assert plan.next_checkup == services.today() + dt.timedelta(days=365)
    steps = list(plan.steps.all())
    assert [s.kind for s in steps] == ["offering", "conversation"]
    assert steps[0].starts_on == run.start_date
    services.set_step_status(step=steps[0], by=person, status="doing")
    assert services.due_plan(person) is None
    Plan.objects.filter(pk=plan.pk).update(next_checkup=services.today())
    assert services.due_plan(person) is not None
    with pytest.raises(ValidationError):
        services.choose_first_step(checkup=checkup, by=person, occupation_uri=B, steps=[])


def test_an_adviser_needs_the_persons_consent(taxonomy: Any, person: User, no_store: Path) -> None:
    adviser = User.objects.create_user(username="adviseur", password="x")
    other = User.objects.create_user(username="ander", password="x")
    checkup = start(person, A_SKILLS)
    with pytest.raises(PermissionDenied):
        services.where_i_could_go(checkup=checkup, by=adviser)
    passport.give_consent(person=person, grantee=adviser, valid_until=timezone.now() + dt.timedelta(days=30))
    assert services.where_i_could_go(checkup=checkup, by=adviser)
    note = services.add_note(checkup=checkup, author=adviser, text="Kijk naar de avondcursus.")
    assert list(checkup.notes.all()) == [note]
    with pytest.raises(PermissionDenied):
        services.add_note(checkup=checkup, author=other, text="x")


def test_who_could_move_into_an_occupation(taxonomy: Any, no_store: Path) -> None:
    movers = services.movers_into(occupation_uri=B)
    assert [m.occupation for m in movers] == [C, A]  # C holds b1 (essential); A holds a3 (optional)
    assert "%" in movers[0].explanation
    with translation.override("nl"):
        dutch = services.movers_into(occupation_uri=B)[0]
        assert dutch.label == "magazijnmedewerker" and dutch.explanation.startswith("Mensen die werken als")
