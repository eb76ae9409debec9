"""Signing in and out, sessions, CSRF and security headers of the dashboard."""

from __future__ import annotations

import dataclasses

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.dashboard import csrf, post, sign_in, text
from watchlist.config import Settings
from web import create_app

pytestmark = pytest.mark.usefixtures("dashboard_users")


def test_pages_need_signing_in(client: FlaskClient) -> None:
    response = client.get("/hits/1?x=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/hits/1?x%3D1"


def test_login_page_has_labelled_fields_and_a_skip_link(client: FlaskClient) -> None:
    page = text(client.get("/login"))
    assert '<label for="name">' in page and 'id="name"' in page
    assert '<label for="password">' in page and 'type="password"' in page
    assert 'href="#main"' in page and 'id="main"' in page


def test_signing_in_leads_to_the_queue(client: FlaskClient) -> None:
    response = sign_in(client, "analyst")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert "Review queue" in text(client.get("/"))


def test_signing_in_returns_to_the_page_asked_for(client: FlaskClient) -> None:
    token = csrf(client)
    data = {"name": "viewer", "password": "a-long-test-password", "csrf_token": token,
            "next": "/lists"}  # fmt: skip
    assert client.post("/login", data=data).headers["Location"] == "/lists"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_sign_in_never_redirects_off_site(client: FlaskClient, target: str) -> None:
    data = {"name": "viewer", "password": "a-long-test-password", "csrf_token": csrf(client),
            "next": target}  # fmt: skip
    assert client.post("/login", data=data).headers["Location"] == "/"


@pytest.mark.parametrize(
    ("name", "password"),
    [("analyst", "wrong-password-123"), ("nobody", "a-long-test-password"),
     ("retired", "a-long-test-password")],
)  # fmt: skip
def test_failed_sign_in_never_says_whether_the_user_exists(
    client: FlaskClient, name: str, password: str
) -> None:
    response = sign_in(client, name, password)
    assert response.status_code == 401
    assert "Unknown user name or wrong password." in text(response)
    assert client.get("/").status_code == 302


def test_signing_out_ends_the_session(client: FlaskClient) -> None:
    sign_in(client, "analyst")
    response = post(client, "/logout", {}, form="/")
    assert response.status_code == 303
    assert client.get("/").status_code == 302


def test_a_post_without_the_csrf_token_is_refused(client: FlaskClient) -> None:
    sign_in(client, "analyst")
    response = client.post("/hits/1/decisions", data={"action": "dismiss"})
    assert response.status_code == 400
    assert "did not come from this site" in text(response)
    forged = client.post("/logout", data={"csrf_token": "forged"})
    assert forged.status_code == 400


def test_login_itself_needs_the_csrf_token(client: FlaskClient) -> None:
    response = client.post("/login", data={"name": "analyst", "password": "a-long-test-password"})
    assert response.status_code == 400


def test_the_session_cookie_is_httponly_and_samesite_lax(client: FlaskClient) -> None:
    response = sign_in(client, "analyst")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # the test settings turn secure cookies off
    assert "Expires=" in cookie


def test_secure_cookies_and_session_hours_come_from_the_settings(day_one: Settings) -> None:
    web = dataclasses.replace(day_one.web, secure_cookies=True, session_hours=3)
    application = create_app(dataclasses.replace(day_one, web=web))
    try:
        assert application.config["SESSION_COOKIE_SECURE"] is True
        assert application.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 3 * 3600
        assert application.secret_key == day_one.web.secret_key
        response = application.test_client().get("/login")
        assert "Secure" in response.headers["Set-Cookie"]
    finally:
        application.extensions["watchlist"].engine.dispose()


def test_dashboard_responses_carry_security_headers(client: FlaskClient, app: Flask) -> None:
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src" not in policy  # no script may run at all
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_are_served_from_the_package(client: FlaskClient) -> None:
    with client.get("/assets/dashboard.css") as css:
        assert css.status_code == 200 and css.mimetype == "text/css"
    with client.get("/assets/icon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


def test_a_disabled_account_is_signed_out(client: FlaskClient, day_one: Settings) -> None:
    from watchlist import access
    from watchlist.db import create_engine, session_factory
    from watchlist.models import Role

    engine = create_engine(day_one.database)
    with session_factory(engine)() as session, session.begin():
        access.create_user(session, "leaver", Role.ANALYST, "a-long-test-password")
    sign_in(client, "leaver")
    assert client.get("/").status_code == 200
    with session_factory(engine)() as session, session.begin():
        access.set_user_disabled(session, "leaver", True)
    engine.dispose()
    assert client.get("/").status_code == 302
