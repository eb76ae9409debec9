"""A damaged or partial list never reaches the registry: each format's completeness marks, the
companions of a list fetched by URL, and the plausibility guard against large removals."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.conftest import ROOT, RunCli
from tests.integration.test_list_cli import (
    HISTORY,
    MARCH_30,
    SDN_2024,
    counts,
    ofac_folder,
    one_line_error,
)
from tests.loopback import Site, serve

MARCH_28 = HISTORY / "sdn_2023-03-28.csv.gz"
CONSISTENT = ROOT / "data/ofac/sdn_legacy_csv_2021-07_consistent"
OFAC_XML = gzip.decompress((ROOT / "data/ofac/xml/consolidated.xml.gz").read_bytes())
FAST = {"WATCHLIST_LISTS_BACKOFF_SECONDS": "0", "WATCHLIST_LISTS_TIMEOUT_SECONDS": "5"}


def cut_at_line_break(data: bytes, share: float) -> bytes:
    """The file cut at the record boundary nearest `share` of its length, as a broken
    download or a full disk leaves it."""
    return data[: data.index(b"\r\n", int(len(data) * share)) + 2]


def without_records(data: bytes, share: float) -> bytes:
    """A well-formed file (Ctrl-Z and all) that lacks the last `share` of its records."""
    return cut_at_line_break(data, 1 - share) + b"\x1a"


@pytest.fixture
def march_28(run_cli: RunCli, migrated: Engine) -> Engine:
    result = run_cli("lists", "import", "ofac-csv", str(MARCH_28))
    assert result.exit_code == 0, result.stderr
    return migrated


# --- completeness marks ------------------------------------------------------------------------


@pytest.mark.parametrize("share", [0.5, 0.9])
def test_an_ofac_csv_cut_at_a_line_break_is_refused(
    run_cli: RunCli, march_28: Engine, tmp_path: Path, share: float
) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(cut_at_line_break(MARCH_30, share))
    before = counts(march_28)
    result = run_cli("lists", "import", "ofac-csv", str(path))
    one_line_error(result, 65, str(path), "end-of-file mark", "truncated")
    assert counts(march_28) == before


def test_a_truncated_companion_is_refused(
    run_cli: RunCli, migrated: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "sdn"
    shutil.copytree(SDN_2024, folder)
    aliases = gzip.decompress((folder / "alt.csv.gz").read_bytes())
    (folder / "alt.csv.gz").write_bytes(gzip.compress(cut_at_line_break(aliases, 0.5)))
    result = run_cli("lists", "import", "ofac-csv", str(folder))
    one_line_error(result, 65, "aliases file alt.csv", "end-of-file mark")
    assert counts(migrated)["entities"] == 0


def test_a_comments_file_without_the_mark_is_read(run_cli: RunCli, migrated: Engine) -> None:
    """OFAC has published sdn_comments.csv without Ctrl-Z (the 2021-07 set is one): its
    absence there is no sign of damage."""
    result = run_cli("lists", "import", "ofac-csv", str(CONSISTENT))
    assert result.exit_code == 0, result.stderr
    assert "8,976 entities" in result.output


def ofac_xml_with(entries: int, declared: int | None = None) -> bytes:
    """The consolidated XML holding its first `entries` records, well-formed, declaring
    `declared` records (as published when None)."""
    head, _, _ = OFAC_XML.partition(b"<sdnEntry>")
    body = OFAC_XML[len(head) :].split(b"</sdnEntry>")[:entries]
    document = head + b"</sdnEntry>".join(body) + b"</sdnEntry>\n</sdnList>\n"
    if declared is not None:
        document = document.replace(b"<Record_Count>443<", f"<Record_Count>{declared}<".encode())
    return document


@pytest.mark.parametrize(
    ("document", "fragments"),
    [
        (ofac_xml_with(400), ("holds 400 records", "declares 443")),
        (OFAC_XML[: OFAC_XML.index(b"</sdnEntry>", len(OFAC_XML) // 2) + 12], ("not",)),
    ],
    ids=["record-count", "no-closing-root"],
)
def test_ofac_xml_short_of_its_records_is_refused(
    run_cli: RunCli, migrated: Engine, tmp_path: Path, document: bytes, fragments: tuple[str, ...]
) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_bytes(document)
    result = run_cli("lists", "import", "ofac-xml", str(path))
    one_line_error(result, 65, str(path), *fragments)
    assert counts(migrated)["entities"] == 0


def test_ofac_xml_whose_count_agrees_is_read(
    run_cli: RunCli, migrated: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_bytes(ofac_xml_with(400, declared=400))
    result = run_cli("lists", "import", "ofac-xml", str(path))
    assert result.exit_code == 0, result.stderr
    assert "400 entities" in result.output


# --- companions over HTTP ----------------------------------------------------------------------


def test_a_missing_companion_over_http_fails_the_import(run_cli: RunCli, march_28: Engine) -> None:
    before = counts(march_28)
    with serve(Site(files=ofac_folder(MARCH_30, companions=False))) as site:
        result = run_cli("lists", "import", "ofac-csv", site.url("/ofac/"), env=FAST)
    one_line_error(result, 75, "/ofac/add.csv", "not found")
    assert counts(march_28) == before


def test_a_missing_companion_fails_the_update_with_exit_75(
    run_cli: RunCli, march_28: Engine, tmp_path: Path
) -> None:
    before = counts(march_28)
    with serve(Site(files=ofac_folder(MARCH_30, companions=False))) as site:
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[source]]\nformat = "ofac-csv"\nurl = "{site.url("/ofac/")}"\n')
        result = run_cli(
            "lists", "update", env={**FAST, "WATCHLIST_LISTS_SOURCES_FILE": str(sources)}
        )
    assert result.exit_code == 75, (result.output, result.stderr)
    assert "/ofac/add.csv" in result.stderr and "Traceback" not in result.stderr
    assert counts(march_28) == before


# --- the plausibility guard --------------------------------------------------------------------


def test_a_list_that_would_delist_too_many_is_refused_and_recorded(
    run_cli: RunCli, march_28: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(without_records(MARCH_30, 0.1))
    before = counts(march_28)
    result = run_cli("lists", "import", "ofac-csv", str(path))
    one_line_error(result, 65, "us_ofac_sdn", "would delist 1,", "of 11,986 listed entities",
                   "lists.max_removal_percent", "--accept-large-change")  # fmt: skip
    after = counts(march_28)
    assert after == {**before, "list_versions": before["list_versions"] + 1}
    [status] = json.loads(run_cli("lists", "status", "--json").output)
    assert status["active"] == 11_986 and status["latest_status"] == "refused"
    assert "would delist" in status["refused"]
    text = run_cli("lists", "status").output
    assert "refused" in text and "would delist" in text
    versions = run_cli("lists", "changes", str(status["latest_version"])).output
    assert "refused" in versions and "1," in versions


def test_a_refused_file_is_refused_again_and_the_old_one_is_still_no_change(
    run_cli: RunCli, march_28: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(without_records(MARCH_30, 0.1))
    assert run_cli("lists", "import", "ofac-csv", str(path)).exit_code == 65
    assert run_cli("lists", "import", "ofac-csv", str(path)).exit_code == 65
    again = run_cli("lists", "import", "ofac-csv", str(MARCH_28))
    assert again.exit_code == 0 and "no change" in again.output, again.stderr


def test_the_operator_can_accept_a_large_change(
    run_cli: RunCli, march_28: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(without_records(MARCH_30, 0.1))
    result = run_cli("lists", "import", "ofac-csv", str(path), "--accept-large-change")
    assert result.exit_code == 0, result.stderr
    [status] = json.loads(run_cli("lists", "status", "--json").output)
    assert status["latest_status"] == "changed" and status["active"] < 11_986 * 0.95


def test_the_share_is_a_setting(run_cli: RunCli, march_28: Engine, tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(without_records(MARCH_30, 0.1))
    result = run_cli("lists", "import", "ofac-csv", str(path),
                     env={"WATCHLIST_LISTS_MAX_REMOVAL_PERCENT": "20"})  # fmt: skip
    assert result.exit_code == 0, result.stderr


def test_a_list_that_would_strip_names_is_refused(
    run_cli: RunCli, migrated: Engine, tmp_path: Path
) -> None:
    """The same publication without its aliases file: every alias would go."""
    assert run_cli("lists", "import", "ofac-csv", str(CONSISTENT)).exit_code == 0
    alone = tmp_path / "sdn"
    alone.mkdir()
    shutil.copy(CONSISTENT / "sdn.csv.gz", alone)
    shutil.copy(CONSISTENT / "add.csv.gz", alone)
    before = counts(migrated)
    result = run_cli("lists", "import", "ofac-csv", str(alone))
    one_line_error(result, 65, "would delist 0", "strip", "names", "--accept-large-change")
    assert counts(migrated) == {**before, "list_versions": before["list_versions"] + 1}


def test_the_first_list_after_the_seed_is_not_judged(run_cli: RunCli, migrated: Engine) -> None:
    """The seed holds a few records only; the first real list is the baseline."""
    assert run_cli("seed").exit_code == 0
    result = run_cli("lists", "import", "ofac-csv", str(MARCH_28))
    assert result.exit_code == 0, result.stderr


@pytest.fixture
def refusing_site(tmp_path: Path) -> Iterator[tuple[Site, Path]]:
    with serve(Site(files=ofac_folder(without_records(MARCH_30, 0.1)))) as site:
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[source]]\nformat = "ofac-csv"\nurl = "{site.url("/ofac/")}"\n')
        yield site, sources


def test_the_nightly_scan_reports_a_refused_update(
    run_cli: RunCli, march_28: Engine, refusing_site: tuple[Site, Path]
) -> None:
    _, sources = refusing_site
    env = {**FAST, "WATCHLIST_LISTS_SOURCES_FILE": str(sources)}
    result = run_cli("scan", "--update-lists", "--no-fetch-feeds", env=env)
    assert result.exit_code == 4, (result.output, result.stderr)
    assert "list update refused: us_ofac_sdn" in result.output
    summary = json.loads(
        run_cli("scan", "--update-lists", "--no-fetch-feeds", "--json", env=env).output
    )
    [refused] = summary["list_updates"]
    assert refused["status"] == "refused" and "would delist" in refused["message"]
