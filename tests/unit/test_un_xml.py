from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from watchlist.errors import ListFormatError
from watchlist.models.registry import EntityKind, NameKind, NationalityKind
from watchlist.sources.parsed import (
    ParsedAddress,
    ParsedBirthDate,
    ParsedDesignation,
    ParsedEntity,
    ParsedFact,
    ParsedIdentifier,
    ParsedList,
    ParsedName,
    ParsedNationality,
)
from watchlist.sources.seed import read_programs
from watchlist.sources.un_regimes import regime_table
from watchlist.sources.un_xml import (
    UN_SOURCE,
    detect_script,
    document_kind,
    parse_un_xml,
    read_un_xml,
)

ROOT = Path(__file__).resolve().parents[2]
UN_FILE = ROOT / "data/un/consolidated.xml.gz"
DPRK = "Democratic People's Republic of Korea"


@pytest.fixture(scope="module")
def un_list() -> ParsedList:
    return read_un_xml(UN_FILE)


@pytest.fixture(scope="module")
def by_key(un_list: ParsedList) -> dict[str, ParsedEntity]:
    return {entity.source_key: entity for entity in un_list.entities}


def names(entity: ParsedEntity) -> list[tuple[str, NameKind]]:
    return [(name.name, name.kind) for name in entity.names]


def test_counts_source_programs_and_date(un_list: ParsedList) -> None:
    kinds = Counter(entity.kind for entity in un_list.entities)
    assert kinds == {EntityKind.PERSON: 730, EntityKind.ORGANIZATION: 273}
    assert un_list.source == UN_SOURCE
    assert un_list.programs == regime_table().programs
    assert [program.code for program in un_list.programs] == [
        "UN-1718", "UN-1267", "UN-1988", "UN-2231", "UN-1518", "UN-1533", "UN-1970",
        "UN-751", "UN-2127", "UN-2653", "UN-2140", "UN-2048", "UN-1591", "UN-2206",
    ]  # fmt: skip
    assert un_list.published_at == dt.datetime(2026, 2, 27, 0, 0, 9, 554000, tzinfo=dt.UTC)


def test_dprk_individual_field_by_field(by_key: dict[str, ParsedEntity]) -> None:
    ra = by_key["KPi.008"]
    assert ra.kind is EntityKind.PERSON
    assert ra.primary_name == "RA KY'ONG-SU"
    assert names(ra) == [
        ("Ra Kyung-Su", NameKind.AKA),
        ("Chang Myong Ho", NameKind.AKA),
        ("Chang Myo’ng-Ho", NameKind.AKA),
        ("Chang Myong-Ho", NameKind.AKA),
        ("Ra Kyong-Su", NameKind.AKA),
    ]
    assert ra.designations == (ParsedDesignation("UN-1718", dt.date(2013, 1, 22)),)
    assert ra.listing_date == dt.date(2013, 1, 22)
    # The same passport is listed three times, under French, Spanish and English type names.
    assert ra.identifiers == (ParsedIdentifier("passport", "645120196", country=DPRK),)
    assert ra.birth_dates == (ParsedBirthDate("04 Jun 1954", 1954, 6, 4),)
    assert ra.birth_places == ()
    assert ra.addresses == ()
    assert ra.nationalities == (ParsedNationality(DPRK, NationalityKind.NATIONALITY),)
    assert ra.facts == (ParsedFact("position", "Tanchon Commercial Bank (TCB) official"),)
    assert ra.relations == ()
    assert ra.gender is None
    assert ra.title is None
    assert ra.remarks is not None
    assert ra.remarks.startswith(
        "Ra Ky'ong-Su is a Tanchon Commercial Bank (TCB) official. In this"
    )
    assert "\n" not in ra.remarks and "  " not in ra.remarks


def test_dprk_individual_with_two_birth_dates(by_key: dict[str, ParsedEntity]) -> None:
    kim = by_key["KPi.023"]
    assert kim.primary_name == "KIM TONG MY’ONG"
    assert kim.birth_dates == (
        ParsedBirthDate("1964", 1964),
        ParsedBirthDate("28 Aug 1962", 1962, 8, 28),
    )
    assert kim.facts == (ParsedFact("position", "President of Tanchon Commercial Bank"),)


def test_entity_with_aliases(by_key: dict[str, ParsedEntity]) -> None:
    komid = by_key["KPe.001"]
    assert komid.kind is EntityKind.ORGANIZATION
    assert komid.primary_name == "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    assert names(komid) == [
        ("CHANGGWANG SINYONG CORPORATION", NameKind.AKA),
        ("EXTERNAL TECHNOLOGY GENERAL CORPORATION", NameKind.AKA),
        ("DPRKN MINING DEVELOPMENT TRADING COOPERATION", NameKind.AKA),
        ('"KOMID"', NameKind.AKA),
    ]
    assert komid.addresses == (
        ParsedAddress(street="Central District", city="Pyongyang", country=DPRK),
    )
    assert komid.designations == (ParsedDesignation("UN-1718", dt.date(2009, 4, 24)),)


