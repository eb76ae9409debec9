"""nomenklatura's YenteEnricher, the client OpenSanctions itself calls a yente /match API with,
run unchanged against `watchlist serve` on loopback: it matches a FollowTheMoney entity and
expands the match it gets back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from followthemoney import Dataset, StatementEntity
from nomenklatura import db as nomenklatura_db
from nomenklatura.cache import Cache
from nomenklatura.enrich import Enricher, make_enricher

from tests.web.conftest import Serve, make_key
from watchlist.config import Settings

ASHOT = {
    "id": "query-ashot",
    "schema": "Person",
    "properties": {
        "name": ["Ashot Mkrtychev"],
        "birthDate": ["1966-05-07"],
        "nationality": ["sk"],
        "passportNumber": ["BD3843329"],
    },
}


@pytest.fixture
def enricher(day_one: Settings, serve: Serve, tmp_path: Path) -> Iterator[Enricher[Dataset]]:
    """A YenteEnricher pointed at a running `watchlist serve`, with its cache in a file."""
    port = serve(day_one)
    url = f"sqlite:///{tmp_path / 'nomenklatura.db'}"
    dataset = Dataset.make({"name": "screening", "title": "Screening"})
    session = nomenklatura_db.make_session(url)
    config = {
        "type": "nomenklatura.enrich.yente:YenteEnricher",
        "api": f"http://127.0.0.1:{port}/",
        "api_key": make_key(day_one, "lookup"),
        "dataset": "default",
    }
    try:
        yield make_enricher(dataset, Cache(session, dataset, create=True), config)
    finally:
        session.close()
        nomenklatura_db.close_db(url)


def test_the_yente_client_matches_and_expands_ofac_41736(
    enricher: Enricher[Dataset],
) -> None:
    query = StatementEntity.from_data(enricher.dataset, ASHOT)
    matches = list(enricher.match_wrapped(query))
    assert matches, "no match"
    best = matches[0]
    assert best.id == "us_ofac_sdn:41736" and best.schema.name == "Person"
    assert best.get("birthDate") == ["1966-05-07"]
    assert best.get("citizenship") == ["sk"]
    assert "BD3843329" in best.get("passportNumber")
    assert best.get("topics") == ["sanction"]
    [expanded] = list(enricher.expand_wrapped(query, best))
    assert expanded.id == "us_ofac_sdn:41736"
    assert expanded.caption == "MKRTYCHEV, Ashot"
    assert set(expanded.get("passportNumber")) == {"BD3843329", "BD5609822"}
    assert expanded.get("birthPlace") == ["Baku, Azerbaijan"]
    assert expanded.get("gender") == ["male"]
    assert "DPRK" in expanded.get("programId")
