"""The radar pages tell the truth in plain Dutch: empty regions, missing numbers, the forecast's warning,
Dutch number and date formats, labels in another language, who sees the printable report, warm caches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from wendbaar.radar.dashboards import figures, pages, services
from wendbaar.radar.dashboards.formats import month_label, quarter_label
from wendbaar.radar.indicators import forecast, lookups
from wendbaar.radar.indicators.forecast import Backtest
from wendbaar.radar.store import cache
from wendbaar.radar.synthetic.planted import write_planted_store
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership, Region
from wendbaar.skills.models import Concept, Label

END = "2025-12"


@pytest.fixture(scope="module")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store")
    write_planted_store(root, vacancies=6_000, end=END, months=36, seed=3)  # AM22, AM18, AM13 only
    return root


@pytest.fixture
def store(store_root: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    settings.STORE_DIR = store_root
    pages._geometry_cache.clear()
    return store_root


def _client(role: str) -> Client:
    user = get_user_model().objects.create_user(username=f"user-{role}", password="x")
    region, _ = Region.objects.get_or_create(code="AM22", defaults={"name": "Rijnmond"})
    Membership.objects.create(user=user, role=role, region=region if role == Role.COORDINATOR else None)
    client = Client()
    client.force_login(user)
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
def test_a_region_without_vacancies_says_so_and_offers_the_country_and_the_upload(store: Path) -> None:
    html = _client(Role.COORDINATOR).get("/radar/AM01/").content.decode()
    text = _text(html)
    assert "Voor Groningen staan nog geen vacatures in de radar" in text
    assert "verzamelingen" not in text.lower()  # not the false "ESCO collections are not loaded"
    assert 'href="/radar/NL/"' in html and 'href="/radar/inlezen/"' in html
    assert "Dat is – " not in text and "Deze regio: –" not in text
    assert "Voor Groningen is er nog geen cijfer" in text  # the map's text, in words
    learner = _text(_client(Role.LEARNER).get("/radar/AM01/").content.decode())
    assert "Bekijk de cijfers van heel Nederland" in learner and "Lees vacatures in" not in learner


def test_a_change_that_cannot_be_computed_is_said_not_dashed() -> None:
    monthly = [(f"2024-{m:02d}", 0, 50) for m in range(1, 13)] + [(f"2025-{m:02d}", 4, 60) for m in range(1, 13)]
    with translation.override("nl"):
        figure = figures.trend_figure(key="trend", region="AM22", name="Rijnmond", monthly=monthly)
    assert "–" not in figure.summary
    assert "Het jaar ervoor waren er geen" in figure.summary and "+20%" in figure.summary


def test_the_forecast_warns_only_when_it_loses_to_last_years_figures() -> None:
    # MASE 1.50 against seasonal-naive's 2.13: the model beat last year's figures, so no warning.
    assert not forecast.losing(Backtest(4, 1.50, 2.13))
    assert forecast.losing(Backtest(4, 0.80, 0.60)) and forecast.losing(Backtest(4, 0.9, 0.9))
    assert not forecast.losing(Backtest(4, None, None))


@pytest.mark.django_db
def test_the_forecast_speaks_b1_and_keeps_the_technical_terms_on_request(store: Path) -> None:
    with translation.override("nl"):
        fc = services.forecast_group(region="AM22", end=END)
        assert fc is not None
        figure = figures.forecast_figure(key="forecast", fc=fc, name="Rijnmond")
    plain = " ".join([figure.summary, *figure.notes])
    for term in ("MASE", "ets-", "95%", "interval"):
        assert term not in plain
    assert "Verwacht in het eerste kwartaal van 2026" in figure.summary and "Waarschijnlijk tussen" in figure.summary
    technical = " ".join(figure.technical)
    assert "MASE" in technical and "95%-voorspellingsinterval" in technical
    assert ("niet beter dan gewoon de aantallen van vorig jaar" in plain) == forecast.losing(fc.assessment.backtest)


def _chart_texts(html: str) -> list[str]:
    svg = " ".join(re.findall(r"<svg.*?</svg>", html, re.S))
    return [t.strip() for t in re.findall(r">([^<>]+)</text>", svg)]


@pytest.mark.django_db
def test_dutch_pages_write_dutch_numbers_months_and_quarters_and_english_pages_english(
    store: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    client = _client(Role.COORDINATOR)
    page = client.get("/radar/NL/").content.decode()
    assert "vacatures in deze regio" not in _text(page)  # the country is not "this region"
    assert "Nederland vergeleken met Nederland" not in _text(page)  # nor compared with itself
    dutch = _chart_texts(page)
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+", t) for t in dutch)  # 1.000 on an axis or a legend
    assert not any(re.fullmatch(r"\d{1,3}(,\d{3})+", t) for t in dutch)  # never 1,000
    assert any(re.fullmatch(r"-?\d+,\d{1,2}", t) for t in dutch)  # 0,2 ...
    assert not any(re.fullmatch(r"-?\d+\.\d{1,2}", t) for t in dutch)  # ... never 0.2
    assert not any(re.fullmatch(r"\d{4}-\d{2}|\d{4}Q\d", t) for t in dutch)  # never 2025-10 or 2026Q3
    assert any(re.fullmatch(r"(jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec) \d{4}", t) for t in dutch)
    assert any(re.fullmatch(r"\de kw\. \d{4}", t) for t in dutch)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _chart_texts(client.get("/radar/NL/").content.decode())
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+", t) for t in english)  # 1,000
    assert not any(re.fullmatch(r"-?\d+,\d{1,2}", t) for t in english)
    assert any(re.fullmatch(r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? \d{4}", t) for t in english)
    assert any(re.fullmatch(r"Q\d \d{4}", t) for t in english)


def test_month_and_quarter_labels() -> None:
    with translation.override("nl"):
        assert (month_label("2025-10"), month_label("2025-10", long=True)) == ("okt 2025", "oktober 2025")
        assert quarter_label("2026Q3") == "3e kw. 2026"
        assert quarter_label("2026Q3", long=True) == "derde kwartaal van 2026"
    with translation.override("en"):
        assert (month_label("2025-10"), quarter_label("2026Q3")) == ("Oct 2025", "Q3 2026")


@pytest.mark.django_db
def test_a_label_without_dutch_is_marked_as_english_the_same_way_everywhere() -> None:
    concept = Concept.objects.create(uri="http://data.europa.eu/esco/skill/x", kind="skill")
    Label.objects.create(concept=concept, language="en", kind="preferred", text="Digital skills")
    with translation.override("nl"):
        label = lookups.label_map([concept.uri], kind="skill")[concept.uri]
        assert str(label) == "Digital skills"  # as text: CSV, chart labels
        html = label.__html__()  # type: ignore[attr-defined]
    assert html == '<span lang="en">Digital skills</span> <span class="notice lang-note">(Engels)</span>'
    with translation.override("en"):
        assert not hasattr(lookups.label_map([concept.uri], kind="skill")[concept.uri], "__html__")


@pytest.mark.django_db
def test_the_printable_report_is_linked_only_for_those_who_may_open_it(store: Path) -> None:
    learner = _client(Role.LEARNER)
    page = learner.get("/radar/AM22/").content.decode()
    assert "/radar/AM22/rapport/" not in page
    assert learner.get("/radar/AM22/rapport/").status_code == 403
    coordinator = _client(Role.COORDINATOR).get("/radar/AM22/").content.decode()
    assert "/radar/AM22/rapport/" in coordinator


@pytest.mark.django_db
def test_warming_fills_the_dashboards_before_the_first_visitor(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wendbaar.radar.dashboards import warm

    cache.clear()
    assert warm.warm_dashboards() == 2 * 4  # NL and the three regions with vacancies, in Dutch and English

    def not_again(**_kwargs: object) -> None:
        raise AssertionError("the dashboard was computed again for the first visitor")

    monkeypatch.setattr(services, "region_dashboard", not_again)
    client = _client(Role.LEARNER)
    assert client.get("/radar/NL/").status_code == 200
    assert client.get("/radar/AM18/").status_code == 200
