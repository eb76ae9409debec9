from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from watchlist.errors import ListFormatError
from watchlist.models.registry import EntityKind, NameKind, NationalityKind
from watchlist.sources.ofac_xml import (
    OFAC_CONS_SOURCE,
    OFAC_SDN_XML_SOURCE,
    parse_ofac_xml,
    read_ofac_xml,
    source_for,
)
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
    ParsedNationality,
    ParsedRelation,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "ofac"
CONSOLIDATED = DATA / "xml" / "consolidated.xml.gz"
ADVANCED = DATA / "xml" / "cons_advanced_2020-03-17.xml.gz"

NS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"


@pytest.fixture(scope="module")
def consolidated() -> ParsedList:
    return read_ofac_xml(CONSOLIDATED)


def by_key(parsed: ParsedList) -> dict[str, ParsedEntity]:
    return {entity.source_key: entity for entity in parsed.entities}


def document(entries: str, *, namespace: str = NS, date: str = "05/06/2024") -> bytes:
    """A whole document: its Record_Count says how many entries it holds."""
    count = entries.count("<sdnEntry>")
    return (
        f'<?xml version="1.0" standalone="yes"?>\n<sdnList xmlns="{namespace}">\n'
        f"<publshInformation><Publish_Date>{date}</Publish_Date>"
        f"<Record_Count>{count}</Record_Count></publshInformation>\n{entries}\n</sdnList>\n"
    ).encode()


def parse(entries: str, location: str = "sdn.xml", **kwargs: str) -> ParsedList:
    return parse_ofac_xml(document(entries, **kwargs), location=location)


# --- the real file ---------------------------------------------------------------------------


def test_consolidated_counts_source_and_publication_date(consolidated: ParsedList) -> None:
    assert consolidated.source == OFAC_CONS_SOURCE  # by file name
    assert consolidated.published_at == dt.datetime(2024, 5, 6, tzinfo=dt.UTC)
    assert len(consolidated.entities) == 443
    assert Counter(e.kind for e in consolidated.entities) == {
        EntityKind.ORGANIZATION: 364,
        EntityKind.PERSON: 79,
    }
    names = [name for entity in consolidated.entities for name in entity.names]
    assert len(names) == 1126
    assert Counter(name.kind for name in names) == {
        NameKind.AKA: 919,
        NameKind.FKA: 141,
        NameKind.WEAK_AKA: 66,  # 63 weak a.k.a. and 3 weak f.k.a.
    }
    assert all(name.source_key for name in names)
    assert consolidated.programs == ()
    programs = Counter(d.program for e in consolidated.entities for d in e.designations)
    assert programs["UKRAINE-EO13662"] == 287
    assert programs["CAATSA - RUSSIA"] == 1


def test_consolidated_identifier_and_fact_kinds(consolidated: ParsedList) -> None:
    entities = consolidated.entities
    identifiers = Counter(i.kind for e in entities for i in e.identifiers)
    facts = Counter(f.kind for e in entities for f in e.facts)
    assert identifiers["tax_id"] == 211
    assert identifiers["registration_id"] == 209
    assert identifiers["swift_bic"] == 33
    assert identifiers["unified_social_credit_code_uscc"] == 58
    assert identifiers["passport"] == 1
    assert facts["website"] == 177
    assert facts["email"] == 126
    assert facts["secondary_sanctions_risk"] == 289
    assert facts["organization_established_date"] == 30
    assert facts["organization_type"] == 6
    # Directive notes and listing dates describe the listing: facts, not identifiers.
    assert facts["executive_order_13662_directive_determination"] == 307
    assert facts["listing_date_cmic"] == 68
    assert facts["target_type"] == 82
    assert not {"website", "email", "gender", "target_type"} & set(identifiers)
    assert all(len(i.value) <= 200 and len(i.kind) <= 64 for e in entities for i in e.identifiers)
    assert sum(len(e.relations) for e in entities) == 284  # "(Linked To: ...)" in remarks


def test_individual_with_passport_citizenship_and_date_of_birth(
    consolidated: ParsedList,
) -> None:
    person = by_key(consolidated)["26182"]
    assert person.kind is EntityKind.PERSON
    assert person.primary_name == "KAYAKIRAN, Evren"
    assert person.names == ()
    assert person.designations == (ParsedDesignation("FSE-IR"),)
    assert person.identifiers == (ParsedIdentifier("passport", "U00242309", "Turkey"),)
    assert person.gender == "Male"  # from the idList, not an identifier
    assert person.addresses == (ParsedAddress(country="Turkey", source_key="39691"),)
    assert person.nationalities == (ParsedNationality("Turkey", NationalityKind.CITIZENSHIP),)
    assert person.birth_dates == (ParsedBirthDate("08 Feb 1980", 1980, 2, 8),)
    assert person.birth_places == ()
    assert person.facts == ()
    assert person.title is None
    assert person.remarks is None
    assert person.listing_date is None


