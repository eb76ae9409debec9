"""Errors: JSON for API clients with fitting statuses, a small HTML page for browsers, and
never a traceback."""

from __future__ import annotations

import dataclasses

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import ApiHeaders
from watchlist.config import DEV_SECRET_KEY, Settings
from watchlist.errors import ConfigError
from web import create_app
from web.errors import html_error


def test_unknown_api_paths_and_methods_are_json(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    missing = client.get("/api/v1/nothing-here", headers=api_headers("read"))
    assert missing.status_code == 404 and missing.is_json
    assert missing.get_json()["error"]["code"] == "not_found"
    wrong = client.delete("/api/v1/lookup", headers=api_headers("lookup"))
    assert wrong.status_code == 405 and wrong.is_json
    assert "GET" in wrong.headers["Allow"] and "POST" in wrong.headers["Allow"]
    assert wrong.get_json()["error"]["code"] == "method_not_allowed"


def test_other_paths_get_an_escaped_html_page(app: Flask) -> None:
    with app.test_request_context("/"):
        page = html_error(404, "no <script>alert(1)</script> here")
    text = page.get_data(as_text=True)
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "&lt;script&gt;" in text and "<script>" not in text


def test_an_unexpected_failure_is_a_generic_json_500(empty_settings: Settings) -> None:
    application = create_app(empty_settings)

    @application.get("/api/v1/boom")
    def boom() -> str:
        raise RuntimeError("secret detail")

    response = application.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    error = response.get_json()["error"]
    assert error["code"] == "internal_error"
    assert "secret" not in error["message"] and "Traceback" not in response.get_data(as_text=True)
    application.extensions["watchlist"].engine.dispose()


def test_readyz_waits_for_the_match_index(empty_settings: Settings) -> None:
    application = create_app(empty_settings)
    client = application.test_client()
    first = client.get("/readyz")
    assert first.status_code == 503
    assert first.get_json()["error"] == {
        "code": "not_ready",
        "message": "The match index is still being built.",
    }
    application.extensions["watchlist"].matchers.warm_up().join(timeout=60)
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json() == {"status": "ready", "list_state": 0}
    application.extensions["watchlist"].engine.dispose()


def test_readyz_reports_an_unusable_database(empty_settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = dataclasses.replace(empty_settings.database, url=f"sqlite:///{tmp_path}/none.db")
    application = create_app(dataclasses.replace(empty_settings, database=database))
    response = application.test_client().get("/readyz")
    assert response.status_code == 503
    assert "watchlist db upgrade" in response.get_json()["error"]["message"]
    assert application.test_client().get("/healthz").status_code == 200
    application.extensions["watchlist"].engine.dispose()


def test_the_development_secret_key_is_refused_outside_debug(empty_settings: Settings) -> None:
    web = dataclasses.replace(empty_settings.web, secret_key=DEV_SECRET_KEY)
    with pytest.raises(ConfigError, match="web.secret_key"):
        create_app(dataclasses.replace(empty_settings, web=web))
    debug = dataclasses.replace(web, debug=True)
    create_app(dataclasses.replace(empty_settings, web=debug)).extensions[
        "watchlist"
    ].engine.dispose()
