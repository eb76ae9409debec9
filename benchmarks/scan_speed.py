"""Nightly scan speed: stored articles screened against the full OFAC SDN list, hits written.

Corpus: 10,000 generated wire-news articles of ~3 KB (1,000 with --quick), the deterministic
generator of benchmarks/screening_speed.py, each stored with a unique URL. Cases, each on a fresh
database:

  SQLite, 1 worker        run_scan in the measuring process
  PostgreSQL, 1 worker    the same on a throw-away schema
  PostgreSQL, 2 workers   run_scan's --workers 2 path: two spawned processes claiming batches
                          with FOR UPDATE SKIP LOCKED, each building its own matcher

For each case one child process migrates, imports the SDN list and stores the articles with
add_article (not timed); a second, fresh child process times run_scan only (no list update, no
feeds, batch size 100: start, matcher build, claim/screen/write batches, delisted hits, summary),
then checks that every article was screened and no hit is duplicated.

Run: make bench-scan (or python -m benchmarks.scan_speed [--quick]). --profile N prints
cProfile's top 15 functions of one run_scan over N articles on SQLite instead.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.common import (
    ROOT,
    fresh_database,
    peak_rss_mb,
    postgres_available,
    print_table,
    run_child,
)
from watchlist import migrate
from watchlist.articles.store import ArticleInput, add_article
from watchlist.config import Settings, load_settings
from watchlist.db import create_engine, session_factory
from watchlist.lists import jobs
from watchlist.models import Article, Hit, RunStatus
from watchlist.scan.job import ScanOptions, run_scan
from watchlist.sources import formats

MODULE = "benchmarks.scan_speed"
SDN = ROOT / "data/ofac/sdn_legacy_csv"
ARTICLES, QUICK_ARTICLES = 10_000, 1_000
BATCH_SIZE = 100
COMMIT_EVERY = 500
TARGET_SECONDS, TARGET_ARTICLES, TARGET_SPEEDUP = 60.0, 10_000, 1.7


@dataclass(frozen=True)
class Case:
    """One measured configuration."""

    key: str
    kind: str
    workers: int
    label: str


CASES = (
    Case("sqlite-1", "sqlite", 1, "SQLite, 1 worker"),
    Case("postgresql-1", "postgresql", 1, "PostgreSQL, 1 worker"),
    Case("postgresql-2", "postgresql", 2, "PostgreSQL, 2 workers"),
)


# --- child processes: setup (not timed) and the timed scan -----------------------------------


def _settings(url: str) -> Settings:
    return load_settings({"WATCHLIST_DATABASE_URL": url})


def _options(workers: int) -> ScanOptions:
    return ScanOptions(
        update_lists=False,
        fetch_feeds=False,
        rescreen_days=30,
        batch_size=BATCH_SIZE,
        workers=workers,
    )


def setup_database(url: str, articles: int) -> dict[str, float]:
    """Migrate, import the SDN list, store `articles` generated articles unscreened."""
    settings = _settings(url)
    engine = create_engine(settings.database)
    started = time.perf_counter()
    migrate.upgrade(engine)
    sessions = session_factory(engine)
    jobs.import_file(sessions, formats.read_local("ofac-csv", SDN), jobs.removal_guard(settings))
    imported = time.perf_counter()
    stored = store_articles(sessions, settings, generate_texts(articles))
    engine.dispose()
    if stored != articles:
        raise SystemExit(f"only {stored} of {articles} generated articles were new")
    finished = time.perf_counter()
    return {"import_s": imported - started, "store_s": finished - imported, "stored": stored}


def generate_texts(count: int) -> list[str]:
    """`count` wire-news articles from screening_speed's generator (fixed seed)."""
    from benchmarks.screening_speed import CORPUS_SEED, generate_article, listed_names, load_list

    listed = listed_names(*load_list())
    rng = random.Random(CORPUS_SEED)
    return [generate_article(listed, rng) for _ in range(count)]


def store_articles(sessions: sessionmaker[Session], settings: Settings, texts: list[str]) -> int:
    """Store the texts with add_article (headline as title, unique URL); how many were new."""
    new = 0
    for at in range(0, len(texts), COMMIT_EVERY):
        with sessions.begin() as session:
            for number, text in enumerate(texts[at : at + COMMIT_EVERY], start=at):
                item = ArticleInput(
                    text=text,
                    title=text.split("\n", 1)[0],
                    url=f"https://news.example.com/wire/{number:06d}",
                )
                new += add_article(session, item, settings.intake)[1]
    return new


