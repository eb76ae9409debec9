"""/metrics: Prometheus figures added up over gunicorn's workers, and the figures the nightly
scan leaves in the database, read at scrape time."""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.client
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import ROOT
from tests.web.conftest import (
    COMMAND,
    TEST_SECRET,
    ApiHeaders,
    environment,
    free_port,
    wait_ready,
)
from watchlist.config import Settings
from watchlist.db import create_engine, session_factory
from watchlist.models import Hit, RunStatus, ScanRun
from web import create_app

Figures = dict[tuple[str, frozenset[tuple[str, str]]], float]


def figures(text: str) -> Figures:
    """Every sample of a scrape: (name, labels) -> value."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def figure(found: Figures, name: str, **labels: str) -> float | None:
    return found.get((name, frozenset(labels.items())))


def scrape(port: int, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    """GET /metrics on a connection of its own: status, content type, body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/metrics", headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    finally:
        connection.close()


def get_status(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def add_scan_runs(settings: Settings, *runs: tuple[RunStatus, dt.datetime | None]) -> None:
    engine = create_engine(settings.database)
    try:
        with session_factory(engine)() as session, session.begin():
            for status, finished in runs:
                session.add(ScanRun(status=status, finished_at=finished))
    finally:
        engine.dispose()


@dataclasses.dataclass
class Running:
    port: int
    process: subprocess.Popen[str]
    scratch: Path  # the server's TMPDIR

    def stop(self) -> tuple[str, str]:
        self.process.send_signal(signal.SIGTERM)
        out, err = self.process.communicate(timeout=60)
        return out, err

    def metrics_directories(self) -> list[Path]:
        return sorted(self.scratch.glob("watchlist-metrics-*"))


StartServer = Callable[..., Running]


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[StartServer]:
    """`start(settings, *args, **env)`: `watchlist serve` with 2 workers on loopback."""
    started: list[Running] = []

    def start(settings: Settings, *args: str, **extra: str) -> Running:
        port = free_port()
        scratch = tmp_path / f"tmp-{port}"
        scratch.mkdir()
        env = environment(settings, WATCHLIST_WEB_SECRET_KEY=TEST_SECRET, HOME=str(tmp_path),
                          TMPDIR=str(scratch), **extra)  # fmt: skip
        command = [*COMMAND, "--port", str(port), "--workers", "2", "--threads", "2", *args]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)  # fmt: skip
        running = Running(port, process, scratch)
        started.append(running)
        wait_ready(port, process)
        return running

    yield start
    for running in started:
        if running.process.poll() is None:
            running.stop()


