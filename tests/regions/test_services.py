"""Organisations and memberships: KvK numbers, duplicates, and which role fits where."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation

from wendbaar.regions.constants import ActorType, Role
from wendbaar.regions.models import Membership, Organisation, Region
from wendbaar.regions.roles import roles_of
from wendbaar.regions.services import (
    add_membership,
    create_organisation,
    delete_organisation,
    remove_membership,
    update_organisation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _org(name: str = "Bakkerij Jansen", actor_type: str = ActorType.EMPLOYER, **extra: object) -> Organisation:
    return create_organisation(name=name, actor_type=actor_type, region_codes=["AM22"], **extra)  # type: ignore[arg-type]


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_create_organisation_in_several_regions() -> None:
    organisation = create_organisation(
        name="Havenbedrijf", actor_type=ActorType.EMPLOYER, kvk="24354561", region_codes=["am22", "AM21"]
    )
    assert sorted(organisation.regions.values_list("code", flat=True)) == ["AM21", "AM22"]


@pytest.mark.parametrize("kvk", ["1234567", "123456789", "1234567a", "12 34 56 78"])
def test_kvk_must_have_exactly_eight_digits(kvk: str) -> None:
    with pytest.raises(ValidationError) as exc:
        _org(kvk=kvk)
    assert "kvk" in _errors(exc)
    assert not Organisation.objects.exists()


def test_duplicate_name_is_refused_case_insensitively() -> None:
    _org("Bakkerij Jansen")
    with pytest.raises(ValidationError) as exc:
        _org("  BAKKERIJ jansen ")
    assert "already exists" in _errors(exc)["name"][0]


def test_duplicate_kvk_is_refused() -> None:
    _org("Een", kvk="12345678")
    with pytest.raises(ValidationError) as exc:
        _org("Twee", kvk="12345678")
    assert list(_errors(exc)) == ["kvk"]


def test_organisations_without_kvk_are_no_duplicates_of_each_other() -> None:
    _org("Een")
    _org("Twee")
    assert Organisation.objects.count() == 2


def test_all_problems_are_reported_together() -> None:
    _org("Een", kvk="12345678")
    with pytest.raises(ValidationError) as exc:
        create_organisation(name="een", actor_type="bakery", kvk="12", region_codes=["AM99"])
    assert set(_errors(exc)) == {"name", "actor_type", "kvk", "regions"}
    assert "AM99" in _errors(exc)["regions"][0]


def test_an_organisation_needs_a_region() -> None:
    with pytest.raises(ValidationError) as exc:
        create_organisation(name="Los", actor_type=ActorType.EMPLOYER, region_codes=[])
    assert "regions" in _errors(exc)


def test_update_keeps_rules_and_may_keep_its_own_name() -> None:
    organisation = _org("Een", kvk="12345678")
    _org("Twee")
    update_organisation(organisation=organisation, name="Een", size_class="small", region_codes=["AM21"])
    organisation.refresh_from_db()
    assert organisation.size_class == "small"
    assert list(organisation.regions.values_list("code", flat=True)) == ["AM21"]
    with pytest.raises(ValidationError) as exc:
        update_organisation(organisation=organisation, name="twee")
    assert "name" in _errors(exc)


def test_delete_organisation_removes_its_memberships() -> None:
    organisation = _org()
    user = get_user_model().objects.create_user("erik")
    add_membership(user=user, role=Role.EMPLOYER, organisation=organisation)
    delete_organisation(organisation=organisation)
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    ("role", "actor_type", "allowed"),
    [
        (Role.EMPLOYER, ActorType.EMPLOYER, True),
        (Role.EMPLOYER, ActorType.EDUCATION_PROVIDER, False),
        (Role.PROVIDER, ActorType.EDUCATION_PROVIDER, True),
        (Role.PROVIDER, ActorType.EMPLOYER, False),
        (Role.FUND, ActorType.FUND, True),
        (Role.FUND, ActorType.GOVERNMENT, True),
        (Role.FUND, ActorType.EMPLOYER, False),
        (Role.LEARNER, ActorType.EMPLOYER, False),
        (Role.ADMIN, ActorType.GOVERNMENT, False),
        (Role.COORDINATOR, ActorType.GOVERNMENT, False),
    ],
)
def test_role_fits_only_certain_organisations(role: str, actor_type: str, allowed: bool) -> None:
    organisation = _org(actor_type=actor_type)
    user = get_user_model().objects.create_user("someone")
    region = Region.objects.get(code="AM22") if role == Role.COORDINATOR else None
    if allowed:
        add_membership(user=user, role=role, organisation=organisation, region=region)
        assert role in roles_of(user)
    else:
        with pytest.raises(ValidationError) as exc:
            add_membership(user=user, role=role, organisation=organisation, region=region)
        assert "organisation" in _errors(exc)
        assert not Membership.objects.exists()


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.PROVIDER, Role.FUND])
def test_organisation_roles_need_an_organisation(role: str) -> None:
    user = get_user_model().objects.create_user("someone")
    with pytest.raises(ValidationError) as exc:
        add_membership(user=user, role=role)
    assert "organisation" in _errors(exc)


def test_coordinator_needs_a_region_and_others_have_none() -> None:
    user = get_user_model().objects.create_user("chris")
    with pytest.raises(ValidationError) as exc:
        add_membership(user=user, role=Role.COORDINATOR)
    assert "region" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        add_membership(user=user, role=Role.LEARNER, region=Region.objects.get(code="AM22"))
    assert "region" in _errors(exc)


def test_learner_and_admin_need_nothing_and_adding_twice_is_one_membership() -> None:
    user = get_user_model().objects.create_user("lotte")
    add_membership(user=user, role=Role.LEARNER)
    add_membership(user=user, role=Role.LEARNER)
    add_membership(user=user, role=Role.ADMIN)
    assert Membership.objects.filter(user=user).count() == 2
    assert roles_of(user) == {Role.LEARNER, Role.ADMIN}


def test_remove_membership_takes_the_role_away() -> None:
    user = get_user_model().objects.create_user("lotte")
    membership = add_membership(user=user, role=Role.LEARNER)
    assert roles_of(user) == {Role.LEARNER}
    remove_membership(membership=membership)
    assert roles_of(user) == frozenset()


def test_changing_actor_type_is_refused_when_members_no_longer_fit() -> None:
    organisation = _org()
    add_membership(user=get_user_model().objects.create_user("erik"), role=Role.EMPLOYER, organisation=organisation)
    with pytest.raises(ValidationError) as exc:
        update_organisation(organisation=organisation, actor_type=ActorType.EDUCATION_PROVIDER)
    assert "actor_type" in _errors(exc)
