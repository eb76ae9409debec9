"""The other dashboard views: overview charts, entity, search, lists, scan runs, audit logs."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.web.dashboard import fresh_hit, post, sign_in, text
from watchlist import audit
from watchlist.config import Settings
from watchlist.db import create_engine, session_factory
from watchlist.models import RunStatus, ScanError, ScanRun

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


def test_entity_page_shows_the_record_and_every_hit(viewer: FlaskClient) -> None:
    page = text(viewer.get("/entities/12"))
    assert "MKRTYCHEV, Ashot" in page or "Registry record" in page
    assert "Every hit over time" in page and "<svg" in page
    assert viewer.get("/entities/99999999").status_code == 404


def test_search_finds_names_and_aliases(viewer: FlaskClient) -> None:
    page = text(viewer.get("/search?q=mkrtycev"))
    assert "MKRTYCHEV, Ashot" in page and "MKRTYCEV, Asot" in page
    assert "No entity has a name containing" in text(viewer.get("/search?q=zzzzqqq"))
    assert 'role="search"' in text(viewer.get("/search"))


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
