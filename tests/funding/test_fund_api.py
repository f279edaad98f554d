"""The funds API: a fund's staff make a fund with its rules, put money in and grant entitlements, only for their
own organisation's funds (another's answers 404, other roles 403); bad input names its field, and replays book
once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from tests.api_client import invalid
from wendbaar.funding.accounts.services import set_situation
from wendbaar.funding.models import Account, AccountKind, Fund, LedgerTransaction
from wendbaar.funding.services import balance, entitlement_account, fund_account
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership

from .conftest import VALID_FROM, VALID_UNTIL, LedgerWorld


def _client(name: str, role: str, **membership: Any) -> Client:
    user = get_user_model().objects.create_user(username=name, email=f"{name}@example.nl")
    Membership.objects.create(user=user, role=role, **membership)
    client = Client()
    client.force_login(user)
    return client


def _fund(world: LedgerWorld, **changes: Any) -> dict[str, Any]:
    return {
        "name": "Ontwikkelbudget Bouw 2027", "cap_per_person_cents": 50_000, "cap_per_offering_cents": 30_000,
        "share_bp": 7_000, "valid_from": VALID_FROM.isoformat(), "valid_until": VALID_UNTIL.isoformat(),
        "eligible_regions": [world.region.code], "eligible_sectors": [], "eligible_tags": ["bouw"],
        "eligible_credential_types": ["course"], "eligible_providers": [str(world.provider.uuid)],
        "pay_on_start_bp": 3_000, "pay_on_attendance_bp": 3_000, "budget_cents": 200_000, **changes,
    }  # fmt: skip


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_fund_staff_make_list_read_fill_and_grant_their_own_fund(world: LedgerWorld) -> None:
    staff = _client("fonds", Role.FUND, organisation=world.sector_fund.funder)
    made = _post(staff, "/api/v1/funds", _fund(world))
    assert made.status_code == 201, made.content
    fund = Fund.objects.get(uuid=made.json()["uuid"])
    assert (fund.funder, fund.share_bp, fund.pay_on_completion_bp) == (world.sector_fund.funder, 7_000, 4_000)
    assert list(fund.eligible_regions.all()) == [world.region] and list(fund.eligible_providers.all()) == [
        world.provider
    ]
    assert fund.eligible_tags == ["bouw"] and made.json()["balance_cents"] == 200_000

    listed = staff.get("/api/v1/funds").json()
    assert {item["uuid"] for item in listed["results"]} == {str(fund.uuid), str(world.sector_fund.uuid)}
    assert staff.get(f"/api/v1/funds/{fund.uuid}").json()["name"] == "Ontwikkelbudget Bouw 2027"

    money = _post(staff, f"/api/v1/funds/{fund.uuid}/money", {"amount_cents": 5_000, "key": "storting-1"})
    assert money.status_code == 201, money.content
    assert money.json()["amount_cents"] == 5_000 and money.json()["entitlement"] is None
    assert balance(fund_account(fund)) == 205_000

    person = world.people[0]
    set_situation(person=person, region=world.region, sector="", education_level="", employment_status="")
    granted = _post(
        staff, f"/api/v1/funds/{fund.uuid}/entitlements",
        {"person": person.username, "amount_cents": 20_000, "key": "toekenning-1"},
    )  # fmt: skip
    assert granted.status_code == 201, granted.content
    account = entitlement_account(fund=fund, person=person)
    assert granted.json()["entitlement"] == str(account.uuid)
    assert (balance(account), balance(fund_account(fund))) == (20_000, 185_000)


def test_replays_book_once_and_a_reused_key_with_other_content_is_refused(world: LedgerWorld) -> None:
    staff = _client("fonds", Role.FUND, organisation=world.sector_fund.funder)
    fund = world.sector_fund
    url = f"/api/v1/funds/{fund.uuid}"
    first = _post(staff, f"{url}/money", {"amount_cents": 100_000, "key": "k"})
    again = _post(staff, f"{url}/money", {"amount_cents": 100_000, "key": "k"})
    # a replay answers as enrolling does: 200, the header, and the first answer's body
    assert (first.status_code, first.get("Idempotent-Replayed")) == (201, None)
    assert (again.status_code, again.get("Idempotent-Replayed")) == (200, "true")
    assert again.json() == first.json() and balance(fund_account(fund)) == 100_000
    assert invalid(_post(staff, f"{url}/money", {"amount_cents": 7, "key": "k"})) == {"key": "idempotency_conflict"}

    person = world.people[1]
    grant = {"person": person.username, "amount_cents": 10_000, "key": "g"}
    granted = _post(staff, f"{url}/entitlements", grant)
    replayed = _post(staff, f"{url}/entitlements", grant)
    assert (granted.status_code, granted.get("Idempotent-Replayed")) == (201, None)
    assert (replayed.status_code, replayed.get("Idempotent-Replayed")) == (200, "true")
    assert replayed.json() == granted.json() and granted.json()["entitlement"] is not None
    assert balance(entitlement_account(fund=fund, person=person)) == 10_000
    assert balance(fund_account(fund)) == 90_000
    assert LedgerTransaction.objects.filter(key__startswith=f"fund:{fund.uuid}:").count() == 2


def test_a_fund_made_with_a_key_is_made_once_and_a_replay_answers_200_with_the_same_fund(world: LedgerWorld) -> None:
    staff = _client("fonds", Role.FUND, organisation=world.sector_fund.funder)
    before = Fund.objects.count()
    first = _post(staff, "/api/v1/funds", _fund(world, key="fonds-2027"))
    assert (first.status_code, first.get("Idempotent-Replayed")) == (201, None), first.content
    again = staff.post("/api/v1/funds", _fund(world), content_type="application/json",
                       headers={"Idempotency-Key": "fonds-2027"})  # fmt: skip  # the header says the same as the body
    assert (again.status_code, again.get("Idempotent-Replayed")) == (200, "true"), again.content
    assert again.json() == first.json()
    fund = Fund.objects.get(uuid=first.json()["uuid"])
    assert Fund.objects.count() == before + 1 and balance(fund_account(fund)) == 200_000  # the budget went in once
    assert LedgerTransaction.objects.filter(key=f"fund:{fund.uuid}:budget").count() == 1

    # the key with other rules, or another budget, is refused and makes nothing
    for changes in ({"cap_per_person_cents": 60_000}, {"budget_cents": 100_000}, {"eligible_tags": ["zorg"]}):
        assert invalid(_post(staff, "/api/v1/funds", _fund(world, key="fonds-2027", **changes))) == {
            "key": "idempotency_conflict"
        }
    mismatch = staff.post("/api/v1/funds", _fund(world, key="a"), content_type="application/json",
                          headers={"Idempotency-Key": "b"})  # fmt: skip
    assert invalid(mismatch) == {"key": "key_mismatch"}
    assert Fund.objects.count() == before + 1 and balance(fund_account(fund)) == 200_000

    # a new key, or none, makes a new fund; another funder's staff have keys of their own
    assert _post(staff, "/api/v1/funds", _fund(world, key="fonds-2028")).status_code == 201
    assert _post(staff, "/api/v1/funds", _fund(world)).status_code == 201
    other = _client("rijk", Role.FUND, organisation=world.state_fund.funder)
    theirs = _post(other, "/api/v1/funds", _fund(world, key="fonds-2027"))
    assert theirs.status_code == 201 and theirs.json()["uuid"] != first.json()["uuid"]
    assert Fund.objects.count() == before + 4


def test_another_funders_staff_get_404_and_other_roles_403(world: LedgerWorld) -> None:
    other = _client("rijk", Role.FUND, organisation=world.state_fund.funder)
    url = f"/api/v1/funds/{world.sector_fund.uuid}"
    assert other.get(url).status_code == 404
    assert _post(other, f"{url}/money", {"amount_cents": 1_000, "key": "x"}).status_code == 404
    grant = {"person": world.people[0].username, "amount_cents": 1_000, "key": "y"}
    assert _post(other, f"{url}/entitlements", grant).status_code == 404
    listed = other.get("/api/v1/funds").json()["results"]
    assert [item["uuid"] for item in listed] == [str(world.state_fund.uuid)]
    # making a fund for another organisation is refused by the service, nothing written
    refused = _post(other, "/api/v1/funds", _fund(world, funder=str(world.sector_fund.funder.uuid)))
    assert refused.status_code == 403 and not Fund.objects.filter(name="Ontwikkelbudget Bouw 2027").exists()
    for name, role, membership in (
        ("leerder", Role.LEARNER, {}),
        ("school", Role.PROVIDER, {"organisation": world.provider}),
    ):
        client = _client(name, role, **membership)
        assert client.get(url).status_code == 403
        assert client.get("/api/v1/funds").status_code == 403
        assert _post(client, "/api/v1/funds", _fund(world)).status_code == 403
        assert _post(client, f"{url}/money", {"amount_cents": 1_000, "key": "z"}).status_code == 403
    assert not LedgerTransaction.objects.exists()


def test_bad_rules_are_all_named_and_nothing_is_written(world: LedgerWorld) -> None:
    staff = _client("fonds", Role.FUND, organisation=world.sector_fund.funder)
    before = Fund.objects.count()
    bad = _fund(
        world, cap_per_person_cents=-5, cap_per_offering_cents=10.5, share_bp=10_001,
        valid_until=(VALID_FROM - timedelta(days=1)).isoformat(), pay_on_start_bp=-1,
    )  # fmt: skip
    errors = invalid(_post(staff, "/api/v1/funds", bad))
    assert errors == {"cap_per_offering_cents": "invalid"}  # a fraction is not a number of cents at all
    bad["cap_per_offering_cents"] = 30_000
    errors = invalid(_post(staff, "/api/v1/funds", bad))
    assert errors == {
        "cap_per_person_cents": "not_positive", "share_bp": "invalid_share", "valid_until": "until_before_from",
        "pay_on_start_bp": "invalid_share",
    }  # fmt: skip
    unknown = invalid(_post(staff, "/api/v1/funds", _fund(world, eligible_regions=["XX99"])))
    assert unknown == {"eligible_regions": "does_not_exist"}
    assert invalid(_post(staff, "/api/v1/funds", _fund(world, share_bp=0))) == {"share_bp": "invalid_share"}
    assert Fund.objects.count() == before and not LedgerTransaction.objects.exists()


def test_bad_money_and_grants_name_the_field(world: LedgerWorld) -> None:
    staff = _client("fonds", Role.FUND, organisation=world.sector_fund.funder)
    url = f"/api/v1/funds/{world.sector_fund.uuid}"
    assert invalid(_post(staff, f"{url}/money", {"amount_cents": -100, "key": "a"})) == {"amount_cents": "not_positive"}
    assert invalid(_post(staff, f"{url}/money", {"amount_cents": 1.5, "key": "a"})) == {"amount_cents": "invalid"}
    assert invalid(_post(staff, f"{url}/money", {"amount_cents": 100})) == {"key": "required"}
    grant = {"person": "niemand", "amount_cents": 100, "key": "b"}
    assert invalid(_post(staff, f"{url}/entitlements", grant)) == {"person": "unknown_person"}
    grant["person"] = world.people[0].username  # the fund has no money yet
    assert invalid(_post(staff, f"{url}/entitlements", grant)) == {"amount_cents": "fund_overdraft"}
    assert not LedgerTransaction.objects.exists()
    assert not Account.objects.filter(kind=AccountKind.ENTITLEMENT, entries__isnull=False).exists()
