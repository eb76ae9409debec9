from __future__ import annotations

import datetime as dt
import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from watchlist.errors import InputError, ListFormatError
from watchlist.models.registry import EntityKind, NameKind, NationalityKind
from watchlist.sources.ftm import (
    PROGRAM_DESCRIPTION,
    dataset_of_url,
    dataset_source,
    parse_ftm,
    read_ftm,
)
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
    ParsedProgram,
    ParsedRelation,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "opensanctions"
T1 = DATA / "yente_t1.entities.ftm.json"
ZALA = DATA / "yente_zala.entities.ftm.json"

ZAKHAROV = "NK-aU5ybkbRFJucf8YMwsJvDw"
CST = "NK-abdzbEBkqyT29GyREbiURZ"
KALASHNIKOV = "NK-nR5AXM9AVPq4pQaSPSaVam"
UTC = dt.UTC


@pytest.fixture(scope="module")
def zala() -> ParsedList:
    return read_ftm(ZALA, dataset="zala")


def by_key(parsed: ParsedList) -> dict[str, ParsedEntity]:
    return {entity.source_key: entity for entity in parsed.entities}


def line(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False)


def parse_lines(*lines: str) -> ParsedList:
    return parse_ftm("\n".join(lines).encode(), location="test.ftm.json", dataset="test")


def person(id_: str = "p1", caption: str = "John SMITH", **props: list[str]) -> str:
    return line(id=id_, caption=caption, schema="Person", properties=props)


# --- the real files --------------------------------------------------------------------------


def test_t1_counts_kinds_and_publication_time() -> None:
    parsed = read_ftm(T1)
    assert parsed.source == dataset_source("eu_fsf")  # the one dataset its entities name
    assert (parsed.source.code, parsed.source.label) == (
        "opensanctions_eu_fsf",
        "OpenSanctions eu_fsf",
    )
    assert Counter(e.kind for e in parsed.entities) == {
        EntityKind.PERSON: 4,
        EntityKind.ORGANIZATION: 2,
    }
    assert parsed.programs == ()
    assert parsed.published_at == dt.datetime(2024, 3, 28, 18, 57, 1, tzinfo=UTC)


def test_t1_organization_without_sanction_records() -> None:
    tobacco = by_key(read_ftm(T1))["NK-2GdmHtZTeNXjNVrBGEXZNj"]
    assert tobacco.kind is EntityKind.ORGANIZATION
    assert tobacco.primary_name == "RAB „Inter Tobacco“"
    assert len(tobacco.names) == 11  # twelve `name` values, one of them the caption
    assert all(name.kind is NameKind.AKA for name in tobacco.names)
    assert tobacco.identifiers == (ParsedIdentifier("registration_number", "808000714"),)
    assert tobacco.designations == ()
    assert tobacco.listing_date == dt.date(2023, 4, 20)  # first_seen, for want of a sanction
    assert tobacco.facts == (ParsedFact("topic", "sanction"), ParsedFact("country", "by"))
    assert tobacco.nationalities == ()
    assert tobacco.remarks == "Belarus (Minsk Free Economic Zone)"
    assert tobacco.addresses == ()  # its Address record is not in the file


def test_t1_person_title_gender_birth_place_and_nationality() -> None:
    sojko = by_key(read_ftm(T1))["NK-2Myxbs6wX9xFKGoQn3sLaY"]
    assert sojko.kind is EntityKind.PERSON
    assert sojko.title == "Colonel"
    assert sojko.gender == "male"
    assert [p.place for p in sojko.birth_places] == ["BELARUS, Komsomolskaya"]
    assert sojko.nationalities == (ParsedNationality("by", NationalityKind.NATIONALITY),)


def test_zala_counts_kinds_programs_and_publication_time(zala: ParsedList) -> None:
    # 91 records: 11 companies and 6 persons are entities; 41 sanctions, 14 ownerships,
    # 11 addresses, 4 family links, 3 directorships and 1 passport only feed them.
    assert Counter(e.kind for e in zala.entities) == {
        EntityKind.ORGANIZATION: 11,
        EntityKind.PERSON: 6,
    }
    assert len(zala.programs) == 17
    assert len({p.code for p in zala.programs}) == 17
    assert zala.published_at == dt.datetime(2026, 4, 29, 7, 55, 2, tzinfo=UTC)
    assert all(
        p.description == PROGRAM_DESCRIPTION and p.legal_basis is None for p in zala.programs
    )


