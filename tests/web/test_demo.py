"""`wendbaar demo --no-serve`: sets up the demo, idempotently, and never in production."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.conftest import require_shared_data
from tests.web.world import FAST_HASHERS
from wendbaar.radar.store import parquet
from wendbaar.regions.constants import ActorType, Role
from wendbaar.regions.models import Membership, Municipality, Organisation, Region
from wendbaar.regions.roles import roles_of
from wendbaar.skills.models import Concept

pytestmark = pytest.mark.django_db


def _state() -> tuple:
    return (
        list(Organisation.objects.values_list("uuid", "name", "kvk", "actor_type").order_by("name")),
        list(
            Membership.objects.values_list(
                "uuid", "user__username", "role", "organisation__name", "region__code"
            ).order_by("uuid")
        ),
        list(get_user_model().objects.values_list("username", "password").order_by("username")),
        list(Municipality.objects.values_list("code", "region__code").order_by("code")),
        list(Region.objects.values_list("code", "geometry")),
    )


def _radar_state() -> tuple[int, int]:
    with parquet.connect() as con:
        vacancies = con.execute("select count(*) from vacancies").fetchone()[0]
        enriched = con.execute("select count(*) from vacancies where occupation_uri is not null").fetchone()[0]
    return vacancies, enriched


def test_demo_sets_up_every_role_and_actor_type_and_is_idempotent(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.VAR_DIR = tmp_path / "var"
    settings.STORE_DIR = tmp_path / "var" / "radar"
    settings.ENGINE_PATH = tmp_path / "var" / "engine.bin"
    # The real region maps, but no ESCO download: the demo then uses the small ESCO sample, which
    # keeps this test quick while it still runs every step (taxonomy, engine, synthetic radar).
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "regions").symlink_to(require_shared_data("regions"), target_is_directory=True)
    out = StringIO()
    call_command("demo", "--no-serve", "--shared-data", str(shared), stdout=out)
    assert "wendbaar-demo" in out.getvalue() and "coordinator" in out.getvalue()
    assert set(Organisation.objects.values_list("actor_type", flat=True)) == set(ActorType.values)
    for role in Role.values:
        user = get_user_model().objects.get(username=role)
        assert roles_of(user) == {role}
        assert user.check_password("wendbaar-demo")
    assert Municipality.objects.filter(region__code="AM22").count() > 10
    assert Concept.objects.filter(kind="occupation").exists()
    vacancies, enriched = _radar_state()
    assert vacancies > 1000 and enriched == vacancies, out.getvalue()
    with parquet.connect() as con:  # enough regions for the national view and the comparison of regions
        assert con.execute("select count(distinct region_code) from vacancies").fetchone()[0] >= 3
    before = (_state(), Concept.objects.count(), _radar_state())
    call_command("demo", "--no-serve", "--shared-data", str(shared), stdout=StringIO())
    assert (_state(), Concept.objects.count(), _radar_state()) == before


def test_demo_works_without_shared_data(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = FAST_HASHERS
    out = StringIO()
    call_command("demo", "--no-serve", "--shared-data", str(tmp_path), stdout=out)
    assert "no boundary files" in out.getvalue()
    assert get_user_model().objects.filter(username__in=Role.values).count() == len(Role.values)


def test_demo_refuses_to_run_in_production(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo", "--no-serve", stdout=StringIO())
    assert not get_user_model().objects.exists()
