"""Search across regions (Dutch stems, filters) and matchmaking on planted similar initiatives and people,
each suggestion explained."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.hub.conftest import Hub, make_user
from wendbaar.hub import search, services
from wendbaar.hub.search import SearchFilters

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted(hub: Hub) -> dict:
    """A zorg pilot in AM22, its planted twin in AM13, and unrelated initiatives around them."""
    source = hub.initiative(
        title="Vraagarticulatie in de zorg", goal="Samen met zorgwerkgevers de leervraag ophalen voor werkzoekenden.",
        themes=["demand"], sectors=["Q"], target_groups=["job_seekers"], success_factors=["regional_embedding"],
    )  # fmt: skip
    twin = hub.initiative(
        by=hub.other_coordinator, region=hub.am13, title="Leervragen ophalen bij zorginstellingen",
        goal="Werkzoekenden en zorgwerkgevers samen aan tafel.", themes=["demand"], sectors=["Q"],
        target_groups=["job_seekers"], failure_factors=["individual_energy"],
    )  # fmt: skip
    unrelated = [
        hub.initiative(title="Lasacademie haven", goal="Lassers opleiden in de haven.", themes=["education"],
                       sectors=["C"], target_groups=["workers"]),  # fmt: skip
        hub.initiative(title="Digitale vaardigheden voor ouderen", goal="Laaggeletterden leren met de computer.",
                       themes=["education"], sectors=["P"], target_groups=["low_literacy"]),  # fmt: skip
        hub.initiative(title="Regionale visie op leven lang ontwikkelen", goal="Een gedeelde visie.",
                       themes=["vision"], sectors=["O"]),  # fmt: skip
    ]
    return {"source": source, "twin": twin, "unrelated": unrelated}


def test_search_finds_dutch_word_forms_across_regions(planted: dict) -> None:
    # "werkzoekende" (singular) finds both "werkzoekenden": the Dutch stem is the same.
    found = search.search_initiatives(q="werkzoekende zorgwerkgevers")
    assert {i.pk for i in found.initiatives} == {planted["source"].pk, planted["twin"].pk}
    assert found.total == 2
    assert {i.region.code for i in found.initiatives} == {"AM22", "AM13"}


def test_search_ranks_title_words_first_and_needs_every_word(planted: dict) -> None:
    found = search.search_initiatives(q="zorg")
    assert found.initiatives[0] == planted["source"]  # "zorg" in its title
    assert search.search_initiatives(q="zorg lassers").total == 0


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(theme="demand"), {"source", "twin"}),
        (SearchFilters(theme="demand", region="AM13"), {"twin"}),
        (SearchFilters(factor="regional_embedding"), {"source"}),
        (SearchFilters(factor="individual_energy"), {"twin"}),
        (SearchFilters(target_group="job_seekers", sector="Q", status="pilot"), {"source", "twin"}),
        (SearchFilters(status="stopped"), set()),
    ],
)
def test_search_filters_combine(planted: dict, filters: SearchFilters, expected: set[str]) -> None:
    names = {planted[name].pk: name for name in ("source", "twin")}
    found = search.search_initiatives(filters=filters)
    assert {names.get(i.pk, "other") for i in found.initiatives} == expected


def test_matchmaking_finds_the_planted_twin_first_and_explains_it(planted: dict) -> None:
    with translation.override("en"):
        initiatives, _people = search.similar_to_initiative(planted["source"])
    best = initiatives[0]
    assert best.initiative == planted["twin"]
    assert best.shared["themes"] == ["collecting the demand"]
    assert best.shared["target_groups"] == ["job seekers"]
    assert best.shared["sectors"] == ["Human health and social work"]
    assert best.reason == (
        "Also works on collecting the demand, for Human health and social work, with job seekers, "
        "in AM13 Midden-Utrecht."
    )
    assert planted["source"] not in [s.initiative for s in initiatives]


def test_the_explanation_is_in_the_readers_language(planted: dict) -> None:
    with translation.override("nl"):
        initiatives, _people = search.similar_to_initiative(planted["source"])
    assert initiatives[0].reason.startswith("Werkt ook aan ophalen van de vraag, voor Gezondheids- en welzijnszorg")
    assert initiatives[0].reason.endswith("in AM13 Midden-Utrecht.")


def test_people_are_matched_only_when_they_opted_in(hub: Hub, planted: dict) -> None:
    findable = make_user("zorgpersoon", first="Zeynep", last="Zorg")
    services.save_profile(user=findable, findable=True, region=hub.am13, themes=["demand"], sectors=["Q"],
                          works_on="Leervragen van zorginstellingen ophalen")  # fmt: skip
    hidden = make_user("verborgen", first="Victor", last="Verborgen")
    services.save_profile(user=hidden, findable=False, region=hub.am13, themes=["demand"], sectors=["Q"],
                          works_on="Leervragen van zorginstellingen ophalen")  # fmt: skip
    with translation.override("en"):
        _initiatives, people = search.similar_to_initiative(planted["source"])
    assert [p.profile.user for p in people] == [findable]  # type: ignore[union-attr]
    assert "collecting the demand" in people[0].reason and people[0].reason.endswith("in AM13 Midden-Utrecht.")
    # Opting out removes the person from matchmaking at once.
    services.save_profile(user=findable, findable=False)
    assert search.similar_to_initiative(planted["source"])[1] == []


def test_a_person_gets_initiatives_and_people_and_ambassadors_are_named(hub: Hub, planted: dict) -> None:
    from wendbaar.regions.models import Membership

    me = services.save_profile(user=hub.other_employer, findable=True, region=hub.am13, themes=["demand"],
                               target_groups=["job_seekers"], works_on="Werkzoekenden naar de zorg")  # fmt: skip
    colleague = services.save_profile(user=hub.employer, findable=True, region=hub.am22, themes=["demand"],
                                      target_groups=["job_seekers"], works_on="Werkzoekenden begeleiden")  # fmt: skip
    membership = Membership.objects.get(user=hub.employer, role="employer")
    services.set_learning_ambassador(by=hub.employer, membership=membership, value=True)
    with translation.override("en"):
        initiatives, people = search.matches_for_profile(me)
    assert {s.initiative for s in initiatives[:2]} == {planted["source"], planted["twin"]}
    assert people[0].profile == colleague
    assert "learning ambassador at Havenbouw Demo BV" in people[0].reason
    assert me not in [p.profile for p in people]