def test_zala_alexander_zakharov_field_by_field(zala: ParsedList) -> None:
    zakharov = by_key(zala)[ZAKHAROV]
    assert zakharov.kind is EntityKind.PERSON
    assert zakharov.primary_name == "Alexander Vyacheslavovich ZAKHAROV"
    names = {name.name: name.kind for name in zakharov.names}
    assert len(names) == 16  # 11 names + 7 aliases, less the caption and one repeat
    assert "Alexander Vyacheslavovich ZAKHAROV" not in names
    assert names["ZAKHAROV, Aleksandr Vyacheslavovich"] is NameKind.AKA
    assert names["Zakharov Oleksandr Viacheslavovych"] is NameKind.AKA  # an alias
    assert zakharov.birth_dates == (ParsedBirthDate("1965-09-21", 1965, 9, 21),)
    assert len(zakharov.birth_places) == 7
    assert zakharov.birth_places[-1].place == "Izhevsk"
    assert zakharov.nationalities == (
        ParsedNationality("ru", NationalityKind.NATIONALITY),
        ParsedNationality("ru", NationalityKind.CITIZENSHIP),
    )
    assert zakharov.gender == "male"
    assert zakharov.title is None
    # The Passport record names him as holder but gives no number.
    assert zakharov.identifiers == (
        ParsedIdentifier("tax_id", "183111242406"),
        ParsedIdentifier("inn", "183111242406"),
    )
    assert zakharov.addresses == (
        ParsedAddress(
            street="272 Pushkinskaya Street, Apt 41, Izhevsk, 426008",
            country="ru",
            source_key="addr-a300b5bf407e387d2cf1f1a2f74b8178edde276e",
        ),
        ParsedAddress(street="IZHEVSK, 426008", country="ru"),
    )
    assert zakharov.facts == (
        ParsedFact("position", "Propriétaire de LLC CST"),
        ParsedFact("position", "Owner of LLC CST"),
        ParsedFact("topic", "debarment"),
        ParsedFact("topic", "corp.disqual"),
        ParsedFact("topic", "sanction"),
        ParsedFact("country", "ru"),
    )
    assert zakharov.remarks is not None
    assert zakharov.remarks.startswith("The Director Disqualification Sanction was imposed")
    assert zakharov.listing_date == dt.date(2023, 7, 1)  # the earliest sanction start


def test_zala_zakharov_sanctions_become_dated_designations(zala: ParsedList) -> None:
    designations = {d.program: d.designated_on for d in by_key(zala)[ZAKHAROV].designations}
    assert designations == {
        "EU-UKR": dt.date(2025, 2, 24),
        "SECO-UKRAINE": dt.date(2025, 3, 4),
        "FTM-COUNCIL-OF-THE-EUROPEAN-UNION": None,  # no program, no id: named by authority
        "FTM-THE-INSOLVENCY-SERVICE": dt.date(2025, 4, 9),
        "GB-RUS": dt.date(2023, 12, 6),
        "FTM-LA-PRINCIPAUTE-DE-MONACO": None,
        "NZ-RSA2022": dt.date(2025, 6, 19),
        "US-RUSHAR": None,
        "UA-SA1644": dt.date(2023, 7, 1),
        "FTM-RECIPROCAL": dt.date(2023, 11, 2),  # two Sanction records, one designation
    }


def test_zala_zakharov_relations(zala: ParsedList) -> None:
    relations = by_key(zala)[ZAKHAROV].relations
    assert len(relations) == len(set(relations)) == 14
    family = {r.object_key for r in relations if r.relation == "family"}
    assert family == {
        "NK-JseaPJctnK9o8wrmz8xmoT",
        "NK-hUAjuiA3vTKXF6v2X6MYnS",
        "NK-2Tbri3s6GgNtAwsSXh4qpL",
        "NK-DQ98GPMgdVH8DSZd8g9Xtc",
    }
    assert ParsedRelation("LLC CST", "director_of", CST) in relations
    assert ParsedRelation("LLC CST", "owner_of", CST) in relations  # four Ownership records
    assert (
        ParsedRelation('Акціонерне товариство "Зала Аеро"', "owner_of", "NK-cPks3aTbes8k4aCerfBAzN")
        in relations
    )
    assert sum(r.relation == "owner_of" for r in relations) == 8
    assert sum(r.relation == "director_of" for r in relations) == 2


