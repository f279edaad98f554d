# ruff: noqa: F811  (pytest fixtures imported by name)
"""In Chromium: a whole check-up by keyboard alone as a learner, axe on every step, the plan and its PDF,
and adviser mode: with consent the adviser sees the check-up, without consent not."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.browser.conftest import (  # noqa: F401 - fixtures used by name
    axe_violations,
    browser,
    browser_world,
    login_as,
    page,
    screenshot,
)
from tests.careers.conftest import B_SKILLS, plant_offering
from wendbaar.careers.models import CheckUp, Plan
from wendbaar.passport import services as passport

pytestmark = pytest.mark.browser


def tab_to(page: Any, selector: str, limit: int = 80) -> None:  # noqa: F811
    """Press Tab until `selector` has the focus (keyboard only: no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def check_axe(page: Any, name: str, failures: list[str]) -> None:  # noqa: F811
    count, report = axe_violations(page)
    if count:
        failures.append(f"{name}: {report}")
    screenshot(page, f"careers-{name}")


def test_whole_checkup_by_keyboard_then_adviser_mode(  # noqa: F811
    page: Any,
    browser: Any,
    live_server: Any,
    login_as: Any,
    browser_world: Any,
    taxonomy: Any,
    settings: Any,
    tmp_path: Path,
) -> None:  # noqa: F811
    settings.STORE_DIR = tmp_path / "store"
    from wendbaar.catalogue import services as catalogue
    from wendbaar.regions import services as regions
    from wendbaar.regions.constants import ActorType
    from wendbaar.regions.models import Municipality, Organisation, Region

    Municipality.objects.get_or_create(
        code="GM0599", defaults={"name": "Rotterdam", "region": Region.objects.get(code="AM22")}
    )
    provider = regions.create_organisation(
        name="ROC Avond", actor_type=ActorType.EDUCATION_PROVIDER, region_codes=["AM22"]
    )
    catalogue.ensure_provider(organisation=provider)
    plant_offering(provider, "Installaties testen in de avond", [B_SKILLS[2], B_SKILLS[3]])
    assert isinstance(provider, Organisation)

    failures: list[str] = []
    login_as(page, "learner")
    page.goto(live_server.url + "/loopbaan/")
    check_axe(page, "home", failures)
    tab_to(page, "a[href='/loopbaan/apk/nieuw/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/apk/nieuw/")
    check_axe(page, "start", failures)
    tab_to(page, "#region")
    page.keyboard.type("Rijnmond")
    tab_to(page, "#occupation")
    page.keyboard.type("verzorgende")
    tab_to(page, "#skills")
    for skill in ("cliënten verzorgen", "medicijnen geven", "rapporteren", "hygiëne bewaken", "veilig werken"):
        page.keyboard.type(skill)
        page.keyboard.press("Enter")
    page.keyboard.type("tekeningen lezen")
    tab_to(page, "#t-evening")
    page.keyboard.press("Space")
    tab_to(page, "main form button.button[type=submit]:not([name=find_occupation])")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/apk/[0-9a-f-]{36}/$"))
    assert "verzorgende" in page.content()
    check_axe(page, "standing", failures)

    tab_to(page, "main a.button[href$='/paden/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/paden/")
    check_axe(page, "paths", failures)
    tab_to(page, "ol.paths a[href*='kloof']")  # the first path: installatiemonteur
    page.keyboard.press("Enter")
    page.wait_for_url("**/kloof/**")
    assert "leidingen aanleggen" in page.content()
    check_axe(page, "gap", failures)
    tab_to(page, "input[name=step][value^='offering:']")
    page.keyboard.press("Space")
    tab_to(page, "#conversation")
    page.keyboard.press("Space")
    tab_to(page, "main form button.button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/plan/*/")
    assert "Installaties testen in de avond" in page.content()
    check_axe(page, "plan", failures)

    plan = Plan.objects.get(person__username="learner")
    pdf = page.request.get(f"{live_server.url}/loopbaan/plan/{plan.uuid}/ontwikkelplan.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Installaties testen in de avond" in text and "installatiemonteur" in text
    assert not failures, "\n".join(failures)

    # Adviser mode: the coordinator has the learner's consent, the employer has not.
    checkup = CheckUp.objects.get(person__username="learner")
    learner = checkup.person
    adviser = browser_world.users["coordinator"]
    passport.give_consent(person=learner, grantee=adviser, valid_until=timezone.now() + dt.timedelta(days=7))
    for role, status in (("coordinator", 200), ("employer", 403)):
        context = browser.new_context(locale="nl-NL")
        other = context.new_page()
        login_as(other, role)
        response = other.goto(f"{live_server.url}/loopbaan/apk/{checkup.uuid}/")
        assert response.status == status, role
        if status == 200:
            assert "verzorgende" in other.content()
            count, report = axe_violations(other)
            assert not count, report
            screenshot(other, "careers-adviser")
        context.close()


def test_the_occupation_combobox_by_keyboard_and_the_list_without_javascript(  # noqa: F811
    page: Any,
    browser: Any,
    live_server: Any,
    login_as: Any,
    browser_world: Any,
    taxonomy: Any,
    settings: Any,
    tmp_path: Path,
) -> None:  # noqa: F811
    from tests.careers.conftest import B

    settings.STORE_DIR = tmp_path / "store"
    login_as(page, "learner")
    page.goto(live_server.url + "/loopbaan/apk/nieuw/")
    tab_to(page, "#occupation")
    assert page.get_attribute("#occupation", "role") == "combobox"
    page.keyboard.type("install")  # the English label's start: "installer"
    page.wait_for_selector("#occupation-list [role=option]")
    assert page.get_attribute("#occupation", "aria-expanded") == "true"
    count, report = axe_violations(page)
    assert not count, report
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#occupation", "aria-activedescendant") == "occupation-option-0"
    page.keyboard.press("Enter")  # chooses; does not submit
    assert page.input_value("#occupation") == "installer"
    assert page.input_value("#occupation-uri") == B
    assert page.get_attribute("#occupation", "aria-expanded") == "false"
    tab_to(page, "main form button.button[type=submit]:not([name=find_occupation])")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/apk/[0-9a-f-]{36}/$"))
    assert CheckUp.objects.get(person__username="learner").occupation.uri == B

    # Without JavaScript: "find my job" lists the jobs as radio buttons, chosen by keyboard.
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    plain = context.new_page()
    login_as(plain, "learner")
    plain.goto(live_server.url + "/loopbaan/apk/nieuw/")
    tab_to(plain, "#occupation")
    plain.keyboard.type("magazijn")
    tab_to(plain, "button[name=find_occupation]")
    plain.keyboard.press("Enter")
    plain.wait_for_selector("#occupation-choices")
    tab_to(plain, "#occupation-choice-1")
    plain.keyboard.press("Space")
    tab_to(plain, "main form button.button[type=submit]:not([name=find_occupation])")
    plain.keyboard.press("Enter")
    plain.wait_for_url(re.compile(r".*/apk/[0-9a-f-]{36}/$"))
    assert "magazijnmedewerker" in plain.content()
    context.close()
