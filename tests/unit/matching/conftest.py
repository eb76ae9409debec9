from __future__ import annotations

import pytest

from tests.conftest import ROOT
from watchlist.matching.matcher import Matcher
from watchlist.matching.model import EntityProfile, NameRecord
from watchlist.sources import formats


@pytest.fixture(scope="session")
def sdn_matcher() -> Matcher:
    """A matcher over every name of the shipped OFAC SDN list; entity ids are OFAC's numbers."""
    parsed = formats.parse(formats.read_local("ofac-csv", ROOT / "data/ofac/sdn_legacy_csv"))
    records: list[NameRecord] = []
    profiles: dict[int, EntityProfile] = {}
    for entity in parsed.entities:
        key, kind = int(entity.source_key), entity.kind.value
        records.append(NameRecord(key, entity.primary_name, kind, "primary"))
        records += [NameRecord(key, n.name, kind, n.kind.value) for n in entity.names]
        profiles[key] = EntityProfile(
            key,
            kind,
            birth_dates=tuple((b.year, b.month, b.day) for b in entity.birth_dates if b.year),
            countries=frozenset(n.country.lower() for n in entity.nationalities),
        )
    return Matcher(records, profiles)