def test_zala_llc_cst_alias_zala_aero(zala: ParsedList) -> None:
    cst = by_key(zala)[CST]
    assert cst.kind is EntityKind.ORGANIZATION
    assert cst.primary_name == "LLC CST"
    names = {name.name: name.kind for name in cst.names}
    assert names["Zala Aero"] is NameKind.AKA
    assert names["TsST LLC"] is NameKind.WEAK_AKA
    # Listed as alias and as weak alias: the stronger kind wins.
    assert names["Limited Liability Company CST"] is NameKind.AKA
    assert "LLC CST" not in names
    designations = {d.program: d.designated_on for d in cst.designations}
    assert len(designations) == 16
    assert designations["UA-SA1644"] == dt.date(2021, 10, 30)  # earliest of three sanctions
    assert designations["SECO-UKRAINE"] == dt.date(2023, 6, 28)
    assert designations["US-RUSHAR"] is None
    assert designations["UA-WS-UAVS"] is None
    assert cst.listing_date == dt.date(2021, 10, 30)
    assert ParsedIdentifier("ogrn", "1101841007938") in cst.identifiers
    assert ParsedIdentifier("inn", "1841015504") in cst.identifiers
    assert ParsedFact("website", "http://zala-aero.com/") in cst.facts
    assert ParsedFact("email", "info@zala.aero") in cst.facts
    assert ParsedFact("incorporation_date", "2010-12-24") in cst.facts
    assert ParsedFact("country", "ru") in cst.facts
    assert cst.nationalities == ()
    owners = {r.object_key for r in cst.relations if r.relation == "owned_by"}
    assert owners == {
        KALASHNIKOV,
        ZAKHAROV,
        "NK-DSxJ9ZzHxBBMyEMnnTBhai",
        "NK-DQ98GPMgdVH8DSZd8g9Xtc",
    }
    assert ParsedRelation("JSC Kalashnikov Concern", "owned_by", KALASHNIKOV) in cst.relations
    # Address records come first, then the text addresses not already given by one.
    assert cst.addresses[0].source_key == "addr-1792725a5f4435b80bd24a4421634aeeb3c513f8"
    streets = [a.street for a in cst.addresses]
    assert len(streets) == len(set(streets))


def test_zala_programs_from_sanction_records(zala: ParsedList) -> None:
    programs = {p.code: p for p in zala.programs}
    assert programs["US-RUSHAR"] == ParsedProgram(
        code="US-RUSHAR",
        name="RUSSIA-EO14024",
        authority="Office of Foreign Assets Control",
        legal_basis=None,
        description=PROGRAM_DESCRIPTION,
        url="https://www.treasury.gov/resource-center/sanctions/Pages/default.aspx",
    )
    assert programs["FTM-RECIPROCAL"].name == "Reciprocal"
    assert programs["FTM-RECIPROCAL"].authority == "OFAC"
    assert programs["FTM-LA-PRINCIPAUTE-DE-MONACO"].name == "FTM-LA-PRINCIPAUTE-DE-MONACO"
    # The first sanction naming EU-UKR gives no program name; a later one does.
    assert programs["EU-UKR"].name == "UKR"
    assert all(len(code) <= 64 for code in programs)


def test_zala_entity_without_sanction_records_keeps_its_program_ids(zala: ParsedList) -> None:
    zala_jsc = by_key(zala)["NK-cPks3aTbes8k4aCerfBAzN"]
    assert zala_jsc.designations == (
        ParsedDesignation("UA-WS-MILIND"),
        ParsedDesignation("UA-SA1644"),
        ParsedDesignation("UA-WS-UAVS"),
    )
    assert zala_jsc.listing_date == dt.date(2025, 8, 17)  # first_seen


def test_zala_passport_number_property(zala: ParsedList) -> None:
    lavrentiy = by_key(zala)["NK-hUAjuiA3vTKXF6v2X6MYnS"]
    assert lavrentiy.identifiers == (ParsedIdentifier("passport", "089132114"),)


def test_read_ftm_reads_gzip(tmp_path: Path) -> None:
    path = tmp_path / "t1.ftm.json.gz"
    path.write_bytes(gzip.compress(T1.read_bytes()))
    assert read_ftm(path).entities == read_ftm(T1).entities


