"""Pages show times as people read them, `2026-12-05 16:01 UTC`, never a raw ISO time; where a
table lists them, a `<time datetime="…Z">` element carries the exact time for programs."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.web.dashboard import fresh_hit, sign_in, text
from watchlist.config import Settings
from watchlist.db import create_engine, session_factory
from watchlist.models import Action, DismissReason, RunStatus, ScanRun, Suppression
from watchlist.models.base import utcnow
from watchlist.review import decisions
from watchlist.screening import audit

pytestmark = pytest.mark.usefixtures("dashboard_users")

RAW_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")
TIME_ELEMENT = re.compile(
    r'<time datetime="([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)">'
    r"([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}) UTC</time>"
)


def shown(page: str) -> str:
    """The page as a reader sees it: without the machine-readable `datetime` attributes."""
    return re.sub(r'datetime="[^"]*"', "", page)


@pytest.fixture
def hit_with_history(day_one: Settings) -> int:
    """A hit dismissed with a suppression rule (removed again), a finished scan run and an
    audit record: something to show on every page that shows times."""
    hit_id = fresh_hit(day_one)
    engine = create_engine(day_one.database)
    try:
        with session_factory(engine)() as session, session.begin():
            decisions.decide(
                session,
                hit_id,
                Action.DISMISS,
                actor="user:analyst",
                suppress=True,
                reason=DismissReason.DIFFERENT_PERSON,
            )
            session.add(ScanRun(status=RunStatus.SUCCEEDED, finished_at=utcnow()))
            audit.record(session, actor="api-key:times", kind="lookup", query="Times test",
                         list_state=1, result_count=0, top=None)  # fmt: skip
        with session_factory(engine)() as session, session.begin():
            newest = sa.select(Suppression).where(Suppression.removed_at.is_(None))
            rule = session.scalars(newest.order_by(Suppression.id.desc())).first()
            assert rule is not None
            decisions.remove_suppression(session, rule.id, actor="user:admin")
    finally:
        engine.dispose()
    return hit_id


def test_pages_that_show_times_show_them_readable_in_utc(
    client: FlaskClient, hit_with_history: int
) -> None:
    sign_in(client, "admin")
    tables = ["/lists", "/runs", "/audit", "/audit/screening", "/users",
              "/suppressions?removed=yes", f"/hits/{hit_with_history}"]  # fmt: skip
    for path in tables:
        page = text(client.get(path))
        assert not RAW_TIME.search(shown(page)), (path, RAW_TIME.findall(shown(page)))
        elements = TIME_ELEMENT.findall(page)
        assert elements, path
        for exact, readable in elements:
            assert exact[:16].replace("T", " ") == readable, path
    hit_page = text(client.get(tables[-1]))
    article = re.search(r'href="(/articles/[0-9]+)', hit_page)
    entity = re.search(r'href="(/entities/[0-9]+)', hit_page)
    assert article and entity
    for path in ("/", "/?view=hits", article.group(1), entity.group(1)):
        page = text(client.get(path))
        assert not RAW_TIME.search(shown(page)), (path, RAW_TIME.findall(shown(page)))
        assert re.search(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC", page), path