def test_individual_with_nationality_weak_akas_and_link(consolidated: ParsedList) -> None:
    person = by_key(consolidated)["9647"]
    assert person.primary_name == "ZAHHAR, Mahmoud Khaled"
    assert person.names == (
        ParsedName("AL ZAHAR, Mahmoud Khaled", NameKind.AKA, source_key="9160"),
        ParsedName("ZAHAR, Mahmoud", NameKind.WEAK_AKA, source_key="71276"),
        ParsedName("AL-ZAHAR, Mahmoud", NameKind.WEAK_AKA, source_key="71277"),
    )
    assert person.designations == (ParsedDesignation("NS-PLC"), ParsedDesignation("SDGT"))
    assert person.nationalities == (ParsedNationality("Palestinian", NationalityKind.NATIONALITY),)
    assert person.birth_dates == (ParsedBirthDate("1945", 1945),)
    assert person.birth_places == (ParsedBirthPlace("Gaza Strip"),)
    assert person.facts == (
        ParsedFact(
            "secondary_sanctions_risk",
            "section 1(b) of Executive Order 13224, as amended by Executive Order 13886",
        ),
    )
    assert person.relations == (ParsedRelation("HAMAS", "linked_to"),)
    assert person.remarks == "(Linked To: HAMAS)"


def test_entity_with_weak_aka_fka_ids_address_and_link(consolidated: ParsedList) -> None:
    plant = by_key(consolidated)["18814"]
    assert plant.kind is EntityKind.ORGANIZATION
    assert plant.primary_name == "OTKRYTOE AKTSIONERNOE OBSHCHESTVO KALINOVSKI KHIMICHESKI ZAVOD"
    assert plant.names == (
        ParsedName("KKHZ, OAO", NameKind.WEAK_AKA, source_key="29675"),
        ParsedName(
            "KALINOVO CHEMICAL PLANT OPEN JOINT STOCK COMPANY", NameKind.AKA, source_key="29676"
        ),
        ParsedName(
            "OPEN JOINT-STOCK COMPANY KALINOVSKIY KHIMICHESKIY ZAVOD",
            NameKind.AKA,
            source_key="29677",
        ),
        ParsedName(
            "AKTSIONERNOE OBSHCHESTVO OTKRYTOGO TIPA KALINOVSKI KHIMICHEKI ZAVOD",
            NameKind.FKA,
            source_key="29678",
        ),
    )
    assert plant.designations == (ParsedDesignation("UKRAINE-EO13662"),)
    assert plant.identifiers == (
        ParsedIdentifier("registration_id", "1026601326597"),
        ParsedIdentifier("government_gazette_number", "07511005"),
        ParsedIdentifier("tax_id", "6621001262"),
    )
    assert plant.addresses == (
        ParsedAddress(
            street="d. 8 ul. Lenina P Kalinovo",
            city="Nevyanski Raion",
            region="Sverdlovskaya obl.",
            postal_code="624186",
            country="Russia",
            source_key="28623",
        ),
    )
    assert plant.facts == (
        ParsedFact("executive_order_13662_directive_determination", "Subject to Directive 3"),
        ParsedFact("email", "kcp@uraltc.ru"),
        ParsedFact("website", "http://www.kcplant.ru/"),
        ParsedFact(
            "secondary_sanctions_risk",
            "Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 and/or 589.209",
        ),
    )
    assert plant.relations == (ParsedRelation("STATE CORPORATION ROSTEC", "linked_to"),)
    assert plant.gender is None
    assert plant.birth_dates == ()
    assert plant.nationalities == ()


# --- the rules on small inputs ---------------------------------------------------------------

VESSEL = """
<sdnEntry>
  <uid>15036</uid>
  <lastName>SEA STAR</lastName>
  <sdnType>Vessel</sdnType>
  <programList><program>IRAN</program><program>IRAN</program></programList>
  <idList>
    <id><uid>1</uid><idType>Vessel Registration Identification</idType>
      <idNumber>IMO 9187629</idNumber></id>
    <id><uid>2</uid><idType>MMSI</idType><idNumber>572469210</idNumber></id>
    <id><uid>3</uid><idType>Other Vessel Flag</idType><idNumber>Panama</idNumber></id>
  </idList>
  <vesselInfo>
    <callSign>9HA4567</callSign>
    <vesselType>Crude Oil Tanker</vesselType>
    <vesselFlag>Malta</vesselFlag>
    <vesselOwner>NATIONAL IRANIAN TANKER COMPANY</vesselOwner>
    <tonnage>150000</tonnage>
    <grossRegisteredTonnage>81479</grossRegisteredTonnage>
  </vesselInfo>
</sdnEntry>
"""

