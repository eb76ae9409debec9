"""REST API speed: lookup latency and throughput over HTTP, beside the in-process lookup.

One SQLite database with the seed and the full OFAC SDN list. In the same run:

  in-process  Matcher.lookup on the index built from that database, for each query of the
              matching benchmark's deterministic mix (40% hits, 30% near misses, 30% misses),
              after one unmeasured pass over them (the steady state of a running service)
  HTTP        `watchlist serve` (gunicorn; workers and threads from the web settings, or
              --workers/--threads) on a free loopback port; after one unmeasured pass over
              the queries, for each client count (1, 2 and 4 by default) that many concurrent
              keep-alive clients (processes, http.client) each send GET /api/v1/lookup for
              their share of the same queries; every request is authenticated and written to
              the screening audit log, as in production

Reported per client count: p50/p99 latency and requests per second, beside in-process as
ratios. Clients and server share the machine's cores, so clients beyond the core count queue
for a core: their latency is mostly waiting. Targets on a 2-core machine: HTTP p99 <= 10 ms
and >= 500 lookups/s.

Run: make bench-api (or python -m benchmarks.api_speed [--clients 1,2,4] [--requests 4000]).
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
from collections.abc import Mapping, Sequence
from pathlib import Path

from benchmarks.common import ROOT, print_table
from benchmarks.matching_speed import SDN, WARM_UP, latency_stats, query_mix
from watchlist.config import load_settings
from watchlist.matching.model import Query

SECRET_KEY = "benchmark-only-secret-key-not-for-production"
P99_TARGET_MS = 10.0
RPS_TARGET = 500
READY_STREAK = 20  # consecutive fresh-connection /readyz 200s: every worker has its index


def build_database(folder: Path) -> tuple[str, str]:
    """A SQLite database with the seed and the SDN list, and an API key: (url, secret)."""
    from watchlist import access, migrate
    from watchlist.db import create_engine, session_factory
    from watchlist.lists import apply, updates
    from watchlist.models import Scope
    from watchlist.sources import formats

    url = f"sqlite:///{folder / 'bench.db'}"
    engine = create_engine(load_settings({"WATCHLIST_DATABASE_URL": url}).database)
    migrate.upgrade(engine)
    with session_factory(engine)() as session, session.begin():
        apply.load_seed(session, ROOT / "config/seed")
        list_file = formats.read_local("ofac-csv", SDN)
        updates.import_parsed(session, list_file, formats.parse(list_file))
        _key, secret = access.create_api_key(session, "bench", [Scope.LOOKUP])
    engine.dispose()
    return url, secret


def queries() -> list[str]:
    from watchlist.screening.records import records_from_list
    from watchlist.sources import formats

    records, _profiles = records_from_list(formats.parse(formats.read_local("ofac-csv", SDN)))
    return [query.text for query in query_mix(records)]


def in_process(url: str, texts: Sequence[str]) -> dict[str, float]:
    """Lookup latency in this process, on the index built from the database."""
    from watchlist.db import create_engine, session_factory
    from watchlist.screening.matchers import build_matcher

    settings = load_settings({"WATCHLIST_DATABASE_URL": url})
    engine = create_engine(settings.database)
    with session_factory(engine)() as session:
        matcher = build_matcher(session, settings.matching)
    engine.dispose()
    for text in [*WARM_UP, *texts]:  # steady state: the queries seen once, as over HTTP
        matcher.lookup(Query(text))
    latencies = []
    for text in texts:
        started = time.perf_counter_ns()
        matcher.lookup(Query(text))
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
    local: dict[str, float], runs: Mapping[int, dict[str, float]], server: str, ready_s: float
) -> None:
    local_rps = 1000 / local["mean"]
    rows = [
        ["in-process (1 thread, no HTTP)", _ms(local["p50"]), _ms(local["p99"]),
         f"{local_rps:,.0f}", "1.0x", "1.00x", "baseline"],
    ]  # fmt: skip
    for clients, measured in runs.items():
        met = measured["p99"] <= P99_TARGET_MS and measured["rps"] >= RPS_TARGET
        rows.append(
            [
                f"HTTP, {clients} client{'s' if clients > 1 else ''}",
                _ms(measured["p50"]),
                _ms(measured["p99"]),
                f"{measured['rps']:,.0f}",
                f"{measured['p99'] / local['p99']:.1f}x",
                f"{measured['rps'] / local_rps:.2f}x",
                "met" if met else _missed(measured),
            ]
        )
    title = (
        f"API lookup speed: HTTP (keep-alive clients, {server}, SQLite, audit log on) "
        "vs in-process Matcher.lookup, full SDN list"
    )
    headers = ["case", "p50", "p99", "lookups/s", "p99 / in-process",
               "throughput / in-process", "targets"]  # fmt: skip
    print_table(title, headers, rows)
    measured = sum(int(h["requests"]) for h in runs.values())
    errors = sum(int(h["errors"]) for h in runs.values())
    notes = [
        f"{measured:,} measured HTTP requests ({errors} not 200); "
        f"targets: p99 <= {P99_TARGET_MS:g} ms and >= {RPS_TARGET} lookups/s",
        f"workers ready (match index built in the background) {ready_s:.1f} s after start",
        "load average during the run (1/5/15 min): "
        + " / ".join(f"{load:.2f}" for load in os.getloadavg())
        + f" on {os.cpu_count()} cores (clients and server share them)",
    ]
    print("\n" + "\n".join(f"- {note}" for note in notes))


def _missed(measured: Mapping[str, float]) -> str:
    missed = []
    if measured["p99"] > P99_TARGET_MS:
        missed.append("p99 MISSED")
    if measured["rps"] < RPS_TARGET:
        missed.append("throughput MISSED")
    return ", ".join(missed)


def client_counts(text: str) -> list[int]:
    counts = [int(part) for part in text.split(",") if part.strip()]
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("give client counts such as 1,2,4")
    return counts


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clients", type=client_counts, default=[1, 2, 4],
        help="concurrent client counts to measure, one run each (default 1,2,4)",
    )  # fmt: skip
    parser.add_argument("--requests", type=int, default=4000, help="measured requests per run")
    parser.add_argument("--workers", type=int, default=None, help="default: the web settings")
    parser.add_argument("--threads", type=int, default=None, help="threads per worker")
    args = parser.parse_args(argv)
    web = load_settings({}).web
    workers = args.workers or web.workers
    threads = args.threads or web.threads
    with tempfile.TemporaryDirectory() as folder:
        print("building the database (seed + SDN) ...", file=sys.stderr, flush=True)
        url, secret = build_database(Path(folder))
        texts = queries()
        print("in-process lookups ...", file=sys.stderr, flush=True)
        local = in_process(url, texts)
        port = free_port()
        server = start_server(url, port, workers, threads)
        runs: dict[int, dict[str, float]] = {}
        try:
            ready_s = wait_ready(port, server)
            print("HTTP warm-up: every query once ...", file=sys.stderr, flush=True)
            over_http(port, secret, texts, max(args.clients), len(texts))
            for clients in args.clients:
                print(f"HTTP lookups, {clients} clients ...", file=sys.stderr, flush=True)
                runs[clients] = over_http(port, secret, texts, clients, args.requests)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(local, runs, f"{workers} workers x {threads} threads", ready_s)
    print(json.dumps({"in_process": local, "http": runs}), file=sys.stderr)


if __name__ == "__main__":
    main()
