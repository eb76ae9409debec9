"""Helpers for the dashboard tests: sign in through the real form, read CSRF tokens."""

from __future__ import annotations

import re
import uuid

from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from tests.web.conftest import DASHBOARD_PASSWORD
from watchlist.articles import reading
from watchlist.articles.intake import store_and_screen
from watchlist.articles.store import ArticleInput
from watchlist.config import Settings
from watchlist.db import create_engine, session_factory
from watchlist.review import decisions
from watchlist.screening.hits import Screener, make_screener

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of the form on `path`."""
    page = client.get(path)
    found = TOKEN.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: FlaskClient, name: str, password: str = DASHBOARD_PASSWORD) -> TestResponse:
    return client.post(
        "/login", data={"name": name, "password": password, "csrf_token": csrf(client)}
    )


def post(client: FlaskClient, path: str, data: dict[str, str], *, form: str) -> TestResponse:
    """POST `data` with the CSRF token read from the page `form`."""
    return client.post(path, data={**data, "csrf_token": csrf(client, form)})


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def add_article(settings: Settings, body: str, *, title: str, url: str | None = None) -> list[int]:
    """Store and screen an article in the test database; the ids of its hits, in text order."""
    engine = create_engine(settings.database)
    try:
        with session_factory(engine)() as session, session.begin():
            screener = _screener(session, settings)
            item = ArticleInput(text=body, title=title, url=url, source="test wire")
            stored = store_and_screen(session, item, screener, settings)
            return [hit.id for hit in reading.article_hits(session, stored.article_id)]
    finally:
        engine.dispose()


_SCREENERS: dict[str, Screener] = {}


def _screener(session: Session, settings: Settings) -> Screener:
    """One matcher per test database: building it takes seconds, and the lists do not change."""
    url = settings.database.url
    if url not in _SCREENERS:
        _SCREENERS[url] = make_screener(session, settings.matching)
    return _SCREENERS[url]


def fresh_hit(settings: Settings) -> int:
    """A new open hit on Ashot Mkrtychev, in an article of its own."""
    marker = uuid.uuid4().hex[:8]
    body = (
        f"Report {marker}. Treasury sanctioned Ashot Mkrtychev, who brokered arms deals "
        f"between North Korea and Russia, officials said on day {marker}."
    )
    _lift_rules(settings, "Ashot Mkrtychev")  # other tests may have silenced the name
    hits = add_article(settings, body, title=f"Fresh article {marker}")
    assert hits, "the fresh article has no hit"
    return hits[0]


def _lift_rules(settings: Settings, name: str) -> None:
    engine = create_engine(settings.database)
    try:
        with session_factory(engine)() as session, session.begin():
            for rule in decisions.suppressions(session):
                if rule.name_key == decisions.name_key(name):
                    decisions.remove_suppression(session, rule.id, actor="test:fresh-hit")
    finally:
        engine.dispose()
