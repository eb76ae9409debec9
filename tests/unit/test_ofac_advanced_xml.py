"""The OFAC advanced XML importer, on OFAC's Consolidated list of 2020-03-17 in that format.

Damaged documents are made from the real file, parsed with the standard library and edited.
"""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from watchlist.errors import ListFormatError
from watchlist.lists.updates import read_sources
from watchlist.models.registry import EntityKind, NameKind
from watchlist.sources import formats
from watchlist.sources.ofac_advanced_xml import (
    ADVANCED_CONS_SOURCE,
    ADVANCED_SDN_SOURCE,
    ADVANCED_XML_NAMESPACE,
    parse_ofac_advanced_xml,
    read_ofac_advanced_xml,
)
from watchlist.sources.ofac_enhanced_xml import read_ofac_enhanced_xml
from watchlist.sources.parsed import (
    ParsedAddress,
    ParsedBirthDate,
    ParsedBirthPlace,
    ParsedDesignation,
    ParsedEntity,
    ParsedFact,
    ParsedIdentifier,
    ParsedList,
    ParsedName,
    ParsedRelation,
)

DATA = Path(__file__).resolve().parents[2] / "data"
ADVANCED = DATA / "ofac" / "xml" / "cons_advanced_2020-03-17.xml.gz"
ENHANCED = DATA / "ofac-advanced" / "cons_enhanced_2026-01-08.xml.gz"
NS = "{" + ADVANCED_XML_NAMESPACE + "}"
ET.register_namespace("", ADVANCED_XML_NAMESPACE)


@pytest.fixture(scope="module")
def raw() -> bytes:
    return gzip.decompress(ADVANCED.read_bytes())


@pytest.fixture(scope="module")
def cons() -> ParsedList:
    return read_ofac_advanced_xml(ADVANCED)


def by_key(parsed: ParsedList) -> dict[str, ParsedEntity]:
    return {entity.source_key: entity for entity in parsed.entities}