def wait_for_both_indexes(port: int, seconds: float = 90) -> Figures:
    """Scrape until both workers' index builds are counted (each builds one as it starts)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = figures(scrape(port)[2])
        if figure(found, "watchlist_index_build_seconds_count") == 2:
            return found
        time.sleep(0.5)
    raise AssertionError("the two workers' index builds never showed in /metrics")


def test_metrics_add_up_every_worker_and_read_scans_from_the_database(
    start_server: StartServer, empty_settings: Settings
) -> None:
    finished = dt.datetime(2026, 12, 4, 2, 30, tzinfo=dt.UTC)
    add_scan_runs(
        empty_settings,
        (RunStatus.SUCCEEDED, finished - dt.timedelta(days=1)),
        (RunStatus.SUCCEEDED, finished),
        (RunStatus.FAILED, finished - dt.timedelta(hours=3)),
    )
    server = start_server(empty_settings)
    assert len(server.metrics_directories()) == 1  # the server's own, in its TMPDIR
    wait_for_both_indexes(server.port)
    for _ in range(10):
        assert get_status(server.port, "/healthz") == 200
    assert get_status(server.port, "/no/such/page") == 404

    status, content_type, body = scrape(server.port)
    assert status == 200 and content_type.startswith("text/plain; version=")
    found = figures(body)
    requests = "watchlist_http_requests_total"
    assert figure(found, requests, endpoint="/healthz", method="GET", status="200") == 10
    assert figure(found, requests, endpoint="unrouted", method="GET", status="404") == 1
    latency = "watchlist_http_request_duration_seconds_count"
    assert figure(found, latency, endpoint="/healthz", method="GET") == 10
    assert figure(found, "watchlist_index_list_state") == 0  # the empty registry's
    assert figure(found, "watchlist_database_up") == 1
    assert figure(found, "watchlist_scan_runs", status="succeeded") == 2
    assert figure(found, "watchlist_scan_runs", status="failed") == 1
    assert figure(found, "watchlist_scan_runs", status="running") == 0
    last = "watchlist_scan_last_finished_timestamp_seconds"
    assert figure(found, last, status="succeeded") == finished.timestamp()
    assert figure(found, "watchlist_hits", status="open") == 0

    # A scan that ends while the server runs shows in the next scrape, whichever worker answers.
    add_scan_runs(empty_settings, (RunStatus.PARTIAL, finished + dt.timedelta(days=1)))
    found = figures(scrape(server.port)[2])
    assert figure(found, "watchlist_scan_runs", status="partial") == 1
    assert (figure(found, requests, endpoint="/metrics", method="GET", status="200") or 0) >= 1

    server.stop()
    assert server.metrics_directories() == []  # removed when the server stops


def test_a_worker_that_dies_leaves_its_live_figures_behind(
    start_server: StartServer, empty_settings: Settings
) -> None:
    server = start_server(empty_settings)
    wait_for_both_indexes(server.port)
    [directory] = server.metrics_directories()
    live = sorted(directory.glob("gauge_livemin_*.db"))
    assert len(live) == 2  # each worker's index list state
    victim = int(live[0].stem.rsplit("_", 1)[1])
    os.kill(victim, signal.SIGKILL)  # gunicorn starts another in its place
    deadline = time.monotonic() + 30
    while live[0].exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not live[0].exists()
    assert get_status(server.port, "/healthz") == 200


def test_json_logs_are_one_object_a_line_with_the_request_fields(
    start_server: StartServer, empty_settings: Settings
) -> None:
    server = start_server(empty_settings, "--access-log", WATCHLIST_LOG_FORMAT="json")
    assert get_status(server.port, "/healthz") == 200
    assert get_status(server.port, "/api/v1/lookup?name=Nobody") == 401
    assert get_status(server.port, "/no/such/page") == 404
    out, err = server.stop()

    assert out.splitlines() == [out.splitlines()[0]]  # the announcement only: no log on stdout
    lines = [json.loads(line) for line in err.splitlines()]  # every line is one object
    assert lines and all(isinstance(line, dict) for line in lines)
    for line in lines:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["timestamp"])
        assert line["level"] in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
        assert isinstance(line["logger"], str) and isinstance(line["message"], str)
    assert any(line["logger"] == "gunicorn.error" for line in lines)  # gunicorn's own lines
    access = {line["path"]: line for line in lines if line["logger"] == "gunicorn.access"}
    lookup = access["/api/v1/lookup"]
    assert (lookup["method"], lookup["status"], lookup["query"]) == ("GET", 401, "name=Nobody")
    assert access["/healthz"]["status"] == 200 and access["/no/such/page"]["status"] == 404
    assert lookup["remote_addr"] == "127.0.0.1" and lookup["duration_ms"] >= 0
    assert lookup["bytes"] > 0 and "user_agent" in lookup


# --- in process ------------------------------------------------------------------------------


def scrape_client(client: FlaskClient, headers: dict[str, str] | None = None) -> Figures:
    response = client.get("/metrics", headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    return figures(response.get_data(as_text=True))


def test_hits_by_status_and_lookups_are_counted(
    client: FlaskClient, api_headers: ApiHeaders, day_one: Settings
) -> None:
    before = figure(scrape_client(client), "watchlist_screenings_total", kind="lookup") or 0
    response = client.get("/api/v1/lookup?name=Sergei+Shoigu", headers=api_headers("lookup"))
    assert response.status_code == 200
    found = scrape_client(client)
    assert figure(found, "watchlist_screenings_total", kind="lookup") == before + 1
    engine = create_engine(day_one.database)
    try:
        with session_factory(engine)() as session:
            by_status = sa.select(Hit.status, sa.func.count()).group_by(Hit.status)
            held = {status: count for status, count in session.execute(by_status)}
    finally:
        engine.dispose()
    assert held  # the seed articles have hits
    for status, count in held.items():
        assert figure(found, "watchlist_hits", status=status.value) == count


def right_token() -> dict[str, str]:
    return {"Authorization": "Bearer a-long-random-scrape-token"}


def test_the_metrics_token_is_asked_for_when_set(day_one: Settings) -> None:
    web = dataclasses.replace(day_one.web, metrics_token="a-long-random-scrape-token")
    app = create_app(dataclasses.replace(day_one, web=web))
    try:
        client = app.test_client()
        refused = client.get("/metrics")
        assert refused.status_code == 401
        assert refused.get_json()["error"]["message"] == (
            "Reading /metrics needs the metrics token (web.metrics_token) as a bearer token."
        )
        assert refused.headers["X-Content-Type-Options"] == "nosniff"
        assert client.post("/metrics", headers=right_token()).status_code == 405
        wrong = {"Authorization": "Bearer not-the-token"}
        assert client.get("/metrics", headers=wrong).status_code == 401
        right = right_token()
        answer = client.get("/metrics", headers=right)
        assert answer.status_code == 200 and b"watchlist_database_up 1.0" in answer.data
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
    finally:
        app.extensions["watchlist"].engine.dispose()


def test_no_metrics_when_turned_off(day_one: Settings) -> None:
    web = dataclasses.replace(day_one.web, metrics=False)
    app = create_app(dataclasses.replace(day_one, web=web))
    try:
        assert app.test_client().get("/metrics").status_code == 404
    finally:
        app.extensions["watchlist"].engine.dispose()


def test_the_nightly_scan_logs_json_lines_too(empty_settings: Settings) -> None:
    env = environment(empty_settings, WATCHLIST_LOG_FORMAT="json")
    command = [*COMMAND[:-1], "scan"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert any(line["logger"] == "watchlist.scan" for line in lines)
    assert all(line["level"] and line["message"] is not None for line in lines)


def test_an_unknown_log_format_is_one_line_and_exit_78(empty_settings: Settings) -> None:
    env = environment(empty_settings, WATCHLIST_LOG_FORMAT="xml",
                      WATCHLIST_WEB_SECRET_KEY=TEST_SECRET)  # fmt: skip
    result = subprocess.run([*COMMAND, "--port", str(free_port())], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 78
    assert result.stderr.strip() == (
        "error: Configuration key log.format has an invalid value 'xml'; use text or json."
    )
