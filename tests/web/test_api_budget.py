"""The per-request time budget: a heavy request that runs past it gets a 503 with Retry-After,
stores nothing, and leaves no work running behind it."""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import ApiHeaders
from watchlist.config import Settings
from watchlist.db import create_engine
from watchlist.models import Article
from web import create_app

TEXT = "Ashot Mkrtychev, a Slovak citizen, met officials in Bratislava on Tuesday."


def budgeted(settings: Settings, seconds: float) -> Settings:
    return dataclasses.replace(
        settings, web=dataclasses.replace(settings.web, request_budget_seconds=seconds)
    )


@pytest.fixture(scope="module")
def tight_app(day_one: Settings) -> Iterator[Flask]:
    """The service with a budget no screening can keep (a millisecond)."""
    application = create_app(budgeted(day_one, 0.001))
    application.config["TESTING"] = True
    yield application
    application.extensions["watchlist"].engine.dispose()


@pytest.fixture
def tight(tight_app: Flask) -> FlaskClient:
    return tight_app.test_client()


def children() -> set[int]:
    """Processes this one started that are still there (zombies included)."""
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        found |= {int(pid) for pid in (task / "children").read_text().split()}
    return found


def articles(settings: Settings) -> int:
    engine = create_engine(settings.database)
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.select(sa.func.count()).select_from(Article)) or 0
    finally:
        engine.dispose()


def assert_over_budget(response: object) -> None:
    assert response.status_code == 503  # type: ignore[attr-defined]
    assert response.headers["Retry-After"].isdigit()  # type: ignore[attr-defined]
    error = response.get_json()["error"]  # type: ignore[attr-defined]
    assert error["code"] == "over_budget"
    assert "web.request_budget_seconds" in error["message"]


def test_a_screen_past_its_budget_is_a_503_and_leaves_nothing_running(
    tight: FlaskClient, api_headers: ApiHeaders
) -> None:
    before = children()
    response = tight.post("/api/v1/screen", json={"text": TEXT}, headers=api_headers("screen"))
    assert_over_budget(response)
    assert children() == before
    lookup = tight.get("/api/v1/lookup?name=Ashot+Mkrtychev", headers=api_headers("lookup"))
    assert lookup.status_code == 200 and lookup.get_json()["results"]


def test_an_article_past_its_budget_is_not_stored(
    tight: FlaskClient, api_headers: ApiHeaders, day_one: Settings
) -> None:
    before = articles(day_one)
    body = {"text": TEXT + " A story told only here.", "url": "https://news.example/budget"}
    response = tight.post("/api/v1/articles", json=body, headers=api_headers("write"))
    assert_over_budget(response)
    assert articles(day_one) == before


def test_a_batch_lookup_past_its_budget_is_a_503(
    tight: FlaskClient, api_headers: ApiHeaders
) -> None:
    queries = [{"name": f"Ashot Mkrtychev {n}"} for n in range(50)]
    response = tight.post(
        "/api/v1/lookup", json={"queries": queries}, headers=api_headers("lookup")
    )
    assert_over_budget(response)


def test_within_the_budget_the_screen_answers(client: FlaskClient, api_headers: ApiHeaders) -> None:
    before = children()
    response = client.post("/api/v1/screen", json={"text": TEXT}, headers=api_headers("screen"))
    assert response.status_code == 200
    assert [hit["text"] for hit in response.get_json()["hits"]] == ["Ashot Mkrtychev"]
    assert children() == before


def test_heavy_requests_beyond_the_slots_are_turned_away(
    app: Flask, client: FlaskClient, api_headers: ApiHeaders
) -> None:
    """A worker screens as many texts at once as it has slots, keeping a thread for lookups."""
    slots = app.extensions["watchlist"].heavy
    with contextlib.ExitStack() as held:
        for _ in range(slots.count):
            held.enter_context(slots.hold())
        response = client.post("/api/v1/screen", json={"text": TEXT}, headers=api_headers("screen"))
        lookup = client.get("/api/v1/lookup?name=Ashot+Mkrtychev", headers=api_headers("lookup"))
    assert response.status_code == 503 and response.headers["Retry-After"].isdigit()
    assert response.get_json()["error"]["code"] == "busy"
    assert lookup.status_code == 200
    again = client.post("/api/v1/screen", json={"text": TEXT}, headers=api_headers("screen"))
    assert again.status_code == 200
