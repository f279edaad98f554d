"""Dashboard pages: role-gated, rendered with and without region geometry, CSV downloads, vacancy lists, report."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from wendbaar.radar.dashboards import pages
from wendbaar.radar.synthetic.planted import write_planted_store
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership, Organisation, Region

END = "2025-12"
SQUARE = {"type": "Polygon", "coordinates": [[[4.0, 51.8], [4.6, 51.8], [4.6, 52.1], [4.0, 52.1], [4.0, 51.8]]]}


@pytest.fixture(scope="module")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store")
    write_planted_store(root, vacancies=20_000, end=END, months=36, seed=5)
    return root


@pytest.fixture
def store(store_root: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    settings.STORE_DIR = store_root
    pages._geometry_cache.clear()
    return store_root


def _client(role: str | None) -> Client:
    client = Client()
    if role is None:
        return client
    user = get_user_model().objects.create_user(username=f"user-{role}", password="x")
    region, _ = Region.objects.get_or_create(code="AM22", defaults={"name": "Rijnmond"})
    organisation = None
    if role in (Role.EMPLOYER, Role.PROVIDER, Role.FUND):
        actor = {"employer": "employer", "provider": "education_provider", "fund": "fund"}[role]
        organisation = Organisation.objects.create(name=f"Org {role}", actor_type=actor)
    Membership.objects.create(
        user=user, role=role, region=region if role == Role.COORDINATOR else None, organisation=organisation
    )
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_dashboard_shows_planted_growth_for_every_role_and_asks_anonymous_to_log_in(store: Path) -> None:
    anonymous = _client(None).get("/radar/AM22/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for role in (Role.LEARNER, Role.COORDINATOR):
        response = _client(role).get("/radar/AM22/?level=4")
        assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html and 'aria-labelledby="fig-growth-title fig-growth-summary"' in html
    assert "fig-map" in html and 'id="fig-map"' in html  # the map's table is there even without geometry
    assert '<svg role="img" aria-labelledby="fig-map-title' not in html  # but no map drawing
    assert "/radar/vacatures/?region=AM22" in html


@pytest.mark.django_db
def test_the_level_select_shows_the_level_the_page_uses(store: Path) -> None:
    html = _client(Role.COORDINATOR).get("/radar/AM22/").content.decode()
    select = html[html.index('name="level"') : html.index("</select>", html.index('name="level"'))]
    assert '<option value="2" selected>' in select and select.count("selected") == 1


@pytest.mark.django_db
def test_dashboard_draws_the_map_when_geometry_is_loaded(store: Path) -> None:
    Region.objects.update_or_create(code="AM18", defaults={"name": "Groot Amsterdam", "geometry": SQUARE})
    Region.objects.update_or_create(
        code="AM22", defaults={"name": "Rijnmond", "geometry": {"type": "Feature", "geometry": SQUARE}}
    )
    html = _client(Role.COORDINATOR).get("/radar/AM22/?map=growth").content.decode()
    assert '<svg role="img" aria-labelledby="fig-map-title fig-map-summary"' in html


@pytest.mark.django_db
def test_every_figure_table_downloads_as_csv(store: Path) -> None:
    client = _client(Role.PROVIDER)
    response = client.get("/radar/AM22/?level=4&download=growth")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 1 + 9  # header and the nine planted groups
    for key in ("skills-top", "skills-rising", "trend", "forecast", "map"):
        assert client.get(f"/radar/AM22/?download={key}").status_code == 200, key
    assert client.get("/radar/AM22/?download=nothing").status_code == 404


@pytest.mark.django_db
def test_occupation_and_skill_pages_render(store: Path) -> None:
    client = _client(Role.EMPLOYER)
    page = client.get("/radar/AM22/beroep/4033/")
    assert page.status_code == 200 and b"fig-forecast" in page.content
    rising = "http://data.europa.eu/esco/skill/planted-rising"
    skill = client.get("/radar/AM22/vaardigheid/", {"uri": rising})
    assert skill.status_code == 200 and b"fig-share-title" in skill.content
    chooser = client.get("/radar/AM22/vaardigheid/")
    assert chooser.status_code == 200 and rising.encode() in chooser.content.replace(b"%3A", b":").replace(b"%2F", b"/")
    assert client.get("/radar/AM99/").status_code == 404


@pytest.mark.django_db
def test_vacancy_list_shows_the_vacancies_behind_a_figure(store: Path) -> None:
    client = _client(Role.FUND)
    response = client.get(
        "/radar/vacatures/", {"region": "AM22", "isco": "4033", "first": "2025-01", "last": "2025-03"}
    )
    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows and all(r.region_code == "AM22" and r.isco_code == "4033" for r in rows)
    assert all("2025-01-01" <= r.posted_date <= "2025-03-31" for r in rows)
    download = client.get(
        "/radar/vacatures/",
        {"region": "AM22", "isco": "4033", "first": "2025-01", "last": "2025-03", "download": "vacancies"},
    )
    assert len(download.content.decode().strip().splitlines()) == response.context["total"] + 1
    assert client.get("/radar/vacatures/", {"first": "januari"}).status_code == 400


@pytest.mark.django_db
def test_pages_work_on_an_empty_store(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.STORE_DIR = tmp_path
    client = _client(Role.COORDINATOR)
    for url in ("/radar/", "/radar/AM22/", "/radar/AM22/beroep/4/", "/radar/AM22/vaardigheid/", "/radar/AM22/rapport/"):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_report_is_for_the_regional_table_not_for_learners(store: Path) -> None:
    assert _client(Role.LEARNER).get("/radar/AM22/rapport/").status_code == 403
    client = _client(Role.COORDINATOR)
    html = client.get("/radar/AM22/rapport/").content.decode()
    assert "2025-12" in html and "ESCO" in html  # data period and sources
    pdf = client.get("/radar/AM22/rapport.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_map_draws_all_35_regions_from_the_shared_topojson(store: Path) -> None:
    import re

    from tests.conftest import require_shared_data
    from wendbaar.regions.topojson import read_features

    path = require_shared_data("regions", "arbeidsmarktregio_2025.topojson")
    features = list(read_features(path))
    assert len(features) == 35
    for feature in features:
        Region.objects.update_or_create(
            code=feature.code, defaults={"name": feature.name, "geometry": feature.geometry}
        )
    html = _client(Role.COORDINATOR).get("/radar/AM22/").content.decode()
    svg = html.split('id="fig-map"', 1)[1].split("</svg>", 1)[0]
    shapes = re.search(r'<g class="mark-shape role-mark[^>]*>(.*?)</g>', svg, re.S)
    assert shapes is not None
    paths = re.findall(r"<path [^>]*d=\"M[^\"]+\"", shapes.group(1))
    assert len(paths) == 35
    # Wound for d3-geo: no region covers the whole drawing (an inverted ring would fill the frame).
    assert all("M0,0" not in p for p in paths)