# --- the rules on small inputs ---------------------------------------------------------------


def test_passport_address_and_links_to_records_not_in_the_file() -> None:
    parsed = parse_lines(
        person(addressEntity=["a1", "missing"], previousName=["Old NAME"], weakAlias=["Johnny"]),
        line(
            id="doc1",
            schema="Passport",
            properties={
                "holder": ["p1"],
                "number": ["X123"],
                "country": ["gb"],
                "startDate": ["2015-01-02"],
                "endDate": ["2025-01-01"],
            },
        ),
        line(
            id="a1",
            schema="Address",
            properties={"street": ["1 High St"], "city": ["London"], "postalCode": ["N1"]},
        ),
        line(id="own1", schema="Ownership", properties={"owner": ["p1"], "asset": ["c9"]}),
    )
    (entity,) = parsed.entities
    assert entity.names == (
        ParsedName("Old NAME", NameKind.FKA),
        ParsedName("Johnny", NameKind.WEAK_AKA),
    )
    assert entity.identifiers == (
        ParsedIdentifier("passport", "X123", "gb", dt.date(2015, 1, 2), dt.date(2025, 1, 1)),
    )
    assert entity.addresses == (
        ParsedAddress(street="1 High St", city="London", postal_code="N1", source_key="a1"),
    )
    assert entity.relations == (ParsedRelation("c9", "owner_of", "c9"),)
    assert entity.listing_date is None
    assert parsed.published_at is None


def test_vessel_and_airplane_kinds_and_partial_birth_dates() -> None:
    parsed = parse_lines(
        person(birthDate=["1970", "1971-05"], country=["ir", "iq"]),
        line(id="v1", caption="SEA STAR", schema="Vessel", properties={"imoNumber": ["9187629"]}),
        line(id="ac1", schema="Airplane", properties={"name": ["EP-ABC"]}),
    )
    people, vessel, plane = parsed.entities
    assert people.birth_dates == (
        ParsedBirthDate("1970", 1970),
        ParsedBirthDate("1971-05", 1971, 5),
    )
    # A person's plain `country` stands in for a nationality only when none is given.
    assert [n.country for n in people.nationalities] == ["ir", "iq"]
    assert people.addresses == ()
    assert vessel.kind is EntityKind.VESSEL
    assert vessel.identifiers == (ParsedIdentifier("imo", "9187629"),)
    assert plane.kind is EntityKind.AIRCRAFT
    assert plane.primary_name == "EP-ABC"  # no caption: the first name


def test_sanction_program_codes_without_program_id() -> None:
    parsed = parse_lines(
        person(),
        line(
            id="s1",
            schema="Sanction",
            properties={
                "entity": ["p1"],
                "program": ["Syria: Regime (Sanctions) Régulations"],
                "authority": ["HM Treasury"],
                "startDate": ["2020-03-04T00:00:00"],
                "sourceUrl": ["https://example.org/s1"],
            },
        ),
        line(id="s2", schema="Sanction", properties={"entity": ["p1"], "startDate": ["2019"]}),
    )
    (entity,) = parsed.entities
    code = "FTM-SYRIA-REGIME-SANCTIONS-REGULATIONS"
    assert entity.designations == (
        ParsedDesignation(code, dt.date(2020, 3, 4)),
        ParsedDesignation("FTM-UNKNOWN"),  # a year alone is no designation date
    )
    assert entity.listing_date == dt.date(2020, 3, 4)
    assert parsed.programs[0] == ParsedProgram(
        code=code,
        name="Syria: Regime (Sanctions) Régulations",
        authority="HM Treasury",
        description=PROGRAM_DESCRIPTION,
        url="https://example.org/s1",
    )
    assert parsed.programs[1].authority == "unknown"


def test_published_at_is_the_latest_change_in_utc() -> None:
    parsed = parse_lines(
        line(id="a", caption="A", schema="Company", last_change="2024-01-01T10:00:00"),
        line(id="b", caption="B", schema="Company", last_change="2024-01-02T01:00:00+02:00"),
    )
    assert parsed.published_at == dt.datetime(2024, 1, 1, 23, 0, tzinfo=UTC)