def test_formerly_known_as_aliases(by_key: dict[str, ParsedEntity]) -> None:
    adf = by_key["CDe.001"]
    assert names(adf) == [
        ("Allied Democratic Forces", NameKind.AKA),
        ("Forces Démocratiques Alliées-Armée Nationale de Libération de l’Ouganda", NameKind.FKA),
        ("ADF/NALU", NameKind.FKA),
        ("NALU", NameKind.FKA),
    ]


def test_low_quality_aliases_are_weak(un_list: ParsedList, by_key: dict[str, ParsedEntity]) -> None:
    assert names(by_key["CDi.003"])[0] == ("Rumuli", NameKind.WEAK_AKA)
    assert ("Victor Rumuri", NameKind.AKA) in names(by_key["CDi.003"])
    weak = [n for e in un_list.entities for n in e.names if n.kind is NameKind.WEAK_AKA]
    assert len(weak) == 615  # every non-empty QUALITY "Low" alias of the file


def test_original_script_names(by_key: dict[str, ParsedEntity]) -> None:
    assert by_key["QDe.002"].names[0] == ParsedName("الاتحاد الاسلامي", script="Arab")
    assert by_key["KPe.059"].names == (ParsedName("華信船務(香港)有限公司", script="Hani"),)


def test_alias_details_go_to_remarks(by_key: dict[str, ParsedEntity]) -> None:
    assert ParsedName("Jang Hyon U", remarks="born 22 Feb 1958") in by_key["KPi.016"].names
    assert ParsedName("Tariq Mikhail Aziz", remarks="born in Baghdad, Iraq") in (
        by_key["IQi.025"].names
    )
    assert ParsedName("Lased Ben Heni", remarks="born 05 Feb 1969 in Tripoli, Libya") in (
        by_key["QDi.062"].names
    )


def test_every_entity_has_a_known_un_program(un_list: ParsedList) -> None:
    codes = {program.code for program in regime_table().programs}
    for entity in un_list.entities:
        assert entity.designations, entity.source_key
        assert {d.program for d in entity.designations} <= codes, entity.source_key
        assert all(d.designated_on == entity.listing_date for d in entity.designations)
    used = {d.program for e in un_list.entities for d in e.designations}
    assert used == codes


def test_the_seed_describes_un_regimes_as_the_importer_does() -> None:
    """`programs.toml` repeats the regime of the founding story (UN-1718) for the seed; every
    UN program it holds must read as the importer's table reads it."""
    table = regime_table()
    ours = {program.code: program for program in table.programs}
    seeded = [p for p in read_programs(ROOT / "config/seed") if p.code.startswith("UN-")]
    assert [program.code for program in seeded] == ["UN-1718"]
    assert all(program == ours[program.code] for program in seeded)
    assert all(program.authority == "UN Security Council" for program in table.programs)
    assert table.code("DPRK") == "UN-1718"
    assert table.code("Mali") == "UN-Mali"  # a regime missing from the table still imports


def test_no_duplicate_children_or_empty_values(un_list: ParsedList) -> None:
    for entity in un_list.entities:
        for field in dataclasses.fields(entity):
            value = getattr(entity, field.name)
            if isinstance(value, tuple):
                assert len(set(value)) == len(value), (entity.source_key, field.name)
                for item in value:
                    texts = [v for v in dataclasses.asdict(item).values() if isinstance(v, str)]
                    assert all(t and t == t.strip() for t in texts), (entity.source_key, item)
        assert entity.primary_name not in {name.name for name in entity.names}


def test_birth_date_variants(by_key: dict[str, ParsedEntity]) -> None:
    assert ParsedBirthDate("1955 to 1958", 1955, year_to=1958, circa=True) in (
        by_key["TAi.002"].birth_dates
    )
    assert by_key["CDi.004"].birth_dates == (ParsedBirthDate("Nov. 1973", 1973, 11),)
    assert by_key["CDi.014"].birth_dates == (
        ParsedBirthDate("17 Mar 1962", 1962, 3, 17),
        ParsedBirthDate("1966", 1966, circa=True),
    )


def test_document_kinds() -> None:
    assert document_kind("Passport") == "passport"
    assert document_kind("National Identification Number") == "national_identification_number"
    assert document_kind("Numéro de passeport ") == "passport"
    assert document_kind("Número de pasaporte") == "passport"
    assert document_kind("National Identification") == "national_identification_number"
    assert document_kind("Driver's Permit") == "driver_s_permit"
    assert document_kind(None) == "other"


def test_detect_script() -> None:
    assert detect_script("김정은") == "Hang"
    assert detect_script("Рамзан Одуев") == "Cyrl"
    assert detect_script("JAMAAH ANSHARUT DAULAH") == "Latn"
    assert detect_script("123 -") is None


