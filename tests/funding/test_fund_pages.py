"""A fund's own staff make funds with their rules and give people money, through pages (issue 19, item 1).

The rules are `services.create_fund` / `grant`'s: the pages only translate euros and percentages. Least
privilege: a fund's staff see and run only their own organisation's funds; other roles get no such page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.api_client import as_user
from wendbaar.funding import services
from wendbaar.funding.funds import services as funds
from wendbaar.funding.models import Account, AccountKind, Fund, LedgerTransaction
from wendbaar.regions.constants import ActorType, Role, Sector
from wendbaar.regions.models import Membership, Organisation

from .conftest import TODAY, LedgerWorld

pytestmark = pytest.mark.django_db


def _staff(organisation: Organisation, name: str = "fondsmedewerker") -> Any:
    user = get_user_model().objects.create_user(username=name, email=f"{name}@example.org")
    Membership.objects.create(user=user, organisation=organisation, role=Role.FUND)
    return user


def _form(funder: Organisation, **changes: Any) -> dict[str, Any]:
    data = {
        "funder": funder.pk, "name": "Ontwikkelbudget Zorg", "valid_from": TODAY.isoformat(),
        "valid_until": (TODAY + timedelta(days=365)).isoformat(), "budget": "5000", "cap_per_person": "1000",
        "cap_per_offering": "800", "share": "70", "eligible_sectors": [Sector.Q],
        "eligible_tags": "zorg, stap", "pay_on_start": "30", "pay_on_attendance": "30", "min_attendance": "80",
        "key": "formulier-1",
    }  # fmt: skip
    data.update(changes)
    return data


def test_fund_staff_make_a_fund_with_its_rules_and_budget(world: LedgerWorld) -> None:
    funder = world.sector_fund.funder
    client = as_user(_staff(funder))
    response = client.post("/leerrekening/fondsen/nieuw/", _form(funder, eligible_regions=[world.region.pk]))
    fund = Fund.objects.get(name="Ontwikkelbudget Zorg")
    assert response.status_code == 302 and response["Location"] == f"/leerrekening/fondsen/{fund.uuid}/"
    assert fund.funder == funder and fund.cap_per_person_cents == 100_000 and fund.cap_per_offering_cents == 80_000
    assert fund.share_bp == 7_000 and fund.eligible_sectors == [Sector.Q]
    assert fund.eligible_tags == ["stap", "zorg"] and list(fund.eligible_regions.all()) == [world.region]
    assert (fund.pay_on_start_bp, fund.pay_on_attendance_bp, fund.pay_on_completion_bp) == (3_000, 3_000, 4_000)
    assert fund.min_attendance_bp == 8_000
    assert services.balance(services.fund_account(fund)) == 500_000
    page = client.get(f"/leerrekening/fondsen/{fund.uuid}/").content.decode()
    assert "Ontwikkelbudget Zorg" in page and "€\u00a05.000,00" in page and "70%" in page


def test_a_form_sent_twice_makes_one_fund(world: LedgerWorld) -> None:
    funder = world.sector_fund.funder
    client = as_user(_staff(funder))
    shown = client.get("/leerrekening/fondsen/nieuw/")
    key = shown.context["form"]["key"].value()
    assert key and f'name="key" value="{key}"' in shown.content.decode()  # a new key with every form shown
    assert client.get("/leerrekening/fondsen/nieuw/").context["form"]["key"].value() != key
    first = client.post("/leerrekening/fondsen/nieuw/", _form(funder, key=key))
    again = client.post("/leerrekening/fondsen/nieuw/", _form(funder, key=key))
    fund = Fund.objects.get(name="Ontwikkelbudget Zorg")
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert services.balance(services.fund_account(fund)) == 500_000  # the budget went in once
    changed = client.post("/leerrekening/fondsen/nieuw/", _form(funder, key=key, cap_per_person="2000"))
    assert changed.status_code == 200 and changed.context["form"].non_field_errors()
    assert Fund.objects.filter(name="Ontwikkelbudget Zorg").count() == 1


def test_bad_rules_get_a_dutch_error_at_each_field_and_nothing_is_written(world: LedgerWorld) -> None:
    funder = world.sector_fund.funder
    client = as_user(_staff(funder))
    before = Fund.objects.count()
    bad = _form(funder, name=" ", valid_until=(TODAY - timedelta(days=1)).isoformat(), pay_on_start="60",
                pay_on_attendance="50", eligible_providers=[world.employer.pk], share="0")  # fmt: skip
    response = client.post("/leerrekening/fondsen/nieuw/", bad)
    assert response.status_code == 200 and Fund.objects.count() == before
    errors = response.context["form"].errors
    assert set(errors) >= {"name", "share", "eligible_providers"}
    # The service's own rules, at the fields they name (the form passes a blank name and checks the rest first).
    before_start = (TODAY - timedelta(days=1)).isoformat()
    post = _form(funder, valid_until=before_start, pay_on_start="60", pay_on_attendance="50")
    response = client.post("/leerrekening/fondsen/nieuw/", post)
    errors = response.context["form"].errors
    assert errors["valid_until"] == ["De einddatum moet op of na de begindatum liggen."]
    together = "Het deel bij de start en het deel bij aanwezigheid samen zijn hoogstens 100%."
    assert errors["pay_on_attendance"] == [together]
    assert Fund.objects.count() == before
    page = response.content.decode()
    assert "Verbeter het volgende" in page or "error-summary" in page


def test_the_service_refuses_every_broken_rule_at_once(world: LedgerWorld) -> None:
    staff = _staff(world.sector_fund.funder)
    with pytest.raises(ValidationError) as refused:
        funds.create_fund(
            by=staff, funder=world.sector_fund.funder, name="", cap_per_person_cents=0, cap_per_offering_cents=-5,
            share_bp=10_001, valid_from=TODAY, valid_until=TODAY - timedelta(days=1), eligible_sectors=["?"],
            eligible_providers=[world.employer], eligible_tags=[""], budget_cents=12.5,  # type: ignore[arg-type]
        )  # fmt: skip
    assert set(refused.value.message_dict) == {
        "name", "cap_per_person_cents", "cap_per_offering_cents", "share_bp", "valid_until", "eligible_sectors",
        "eligible_providers", "eligible_tags", "budget_cents",
    }  # fmt: skip
    assert not Fund.objects.filter(name="").exists()


def test_fund_staff_give_an_entitlement_under_the_funds_rules_once_per_submission(world: LedgerWorld) -> None:
    fund = world.sector_fund
    services.deposit(fund=fund, amount_cents=200_000, key="pot")
    client = as_user(_staff(fund.funder))
    person = world.people[0]
    url = f"/leerrekening/fondsen/{fund.uuid}/"
    form = client.get(url).context["grant_form"]
    post = {"action": "grant", "grant-person": person.username, "grant-amount": "300", "grant-key": form["key"].initial}
    assert client.post(url, post).status_code == 302
    assert client.post(url, post).status_code == 302  # a double submission books once
    account = Account.objects.get(kind=AccountKind.ENTITLEMENT, fund=fund, person=person)
    assert services.balance(account) == 30_000
    # Over the fund's cap per person (500 euros): refused at the amount, in Dutch, nothing booked.
    over = {**post, "grant-amount": "300", "grant-key": "another"}
    response = client.post(url, over)
    assert response.status_code == 400
    assert response.context["grant_form"].errors["amount"] == ["Dit is meer dan het fonds aan één persoon geeft."]
    unknown = {**post, "grant-person": "niemand", "grant-key": "third"}
    response = client.post(url, unknown)
    assert response.context["grant_form"].errors["person"] == [
        "Er is niemand met deze gebruikersnaam of dit e-mailadres."
    ]
    assert services.balance(account) == 30_000


def test_adding_money_books_once_per_submission_and_refuses_a_bad_amount(world: LedgerWorld) -> None:
    fund = world.sector_fund
    client = as_user(_staff(fund.funder))
    url = f"/leerrekening/fondsen/{fund.uuid}/"
    post = {"action": "money", "money-amount": "1000", "money-key": "k1"}
    client.post(url, post)
    client.post(url, post)
    assert services.balance(services.fund_account(fund)) == 100_000
    response = client.post(url, {**post, "money-amount": "0", "money-key": "k2"})
    assert response.status_code == 400 and "amount" in response.context["money_form"].errors
    assert services.balance(services.fund_account(fund)) == 100_000


def test_a_fund_sees_and_runs_only_its_own_funds(world: LedgerWorld) -> None:
    mine, theirs = world.sector_fund, world.state_fund
    staff = _staff(mine.funder)
    client = as_user(staff)
    listing = client.get("/leerrekening/fondsen/").content.decode()
    assert mine.name in listing and theirs.name not in listing
    assert client.get(f"/leerrekening/fondsen/{theirs.uuid}/").status_code == 404
    services.deposit(fund=theirs, amount_cents=100_000, key="theirs")
    post = {"action": "money", "money-amount": "10", "money-key": "x"}
    assert client.post(f"/leerrekening/fondsen/{theirs.uuid}/", post).status_code == 404
    # A new fund only for one's own organisation: another's is not a choice, and the service refuses it too.
    response = client.post("/leerrekening/fondsen/nieuw/", _form(theirs.funder))
    assert response.status_code == 200 and "funder" in response.context["form"].errors
    with pytest.raises(PermissionDenied):
        funds.create_fund(by=staff, funder=theirs.funder, name="x", cap_per_person_cents=1,
                             valid_from=TODAY, valid_until=TODAY)  # fmt: skip
    with pytest.raises(PermissionDenied):
        funds.grant(by=staff, fund=theirs, person=world.people[0], amount_cents=100, key="k")
    assert not LedgerTransaction.objects.filter(key__contains=":grant:").exists()


@pytest.mark.parametrize("role", [Role.LEARNER, Role.PROVIDER, Role.COORDINATOR, Role.EMPLOYER])
def test_other_roles_get_no_fund_pages(world: LedgerWorld, role: str) -> None:
    user = get_user_model().objects.create_user(username=f"u-{role}")
    org = Organisation.objects.create(name=f"Org {role}", actor_type=ActorType.EMPLOYER)
    Membership.objects.create(user=user, organisation=org, role=role)
    client = as_user(user)
    for url in ("/leerrekening/fondsen/", "/leerrekening/fondsen/nieuw/",
                f"/leerrekening/fondsen/{world.sector_fund.uuid}/"):  # fmt: skip
        assert client.get(url).status_code == 403, (role, url)
    assert Client().get("/leerrekening/fondsen/").status_code == 302  # anonymous: to the login
