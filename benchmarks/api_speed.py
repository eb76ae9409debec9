"""REST API speed: lookup latency and throughput over HTTP, beside the in-process lookup.

One SQLite database with the seed and the full OFAC SDN list. In the same run:

  in-process  Matcher.lookup on the index built from that database, for each query of the
              matching benchmark's deterministic mix (40% hits, 30% near misses, 30% misses)
  HTTP        `watchlist serve` (gunicorn, 2 workers x 4 threads) on a free loopback port;
              N concurrent keep-alive clients (processes, http.client) each send
              GET /api/v1/lookup for their share of the same queries, after a warm-up; every
              request is authenticated and written to the screening audit log, as in production

Reported: p50/p99 latency and requests per second; HTTP beside in-process as a ratio.
Targets on a 2-core machine: HTTP p99 <= 10 ms and >= 500 lookups/s.

Run: make bench-api (or python -m benchmarks.api_speed [--clients 4] [--requests 4000]).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import ROOT, print_table
from benchmarks.matching_speed import SDN, WARM_UP, latency_stats, query_mix

SECRET_KEY = "benchmark-only-secret-key-not-for-production"
READY_STREAK = 20  # consecutive fresh-connection /readyz 200s: every worker has its index


def build_database(folder: Path) -> tuple[str, str]:
    """A SQLite database with the seed and the SDN list, and an API key: (url, secret)."""
    from watchlist import access, list_updates, lists, migrate
    from watchlist.config import load_settings
    from watchlist.db import create_engine, session_factory
    from watchlist.models import Scope
    from watchlist.sources import formats

    url = f"sqlite:///{folder / 'bench.db'}"
    engine = create_engine(load_settings({"WATCHLIST_DATABASE_URL": url}).database)
    migrate.upgrade(engine)
    with session_factory(engine)() as session, session.begin():
        lists.load_seed(session, ROOT / "config/seed")
        list_file = formats.read_local("ofac-csv", SDN)
        list_updates.import_parsed(session, list_file, formats.parse(list_file))
        _key, secret = access.create_api_key(session, "bench", [Scope.LOOKUP])
    engine.dispose()
    return url, secret


def queries() -> list[str]:
    from watchlist.lookup import records_from_list
    from watchlist.sources import formats

    records, _profiles = records_from_list(formats.parse(formats.read_local("ofac-csv", SDN)))
    return [query.text for query in query_mix(records)]


def in_process(url: str, texts: Sequence[str]) -> dict[str, float]:
    """Lookup latency in this process, on the index built from the database."""
    from watchlist.config import load_settings
    from watchlist.db import create_engine, session_factory
    from watchlist.lookup import build_matcher

    settings = load_settings({"WATCHLIST_DATABASE_URL": url})
    engine = create_engine(settings.database)
    with session_factory(engine)() as session:
        matcher = build_matcher(session, settings.matching)
    engine.dispose()
    for text in WARM_UP:
        matcher.lookup(text)
    latencies = []
    for text in texts:
        started = time.perf_counter_ns()
        matcher.lookup(text)
        latencies.append((time.perf_counter_ns() - started) / 1e6)
    return latency_stats("", latencies)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(url: str, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHLIST_")}
    env |= {"WATCHLIST_DATABASE_URL": url, "WATCHLIST_WEB_SECRET_KEY": SECRET_KEY,
            "WATCHLIST_CONFIG": "", "WATCHLIST_LOG_LEVEL": "WARNING"}  # fmt: skip
    command = [sys.executable, "-c", "from web.cli import main; main()", "serve"]
    command += ["--port", str(port), "--workers", str(workers), "--threads", str(threads)]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def wait_ready(port: int, server: subprocess.Popen[bytes], seconds: float = 180) -> float:
    started = time.monotonic()
    streak = 0
    while streak < READY_STREAK:
        if server.poll() is not None:
            raise SystemExit("the server stopped before it became ready")
        if time.monotonic() - started > seconds:
            raise SystemExit("the server did not become ready in time")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/readyz")
            ok = connection.getresponse().status == 200
            connection.close()
        except OSError:
            ok = False
        streak = streak + 1 if ok else 0
        if not ok:
            time.sleep(0.1)
    return time.monotonic() - started


def client(args: tuple[int, str, list[str], int]) -> tuple[list[float], int, float, float]:
    """One keep-alive client: warm up, then time each request; (latencies ms, errors, and
    the wall-clock start and end of the measured requests)."""
    port, secret, texts, warm_up = args
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {secret}"}
    paths = ["/api/v1/lookup?" + urllib.parse.urlencode({"name": t}) for t in texts]
    latencies, errors, begun = [], 0, 0.0
    for index, path in enumerate(paths[:warm_up] + paths):
        if index == warm_up:
            begun = time.time()
        started = time.perf_counter_ns()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        if index >= warm_up:
            latencies.append((time.perf_counter_ns() - started) / 1e6)
            errors += response.status != 200
    connection.close()
    return latencies, errors, begun, time.time()


def over_http(
    port: int, secret: str, texts: Sequence[str], clients: int, total: int
) -> dict[str, float]:
    """Latency and throughput of `clients` concurrent clients sending `total` lookups."""
    cycle = [texts[i % len(texts)] for i in range(total)]
    shares = [(port, secret, cycle[i::clients], 50) for i in range(clients)]
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        results = pool.map(client, shares)
    latencies = [value for found, *_ in results for value in found]
    # From the first measured request to the last (a client still warming up at the start
    # adds load that is not counted: the figure errs low).
    wall = max(end for *_, end in results) - min(begun for _, _, begun, _ in results)
    result = latency_stats("", latencies)
    result["requests"] = float(len(latencies))
    result["errors"] = float(sum(errors for _, errors, _, _ in results))
    result["rps"] = len(latencies) / wall
    result["wall_s"] = wall
    return result


def _ms(value: float) -> str:
    return f"{value:.2f} ms"


def report(
    local: dict[str, float], http: dict[str, float], clients: int, server: str, ready_s: float
) -> None:
    rows = [
        ["lookup p50", _ms(http["p50"]), _ms(local["p50"]), f"{http['p50'] / local['p50']:.1f}x"],
        ["lookup p99", _ms(http["p99"]), _ms(local["p99"]), f"{http['p99'] / local['p99']:.1f}x"],
        ["lookups per second", f"{http['rps']:,.0f}", f"{1000 / local['mean']:,.0f} (1 thread)",
         f"{http['rps'] / (1000 / local['mean']):.2f}x"],
    ]  # fmt: skip
    title = (
        f"API lookup speed: HTTP ({clients} keep-alive clients, {server}, "
        "SQLite, audit log on) vs in-process Matcher.lookup, full SDN list"
    )
    print_table(title, ["measure", "HTTP", "in-process", "HTTP / in-process"], rows)
    notes = [
        f"{int(http['requests']):,} measured HTTP requests ({int(http['errors'])} not 200) "
        f"in {http['wall_s']:.1f} s; targets: p99 <= 10 ms, >= 500 lookups/s",
        f"workers ready (match index built in the background) {ready_s:.1f} s after start",
        "load average during the run (1/5/15 min): "
        + " / ".join(f"{load:.2f}" for load in os.getloadavg())
        + " on 2 cores (clients and server share them)",
        f"HTTP p99 target {'met' if http['p99'] <= 10 else 'MISSED'}; "
        f"throughput target {'met' if http['rps'] >= 500 else 'MISSED'}",
    ]
    print("\n" + "\n".join(f"- {note}" for note in notes))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        print("building the database (seed + SDN) ...", file=sys.stderr, flush=True)
        url, secret = build_database(Path(folder))
        texts = queries()
        print("in-process lookups ...", file=sys.stderr, flush=True)
        local = in_process(url, texts)
        port = free_port()
        server = start_server(url, port, args.workers, args.threads)
        try:
            ready_s = wait_ready(port, server)
            print(f"HTTP lookups, {args.clients} clients ...", file=sys.stderr, flush=True)
            remote = over_http(port, secret, texts, args.clients, args.requests)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(local, remote, args.clients, f"{args.workers} workers x {args.threads} threads", ready_s)
    print(json.dumps({"in_process": local, "http": remote}), file=sys.stderr)


if __name__ == "__main__":
    main()