def scan_database(url: str, workers: int, articles: int) -> dict[str, float]:
    """Time run_scan on a prepared database, then check what it wrote."""
    settings = _settings(url)
    engine = create_engine(settings.database)
    started = time.perf_counter()
    result = run_scan(engine, settings, _options(workers))
    seconds = time.perf_counter() - started
    peak_mb = peak_rss_mb()
    workers_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    run = result.run
    stored = check_database(engine, articles)
    if run.status != RunStatus.SUCCEEDED or run.errors or run.articles_screened != articles:
        raise SystemExit(
            f"scan run {run.status.value}: {run.articles_screened} screened, "
            f"{run.errors} errors, {run.error_text!r}"
        )
    if run.new_hits != stored:
        raise SystemExit(f"run counted {run.new_hits} new hits, the database holds {stored}")
    engine.dispose()
    return {
        "seconds": seconds,
        "articles": float(run.articles_screened),
        "new_hits": float(run.new_hits),
        "peak_mb": peak_mb,
        "workers_mb": workers_mb if workers > 1 else 0.0,
    }


def check_database(engine: Engine, articles: int) -> int:
    """Every article screened; hits == distinct (mention_id, entity_id). Returns the hits."""
    pairs = sa.select(Hit.mention_id, Hit.entity_id).distinct().subquery()
    with engine.connect() as connection:
        total = connection.scalar(sa.select(sa.func.count()).select_from(Article))
        unscreened = connection.scalar(
            sa.select(sa.func.count()).where(Article.screened_state.is_(None))
        )
        hits = connection.scalar(sa.select(sa.func.count()).select_from(Hit)) or 0
        distinct = connection.scalar(sa.select(sa.func.count()).select_from(pairs))
    if total != articles:
        raise SystemExit(f"check failed: {total} articles stored, {articles} expected")
    if unscreened:
        raise SystemExit(f"check failed: {unscreened} of {total} articles have no screened_state")
    if hits != distinct:
        raise SystemExit(f"check failed: {hits} hits but {distinct} distinct (mention, entity)")
    return hits


def profile(articles: int) -> None:
    """cProfile's top 15 functions by cumulative time of one run_scan on SQLite."""
    import cProfile
    import pstats

    with tempfile.TemporaryDirectory() as folder, fresh_database("sqlite", Path(folder)) as url:
        setup_database(url, articles)
        settings = _settings(url)
        engine = create_engine(settings.database)
        profiler = cProfile.Profile()
        profiler.enable()
        run_scan(engine, settings, _options(1))
        profiler.disable()
        engine.dispose()
    print(f"run_scan over {articles:,} stored articles (SQLite, 1 worker, SDN list):")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)


# --- the parent: run the cases, print the table ----------------------------------------------


def measure(case: Case, folder: Path, articles: int) -> dict[str, float]:
    """Set up a fresh database in one child, time the scan in another."""
    with fresh_database(case.kind, folder) as url:
        print(f"{case.label}: setup ...", file=sys.stderr, flush=True)
        setup = run_child(MODULE, ["--setup", "--url", url, "--articles", str(articles)])
        print(f"{case.label}: scan ...", file=sys.stderr, flush=True)
        args = ["--scan", "--url", url, "--articles", str(articles), "--workers"]
        return run_child(MODULE, [*args, str(case.workers)]) | setup


def _rate(result: Mapping[str, float]) -> float:
    return result["articles"] / result["seconds"]


def report(results: Mapping[Case, dict[str, float]], articles: int) -> None:
    base = _rate(results[CASES[0]])
    rows = [
        [
            case.label,
            f"{int(r['articles']):,}",
            f"{r['seconds']:.1f}",
            f"{_rate(r):,.0f}",
            f"{int(r['new_hits']):,}",
            f"{r['peak_mb']:,.0f}"
            + (f" (+ {r['workers_mb']:,.0f} per worker)" if case.workers > 1 else ""),
            f"{_rate(r) / base:.2f}x",
        ]
        for case, r in results.items()
    ]
    headers = ["case", "articles", "seconds", "articles/s", "new hits", "peak RSS MB",
               "articles/s ÷ SQLite 1 worker"]  # fmt: skip
    title = f"Nightly scan: {articles:,} stored articles against the OFAC SDN list"
    print_table(title, headers, rows)
    print("\n" + "\n".join(f"- {note}" for note in notes(results, articles)))


