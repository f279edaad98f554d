"""The passport in a real browser: keyboard-only flows and no WCAG 2.2 AA violations (axe) on the
passport, sharing, verification and EVC pages, in Dutch."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser import conftest as browser_fixtures
from tests.browser.conftest import axe_violations, screenshot
from tests.skills.conftest import ESCO, WELDING
from wendbaar.passport import issuer_keys, services
from wendbaar.passport.models import Assessor, PassportSkill, Recognition
from wendbaar.regions.constants import Role
from wendbaar.skills import services as skills_services
from wendbaar.web.demo import DemoWorld

pytestmark = pytest.mark.browser
browser = browser_fixtures.browser
page = browser_fixtures.page
login_as = browser_fixtures.login_as
browser_world = browser_fixtures.browser_world


@pytest.fixture
def passport_world(browser_world: DemoWorld, tmp_path: Any, settings: Any) -> dict[str, Any]:
    """The fixture taxonomy, a learner with skills and a certificate, a consent to the demo employer and
    to the demo provider, whose staff member is an assessor."""
    settings.ENGINE_PATH = tmp_path / "engine.bin"
    skills_services._engine_cache.clear()
    skills_services.forget_taxonomy_version()
    skills_services.import_taxonomy(paths=[ESCO / "v1.1.1", ESCO / "v1.2.0-nl", ESCO / "nl-skill-labels"])
    skills_services.get_engine()
    issuer_keys.forget()
    learner = browser_world.users[Role.LEARNER]
    provider = browser_world.users[Role.PROVIDER]
    provider_org = provider.memberships.exclude(organisation=None).first().organisation
    employer_org = browser_world.users[Role.EMPLOYER].memberships.exclude(organisation=None).first().organisation
    services.add_skill(
        person=learner, skill_uri=WELDING, evidence_kind="work_experience", title="Lasser", issuer_name="Damen"
    )
    credential = services.issue_credential(
        issuer_organisation=provider_org, recipient=learner, achievement_name="Lassen MIG/MAG", skills=[WELDING]
    )
    until = timezone.now() + timedelta(days=30)
    employer_consent = services.give_consent(person=learner, organisation=employer_org, valid_until=until)
    services.give_consent(person=learner, organisation=provider_org, valid_until=until)
    Assessor.objects.create(user=provider, organisation=provider_org)
    recognition = services.open_recognition(
        assessor=provider, organisation=provider_org, person=learner, title="EVC Lassen", skill_uris=[WELDING]
    )
    return {"learner": learner, "credential": credential, "consent": employer_consent, "recognition": recognition}


def _tab_to(page: Page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def _check(page: Page, name: str, reports: list[str]) -> None:
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, name)
    count, report = axe_violations(page)
    if count:
        reports.append(f"{name} ({page.url}): {count}\n{report}")


def test_passport_pages_have_no_wcag_violations(
    page: Page, live_server: Any, login_as: Any, passport_world: dict[str, Any]
) -> None:
    reports: list[str] = []
    entry = PassportSkill.objects.get(person=passport_world["learner"], skill__uri=WELDING)
    login_as(page, "learner")
    for name, path in {
        "passport-home": "/paspoort/",
        "passport-add-text": "/paspoort/toevoegen/",
        "passport-add-cv": "/paspoort/cv/",
        "passport-add-occupation": "/paspoort/beroep/?q=lasser",
        "passport-skill": f"/paspoort/vaardigheden/{entry.uuid}/",
        "passport-credential": f"/paspoort/certificaten/{passport_world['credential'].uuid}/",
        "passport-import": "/paspoort/certificaten/importeren/",
        "passport-sharing": "/paspoort/delen/",
        "passport-views": "/paspoort/bekeken/",
        "passport-erase": "/paspoort/wissen/",
        "passport-verify": "/paspoort/controleren/",
    }.items():
        page.goto(live_server.url + path)
        _check(page, name, reports)
    # A form with errors (the error summary) and proposals.
    page.goto(live_server.url + "/paspoort/toevoegen/")
    page.fill("#id_text", "Ik kan lassen")
    page.get_by_role("button", name="Vaardigheden zoeken").click()
    expect(page.get_by_role("heading", name="Vaardigheden die we vonden")).to_be_visible()
    _check(page, "passport-proposals", reports)
    page.goto(live_server.url + "/paspoort/delen/")
    page.get_by_role("button", name="Toestemming geven").click()
    expect(page.locator(".error-summary")).to_be_visible()
    _check(page, "passport-sharing-errors", reports)
    page.context.clear_cookies()
    login_as(page, "employer")
    page.goto(live_server.url + f"/paspoort/gedeeld/{passport_world['consent'].uuid}/")
    _check(page, "passport-shared", reports)
    page.context.clear_cookies()
    login_as(page, "provider")
    for name, path in {
        "passport-evc": "/paspoort/evc/",
        "passport-evc-detail": f"/paspoort/evc/{passport_world['recognition'].uuid}/",
        "passport-issued": "/paspoort/uitgegeven/",
    }.items():
        page.goto(live_server.url + path)
        _check(page, name, reports)
    assert not reports, "\n\n".join(reports)


def test_add_skills_in_own_words_by_keyboard_only(
    page: Page, live_server: Any, login_as: Any, passport_world: dict[str, Any]
) -> None:
    login_as(page, "learner")
    PassportSkill.objects.filter(person=passport_world["learner"]).delete()
    page.goto(live_server.url + "/paspoort/toevoegen/")
    _tab_to(page, "#id_text")
    page.keyboard.type("Ik kan lassen", delay=10)
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Vaardigheden die we vonden")).to_be_visible()
    expect(page.locator(".matched mark").first).to_have_text(re.compile("lassen", re.I))
    screenshot(page, "passport-keyboard-proposals")
    _tab_to(page, "button[name=confirm]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/paspoort/$"))
    expect(page.locator(".skill-list")).to_contain_text("lassen")
    assert PassportSkill.objects.filter(person=passport_world["learner"], skill__uri=WELDING).exists()


def test_revoke_a_consent_and_verify_a_certificate_by_keyboard_only(
    page: Page, live_server: Any, login_as: Any, passport_world: dict[str, Any]
) -> None:
    login_as(page, "learner")
    page.goto(live_server.url + "/paspoort/delen/")
    _tab_to(page, "button[name=revoke_consent]")
    page.keyboard.press("Enter")
    expect(page.locator(".message").first).to_contain_text("Toestemming gestopt")
    assert passport_world["learner"].consents_given.filter(revoked_at__isnull=False).count() == 1
    page.context.clear_cookies()
    page.goto(live_server.url + "/paspoort/controleren/")
    _tab_to(page, "#id_credential")
    page.keyboard.insert_text(passport_world["credential"].jwt)
    _tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Geldig", exact=True)).to_be_visible()
    screenshot(page, "passport-verify-valid")


def test_an_assessor_closes_an_evc_procedure_by_keyboard_only(
    page: Page, live_server: Any, login_as: Any, passport_world: dict[str, Any]
) -> None:
    recognition: Recognition = passport_world["recognition"]
    item = recognition.items.get()
    login_as(page, "provider")
    page.goto(live_server.url + f"/paspoort/evc/{recognition.uuid}/")
    _tab_to(page, f"#rec-{item.pk}")
    page.keyboard.press("Space")
    _tab_to(page, f"#ev-{item.pk}")
    page.keyboard.type("Proefstuk gezien", delay=5)
    _tab_to(page, "button[name=close]")
    page.keyboard.press("Enter")
    expect(page.locator(".message").first).to_contain_text("afgesloten")
    recognition.refresh_from_db()
    assert recognition.status == "closed" and recognition.credential is not None