MINIMAL = b"""<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-01-02T03:04:05+01:00">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>42</DATAID>
      <FIRST_NAME> JOHN </FIRST_NAME>
      <THIRD_NAME>DOE</THIRD_NAME>
      <UN_LIST_TYPE>Atlantis</UN_LIST_TYPE>
      <LISTED_ON>2020-05-06-04:00</LISTED_ON>
      <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>
        <NOTE>Atlantean passport number 12, issued 1999</NOTE></INDIVIDUAL_DOCUMENT>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE>
        <YEAR>1970</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_PLACE_OF_BIRTH><CITY>Poseidonis</CITY><COUNTRY>Atlantis</COUNTRY>
      </INDIVIDUAL_PLACE_OF_BIRTH>
      <INDIVIDUAL_ADDRESS><COUNTRY/></INDIVIDUAL_ADDRESS>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES/>
</CONSOLIDATED_LIST>
"""


def test_minimal_record_fallbacks(tmp_path: Path) -> None:
    path = tmp_path / "un.xml"
    path.write_bytes(MINIMAL)
    parsed = read_un_xml(path)
    assert parsed.published_at == dt.datetime(2026, 1, 2, 2, 4, 5, tzinfo=dt.UTC)
    (john,) = parsed.entities
    assert john.source_key == "42"  # no REFERENCE_NUMBER: the DATAID
    assert john.primary_name == "JOHN DOE"
    assert john.names == ()
    assert john.designations == (ParsedDesignation("UN-Atlantis", dt.date(2020, 5, 6)),)
    assert john.identifiers == (
        ParsedIdentifier("passport", "Atlantean passport number 12, issued 1999"),
    )
    assert john.birth_dates == (ParsedBirthDate("1970", 1970, circa=True),)
    assert [(b.place, b.country) for b in john.birth_places] == [
        ("Poseidonis, Atlantis", "Atlantis")
    ]
    assert john.addresses == ()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<CONSOLIDATED_LIST>&lol4;</CONSOLIDATED_LIST>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&xxe;</FIRST_NAME>
</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "external"])
def test_entity_tricks_are_refused(data: bytes) -> None:
    with pytest.raises(ListFormatError, match=r"^evil\.xml .*refused\.$"):
        parse_un_xml(data, location="evil.xml")


def test_truncated_xml_names_the_line() -> None:
    truncated = MINIMAL[: MINIMAL.index(b"<INDIVIDUAL_DOCUMENT>") + 12]
    line = truncated.count(b"\n") + 1
    with pytest.raises(ListFormatError, match=rf"^cut\.xml .* at line {line}: "):
        parse_un_xml(truncated, location="cut.xml")


def test_truncated_gzip_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(UN_FILE.read_bytes()[:50_000])
    with pytest.raises(ListFormatError, match="cut.xml.gz"):
        read_un_xml(path)


@pytest.mark.parametrize(
    "data",
    [b"<sdnList><sdnEntry/></sdnList>", b'<x:CONSOLIDATED_LIST xmlns:x="urn:x"/>'],
)
def test_wrong_root_is_refused(data: bytes) -> None:
    with pytest.raises(ListFormatError, match="^other.xml is not a UN consolidated list"):
        parse_un_xml(data, location="other.xml")


def test_record_without_name_or_key_is_refused() -> None:
    nameless = b"<CONSOLIDATED_LIST><ENTITIES><ENTITY><DATAID>7</DATAID></ENTITY></ENTITIES>"
    with pytest.raises(ListFormatError, match=r"ENTITY record 1 \(7\) has no name"):
        parse_un_xml(nameless + b"</CONSOLIDATED_LIST>", location="f.xml")
    keyless = b"<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>X</FIRST_NAME></ENTITY>"
    with pytest.raises(ListFormatError, match="ENTITY record 1 has neither"):
        parse_un_xml(keyless + b"</ENTITIES></CONSOLIDATED_LIST>", location="f.xml")


def test_repeated_reference_number_is_refused() -> None:
    record = b"<INDIVIDUAL><REFERENCE_NUMBER>A</REFERENCE_NUMBER><FIRST_NAME>X</FIRST_NAME>"
    data = b"<CONSOLIDATED_LIST><INDIVIDUALS>" + (record + b"</INDIVIDUAL>") * 2
    with pytest.raises(ListFormatError, match="lists record A more than once"):
        parse_un_xml(data + b"</INDIVIDUALS></CONSOLIDATED_LIST>", location="f.xml")


def test_a_damaged_un_regime_table_is_refused_naming_the_line(tmp_path: Path) -> None:
    rows = (ROOT / "config/seed/un_regimes.csv").read_text(encoding="utf-8").splitlines()
    table = tmp_path / "un_regimes.csv"
    table.write_text("\n".join([*rows, rows[1]]) + "\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match=rf"line {len(rows) + 1} repeats list type 'DPRK'"):
        regime_table(table)
    table.write_text("\n".join([rows[0], rows[1].replace("UN-1718", "X-1718")]), encoding="utf-8")
    with pytest.raises(ListFormatError, match="line 2 has code 'X-1718', which lacks the UN-"):
        regime_table(table)