def notes(results: Mapping[Case, dict[str, float]], articles: int) -> list[str]:
    lines = [
        "seconds: run_scan only (start, matcher build in every worker, claim, screen and write "
        f"batches of {BATCH_SIZE}, delisted hits, summary); migration, SDN import and storing "
        "the articles are not timed",
        "peak RSS: the process calling run_scan; with 2 workers the spawned workers' peak is "
        "given apart (each builds its own matcher)",
        "this machine has 2 cores: with 2 workers the two scan processes compete with the "
        "PostgreSQL server (and anything else running) for CPU, so the 2-worker speed-up is "
        "expected to stay below 2x here",
        "setup (not timed), SDN import / storing the articles: "
        + "; ".join(
            f"{case.label} {r['import_s']:.0f} s / {r['store_s']:.0f} s"
            for case, r in results.items()
        ),
    ]
    return lines + [targets(results, articles)]


def targets(results: Mapping[Case, dict[str, float]], articles: int) -> str:
    sqlite = results[CASES[0]]
    projected = sqlite["seconds"] * TARGET_ARTICLES / articles
    if articles == TARGET_ARTICLES:
        first = f"SQLite {projected:.1f} s: {'met' if projected <= TARGET_SECONDS else 'NOT met'}"
    else:
        first = f"SQLite projected {projected:.1f} s from {articles:,} articles (not a full run)"
    one, two = results.get(CASES[1]), results.get(CASES[2])
    if one is None or two is None:
        second = "PostgreSQL not available: speed-up not measured"
    else:
        speedup = _rate(two) / _rate(one)
        verdict = "met" if speedup >= TARGET_SPEEDUP else "NOT met"
        second = f"PostgreSQL 2 workers ÷ 1 worker {speedup:.2f}x: {verdict}"
    return (
        f"targets: {TARGET_ARTICLES:,} articles in ≤ {TARGET_SECONDS:.0f} s on SQLite, 2 workers "
        f"≥ {TARGET_SPEEDUP}x one worker on PostgreSQL — {first}; {second}"
    )


def inconsistent(results: Mapping[Case, dict[str, float]]) -> str | None:
    """The same corpus and list must give the same hits in every case: what differs, if any."""
    found = {case.label: int(r["new_hits"]) for case, r in results.items()}
    if len(set(found.values())) == 1:
        return None
    return "new hits differ between cases: " + ", ".join(f"{k} {v:,}" for k, v in found.items())


def source_digest() -> str:
    """A digest of the watchlist package's source: a run must not span a code change."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "watchlist").rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def commit() -> str:
    """The checked-out commit (read only), or `unknown`."""
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ARTICLES:,} articles")
    parser.add_argument("--profile", type=int, metavar="N", help="profile run_scan instead")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scan", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--articles", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup_database(args.url, args.articles)))
    elif args.scan:
        print(json.dumps(scan_database(args.url, args.workers, args.articles)))
    elif args.profile:
        profile(args.profile)
    else:
        run_all(QUICK_ARTICLES if args.quick else ARTICLES)


def run_all(articles: int) -> None:
    started, source, head = time.perf_counter(), source_digest(), commit()
    cases = CASES if postgres_available() else CASES[:1]
    with tempfile.TemporaryDirectory() as folder:
        results = {case: measure(case, Path(folder), articles) for case in cases}
    report(results, articles)
    print(f"\nCode: commit {head}, watchlist/ source digest {source}")
    print(f"Wall time: {time.perf_counter() - started:.0f} s")
    problem = inconsistent(results)
    if source_digest() != source:
        problem = "watchlist/ changed during the run: the cases measured different code"
    if problem is not None:
        raise SystemExit(f"\nchecks: FAILED: {problem}")
    print("\nchecks: ok (every article screened; hits == distinct (mention, entity) pairs; "
          "run counts match the database; the same hits in every case)")  # fmt: skip


if __name__ == "__main__":
    main()
