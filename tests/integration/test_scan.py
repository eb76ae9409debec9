"""The scan job on a real database: designation day, kill and rerun, locks, workers, notices."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine

from tests.conftest import POSTGRES_URL, ROOT, RunCli
from tests.loopback import Site, serve
from watchlist import locks
from watchlist.articles.store import ArticleInput, add_article
from watchlist.config import load_settings
from watchlist.db import session_factory
from watchlist.extract.screen import screen_text
from watchlist.models import Article, Entity, Hit, HitStatus, ScanRun
from watchlist.screening.matchers import build_matcher
from watchlist.timestamps import RFC3339_PATTERN

HISTORY = ROOT / "data/ofac/sdn_legacy_csv_history"
SEEDS = ROOT / "tests/fixtures/articles"
MENTION = "Ashot Mkrtychev, a Slovak citizen, brokered arms talks, officials in Bratislava said."


def store(engine: Engine, texts: list[str]) -> None:
    """Articles stored but not yet screened (as a feed fetch without screening leaves them)."""
    settings = load_settings({})
    with session_factory(engine).begin() as session:
        for text in texts:
            add_article(session, ArticleInput(text=text), settings.intake)


def count(engine: Engine, query: sa.Select[tuple[int]]) -> int:
    with engine.connect() as connection:
        return connection.scalar(query) or 0


def hits_on(engine: Engine, source_key: str) -> int:
    query = (
        sa.select(sa.func.count())
        .select_from(Hit)
        .join(Entity)
        .where(Entity.source_key == source_key)
    )
    return count(engine, query)


@pytest.fixture
def march_28(run_cli: RunCli, migrated: Engine) -> Engine:
    result = run_cli("lists", "import", "ofac-csv", str(HISTORY / "sdn_2023-03-28.csv.gz"),
                     "--published", "2023-03-28")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return migrated


def test_new_designation_surfaces_past_mentions(run_cli: RunCli, march_28: Engine) -> None:
    stored = run_cli("articles", "add", "-", input=MENTION)
    assert stored.exit_code == 0 and "0 new hits" in stored.output
    assert hits_on(march_28, "41736") == 0
    designated = run_cli("lists", "import", "ofac-csv", str(HISTORY / "sdn_2023-03-30.csv.gz"),
                         "--published", "2023-03-30")  # fmt: skip
    assert designated.exit_code == 0
    result = run_cli("scan", "--no-fetch-feeds", "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.output)
    assert summary["run"]["articles_rescreened"] == 1
    assert summary["run"]["new_hits"] == 1
    assert [line["entity"] for line in summary["new_hits_by_entity"]] == ["MKRTYCHEV, Ashot"]
    assert hits_on(march_28, "41736") == 1
    again = json.loads(run_cli("scan", "--no-fetch-feeds", "--json").output)
    assert again["run"]["articles_screened"] + again["run"]["articles_rescreened"] == 0


def test_json_output_writes_every_time_in_utc_with_z(run_cli: RunCli, migrated: Engine) -> None:
    """SQLite gives stored times back without a zone, the job's own with one: the output
    writes both one way, RFC 3339 with Z (`2026-12-05T16:01:28Z`)."""
    run_cli("seed")
    assert "1 new hit" in run_cli("articles", "add", "-", input=MENTION).output
    scanned = run_cli("scan", "--no-fetch-feeds", "--json")
    assert scanned.exit_code == 0, scanned.stderr
    run = json.loads(scanned.output)["run"]
    listed = [json.loads(line) for line in run_cli("runs", "list", "--json").output.splitlines()]
    hits = [json.loads(line) for line in run_cli("hits", "list", "--json").output.splitlines()]
    sources = json.loads(run_cli("lists", "status", "--json").output)
    times = [run["started_at"], run["finished_at"], hits[0]["created_at"]]
    times += [listed[0]["started_at"], listed[0]["finished_at"], sources[0]["last_update"]]
    for moment in times:
        assert re.fullmatch(RFC3339_PATTERN, moment), moment
    assert listed[0]["started_at"] == run["started_at"]


def test_delisted_entities_open_hits_are_marked(run_cli: RunCli, march_28: Engine) -> None:
    # SMILEWALLET B.V. (26464) is listed on 2023-03-28 and delisted on 2023-03-30.
    run_cli("articles", "add", "-", input="Payments went through Smilewallet B.V. in Amsterdam.")
    assert hits_on(march_28, "26464") == 1
    run_cli("lists", "import", "ofac-csv", str(HISTORY / "sdn_2023-03-30.csv.gz"))
    summary = json.loads(run_cli("scan", "--no-fetch-feeds", "--json").output)
    assert summary["run"]["delisted_hits"] == 1
    status = count(march_28, sa.select(sa.func.count()).where(Hit.status == HitStatus.DELISTED))
    assert status == 1


def corpus(size: int = 150) -> list[str]:
    base = [(SEEDS / f"article-{n}.txt").read_text() for n in range(1, 6)]
    return [
        f"Dispatch {i}.\n\n{base[i % 5]}\n\nFiled as item {i} of the night." for i in range(size)
    ]


def reference_hits(engine: Engine, texts: list[str]) -> int:
    """How many hits screening each text once, in this process, gives."""
    with session_factory(engine)() as session:
        matcher = build_matcher(session, load_settings({}).matching)
    return sum(len(screen_text(text, matcher)) for text in texts)


def test_a_killed_scan_reruns_to_exactly_one_screening(
    run_cli: RunCli, march_28: Engine, database_url: str
) -> None:
    run_cli("lists", "import", "ofac-csv", str(HISTORY / "sdn_2023-03-30.csv.gz"))
    store(march_28, corpus())
    env = {**os.environ, "WATCHLIST_DATABASE_URL": database_url, "WATCHLIST_CONFIG": ""}
    process = subprocess.Popen(
        [sys.executable, "-c", "from watchlist.cli import main; main()", "scan",
         "--no-fetch-feeds", "--batch-size", "5"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    screened = sa.select(sa.func.count()).where(Article.screened_state.is_not(None))
    deadline = time.monotonic() + 60
    while count(march_28, screened) < 10 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the scan finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    partly = count(march_28, screened)
    assert 10 <= partly < 150
    rerun = run_cli("scan", "--no-fetch-feeds", "--json")
    assert rerun.exit_code == 0, rerun.stderr
    summary = json.loads(rerun.output)
    assert summary["run"]["articles_screened"] == 150 - partly
    assert count(march_28, screened) == 150
    distinct = sa.select(Hit.mention_id, Hit.entity_id).distinct().subquery()
    pairs = sa.select(sa.func.count()).select_from(distinct)
    total = count(march_28, sa.select(sa.func.count()).select_from(Hit))
    assert total == count(march_28, pairs) == reference_hits(march_28, corpus())
    with session_factory(march_28)() as session:
        runs = {run.status.value for run in session.scalars(sa.select(ScanRun))}
    assert runs == {"failed", "succeeded"}  # the killed run is closed as interrupted


def test_a_second_scan_is_refused_while_one_runs(run_cli: RunCli, migrated: Engine) -> None:
    with locks.exclusive(migrated, "scan", what="scan"):
        result = run_cli("scan", "--no-fetch-feeds")
    assert result.exit_code == 73
    assert "Another scan is running" in result.stderr


@pytest.mark.postgres_only
def test_two_workers_share_the_work(run_cli: RunCli, march_28: Engine) -> None:
    run_cli("lists", "import", "ofac-csv", str(HISTORY / "sdn_2023-03-30.csv.gz"))
    store(march_28, corpus()[:60])
    result = run_cli("scan", "--no-fetch-feeds", "--workers", "2", "--batch-size", "5", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.output)["run"]["articles_screened"] == 60
    total = count(march_28, sa.select(sa.func.count()).select_from(Hit))
    assert total == reference_hits(march_28, corpus()[:60])


def test_workers_need_postgresql(run_cli: RunCli, migrated: Engine) -> None:
    if POSTGRES_URL:
        pytest.skip("this checks the SQLite refusal")
    result = run_cli("scan", "--workers", "2")
    assert result.exit_code == 78 and "needs PostgreSQL" in result.stderr


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.messages.append(envelope.content)  # type: ignore[attr-defined]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def test_new_hits_are_mailed_and_posted_signed(
    run_cli: RunCli, march_28: Engine, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    store(march_28, [MENTION])
    with serve(Site()) as site:
        env = {
            "WATCHLIST_NOTIFY_SMTP_HOST": "127.0.0.1",
            "WATCHLIST_NOTIFY_SMTP_PORT": str(port),
            "WATCHLIST_NOTIFY_MAIL_TO": "analysts@example.org",
            "WATCHLIST_NOTIFY_WEBHOOK_URL": site.url("/hook"),
            "WATCHLIST_NOTIFY_WEBHOOK_SECRET": "s3cret",
        }
        run_cli("lists", "import", "ofac-csv", str(HISTORY / "sdn_2023-03-30.csv.gz"))
        result = run_cli("scan", "--no-fetch-feeds", env=env)
    assert result.exit_code == 0, result.stderr
    (mail,) = handler.messages
    assert b"MKRTYCHEV, Ashot" in mail and b"analysts@example.org" in mail
    ((path, headers, body),) = site.posts
    assert path == "/hook"
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Watchlist-Signature"] == expected
    assert json.loads(body)["new_hits_by_entity"][0]["entity"] == "MKRTYCHEV, Ashot"


def scan_process(database_url: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "WATCHLIST_DATABASE_URL": database_url, "WATCHLIST_CONFIG": ""}
    return subprocess.Popen(
        [sys.executable, "-c", "from watchlist.cli import main; main()", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_a_killed_scans_counters_agree_with_its_articles(
    run_cli: RunCli, march_28: Engine, database_url: str
) -> None:
    """A batch is one transaction: the articles it screened and the run's counters are
    committed together, or neither is."""
    store(march_28, corpus(300))
    process = scan_process(database_url, "scan", "--no-fetch-feeds", "--batch-size", "25")
    screened = sa.select(sa.func.count()).where(Article.screened_state.is_not(None))
    deadline = time.monotonic() + 60
    while count(march_28, screened) == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the scan finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    with session_factory(march_28)() as session:
        run = session.scalars(sa.select(ScanRun)).one()
        counted = run.articles_screened + run.articles_rescreened + run.errors
    assert counted == count(march_28, screened) > 0


def test_a_scan_beside_an_import_waits_for_it(
    run_cli: RunCli, march_28: Engine, database_url: str
) -> None:
    """On SQLite one writer at a time: a scan that meets an import waits for it (the busy
    timeout), and what it cannot wait for is recorded, in one line, never a traceback."""
    store(march_28, corpus(450))
    for attempt in range(3):
        source = HISTORY / (
            "sdn_2023-03-30.csv.gz" if attempt % 2 == 0 else "sdn_2023-03-28.csv.gz"
        )
        importing = scan_process(database_url, "lists", "import", "ofac-csv", str(source))
        scanning = scan_process(database_url, "scan", "--no-fetch-feeds", "--batch-size", "1")
        _, import_errors = importing.communicate(timeout=120)
        output, errors = scanning.communicate(timeout=120)
        assert importing.returncode == 0, import_errors
        assert scanning.returncode in (0, 4), errors
        assert "Traceback" not in errors and "[SQL:" not in errors + output
        assert all(len(line) < 300 for line in errors.splitlines())
