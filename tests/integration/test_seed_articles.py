"""The five founding articles against the full SDN list: exactly the expected hits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from tests.conftest import ROOT, migrated_session
from watchlist.config import load_settings
from watchlist.lists import updates
from watchlist.screening import hits as screening
from watchlist.screening import matchers
from watchlist.sources import formats

ARTICLES = ROOT / "tests/fixtures/articles"
# From tests/fixtures/articles/README.md: OFAC entity number -> every surface form.
EXPECTED = {
    1: {"41736": {"Ashot Mkrtychev", "Mkrtychev"}, "22543": {"Wagner Group"},
        "35096": {"Vladimir Putin"}},
    2: {"41736": {"Ashot Mkrtychev", "Mkrtychev"}, "22543": {"Wagner Group"},
        "20157": {"Kim Jong Un"}, "35096": {"Vladimir Putin", "Putin"}},
    3: {"41736": {"Mkrtychev"}, "22543": {"Wagner Group"}, "35096": {"Putin"}},
    4: {"41736": {"Ashot Mkrtychev", "Mr. Mkrtychev"}, "35096": {"Vladimir Putin"}},
    # Article 5 also says "Putin" alone twice after "Vladimir Putin": mentions of him too.
    5: {"35173": {"Shoigu"}, "35096": {"Vladimir Putin", "Mr. Putin", "Putin"},
        "22543": {"Wagner Group"}},
}  # fmt: skip
NEVER = [
    "John Kirby", "Antony Blinken", "Janet Yellen", "Joe Biden", "Xi Jinping", "Mélanie Joly",
    "Brett Smyth", "White House", "National Security Council", "Office of Foreign Assets Control",
    "Security Council", "Iran", "North Korea", "Pyongyang", "Tehran", "Crimea", "Bakhmut", "Kim",
]  # fmt: skip


@pytest.fixture(scope="module")
def sdn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    with migrated_session(tmp_path_factory.mktemp("seeds")) as session:
        list_file = formats.read_local("ofac-csv", ROOT / "data/ofac/sdn_legacy_csv")
        updates.import_parsed(session, list_file, formats.parse(list_file))
        session.commit()
        yield session


def screen(session: Session, number: int) -> tuple[str, list[dict[str, object]]]:
    text = (ARTICLES / f"article-{number}.txt").read_text(encoding="utf-8")
    matcher = matchers.build_matcher(session, load_settings({}).matching)
    return text, screening.screen_to_json(session, text, matcher)


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_seed_article_gives_exactly_the_expected_hits(sdn: Session, number: int) -> None:
    text, hits = screen(sdn, number)
    found: dict[str, set[str]] = defaultdict(set)
    for hit in hits:
        entity = hit["entity"]
        assert isinstance(entity, dict)
        found[entity["source_key"]].add(str(hit["text"]))
        start, end = int(hit["start"]), int(hit["end"])  # type: ignore[call-overload]
        assert text[start:end] == hit["text"]
        assert str(hit["text"]) in str(hit["sentence"])
        assert hit["explanation"]
    assert dict(found) == EXPECTED[number]


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_never_hits_stay_quiet(sdn: Session, number: int) -> None:
    _, hits = screen(sdn, number)
    texts = {str(hit["text"]) for hit in hits}
    assert not texts & set(NEVER)