def edited(raw: bytes, edit: Callable[[ET.Element], None]) -> bytes:
    root = ET.fromstring(raw)
    edit(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def party(root: ET.Element, key: str) -> ET.Element:
    found = root.find(f"{NS}DistinctParties/{NS}DistinctParty[@FixedRef='{key}']")
    assert found is not None, key
    return found


def refused(data: bytes, location: str = "cons_advanced.xml") -> str:
    with pytest.raises(ListFormatError) as caught:
        parse_ofac_advanced_xml(data, location=location)
    message = str(caught.value)
    assert location in message and "\n" not in message
    return message


def test_whole_list(cons: ParsedList) -> None:
    assert len(cons.entities) == 375
    kinds = Counter(entity.kind for entity in cons.entities)
    assert kinds == {EntityKind.ORGANIZATION: 293, EntityKind.PERSON: 82}
    assert cons.source.code == "us_ofac_cons"
    assert cons.source.format == "ofac-advanced-xml"
    assert cons.published_at == dt.datetime(2020, 3, 17, tzinfo=dt.UTC)
    programs = Counter(d.program for entity in cons.entities for d in entity.designations)
    # One per entry on the Sectoral Sanctions Identifications list and the PLC list.
    lists = Counter(f.value for entity in cons.entities for f in entity.facts)
    assert programs["UKRAINE-EO13662"] == lists["Sectoral Sanctions Identifications List"] == 290
    assert programs["NS-PLC"] == lists["Non-SDN Palestinian Legislative Council List"] == 78
    assert {p.code for p in cons.programs} == set(programs)


def test_haniya(cons: ParsedList) -> None:
    haniya = by_key(cons)["9639"]
    assert haniya.primary_name == "HANIYA, Ismail Abdul Salah"
    assert set(haniya.names) == {
        ParsedName("HANIYA, Ismail", NameKind.AKA),
        ParsedName("HANIYYA, Ismaeel", NameKind.AKA),
    }
    assert haniya.birth_dates == (ParsedBirthDate("1962", 1962),)
    assert haniya.birth_places == (ParsedBirthPlace("Shati"),)
    assert haniya.designations == (ParsedDesignation("NS-PLC"),)
    assert haniya.listing_date == dt.date(2006, 4, 12)
    assert haniya.addresses == ()  # its only location is an "undetermined" area code


def test_gazprombank(cons: ParsedList) -> None:
    bank = by_key(cons)["17016"]
    assert bank.primary_name == "GAZPROMBANK OAO"
    assert ParsedName("GAZPROMBANK OPEN JOINT STOCK COMPANY", NameKind.AKA) in bank.names
    assert ParsedName("GPB, OAO", NameKind.AKA) in bank.names
    assert ParsedIdentifier("swift_bic", "GAZPRUMM") in bank.identifiers
    assert ParsedIdentifier("tax_id", "7744001497") in bank.identifiers
    assert ParsedFact("website", "www.gazprombank.ru") in bank.facts
    assert ParsedFact("sanctions_list", "Sectoral Sanctions Identifications List") in bank.facts
    assert bank.addresses[0] == ParsedAddress(
        street="16, Building 1, Nametkina St.",
        city="Moscow",
        postal_code="117420",
        country="Russia",
        source_key="25807",
    )
    assert bank.listing_date == dt.date(2014, 7, 16)


def test_relations(cons: ParsedList) -> None:
    relations = [r for entity in cons.entities for r in entity.relations]
    assert Counter(r.relation for r in relations) == {"owned_or_controlled_by": 276}
    keys = set(by_key(cons))
    inside = [r for r in relations if r.object_key in keys]
    assert inside and all(
        by_key(cons)[r.object_key or ""].primary_name == r.object_name for r in inside
    )
    assert ParsedRelation("GAZPROMBANK OAO", "owned_or_controlled_by", "17016") in relations


def test_same_values_and_kinds_as_the_enhanced_xml(cons: ParsedList) -> None:
    """Six years apart, the two formats agree on most names and on every kind word they give
    the same identifier or fact of the same record."""
    enhanced = by_key(read_ofac_enhanced_xml(ENHANCED))
    old = by_key(cons)
    shared = old.keys() & enhanced.keys()
    assert len(shared) == 365
    same_names = sum(old[k].primary_name == enhanced[k].primary_name for k in shared)
    assert same_names == 312
    compared = 0
    for key in shared:
        facts = {f.value: f.kind for f in old[key].facts}
        for fact in enhanced[key].facts:
            if fact.value in facts and fact.kind != "sanctions_type":
                assert facts[fact.value] == fact.kind, (key, fact)
                compared += 1
    assert compared > 1_000
    swift = {(k, i.value) for k in shared for i in old[k].identifiers if i.kind == "swift_bic"}
    assert (
        swift
        == {(k, i.value) for k in shared for i in enhanced[k].identifiers if i.kind == "swift_bic"}
        & swift
    )


def test_official_urls_are_configured_but_disabled() -> None:
    sources = read_sources(DATA.parent / "config" / "sources.toml")
    advanced = {s.url: s.enabled for s in sources if s.format == "ofac-advanced-xml"}
    assert advanced == {ADVANCED_SDN_SOURCE.url: False, ADVANCED_CONS_SOURCE.url: False}


def test_read_as_a_format(cons: ParsedList) -> None:
    assert formats.parse(formats.read_local("ofac-advanced-xml", ADVANCED)) == cons


def test_date_periods(raw: bytes) -> None:
    """A birth date's period gives its parts and the text OFAC prints for it."""

    def periods(root: ET.Element) -> None:
        period = party(root, "9639").find(f".//{NS}Feature[@FeatureTypeID='8']//{NS}DatePeriod")
        assert period is not None
        end = period.find(f"{NS}End/{NS}To/{NS}Year")
        start = period.find(NS + "Start")
        assert end is not None and start is not None
        end.text = "1965"
        start.set("Approximate", "true")

    haniya = by_key(parse_ofac_advanced_xml(edited(raw, periods), location="x.xml"))["9639"]
    assert haniya.birth_dates == (
        ParsedBirthDate("circa 1962 to 1965", 1962, year_to=1965, circa=True),
    )


# --- damaged input -------------------------------------------------------------------------


def test_truncated_file_is_refused(raw: bytes) -> None:
    assert "cannot be parsed as XML" in refused(raw[: len(raw) // 3])


def test_wrong_root_is_refused() -> None:
    enhanced = gzip.decompress(ENHANCED.read_bytes())
    assert "is not an OFAC advanced XML list" in refused(enhanced)


def test_dtd_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE Sanctions [<!ENTITY a "aaaa">]>\n'
        b'<Sanctions xmlns="' + ADVANCED_XML_NAMESPACE.encode() + b'">&a;</Sanctions>'
    )
    assert "declares a DTD" in refused(bomb)


def test_duplicate_party_is_refused(raw: bytes) -> None:
    def duplicate(root: ET.Element) -> None:
        holder = root.find(NS + "DistinctParties")
        assert holder is not None
        holder.append(copy.deepcopy(party(root, "17016")))

    assert "lists DistinctParty 17016 more than once" in refused(edited(raw, duplicate))


def test_undefined_reference_and_bad_date_are_refused(raw: bytes) -> None:
    def undefined(root: ET.Element) -> None:
        alias = party(root, "17016").find(f".//{NS}Alias")
        assert alias is not None
        alias.set("AliasTypeID", "4242")

    assert "DistinctParty 17016 refers to AliasType 4242" in refused(edited(raw, undefined))

    def bad_date(root: ET.Element) -> None:
        month = root.find(f"{NS}DateOfIssue/{NS}Month")
        assert month is not None
        month.text = "13"

    assert "invalid date 2020-13-17" in refused(edited(raw, bad_date))
