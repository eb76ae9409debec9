from __future__ import annotations

import pytest

from tests.conftest import ROOT
from watchlist.matching.matcher import Matcher
from watchlist.matching.model import MatchSettings
from watchlist.screening.matchers import new_matcher
from watchlist.screening.records import records_from_list
from watchlist.sources import formats


@pytest.fixture(scope="session")
def sdn_matcher() -> Matcher:
    """A matcher over every name of the shipped OFAC SDN list, with the lexicon the product
    uses; entity ids are OFAC's numbers."""
    parsed = formats.parse(formats.read_local("ofac-csv", ROOT / "data/ofac/sdn_legacy_csv"))
    records, profiles = records_from_list(parsed)
    return new_matcher(records, profiles, MatchSettings())
