"""A bounded stress test on loopback: lookups keep their latency while adversarial screen
requests (long texts of capitalised words) and slow clients run against `watchlist serve`."""

from __future__ import annotations

import http.client
import json
import random
import statistics
import threading
import time

import pytest

from tests.web.conftest import Serve, make_key
from tests.web.test_serve_clients import lookup_seconds, trickle
from watchlist.config import Settings

pytestmark = pytest.mark.slow

LOOKUPS = 150
SCREENERS = 4
SLOW_CLIENTS = 16
BUDGET_SECONDS = 3


def adversarial_text(size: int = 200_000) -> str:
    """Repeated capitalised words: the text that made one screen request stall the service."""
    words = ["Alpha", "Bravo", "Charlie", "Delta", "Ivanov", "Petrov", "Kim", "Ali", "Hassan"]
    chooser = random.Random(19)
    text = ""
    while len(text) < size - 10:
        text += chooser.choice(words) + " "
    return text[: size - 1]


def percentiles(port: int, key: str) -> tuple[float, float]:
    """p50 and p99 of sequential lookups, in seconds."""
    times = sorted(lookup_seconds(port, key) for _ in range(LOOKUPS))
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def screen_until(port: int, key: str, stop: threading.Event, statuses: list[int]) -> None:
    body = json.dumps({"text": adversarial_text()})
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    while not stop.is_set():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("POST", "/api/v1/screen", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
        connection.close()


def test_lookups_keep_their_latency_under_adversarial_load(serve: Serve, day_one: Settings) -> None:
    port = serve(day_one, workers=2, threads=2, WATCHLIST_WEB_REQUEST_READ_SECONDS="5",
                 WATCHLIST_WEB_REQUEST_BUDGET_SECONDS=str(BUDGET_SECONDS))  # fmt: skip
    lookup_key, screen_key = make_key(day_one, "lookup"), make_key(day_one, "screen")
    percentiles(port, lookup_key)  # warm up both workers
    quiet = percentiles(port, lookup_key)

    stop, statuses, answers = threading.Event(), [], []
    attackers = [
        threading.Thread(target=screen_until, args=(port, screen_key, stop, statuses))
        for _ in range(SCREENERS)
    ] + [threading.Thread(target=trickle, args=(port, stop, answers)) for _ in range(SLOW_CLIENTS)]
    for attacker in attackers:
        attacker.start()
    try:
        time.sleep(1)  # screens under way, slow clients connected
        loaded = percentiles(port, lookup_key)
    finally:
        stop.set()
        for attacker in attackers:
            attacker.join(timeout=60)
    print(f"\nlookup p50/p99 without load: {quiet[0] * 1000:.1f}/{quiet[1] * 1000:.1f} ms; "
          f"with {SCREENERS} adversarial screens and {SLOW_CLIENTS} slow clients: "
          f"{loaded[0] * 1000:.1f}/{loaded[1] * 1000:.1f} ms; screen answers "
          f"{sorted(set(statuses))}, slow clients {sorted(set(answers))}")  # fmt: skip
    assert loaded[1] < max(3 * quiet[1], quiet[1] + 0.25), (quiet, loaded)
    assert statuses and set(statuses) <= {200, 503}
    assert set(answers) <= {408, 0}
