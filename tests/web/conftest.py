"""Web fixtures: an application over a real database holding the seed, the full SDN list and
the five founding articles, screened — what an analyst or an API client sees on day one."""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import ROOT, RunCli, fresh_database
from watchlist import access, migrate
from watchlist.articles.intake import store_and_screen
from watchlist.articles.store import ArticleInput
from watchlist.config import Settings, load_settings
from watchlist.db import create_engine, session_factory
from watchlist.lists import apply, updates
from watchlist.models import Role
from watchlist.screening.hits import make_screener
from watchlist.sources import formats
from web import create_app
from web.cli import cli

SEED_ARTICLES = ROOT / "tests/fixtures/articles"
TEST_SECRET = "test-secret-key-for-the-web-tests-only"


def web_settings(url: str) -> Settings:
    settings = load_settings({"WATCHLIST_DATABASE_URL": url})
    web = dataclasses.replace(
        settings.web,
        secret_key=TEST_SECRET,
        secure_cookies=False,
        recheck_lists_seconds=0.0,  # a list change shows in the very next request
    )
    return dataclasses.replace(settings, web=web)


def load_day_one(settings: Settings) -> None:
    """Seed, the 2024-05-03 SDN list and the five seed articles, screened."""
    engine = create_engine(settings.database)
    try:
        migrate.upgrade(engine)
        with session_factory(engine)() as session, session.begin():
            apply.load_seed(session, ROOT / "config/seed")
            list_file = formats.read_local("ofac-csv", ROOT / "data/ofac/sdn_legacy_csv")
            updates.import_parsed(session, list_file, formats.parse(list_file))
        with session_factory(engine)() as session, session.begin():
            screener = make_screener(session, settings.matching)
            for path in sorted(SEED_ARTICLES.glob("article-*.txt")):
                item = ArticleInput(
                    text=path.read_text(encoding="utf-8"),
                    url=f"https://news.example/{path.stem}",
                    title=f"Seed {path.stem}",
                    source="example news",
                )
                store_and_screen(session, item, screener, settings)
    finally:
        engine.dispose()


def load_small(settings: Settings) -> None:
    """The seed and the seed articles, screened: every kind of record, quickly."""
    engine = create_engine(settings.database)
    try:
        migrate.upgrade(engine)
        with session_factory(engine)() as session, session.begin():
            apply.load_seed(session, ROOT / "config/seed")
            screener = make_screener(session, settings.matching)
            for path in sorted(SEED_ARTICLES.glob("article-*.txt")):
                item = ArticleInput(text=path.read_text(encoding="utf-8"), title=path.stem)
                store_and_screen(session, item, screener, settings)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def day_one(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings of a database loaded by `load_day_one`, shared by the whole test run: tests may
    add to it but must not rely on what other tests added."""
    with fresh_database(tmp_path_factory.mktemp("web")) as url:
        settings = web_settings(url)
        load_day_one(settings)
        yield settings


@pytest.fixture
def run_cli_on(day_one: Settings) -> RunCli:
    """Run the `watchlist` command against the day-one database, as an operator would."""

    def run(*args: str, input: str | None = None) -> Result:
        env = {"WATCHLIST_DATABASE_URL": day_one.database.url, "WATCHLIST_CONFIG": ""}
        return CliRunner().invoke(cli, list(args), env=env, input=input, prog_name="watchlist")

    return run


@pytest.fixture(scope="session")
def app(day_one: Settings) -> Iterator[Flask]:
    application = create_app(day_one)
    application.config["TESTING"] = True
    yield application
    application.extensions["watchlist"].engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def empty_settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings of a fresh, migrated, empty database for this test only."""
    settings = web_settings(database_url)
    engine = create_engine(settings.database)
    migrate.upgrade(engine)
    engine.dispose()
    return settings


# --- dashboard accounts ----------------------------------------------------------------------

DASHBOARD_PASSWORD = "a-long-test-password"


@pytest.fixture(scope="session")
def dashboard_users(day_one: Settings) -> dict[str, str]:
    """One account per role in the day-one database (names are the roles): name → password."""
    engine = create_engine(day_one.database)
    try:
        with session_factory(engine)() as session, session.begin():
            for role in Role:
                access.create_user(session, role.value, role, DASHBOARD_PASSWORD)
            access.create_user(session, "retired", Role.ANALYST, DASHBOARD_PASSWORD)
            access.set_user_disabled(session, "retired", True)
    finally:
        engine.dispose()
    return {role.value: DASHBOARD_PASSWORD for role in Role}


def new_user(settings: Settings, role: Role) -> str:
    """A dashboard account of a test's own, named after its role (tests that change or lock
    an account must not share it): its name."""
    name = f"{role.value}-{uuid.uuid4().hex[:8]}"
    engine = create_engine(settings.database)
    try:
        with session_factory(engine)() as session, session.begin():
            access.create_user(session, name, role, DASHBOARD_PASSWORD)
    finally:
        engine.dispose()
    return name


# --- API keys --------------------------------------------------------------------------------

ApiHeaders = Callable[..., dict[str, str]]


@pytest.fixture(scope="session")
def api_headers(day_one: Settings) -> ApiHeaders:
    """`api_headers("lookup", "read")`: the Authorization header of a key with those scopes in
    the day-one database (one key per set of scopes, made on first use)."""
    made: dict[tuple[str, ...], dict[str, str]] = {}

    def headers(*scopes: str) -> dict[str, str]:
        if scopes not in made:
            made[scopes] = {"Authorization": f"Bearer {make_key(day_one, *scopes)}"}
        return made[scopes]

    return headers


def make_key(settings: Settings, *scopes: str, name: str | None = None) -> str:
    """A new API key's secret, created as `watchlist api-keys create` would."""
    engine = create_engine(settings.database)
    try:
        with session_factory(engine)() as session, session.begin():
            key_name = name or f"test-{'-'.join(scopes)}-{uuid.uuid4().hex[:6]}"
            _, secret = access.create_api_key(session, key_name, access.parse_scopes(scopes))
    finally:
        engine.dispose()
    return secret


# --- `watchlist serve` -----------------------------------------------------------------------

COMMAND = [sys.executable, "-c", "from web.cli import main; main()", "serve"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def environment(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHLIST_")}
    env.update(WATCHLIST_DATABASE_URL=settings.database.url, WATCHLIST_CONFIG="")
    return env | extra


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, object]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def wait_ready(port: int, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        try:
            if get(port, "/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not become ready")


Serve = Callable[..., int]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    """Start `watchlist serve` on a free loopback port with extra settings; its port."""
    running: list[subprocess.Popen[str]] = []

    def start(settings: Settings, *, workers: int = 1, threads: int = 2, **extra: str) -> int:
        port = free_port()
        env = environment(settings, WATCHLIST_WEB_SECRET_KEY=TEST_SECRET, HOME=str(tmp_path),
                          **extra)  # fmt: skip
        args = [*COMMAND, "--port", str(port), "--workers", str(workers),
                "--threads", str(threads)]  # fmt: skip
        # The log goes to a file: a pipe nobody reads would fill up and stall the server.
        log = (tmp_path / f"serve-{port}.log").open("w")
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=log, text=True)  # fmt: skip
        log.close()
        running.append(process)
        wait_ready(port, process)
        return port

    yield start
    for process in running:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
