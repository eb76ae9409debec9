"""Prometheus metrics at /metrics (`web.metrics`): requests, latencies, lookups and screens,
match index builds and list state from each web process; scan runs, hits and the registry's
list state from the database, read when the scrape comes.

Under `watchlist serve` each worker writes its figures to files in a directory the server
makes for itself (PROMETHEUS_MULTIPROC_DIR, see web/server.py) and removes when it stops; a
scrape, whichever worker answers it, adds up every worker's files. prometheus_client chooses
between those files and memory when it is first imported, so this module imports it only
where it is needed, and the figures are made on first use: in a worker, after the fork, never
in the master. The nightly scan is a process of its own that pushes nothing: what it leaves in
the database is what /metrics reports of it.

Who may read: anyone who reaches the service, unless `web.metrics_token` is set; then a scrape
sends it as a bearer token.
"""

from __future__ import annotations

import dataclasses
import hmac
import os
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from flask import Flask, Response, current_app, g, request
from sqlalchemy.orm import Session, sessionmaker

from watchlist.db import translate_errors
from watchlist.errors import DatabaseError
from watchlist.models import RunStatus
from watchlist.review import counts as hit_counts
from watchlist.scan import batches
from watchlist.screening.matchers import list_state
from watchlist.timestamps import utc
from web.errors import json_error

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
    from prometheus_client.metrics_core import Metric

    from web.state import WebState  # which holds this module's Metrics

MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNROUTED = "unrouted"  # requests for an address no route serves (the 404s), as one endpoint
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
BUILD_BUCKETS = (0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 40.0, 80.0, 160.0, 320.0)


def multiprocess_directory() -> str | None:
    """The directory the worker processes share their figures in, when there is one."""
    return os.environ.get(MULTIPROCESS_VARIABLE) or None


@dataclasses.dataclass(frozen=True)
class Meters:
    """The figures one process keeps."""

    registry: CollectorRegistry | None  # None: the figures live in the shared directory
    requests: Counter
    latency: Histogram
    screenings: Counter
    index_builds: Histogram
    index_list_state: Gauge

    @classmethod
    def create(cls) -> Meters:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        registry = None if multiprocess_directory() else CollectorRegistry(auto_describe=True)
        return cls(
            registry=registry,
            requests=Counter(
                "watchlist_http_requests", "HTTP requests answered, by endpoint and status.",
                ["endpoint", "method", "status"], registry=registry,
            ),
            latency=Histogram(
                "watchlist_http_request_duration_seconds",
                "Time from a request's arrival in the application to its answer.",
                ["endpoint", "method"], buckets=LATENCY_BUCKETS, registry=registry,
            ),
            screenings=Counter(
                "watchlist_screenings",
                "Names looked up (kind=lookup) and texts screened (kind=screen) through the "
                "REST API, as the screening audit log records them.",
                ["kind"], registry=registry,
            ),
            index_builds=Histogram(
                "watchlist_index_build_seconds",
                "Time to build a worker's match index (at start and after each list change).",
                buckets=BUILD_BUCKETS, registry=registry,
            ),
            index_list_state=Gauge(
                "watchlist_index_list_state",
                "The list state of the oldest match index a live worker holds (0: a worker "
                "has none yet).",
                registry=registry, multiprocess_mode="livemin",
            ),
        )  # fmt: skip


class Metrics:
    """A process's meters, made on first use (so in a worker, after the fork); when metrics
    are off (`web.metrics`), nothing is counted."""

    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._lock = threading.Lock()
        self._meters: Meters | None = None

    @property
    def meters(self) -> Meters:
        if self._meters is None:
            with self._lock:
                if self._meters is None:
                    self._meters = Meters.create()
        return self._meters

    def index_built(self, seconds: float, built_from: int) -> None:
        """`MatcherCache`'s report of one match index build."""
        if not self.enabled:
            return
        self.meters.index_builds.observe(seconds)
        self.meters.index_list_state.set(built_from)

    def screened(self, kind: str) -> None:
        """One name looked up or text screened, as recorded in the audit log."""
        if not self.enabled:
            return
        self.meters.screenings.labels(kind).inc()


