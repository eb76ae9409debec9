"""Dashboard sessions end on the server: a cookie saved before sign-out, a password change or
disabling the account opens nothing afterwards, and its CSRF token decides nothing."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import RunCli
from tests.web.conftest import DASHBOARD_PASSWORD, new_user
from tests.web.dashboard import csrf, fresh_hit, post, sign_in, text
from watchlist.config import Settings
from watchlist.db import create_engine, session_factory
from watchlist.models import Role
from watchlist.review import decisions as review

COOKIE = "watchlist_session"
NEW_PASSWORD = "another-long-password"


@pytest.fixture
def user(day_one: Settings) -> str:
    """An analyst of this test's own (tests that change an account must not share it)."""
    return new_user(day_one, Role.ANALYST)


def signed_in(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, name).status_code == 303
    return client


def with_cookie_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of `client`'s session cookie, as an attacker would."""
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    copy = app.test_client()
    copy.set_cookie(COOKIE, cookie.value)
    return copy


def is_signed_out(client: FlaskClient) -> bool:
    response = client.get("/")
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def decisions(settings: Settings, hit_id: int) -> int:
    engine = create_engine(settings.database)
    try:
        with session_factory(engine)() as session:
            return len(review.history(session, hit_id))
    finally:
        engine.dispose()


def test_sign_out_ends_the_session_for_every_copy_of_the_cookie(
    app: Flask, user: str, day_one: Settings
) -> None:
    browser = signed_in(app, user)
    hit_id = fresh_hit(day_one)
    token = csrf(browser, f"/hits/{hit_id}")
    stolen = with_cookie_of(app, browser)
    assert not is_signed_out(stolen)
    browser.post("/logout", data={"csrf_token": token})
    assert is_signed_out(stolen)
    data = {
        "action": "dismiss",
        "reason": "duplicate",
        "note": "after sign-out",
        "csrf_token": token,
    }
    response = stolen.post(f"/hits/{hit_id}/decisions", data=data)
    assert response.status_code in (302, 400)
    assert decisions(day_one, hit_id) == 0


def test_a_password_change_ends_every_session(app: Flask, user: str, run_cli_on: RunCli) -> None:
    first, second = signed_in(app, user), signed_in(app, user)
    result = run_cli_on("users", "password", user, "--password-stdin", input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.stderr
    assert is_signed_out(first) and is_signed_out(second)
    assert sign_in(app.test_client(), user).status_code == 401
    assert sign_in(app.test_client(), user, NEW_PASSWORD).status_code == 303


def test_changing_ones_own_password_ends_the_other_sessions(app: Flask, user: str) -> None:
    here, elsewhere = signed_in(app, user), signed_in(app, user)
    form = {"current": DASHBOARD_PASSWORD, "password": NEW_PASSWORD, "again": NEW_PASSWORD}
    response = post(here, "/account/password", form, form="/account/password")
    assert response.status_code == 303
    assert "Your password is changed" in text(here.get("/"))  # still signed in here
    assert is_signed_out(elsewhere)


def test_a_wrong_current_password_changes_nothing(app: Flask, user: str) -> None:
    here, elsewhere = signed_in(app, user), signed_in(app, user)
    form = {"current": "not-the-password", "password": NEW_PASSWORD, "again": NEW_PASSWORD}
    post(here, "/account/password", form, form="/account/password")
    assert "wrong" in text(here.get("/account/password")).lower()
    assert not is_signed_out(elsewhere)
    assert sign_in(app.test_client(), user).status_code == 303


def test_disabling_ends_sessions_even_after_re_enabling(
    app: Flask, user: str, run_cli_on: RunCli
) -> None:
    browser = signed_in(app, user)
    assert run_cli_on("users", "disable", user).exit_code == 0
    assert run_cli_on("users", "enable", user).exit_code == 0
    assert is_signed_out(browser)
    assert sign_in(app.test_client(), user).status_code == 303
