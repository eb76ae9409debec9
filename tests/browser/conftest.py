"""Browser fixtures: the dashboard served over real HTTP on loopback, driven by real headless
Chromium (Debian's `chromium` and `chromium-driver`, through Selenium).

The tests skip, saying why, only when no Chromium is installed; `.ci/run` installs it.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server

from tests.conftest import ROOT, fresh_database
from tests.web.conftest import DASHBOARD_PASSWORD, load_day_one, web_settings
from watchlist import access
from watchlist.config import Settings
from watchlist.db import create_engine, session_factory
from watchlist.models import Role
from web import create_app

ARTIFACTS = ROOT / "var/test-artifacts"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
DRIVERS = ("chromedriver", "/usr/lib/chromium/chromedriver")


def _find(names: tuple[str, ...]) -> str | None:
    for name in names:
        found = shutil.which(name) or (name if Path(name).is_file() else None)
        if found:
            return found
    return None


@dataclass(frozen=True)
class Site:
    url: str
    settings: Settings


@pytest.fixture(scope="session")
def browser_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A day-one database of its own, with an analyst account."""
    with fresh_database(tmp_path_factory.mktemp("browser")) as url:
        settings = web_settings(url)
        load_day_one(settings)
        engine = create_engine(settings.database)
        with session_factory(engine)() as session, session.begin():
            access.create_user(session, "analyst", Role.ANALYST, DASHBOARD_PASSWORD)
        engine.dispose()
        yield settings


@pytest.fixture(scope="session")
def site(browser_settings: Settings) -> Iterator[Site]:
    """The app served by a real HTTP server in a thread, on a free loopback port."""
    app: Flask = create_app(browser_settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_port}", browser_settings)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["watchlist"].engine.dispose()


@pytest.fixture(scope="session")
def chromium() -> Iterator[webdriver.Chrome]:
    """Headless Chromium, 1280 px wide."""
    binary, driver = _find(BROWSERS), _find(DRIVERS)
    if binary is None or driver is None:
        pytest.skip("no Chromium with chromedriver installed (apt-get install chromium "
                    "chromium-driver; .ci/run does it)")  # fmt: skip
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1280,1000", "--lang=en-GB"):  # fmt: skip
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(driver), options=options)
    browser.implicitly_wait(5)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