INDIVIDUAL = """
<sdnEntry>
  <uid>36</uid>
  <firstName>Ashot</firstName>
  <lastName>MKRTYCHEV</lastName>
  <title>General Director</title>
  <sdnType>Individual</sdnType>
  <remarks>Some remark.</remarks>
  <programList><program>NPWMD</program></programList>
  <idList>
    <id><uid>10</uid><idType>Passport</idType><idNumber>BD3843329</idNumber>
      <idCountry>Slovakia</idCountry><issueDate>08 Apr 2019</issueDate>
      <expirationDate>08 Apr 2029</expirationDate></id>
    <id><uid>11</uid><idType>National ID No.</idType><idNumber>123</idNumber></id>
    <id><uid>12</uid><idType>Gender</idType><idNumber>Male</idNumber></id>
  </idList>
  <akaList>
    <aka><uid>20</uid><type>f.k.a.</type><category>strong</category>
      <lastName>MKRTICHEV</lastName><firstName>Ashot</firstName></aka>
    <aka><uid>21</uid><type>n.k.a.</type><category>strong</category>
      <lastName>MKRTYCHEV</lastName><firstName>A.</firstName></aka>
    <aka><uid>22</uid><type>a.k.a.</type><category>weak</category><lastName>ASH</lastName></aka>
  </akaList>
  <nationalityList><nationality><uid>30</uid><country>Armenia</country></nationality>
  </nationalityList>
  <citizenshipList><citizenship><uid>31</uid><country>Russia</country></citizenship>
  </citizenshipList>
  <dateOfBirthList>
    <dateOfBirthItem><uid>40</uid><dateOfBirth>07 May 1966</dateOfBirth></dateOfBirthItem>
    <dateOfBirthItem><uid>41</uid><dateOfBirth>circa 1960</dateOfBirth></dateOfBirthItem>
    <dateOfBirthItem><uid>42</uid><dateOfBirth>1960 to 1965</dateOfBirth></dateOfBirthItem>
    <dateOfBirthItem><uid>43</uid><dateOfBirth>Sep 1961</dateOfBirth></dateOfBirthItem>
    <dateOfBirthItem><uid>44</uid><dateOfBirth>unknown</dateOfBirth></dateOfBirthItem>
  </dateOfBirthList>
  <placeOfBirthList>
    <placeOfBirthItem><uid>50</uid><placeOfBirth>Baku, Azerbaijan</placeOfBirth>
    </placeOfBirthItem>
  </placeOfBirthList>
  <addressList>
    <address><uid>60</uid><address1>Line 1</address1><address2>Line 2</address2>
      <city>Bratislava</city><postalCode>811 01</postalCode><country>Slovakia</country>
    </address>
  </addressList>
</sdnEntry>
"""


def test_vessel_info_and_imo_number() -> None:
    (vessel,) = parse(VESSEL).entities
    assert vessel.kind is EntityKind.VESSEL
    assert vessel.primary_name == "SEA STAR"
    assert vessel.designations == (ParsedDesignation("IRAN"),)
    assert vessel.identifiers == (
        ParsedIdentifier("imo", "9187629"),
        ParsedIdentifier("mmsi", "572469210"),
        ParsedIdentifier("other_vessel_flag", "Panama"),
        ParsedIdentifier("call_sign", "9HA4567"),
    )
    assert vessel.facts == (
        ParsedFact("vessel_type", "Crude Oil Tanker"),
        ParsedFact("vessel_flag", "Malta"),
        ParsedFact("vessel_owner", "NATIONAL IRANIAN TANKER COMPANY"),
        ParsedFact("tonnage", "150000"),
        ParsedFact("gross_registered_tonnage", "81479"),
    )