def install(app: Flask) -> None:
    """Time and count every request of the app, and serve /metrics (when `web.metrics`)."""
    app.before_request(_start_clock)
    app.after_request(_count_request)
    app.add_url_rule("/metrics", endpoint="metrics", view_func=metrics_page, methods=["GET"])


def _state() -> WebState:
    found: WebState = current_app.extensions["watchlist"]
    return found


def _start_clock() -> None:
    g.metrics_started = time.perf_counter()


def _count_request(response: Response) -> Response:
    meters = _state().metrics.meters
    rule = request.url_rule
    endpoint = rule.rule if rule is not None else UNROUTED
    method = request.method if request.method in METHODS else "other"
    meters.requests.labels(endpoint, method, str(response.status_code)).inc()
    started: float | None = g.get("metrics_started")
    if started is not None:
        meters.latency.labels(endpoint, method).observe(time.perf_counter() - started)
    return response


def metrics_page() -> Response:
    """Every figure, in Prometheus' text format (or OpenMetrics, when the scraper asks)."""
    from prometheus_client import CollectorRegistry
    from prometheus_client.exposition import choose_encoder
    from prometheus_client.multiprocess import MultiProcessCollector

    web = _state()
    if not _token_given(web.settings.web.metrics_token):
        message = "Reading /metrics needs the metrics token (web.metrics_token) as a bearer token."
        return json_error(401, "unauthorized", message)
    registry = CollectorRegistry(auto_describe=False)
    directory = multiprocess_directory()
    if directory is not None:
        MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Process(web.metrics.meters))
    registry.register(DatabaseFigures(web.sessions))
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return Response(encode(registry), content_type=content_type)


def _token_given(token: str) -> bool:
    """Whether the scrape sent the metrics token (always, when there is none)."""
    if not token:
        return True
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(secret.strip(), token)


class _Process:
    """This process's meters, when they are kept in memory (no shared directory)."""

    def __init__(self, meters: Meters) -> None:
        self._meters = meters

    def collect(self) -> Iterator[Metric]:
        if self._meters.registry is not None:
            yield from self._meters.registry.collect()


class DatabaseFigures:
    """Scan runs by outcome, hits by status and the list state, read from the database at
    scrape time; `watchlist_database_up` is 0 (and the rest left out) when it cannot be read."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def collect(self) -> Iterator[Metric]:
        from prometheus_client.core import GaugeMetricFamily

        up = GaugeMetricFamily(
            "watchlist_database_up", "1 when the database answered this scrape, else 0."
        )
        try:
            with translate_errors(), self._sessions() as session:
                figures = list(_database_figures(session))
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from figures


def _database_figures(session: Session) -> Iterator[Metric]:
    from prometheus_client.core import GaugeMetricFamily

    state_now = GaugeMetricFamily(
        "watchlist_list_state",
        "The registry's list state (the newest list version that changed it).",
    )
    state_now.add_metric([], list_state(session))
    yield state_now
    runs = GaugeMetricFamily(
        "watchlist_scan_runs", "Scan runs recorded, by outcome.", labels=["status"]
    )
    last = GaugeMetricFamily(
        "watchlist_scan_last_finished_timestamp_seconds",
        "When the newest scan run of each outcome finished (Unix time).",
        labels=["status"],
    )
    counts = {status: 0 for status in RunStatus}
    for outcome in batches.scan_run_outcomes(session):
        counts[outcome.status] = outcome.runs
        if outcome.last_finished is not None:
            last.add_metric([outcome.status.value], utc(outcome.last_finished).timestamp())
    for status, count in counts.items():
        runs.add_metric([status.value], count)
    yield runs
    yield last
    hits = GaugeMetricFamily(
        "watchlist_hits", "Hits recorded, by review status.", labels=["status"]
    )
    for hit_status, hits_held in hit_counts.status_counts(session).items():
        hits.add_metric([hit_status.value], hits_held)
    yield hits
