"""Sign-in throttling: per account and per client address, with a clear message and a record
of every attempt."""

from __future__ import annotations

import datetime as dt
import ipaddress
import itertools

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import RunCli
from tests.web.conftest import new_user
from tests.web.dashboard import sign_in, text
from watchlist.config import Settings
from watchlist.db import create_engine, session_factory
from watchlist.models import Role, SignInAttempt, SignInOutcome

WRONG = "not-the-right-password"
_ADDRESSES = itertools.count(1)  # the database is shared by the run: no address is reused


@pytest.fixture
def user(day_one: Settings) -> str:
    """A viewer of this test's own (its sign-in attempts are its own)."""
    return new_user(day_one, Role.VIEWER)


def from_address(app: Flask) -> FlaskClient:
    """A browser at an address of its own (tests share the database)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = str(ipaddress.IPv4Address("10.0.0.0") + next(_ADDRESSES))
    return client


def attempts(settings: Settings, **where: str) -> list[str]:
    engine = create_engine(settings.database)
    try:
        with session_factory(engine)() as session:
            query = sa.select(SignInAttempt.outcome).order_by(SignInAttempt.id)
            for column, value in where.items():
                query = query.where(getattr(SignInAttempt, column) == value)
            return [outcome.value for outcome in session.scalars(query)]
    finally:
        engine.dispose()


def test_an_account_is_throttled_after_five_failures_even_with_the_right_password(
    app: Flask, user: str, day_one: Settings
) -> None:
    for _ in range(5):
        assert sign_in(from_address(app), user, WRONG).status_code == 401
    response = sign_in(from_address(app), user)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many failed sign-ins" in text(response)
    assert attempts(day_one, name=user) == ["failed"] * 5 + ["throttled"]


def test_a_success_clears_the_account_count(app: Flask, user: str) -> None:
    for _ in range(4):
        sign_in(from_address(app), user, WRONG)
    assert sign_in(from_address(app), user).status_code == 303
    for _ in range(4):
        sign_in(from_address(app), user, WRONG)
    assert sign_in(from_address(app), user).status_code == 303


def test_failures_age_out_of_the_window(app: Flask, user: str, day_one: Settings) -> None:
    engine = create_engine(day_one.database)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)
    try:
        with session_factory(engine)() as session, session.begin():
            failure = {"name": user, "address": "192.0.2.1", "outcome": SignInOutcome.FAILED}
            session.add_all(SignInAttempt(**failure, created_at=long_ago) for _ in range(10))
    finally:
        engine.dispose()
    assert sign_in(from_address(app), user).status_code == 303


def test_an_address_is_throttled_after_twenty_failures(
    app: Flask, user: str, day_one: Settings
) -> None:
    attacker = from_address(app)
    for number in range(20):
        assert sign_in(attacker, f"guess-{number}", WRONG).status_code == 401
    response = sign_in(attacker, user)
    assert response.status_code == 429
    assert sign_in(from_address(app), user).status_code == 303  # the account itself is fine
    address = attacker.environ_base["REMOTE_ADDR"]
    assert attempts(day_one, address=address) == ["failed"] * 20 + ["throttled"]


def test_attempts_are_listed_for_operators(app: Flask, user: str, run_cli_on: RunCli) -> None:
    sign_in(from_address(app), user, WRONG)
    listed = run_cli_on("users", "sign-ins", "--limit", "50")
    assert listed.exit_code == 0, listed.stderr
    assert any(user in line and "failed" in line for line in listed.output.splitlines())