def test_individual_names_dates_documents_and_places() -> None:
    (person,) = parse(INDIVIDUAL).entities
    assert person.primary_name == "MKRTYCHEV, Ashot"
    assert person.title == "General Director"
    assert person.remarks == "Some remark."
    assert person.gender == "Male"
    assert person.names == (
        ParsedName("MKRTICHEV, Ashot", NameKind.FKA, source_key="20"),
        ParsedName("MKRTYCHEV, A.", NameKind.NKA, source_key="21"),
        ParsedName("ASH", NameKind.WEAK_AKA, source_key="22"),
    )
    assert person.identifiers == (
        ParsedIdentifier(
            "passport", "BD3843329", "Slovakia", dt.date(2019, 4, 8), dt.date(2029, 4, 8)
        ),
        ParsedIdentifier("national_id", "123"),
    )
    assert person.nationalities == (
        ParsedNationality("Armenia", NationalityKind.NATIONALITY),
        ParsedNationality("Russia", NationalityKind.CITIZENSHIP),
    )
    assert person.birth_dates == (
        ParsedBirthDate("07 May 1966", 1966, 5, 7),
        ParsedBirthDate("circa 1960", 1960, circa=True),
        ParsedBirthDate("1960 to 1965", 1960, year_to=1965),
        ParsedBirthDate("Sep 1961", 1961, 9),
        ParsedBirthDate("unknown"),
    )
    assert person.birth_places == (ParsedBirthPlace("Baku, Azerbaijan", "Azerbaijan"),)
    assert person.addresses == (
        ParsedAddress(
            street="Line 1, Line 2",
            city="Bratislava",
            postal_code="811 01",
            country="Slovakia",
            source_key="60",
        ),
    )


def test_old_namespace_and_source_choice() -> None:
    old = parse(VESSEL, namespace="http://tempuri.org/sdnList.xsd")
    assert old.entities == parse(VESSEL).entities
    assert old.source == OFAC_SDN_XML_SOURCE
    assert parse(VESSEL, location="/tmp/consolidated.xml").source == OFAC_CONS_SOURCE
    chosen = parse_ofac_xml(document(VESSEL), location="x.xml", source=OFAC_CONS_SOURCE)
    assert chosen.source == OFAC_CONS_SOURCE
    assert source_for("https://www.treasury.gov/ofac/downloads/sdn.xml") == OFAC_SDN_XML_SOURCE
    assert source_for("cons_prim.xml") == OFAC_CONS_SOURCE


def test_read_ofac_xml_reads_plain_files(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_bytes(document(INDIVIDUAL))
    parsed = read_ofac_xml(path)
    assert parsed.source == OFAC_SDN_XML_SOURCE
    assert [e.source_key for e in parsed.entities] == ["36"]


# --- malformed and hostile input -------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<sdnList><sdnEntry><uid>1</uid><lastName>&lol3;</lastName></sdnEntry></sdnList>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE sdnList [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<sdnList><sdnEntry><uid>1</uid><lastName>&secret;</lastName></sdnEntry></sdnList>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE sdnList SYSTEM "http://example.org/evil.dtd">
<sdnList><sdnEntry><uid>1</uid><lastName>X</lastName></sdnEntry></sdnList>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_entity_expansion_and_external_entities_are_refused(data: bytes) -> None:
    with pytest.raises(ListFormatError, match=r"^evil\.xml declares a DTD, .*refused\.$"):
        parse_ofac_xml(data, location="evil.xml")


def test_malformed_xml_names_the_line() -> None:
    data = document(VESSEL).replace(b"</vesselType>", b"</vesselTyp>")
    with pytest.raises(ListFormatError) as caught:
        parse_ofac_xml(data, location="sdn.xml")
    message = str(caught.value)
    line = data[: data.index(b"</vesselTyp>")].count(b"\n") + 1
    assert message.startswith(f"sdn.xml cannot be parsed as XML at line {line}: mismatched tag ")


def test_other_xml_root_is_refused() -> None:
    with pytest.raises(
        ListFormatError, match=r"not an OFAC sdnList XML file \(its root is <Sanctions>\)"
    ):
        read_ofac_xml(ADVANCED)


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ("", "sdn.xml holds no sdnEntry records."),
        (
            "<sdnEntry><uid>1</uid><lastName>X</lastName><sdnType>Ship</sdnType></sdnEntry>",
            "sdn.xml sdnEntry uid 1 has unknown sdnType 'Ship'.",
        ),
        (
            "<sdnEntry><lastName>X</lastName><sdnType>Entity</sdnType></sdnEntry>",
            "sdn.xml sdnEntry number 1 has no uid or no lastName.",
        ),
        (VESSEL + VESSEL, "sdn.xml lists uid 15036 more than once."),
    ],
)
def test_malformed_entries_are_refused(entries: str, message: str) -> None:
    with pytest.raises(ListFormatError) as caught:
        parse(entries)
    assert str(caught.value) == message


def test_bad_publish_date_and_empty_document() -> None:
    with pytest.raises(ListFormatError, match="invalid Publish_Date '2024-05-06'"):
        parse(VESSEL, date="2024-05-06")
    with pytest.raises(ListFormatError, match="parsed as XML at line 1: no element found"):
        parse_ofac_xml(b"", location="sdn.xml")