# --- malformed input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "test.ftm.json holds no entities."),
        (b"\n  \n", "test.ftm.json holds no entities."),
        (
            b'{"id": "p1", "schema": "Person"}\n{"id": "p2", oops}\n',
            "test.ftm.json line 2 is not valid JSON",
        ),
        (b'["p1", "Person"]\n', "test.ftm.json line 1 is not a FollowTheMoney entity"),
        (b'{"id": "p1", "caption": "X"}\n', "test.ftm.json line 1 is not a FollowTheMoney entity"),
        (
            b'{"id": "", "schema": "Person"}\n',
            "test.ftm.json line 1 is not a FollowTheMoney entity",
        ),
        (
            b'{"id": "p1", "schema": "Person", "properties": {"name": "X"}}\n',
            "test.ftm.json line 1 has malformed properties",
        ),
        (
            b'{"id": "p1", "schema": "Person", "caption": "A"}\n{"id": "p1", "schema": "Company"}',
            "test.ftm.json line 2 repeats entity id 'p1' (first on line 1)",
        ),
        (b'{"id": "p1", "schema": "Person"}\n', "test.ftm.json line 1 entity 'p1' has no caption"),
        (
            b'{"id": "a1", "schema": "Address", "properties": {"full": ["x"]}}\n',
            "test.ftm.json holds no entities (no person, organization, vessel or aircraft)",
        ),
        (
            b'{"id": "p1", "schema": "Person", "caption": "\xff"}\n',
            "test.ftm.json line 1 is not valid utf-8",
        ),
    ],
)
def test_malformed_input_is_refused_with_file_and_line(data: bytes, message: str) -> None:
    with pytest.raises(ListFormatError) as caught:
        parse_ftm(data, location="test.ftm.json", dataset="test")
    assert message in str(caught.value)


def test_line_separator_inside_a_json_string_does_not_split_the_line() -> None:
    parsed = parse_lines(person(notes=["first\u2028second"]))
    assert parsed.entities[0].remarks == "first\u2028second"


def test_missing_file_is_a_list_format_error(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="does not exist"):
        read_ftm(tmp_path / "nope.json")


# --- datasets: each is its own source ----------------------------------------------------------


def test_a_file_of_several_datasets_is_the_dataset_its_name_says(tmp_path: Path) -> None:
    assert read_ftm(ZALA).source.code == "opensanctions_yente_zala"
    generic = tmp_path / "entities.ftm.json"  # how OpenSanctions names every export
    generic.write_bytes(ZALA.read_bytes())
    with pytest.raises(ListFormatError) as caught:
        read_ftm(generic)
    message = str(caught.value)
    assert message.startswith(str(generic)) and "--dataset" in message


def test_records_naming_no_dataset_are_the_dataset_of_the_file_name() -> None:
    data = (person() + "\n").encode()
    assert parse_ftm(data, location="/x/My Watch-List.ftm.json").source.code == (
        "opensanctions_my_watch_list"
    )
    with pytest.raises(ListFormatError, match="names no one dataset.* --dataset"):
        parse_ftm(data, location="https://example.org/entities.ftm.json?x=1")
    assert parse_ftm(data, location="entities.ftm.json", dataset="mine").source.code == (
        "opensanctions_mine"
    )


def test_one_shared_dataset_names_the_source_and_the_option_wins() -> None:
    shared = line(id="p1", caption="A B", schema="Person", properties={}, datasets=["eu_fsf"])
    other = line(id="p2", caption="C D", schema="Person", properties={},
                 datasets=["eu_fsf", "us_ofac_sdn"])  # fmt: skip
    data = f"{shared}\n{other}\n".encode()
    assert parse_ftm(data, location="x").source.code == "opensanctions_eu_fsf"
    assert parse_ftm(data, location="x", dataset="t1").source.code == "opensanctions_t1"


@pytest.mark.parametrize("name", ["EU FSF", "../etc", "", "x" * 49])
def test_a_dataset_name_must_be_an_opensanctions_name(name: str) -> None:
    with pytest.raises(InputError, match="not an OpenSanctions dataset name"):
        read_ftm(T1, dataset=name)


def test_an_opensanctions_url_names_its_dataset() -> None:
    url = "https://data.opensanctions.org/datasets/latest/sanctions/entities.ftm.json"
    assert dataset_of_url(url) == "sanctions"
    assert dataset_of_url("https://example.org/entities.ftm.json") is None
