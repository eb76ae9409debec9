"""Smaller failures: lists by URL in gzip, URLs in capitals, article URLs that are not web
addresses."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.conftest import ROOT, RunCli
from tests.integration.test_list_cli import FAST, MARCH_30, ofac_folder, one_line_error
from tests.loopback import Site, serve
from watchlist.models import Article

UN_XML = ROOT / "data/un/consolidated.xml.gz"


@pytest.fixture
def site() -> Iterator[Site]:
    files = {f"{path}.gz": gzip.compress(body) for path, body in ofac_folder(MARCH_30).items()}
    files["/un/consolidated.xml.gz"] = UN_XML.read_bytes()
    files.update(ofac_folder(MARCH_30))
    with serve(Site(files=files)) as running:
        yield running


def test_a_gzipped_list_imports_by_url(run_cli: RunCli, migrated: Engine, site: Site) -> None:
    result = run_cli("lists", "import", "un-xml", site.url("/un/consolidated.xml.gz"), env=FAST)
    assert result.exit_code == 0, result.stderr
    assert "1,003 entities" in result.output
    ofac = run_cli("lists", "import", "ofac-csv", site.url("/ofac/sdn.csv.gz"), env=FAST)
    assert ofac.exit_code == 0, ofac.stderr
    assert "11,964 entities" in ofac.output


def test_a_url_in_capitals_is_a_url(run_cli: RunCli, migrated: Engine, site: Site) -> None:
    url = site.url("/ofac/").replace("http://", "HTTP://")
    result = run_cli("lists", "import", "ofac-csv", url, env=FAST)
    assert result.exit_code == 0, result.stderr
    assert "11,964 entities" in result.output


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://x/y"]
)
def test_batch_articles_with_urls_that_are_not_web_addresses_are_refused(
    run_cli: RunCli, migrated: Engine, url: str
) -> None:
    lines = json.dumps({"text": "A story.", "url": url}) + "\n"
    result = run_cli("articles", "add", "--batch", "-", input=lines)
    one_line_error(result, 65, "line 1", "http")
    single = run_cli("articles", "add", "-", "--url", url, input="Another story.")
    one_line_error(single, 65, "http")
    with migrated.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(Article)) == 0
