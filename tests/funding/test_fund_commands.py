"""`wendbaar funding fund-create --from FILE`, `money` and `grant`: a fund's staff's work on the command line, through
the same services as the pages and the API; an error names the field and its line, and nothing is written then."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from wendbaar.funding.models import Fund, LedgerTransaction
from wendbaar.funding.services import balance, entitlement_account, fund_account
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership

from .conftest import VALID_FROM, VALID_UNTIL, LedgerWorld

GOOD = {"name": "Scholingsfonds Zorg", "cap_per_person_cents": 50_000, "valid_from": VALID_FROM.isoformat(),
        "valid_until": VALID_UNTIL.isoformat(), "budget_cents": 100_000}  # fmt: skip


def _staff(world: LedgerWorld) -> Any:
    user = get_user_model().objects.create_user(username="fonds")
    Membership.objects.create(user=user, role=Role.FUND, organisation=world.sector_fund.funder)
    return user


def _run(*args: str) -> str:
    out = StringIO()
    call_command("funding", *args, stdout=out)
    return out.getvalue()


def test_fund_create_from_a_file_makes_every_fund_with_its_budget(world: LedgerWorld, tmp_path: Path) -> None:
    _staff(world)
    path = tmp_path / "fondsen.json"
    second = {**GOOD, "name": "Scholingsfonds Techniek", "eligible_regions": [world.region.code], "share_bp": 7_000}
    path.write_text(json.dumps([GOOD, second], indent=2))
    out = _run("fund-create", "--as", "fonds", "--from", str(path))
    made = Fund.objects.filter(name__startswith="Scholingsfonds").order_by("name")
    assert [fund.name for fund in made] == ["Scholingsfonds Techniek", "Scholingsfonds Zorg"]
    assert all(str(fund.uuid) in out for fund in made)
    techniek = made[0]
    assert techniek.funder == world.sector_fund.funder and techniek.share_bp == 7_000
    assert list(techniek.eligible_regions.all()) == [world.region]
    assert balance(fund_account(techniek)) == 100_000


def test_a_file_with_keys_read_again_makes_nothing_new(world: LedgerWorld, tmp_path: Path) -> None:
    _staff(world)
    path = tmp_path / "fondsen.json"
    path.write_text(json.dumps([{**GOOD, "key": "zorg-2027"}, {**GOOD, "name": "Scholingsfonds Bouw", "key": "bouw"}]))
    first = _run("fund-create", "--as", "fonds", "--from", str(path))
    again = _run("fund-create", "--as", "fonds", "--from", str(path))
    made = Fund.objects.filter(name__startswith="Scholingsfonds")
    assert made.count() == 2 and first == again  # the same funds, named by the same UUIDs
    assert [balance(fund_account(fund)) for fund in made] == [100_000, 100_000]  # each budget booked once
    path.write_text(json.dumps({**GOOD, "key": "zorg-2027", "budget_cents": 5}, indent=2))
    with pytest.raises(CommandError) as refused:
        _run("fund-create", "--as", "fonds", "--from", str(path), "--language", "en")
    assert f"{path}:7: key: This key was already used for another request." in str(refused.value)


def test_a_bad_fund_names_field_and_line_and_nothing_is_saved(world: LedgerWorld, tmp_path: Path) -> None:
    _staff(world)
    path = tmp_path / "fondsen.json"
    bad = {**GOOD, "name": "Slecht fonds", "cap_per_person_cents": -5, "share_bp": 20_000,
           "valid_until": VALID_FROM.isoformat(), "valid_from": VALID_UNTIL.isoformat()}  # fmt: skip
    path.write_text(json.dumps([GOOD, bad], indent=2))
    text = path.read_text().splitlines()
    line_of = {key: next(i for i, line in enumerate(text, 1) if f'"{key}": ' in line and i > 8)
               for key in ("cap_per_person_cents", "share_bp", "valid_until")}  # fmt: skip
    with pytest.raises(CommandError) as refused:
        _run("fund-create", "--as", "fonds", "--from", str(path), "--language", "nl")
    message = str(refused.value)
    assert f"{path}:{line_of['cap_per_person_cents']}: cap_per_person_cents: " in message
    assert f"{path}:{line_of['share_bp']}: share_bp: " in message
    assert f"{path}:{line_of['valid_until']}: valid_until: " in message
    assert "Er is niets opgeslagen." in message
    assert not Fund.objects.filter(name__in=["Scholingsfonds Zorg", "Slecht fonds"]).exists()
    assert not LedgerTransaction.objects.exists()  # the good fund's budget was not booked either

    unknown = {**GOOD, "eligible_regions": ["XX99"], "cap_per_offering_cents": 10.5}
    path.write_text(json.dumps(unknown, indent=2))
    with pytest.raises(CommandError) as refused:
        _run("fund-create", "--as", "fonds", "--from", str(path), "--language", "en")
    message = str(refused.value)
    assert f"{path}:7: eligible_regions: " in message and "XX99" in message
    assert f"{path}:10: cap_per_offering_cents: A valid integer is required." in message  # after the list
    assert "Nothing was saved." in message and not Fund.objects.filter(name="Scholingsfonds Zorg").exists()


def test_a_file_that_is_not_json_names_its_line(world: LedgerWorld, tmp_path: Path) -> None:
    _staff(world)
    path = tmp_path / "kapot.json"
    path.write_text('[\n  {"name": "A",\n   "cap_per_person_cents": 5,,\n  }\n]')
    with pytest.raises(CommandError, match=r"kapot.json: line 3: this is not valid JSON"):
        _run("fund-create", "--as", "fonds", "--from", str(path), "--language", "en")
    with pytest.raises(CommandError, match=r"--as: there is nobody"):
        _run("fund-create", "--as", "niemand", "--from", str(path), "--language", "en")


def test_money_and_grant_book_once_per_key(world: LedgerWorld) -> None:
    _staff(world)
    fund, person = world.sector_fund, world.people[0]
    for _ in range(2):
        _run("money", "--as", "fonds", str(fund.uuid), "60000", "--key", "storting-1")
        _run("grant", "--as", "fonds", str(fund.uuid), person.username, "20000", "--key", "toekenning-1")
    assert balance(entitlement_account(fund=fund, person=person)) == 20_000
    assert balance(fund_account(fund)) == 40_000


def test_bad_money_and_grants_name_the_field_and_write_nothing(world: LedgerWorld) -> None:
    _staff(world)
    fund = world.sector_fund
    cases = [
        (("money", str(fund.uuid), "-100", "--key", "a"), "amount_cents: The amount must be more than zero."),
        (("money", str(fund.uuid), "10.5", "--key", "a"), "amount_cents: A valid integer is required."),
        (("grant", str(fund.uuid), "niemand", "100", "--key", "b"), "person: There is nobody"),
        (("grant", str(fund.uuid), world.people[0].username, "100", "--key", "b"), "amount_cents: The fund does"),
        (("money", str(world.state_fund.uuid), "100", "--key", "c"), "fund: there is no fund"),
        (("money", "geen-uuid", "100", "--key", "c"), "fund: there is no fund"),
    ]
    for args, expected in cases:
        with pytest.raises(CommandError) as refused:
            _run(*args, "--as", "fonds", "--language", "en")
        assert expected in str(refused.value), (args, str(refused.value))
    assert not LedgerTransaction.objects.exists()
