"""Every role × every page and API endpoint: allowed or refused, as the view's `allowed_roles` says.

Generated from the URL resolver (see role_matrix.py), so other apps' views are covered as soon as
they are routed; parameterised pages need a sample in tests/<app>/sample_urls.py.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.web.role_matrix import ANONYMOUS, Endpoint, Sample, endpoints, expected_allowed, sample_factories
from wendbaar.web.demo import DemoWorld

ENDPOINTS = endpoints()
PAGES = [e for e in ENDPOINTS if not e.is_api]
API_LISTS = [e for e in ENDPOINTS if e.is_api and e.actions and "list" in e.actions.values()]
API_OTHER = [e for e in ENDPOINTS if e.is_api and not e.actions and not e.params]


def _clients(world: DemoWorld) -> dict[str, Client]:
    clients = {ANONYMOUS: Client()}
    for role, user in world.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def _refused(response, role: str, *, api: bool) -> bool:  # type: ignore[no-untyped-def]
    if api:
        return response.status_code in (401, 403)
    if response.status_code == 403:
        return True
    login = reverse(settings.LOGIN_URL)
    return response.status_code == 302 and response["Location"].startswith(login)


def test_every_view_states_allowed_roles() -> None:
    missing = [e.id for e in ENDPOINTS if not hasattr(e.view_class, "allowed_roles")]
    assert not missing, f"views without allowed_roles: {missing}"


def test_every_parameterised_page_has_a_sample_url() -> None:
    factories = sample_factories()
    missing = [e.id for e in PAGES if e.params and e.name not in factories]
    assert not missing, f"add a factory to tests/<app>/sample_urls.py for: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", PAGES, ids=[e.id for e in PAGES])
def test_page_role_matrix(endpoint: Endpoint, demo_world: DemoWorld) -> None:
    sample = Sample({})
    if endpoint.params:
        factory = sample_factories().get(endpoint.name)
        if factory is None:
            # Reported as a failure, once for all, by test_every_parameterised_page_has_a_sample_url.
            pytest.skip(f"no sample URL for {endpoint.id}")
        made = factory(demo_world)
        sample = made if isinstance(made, Sample) else Sample(made)
    url = reverse(endpoint.name, kwargs=sample.kwargs) if endpoint.name else "/" + endpoint.route
    wrong = []
    for role, client in _clients(demo_world).items():
        response = client.get(url)
        allowed = expected_allowed(endpoint.view_class, role) and role not in sample.out_of_scope
        refused = _refused(response, role, api=False)
        # Someone else's object may also answer 404, so its existence does not leak (issue 16).
        refused = refused or (role in sample.out_of_scope and response.status_code == 404)
        if allowed and (refused or response.status_code >= 400):
            wrong.append(f"{role}: expected allowed, got {response.status_code}")
        if not allowed and not refused:
            wrong.append(f"{role}: expected refused, got {response.status_code}")
        if not allowed and role == ANONYMOUS and response.status_code != 302:
            wrong.append(f"{role}: expected a redirect to the login page, got {response.status_code}")
    assert not wrong, f"{url}: " + "; ".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", API_LISTS, ids=[e.id for e in API_LISTS])
def test_api_role_matrix(endpoint: Endpoint, demo_world: DemoWorld) -> None:
    url = "/" + endpoint.route.replace("^", "").replace("$", "").replace("\\Z", "")
    wrong = []
    detail_url = None
    for role, client in _clients(demo_world).items():
        response = client.get(url)
        allowed = expected_allowed(endpoint.view_class, role)
        if allowed != (not _refused(response, role, api=True)):
            wrong.append(f"GET {role}: expected {'allowed' if allowed else 'refused'}, got {response.status_code}")
        if not allowed and role == ANONYMOUS and response.status_code != 401:
            wrong.append(f"GET anonymous: expected 401, got {response.status_code}")
        if allowed and response.status_code == 200 and detail_url is None:
            results = response.json().get("results") if isinstance(response.json(), dict) else None
            lookup = getattr(endpoint.view_class, "lookup_field", "pk")
            if results and lookup in results[0]:
                detail_url = f"{url}/{results[0][lookup]}"
        if "create" in (endpoint.actions or {}).values():
            posted = client.post(url, {}, content_type="application/json")
            may_write = expected_allowed(endpoint.view_class, role, write=True)
            if may_write == _refused(posted, role, api=True):
                wrong.append(f"POST {role}: expected {'allowed' if may_write else 'refused'}, got {posted.status_code}")
    if detail_url:
        for role, client in _clients(demo_world).items():
            response = client.get(detail_url)
            # Object level: a role sees an item one by one exactly when its own list holds it.
            allowed = expected_allowed(endpoint.view_class, role) and _lists(client, url, detail_url)
            if allowed != (response.status_code == 200):
                wrong.append(
                    f"GET detail {role}: expected {'200' if allowed else 'refused'}, got {response.status_code}"
                )
            if not allowed and response.status_code not in (401, 403, 404):
                wrong.append(f"GET detail {role}: expected 401, 403 or 404, got {response.status_code}")
    assert not wrong, f"{url}: " + "; ".join(wrong)


def _lists(client: Client, list_url: str, detail_url: str) -> bool:
    """Whether the client's own list (first 500) holds the item of `detail_url`."""
    response = client.get(list_url, {"pageSize": 500})
    if response.status_code != 200:
        return False
    key = detail_url.rsplit("/", 1)[1]
    return any(key in (str(value) for value in item.values()) for item in response.json().get("results", []))


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", API_OTHER, ids=[e.id for e in API_OTHER])
def test_api_view_role_matrix(endpoint: Endpoint, demo_world: DemoWorld) -> None:
    url = "/" + endpoint.route.replace("^", "").replace("$", "").replace("\\Z", "")
    wrong = []
    for role, client in _clients(demo_world).items():
        response = client.get(url)
        allowed = expected_allowed(endpoint.view_class, role)
        if allowed == _refused(response, role, api=True):
            wrong.append(f"GET {role}: expected {'allowed' if allowed else 'refused'}, got {response.status_code}")
    assert not wrong, f"{url}: " + "; ".join(wrong)


def test_the_matrix_finds_the_regions_pages_and_endpoints() -> None:
    names = {e.id for e in ENDPOINTS}
    assert {"web:home", "regions:list", "regions:detail", "regions:organisation"} <= names
    assert {"region-list", "municipality-list", "organisation-list"} <= {e.name for e in API_LISTS}
