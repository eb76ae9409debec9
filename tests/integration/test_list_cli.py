"""`watchlist lists …` as a user runs it: bad input, locks, kills and downloads over HTTP."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import Result
from sqlalchemy.engine import Engine

from tests.conftest import ROOT, RunCli
from tests.loopback import Site, serve
from watchlist import locks
from watchlist.models import Base

HISTORY = ROOT / "data/ofac/sdn_legacy_csv_history"
MARCH_30 = gzip.decompress((HISTORY / "sdn_2023-03-30.csv.gz").read_bytes())
SDN_2024 = ROOT / "data/ofac/sdn_legacy_csv"


def ofac_folder(main: bytes, *, companions: bool = True) -> dict[str, bytes]:
    """An OFAC CSV folder as served over HTTP: `main` as sdn.csv, with the shipped companion
    files (later than the history files: their rows for other entities are skipped)."""
    files = {"/ofac/sdn.csv": main}
    if companions:
        files["/ofac/add.csv"] = gzip.decompress((SDN_2024 / "add.csv.gz").read_bytes())
        files["/ofac/alt.csv"] = gzip.decompress((SDN_2024 / "alt.csv.gz").read_bytes())
        files["/ofac/sdn_comments.csv"] = (SDN_2024 / "sdn_comments.csv").read_bytes()
    return files


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0
            for name, table in Base.metadata.tables.items()
        }


def one_line_error(result: Result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, (result.output, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.stderr


@pytest.fixture
def seeded(run_cli: RunCli, migrated: Engine) -> Engine:
    assert run_cli("seed").exit_code == 0
    return migrated


def test_import_then_status_and_changes(run_cli: RunCli, seeded: Engine, tmp_path: Path) -> None:
    result = run_cli("lists", "import", "ofac-csv", str(HISTORY / "sdn_2023-03-28.csv.gz"))
    assert result.exit_code == 0, result.stderr
    assert "11,986 entities" in result.output
    status = run_cli("lists", "status", "--json")
    assert '"active": 11986' in status.output
    changes = run_cli("lists", "changes", "--kind", "delisted")
    assert changes.exit_code == 0
    assert "VERSOR S.R.O." in changes.output  # seeded, but not listed in March 2023


def test_changes_show_each_changed_field_as_a_diff(run_cli: RunCli, seeded: Engine) -> None:
    """Ashot Mkrtychev, seeded, is missing from the list of 28 March 2023 and relisted by
    that of 30 March, which (without OFAC's alias and address files) gives him neither."""
    for day in ("28", "30"):
        path = HISTORY / f"sdn_2023-03-{day}.csv.gz"
        assert run_cli("lists", "import", "ofac-csv", str(path)).exit_code == 0
    result = run_cli("lists", "changes", "--entity", "41736")
    assert result.exit_code == 0, result.stderr
    assert result.output.splitlines()[1:] == [
        "  relisted     41736  MKRTYCHEV, Ashot",
        "      names",
        "        - MKRTYCEV, Asot (aka)",
        "      designations",
        "          DPRK, designated 2023-03-30",
        "          (no difference shown: a detail not shown, or one the registry keeps)",
        "      addresses",
        "        - Hana Melichkova Street 3448/37, 84105 Bratislava, Slovakia",
    ]
    as_json = json.loads(run_cli("lists", "changes", "--entity", "mkrtychev", "--json").output)
    assert as_json["diff"][0] == {"field": "names", "before": ["MKRTYCEV, Asot (aka)"],
                                  "after": [], "omitted_before": 0, "omitted_after": 0}  # fmt: skip
    assert (
        run_cli("lists", "changes", "--kind", "added", "--entity", "41736").output.count("\n") == 1
    )  # the version line alone


@pytest.mark.parametrize(
    ("damage", "fragments"),
    [
        (lambda data: data[: len(data) // 2], ("line", "CSV")),
        (lambda data: data.replace(b"individual", b"\xff\xfe", 1), ("line", "not valid utf-8")),
        (lambda data: b"<?xml version='1.0'?><sdnList/>", ("line 1", "fields")),
        (lambda data: b"", ("holds no records",)),
    ],
    ids=["truncated", "bad-encoding", "wrong-format", "empty"],
)
def test_bad_csv_is_refused_and_changes_nothing(
    run_cli: RunCli, seeded: Engine, tmp_path: Path, damage: object, fragments: tuple[str, ...]
) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(damage(MARCH_30))  # type: ignore[operator]
    before = counts(seeded)
    result = run_cli("lists", "import", "ofac-csv", str(path))
    one_line_error(result, 65, str(path), *fragments)
    assert counts(seeded) == before


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<CONSOLIDATED_LIST><INDIVIDUALS>&lol2;</INDIVIDUALS></CONSOLIDATED_LIST>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<sdnList><publshInformation>&xxe;</publshInformation></sdnList>"""


@pytest.mark.parametrize("fmt", ["un-xml", "ofac-xml"])
@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["bomb", "xxe"])
def test_hostile_xml_is_refused(
    run_cli: RunCli, seeded: Engine, tmp_path: Path, fmt: str, body: bytes
) -> None:
    path = tmp_path / "list.xml"
    path.write_bytes(body)
    before = counts(seeded)
    result = run_cli("lists", "import", fmt, str(path))
    one_line_error(result, 65, str(path))
    assert counts(seeded) == before


def test_missing_file_is_one_line(run_cli: RunCli, seeded: Engine, tmp_path: Path) -> None:
    result = run_cli("lists", "import", "un-xml", str(tmp_path / "nope.xml"))
    one_line_error(result, 65, "does not exist")


def test_second_import_is_refused_while_one_runs(run_cli: RunCli, seeded: Engine) -> None:
    with locks.exclusive(seeded, "lists", what="list import"):
        result = run_cli("lists", "import", "ofac-csv", str(HISTORY / "sdn_2023-03-30.csv.gz"))
    one_line_error(result, 73, "Another list import is running")
    after = run_cli("lists", "import", "ofac-csv", str(HISTORY / "sdn_2023-03-30.csv.gz"))
    assert after.exit_code == 0, after.stderr


def test_killed_import_leaves_the_previous_list(
    run_cli: RunCli, seeded: Engine, database_url: str
) -> None:
    assert (
        run_cli("lists", "import", "ofac-csv", str(HISTORY / "sdn_2023-03-28.csv.gz")).exit_code
        == 0
    )
    before = counts(seeded)
    env = {**os.environ, "WATCHLIST_DATABASE_URL": database_url, "WATCHLIST_CONFIG": ""}
    process = subprocess.Popen(
        [sys.executable, "-c", "from watchlist.cli import main; main()", "lists", "import",
         "ofac-csv", str(ROOT / "data/ofac/sdn_legacy_csv")],
        env=env, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stderr is not None
    for line in process.stderr:  # the log says when the write transaction starts
        if line.startswith("applying"):
            break
    time.sleep(0.5)
    assert process.poll() is None, "the import finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stderr.close()
    assert counts(seeded) == before
    retry = run_cli("lists", "import", "ofac-csv", str(HISTORY / "sdn_2023-03-30.csv.gz"))
    assert retry.exit_code == 0, retry.stderr  # the lock died with the killed process


@pytest.fixture
def site() -> Iterator[Site]:
    with serve(Site(files=ofac_folder(MARCH_30))) as running:
        yield running


FAST = {"WATCHLIST_LISTS_BACKOFF_SECONDS": "0", "WATCHLIST_LISTS_TIMEOUT_SECONDS": "5"}


def test_import_from_a_url_folder(run_cli: RunCli, seeded: Engine, site: Site) -> None:
    result = run_cli("lists", "import", "ofac-csv", site.url("/ofac/"), env=FAST)
    assert result.exit_code == 0, result.stderr
    assert "11,964 entities" in result.output
    asked = [path for path, _ in site.requests]
    assert asked == ["/ofac/sdn.csv", "/ofac/add.csv", "/ofac/alt.csv", "/ofac/sdn_comments.csv"]
    assert site.requests[0][1]["User-Agent"].startswith("Watchlist/")


def test_update_uses_conditional_get(
    run_cli: RunCli, seeded: Engine, site: Site, tmp_path: Path
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nformat = "ofac-csv"\nurl = "{site.url("/ofac/")}"\n')
    env = {**FAST, "WATCHLIST_LISTS_SOURCES_FILE": str(sources)}
    first = run_cli("lists", "update", env=env)
    assert first.exit_code == 0 and "11,964 entities" in first.output, first.stderr
    second = run_cli("lists", "update", env=env)
    assert second.exit_code == 0 and "no change" in second.output, second.stderr
    conditional = [h for path, h in site.requests if path == "/ofac/sdn.csv"][-1]
    assert conditional.get("If-None-Match", "").startswith('"')
    assert len([p for p, _ in site.requests if p == "/ofac/sdn.csv"]) == 2


def test_server_errors_are_retried(run_cli: RunCli, seeded: Engine, site: Site) -> None:
    site.failures["/ofac/sdn.csv"] = [503, 502]
    result = run_cli("lists", "import", "ofac-csv", site.url("/ofac/sdn.csv"), env=FAST)
    assert result.exit_code == 0, result.stderr
    assert [p for p, _ in site.requests].count("/ofac/sdn.csv") == 3


def test_download_failures_are_one_line(run_cli: RunCli, seeded: Engine, site: Site) -> None:
    before = counts(seeded)
    site.failures["/ofac/sdn.csv"] = [500] * 10
    result = run_cli("lists", "import", "ofac-csv", site.url("/ofac/"), env=FAST)
    one_line_error(result, 75, "/ofac/sdn.csv", "failed")
    site.failures.clear()
    capped = run_cli(
        "lists", "import", "un-xml", site.url("/ofac/sdn.csv"),
        env={**FAST, "WATCHLIST_LISTS_MAX_DOWNLOAD_MB": "1"},
    )  # fmt: skip
    one_line_error(capped, 75, "size cap")
    assert counts(seeded) == before
