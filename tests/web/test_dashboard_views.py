"""The other dashboard views: overview charts, entity, search, lists, scan runs, audit logs."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.web.dashboard import fresh_hit, post, sign_in, text
from watchlist.config import Settings
from watchlist.db import create_engine, session_factory
from watchlist.models import Hit, RunStatus, ScanError, ScanRun
from watchlist.screening import audit

pytestmark = pytest.mark.usefixtures("dashboard_users")


@pytest.fixture
def viewer(client: FlaskClient) -> FlaskClient:
    sign_in(client, "viewer")
    return client


def test_overview_draws_charts_as_inline_svg(viewer: FlaskClient) -> None:
    page = text(viewer.get("/overview"))
    assert page.count("<svg") == 3
    assert "Hits per day" in page and "Hits by program" in page
    assert "List changes per version" in page
    assert "US OFAC RUSSIA-EO14024" in page  # a bar label and a table row
    assert "<script" not in page
    assert 'action="/export/hits.csv"' in page


def test_entity_page_shows_the_record_and_every_hit(viewer: FlaskClient, day_one: Settings) -> None:
    page = text(viewer.get(f"/entities/{hit_entity(day_one, fresh_hit(day_one))}"))
    assert "MKRTYCHEV, Ashot" in page and "Registry record" in page
    assert "Every hit over time" in page and "<svg" in page
    assert viewer.get("/entities/99999999").status_code == 404


def test_search_finds_names_and_aliases(viewer: FlaskClient) -> None:
    page = text(viewer.get("/search?q=mkrtycev"))
    assert "MKRTYCHEV, Ashot" in page and "MKRTYCEV, Asot" in page
    assert "Nothing in the registry matches" in text(viewer.get("/search?q=zzzzqqq"))
    assert 'role="search"' in text(viewer.get("/search"))


def result_names(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/entities/\d+">([^<]+)</a>', page)


@pytest.mark.parametrize(
    "q", ["Ashot Mkrtychev", "Mkrtichev", "mkrtychev ashot", "BD3843329", "bd 384-3329"]
)
def test_search_finds_him_as_an_analyst_writes_him(viewer: FlaskClient, q: str) -> None:
    """Full name, a misspelt surname alone, another word order, his passport however spaced."""
    names = result_names(text(viewer.get("/search", query_string={"q": q})))
    assert names[:1] == ["MKRTYCHEV, Ashot"], names


@pytest.mark.parametrize(
    ("q", "listed"), [("Kim Jong Un", "KIM, Jong Un"), ("Путин", "PUTIN, Vladimir Vladimirovich")]
)
def test_search_reads_names_like_the_matcher(viewer: FlaskClient, q: str, listed: str) -> None:
    page = text(viewer.get("/search", query_string={"q": q}))
    assert result_names(page)[:1] == [listed]
    assert "identifier" not in page.split("<tbody>")[1]


def test_search_filters_by_list_program_kind_and_country(viewer: FlaskClient) -> None:
    everyone = result_names(text(viewer.get("/search?q=sberbank&per_page=200")))
    assert len(everyone) > 5
    for query, absent in [("kind=person", "SBERBANK"), ("program=DPRK", "SBERBANK"),
                          ("country=Cuba", "SBERBANK"), ("list=seed", "SBERBANK")]:  # fmt: skip
        page = text(viewer.get(f"/search?q=sberbank&{query}"))
        assert not any(absent in name for name in result_names(page)), query
    in_russia = result_names(text(viewer.get("/search?q=sberbank&country=Russia&per_page=200")))
    assert 0 < len(in_russia) <= len(everyone)


def test_search_pages_past_the_first_page_and_honours_the_minimum_score(
    viewer: FlaskClient,
) -> None:
    first = text(viewer.get("/search?q=mohammed&per_page=20"))
    second = text(viewer.get("/search?q=mohammed&per_page=20&page=2"))
    assert len(result_names(first)) == 20 and result_names(second)
    assert not set(result_names(first)) & set(result_names(second))
    assert 'rel="next"' in first
    strict = result_names(text(viewer.get("/search?q=Prigozin&min_score=1")))
    lenient = result_names(text(viewer.get("/search?q=Prigozin&min_score=0.8")))
    assert "PRIGOZHIN, Yevgeniy Viktorovich" in lenient
    assert "PRIGOZHIN, Yevgeniy Viktorovich" not in strict
    assert viewer.get("/search?q=x&min_score=0.1").status_code == 422
    assert viewer.get("/search?q=x&min_score=high").status_code == 422
    assert viewer.get("/search?q=x&kind=ship").status_code == 422


def test_lists_page_shows_versions_and_the_change_log(viewer: FlaskClient) -> None:
    page = text(viewer.get("/lists"))
    assert "us_ofac_sdn" in page and "Change log of version" in page
    added = text(viewer.get("/lists?kind=added"))
    assert "<tr><td>added</td><th" in added and "<tr><td>changed</td><th" not in added
    assert "14961 changes; 1–50 shown." in added and "log_page=2" in added
    assert "0 changes" in text(viewer.get("/lists?kind=delisted"))
    # The seed gave designation dates the list leaves out: the registry keeps them.
    changed = text(viewer.get("/lists?kind=changed&q=mkrtychev"))
    assert "1 change for “mkrtychev”" in changed
    assert "DPRK, designated 2023-03-30<br>" in changed and "<del" not in changed
    assert "No difference shown" in changed
    assert viewer.get("/lists?version=99999").status_code == 404
    assert viewer.get("/lists?kind=renamed").status_code == 422


def test_runs_page_shows_runs_and_their_errors(viewer: FlaskClient, day_one: Settings) -> None:
    engine = create_engine(day_one.database)
    with session_factory(engine)() as session, session.begin():
        run = ScanRun(status=RunStatus.PARTIAL, articles_screened=7, new_hits=2, errors=1)
        run.failures.append(ScanError(stage="feed", message="feed <b>unreachable</b>"))
        session.add(run)
    engine.dispose()
    page = text(viewer.get("/runs"))
    assert "badge-run-partial" in page and "feed: feed &lt;b&gt;unreachable&lt;/b&gt;" in page


def test_the_decision_log_shows_who_decided_what(client: FlaskClient, day_one: Settings) -> None:
    sign_in(client, "analyst")
    hit_id = fresh_hit(day_one)
    post(client, f"/hits/{hit_id}/decisions", {"action": "escalate", "note": "For the MLRO."},
         form=f"/hits/{hit_id}")  # fmt: skip
    page = text(client.get("/audit"))
    assert f'href="/hits/{hit_id}"' in page and "For the MLRO." in page
    assert "user:analyst" in page
    assert "For the MLRO." in text(client.get("/audit?action=escalate&actor=user:analyst"))
    assert "For the MLRO." not in text(client.get("/audit?action=confirm"))
    assert "Screening log" not in page  # analysts do not see the screening log


def test_admins_read_the_screening_log(client: FlaskClient, day_one: Settings) -> None:
    engine = create_engine(day_one.database)
    with session_factory(engine)() as session, session.begin():
        top = audit.TopResult(entity_id=12, name="MKRTYCHEV, Ashot", score=0.97)
        audit.record(session, actor="api-key:bank-42", kind="lookup", query="Ashot Mkrtichev",
                     list_state=1, result_count=1, top=top)  # fmt: skip
    engine.dispose()
    sign_in(client, "admin")
    page = text(client.get("/audit/screening?q=mkrtichev"))
    assert "api-key:bank-42" in page and "Ashot Mkrtichev" in page and "0.97" in page
    assert "Screening log" in text(client.get("/audit"))


def test_unknown_pages_and_ids(viewer: FlaskClient) -> None:
    assert viewer.get("/articles/99999999").status_code == 404
    assert viewer.get("/?page=0").status_code == 422


def hit_entity(settings: Settings, hit_id: int) -> int:
    engine = create_engine(settings.database)
    try:
        with session_factory(engine)() as session:
            hit = session.get(Hit, hit_id)
            assert hit is not None
            return hit.entity_id
    finally:
        engine.dispose()


@pytest.mark.parametrize("path", ["/overview", "/entities/{entity}", "/lists"])
def test_every_chart_on_a_page_draws_its_data(
    viewer: FlaskClient, day_one: Settings, path: str
) -> None:
    """Each figure is a sized drawing with at least one shape and its data as a table."""
    entity = hit_entity(day_one, fresh_hit(day_one))
    page = text(viewer.get(path.format(entity=entity)))
    figures = re.findall(r'<figure class="chart".*?</figure>', page, re.S)
    assert figures
    for figure in figures:
        box = re.search(r'<svg viewBox="0 0 (\d+) (\d+)"', figure)
        assert box is not None, figure[:300]
        assert int(box[1]) > 0 and int(box[2]) > 0
        assert "<rect " in figure and "<td>" in figure
