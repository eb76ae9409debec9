"""The EU FSF importer on the real 2026-08-05 excerpt and on damaged copies of it."""

from __future__ import annotations

import csv
import datetime as dt
import tomllib
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.conftest import ROOT
from tests.eu_excerpt import (
    EU_FILE,
    REAL_KEYS,
    SYNTHETIC_KEY,
    edit_entity,
    entity_block,
    real_excerpt,
    verbatim,
)
from watchlist.errors import ListFormatError
from watchlist.lists import updates
from watchlist.models.registry import EntityKind, NameKind, NationalityKind
from watchlist.sources import eu_fsf, eu_programmes, formats
from watchlist.sources.eu_fsf import EU_SOURCE, parse_eu_fsf, read_eu_fsf
from watchlist.sources.ofac_remarks import parse_remarks
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
)
from watchlist.sources.un_xml import document_kind

SEED = ROOT / "config/seed"


@pytest.fixture(scope="module")
def eu_list() -> ParsedList:
    return parse_eu_fsf(real_excerpt(), location="eu_sample.xml")


@pytest.fixture(scope="module")
def by_key(eu_list: ParsedList) -> dict[str, ParsedEntity]:
    return {entity.source_key: entity for entity in eu_list.entities}


def parse(data: bytes) -> ParsedList:
    return parse_eu_fsf(data, location="eu.xml")


def refusal(data: bytes) -> str:
    """The one-sentence refusal of a damaged export."""
    with pytest.raises(ListFormatError) as caught:
        parse(data)
    message = str(caught.value)
    assert message.startswith("eu.xml ") and message.endswith(".") and "\n" not in message
    return message


def test_the_verbatim_excerpt_is_refused_for_its_synthetic_nameless_entity() -> None:
    with pytest.raises(ListFormatError, match=rf"sanctionEntity {SYNTHETIC_KEY} has no name\.$"):
        read_eu_fsf(EU_FILE)
    assert b"synthetic" in verbatim() and b"synthetic" not in real_excerpt()


def test_counts_source_programs_and_date(eu_list: ParsedList) -> None:
    assert tuple(e.source_key for e in eu_list.entities) == REAL_KEYS
    kinds = Counter(entity.kind for entity in eu_list.entities)
    assert kinds == {EntityKind.PERSON: 2, EntityKind.ORGANIZATION: 2}
    assert eu_list.source == EU_SOURCE
    assert (EU_SOURCE.code, EU_SOURCE.label, EU_SOURCE.authority) == (
        "eu_fsf",
        "EU",
        "European Union",
    )
    assert [p.code for p in eu_list.programs] == ["EU-IRQ", "EU-TAQA", "EU-TERR"]
    assert all(p.authority == "European Union" and p.legal_basis for p in eu_list.programs)
    assert eu_list.published_at == dt.datetime(2026, 8, 5, 14, 47, 4, 449000, tzinfo=dt.UTC)


def test_saddam_hussein_field_by_field(by_key: dict[str, ParsedEntity]) -> None:
    saddam = by_key["13"]
    assert saddam.kind is EntityKind.PERSON
    assert saddam.primary_name == "Saddam Hussein Al-Tikriti"
    assert saddam.names == (
        ParsedName("Abu Ali", NameKind.AKA, source_key="19"),
        ParsedName("Abou Ali", NameKind.AKA, lang="fr", source_key="380"),
    )
    assert saddam.designations == (ParsedDesignation("EU-IRQ", dt.date(2003, 7, 8)),)
    assert saddam.listing_date == dt.date(2003, 7, 8)  # published listing act, not an amendment
    assert saddam.birth_dates == (ParsedBirthDate("28 Apr 1937", 1937, 4, 28),)
    assert saddam.birth_places == (ParsedBirthPlace("al-Awja, near Tikrit, IRAQ", "IQ"),)
    assert saddam.nationalities == (ParsedNationality("IQ", NationalityKind.CITIZENSHIP),)
    assert saddam.gender == "Male"
    assert saddam.remarks == "UNSC RESOLUTION 1483"
    assert ParsedFact("eu_reference_number", "EU.27.28") in saddam.facts
    act = next(f.value for f in saddam.facts if f.kind == "eu_regulation")
    assert act.startswith(
        "1210/2003 (OJ L169), type regulation, programme IRQ, published 2003-07-08"
    )


def test_amended_listing_keeps_no_made_up_date_and_reads_the_passport(
    by_key: dict[str, ParsedEntity],
) -> None:
    person = by_key["191"]
    assert person.primary_name == "Bin Khalid Fahd Bin Adballah"  # the first strong alias
    assert ("Khalid Sheikh MOHAMMED", NameKind.AKA) in [(n.name, n.kind) for n in person.names]
    assert person.designations == (ParsedDesignation("EU-TERR", None),)  # only an amendment
    assert person.listing_date is None
    assert person.identifiers == (
        ParsedIdentifier("passport", "488555", country=None, remarks="National passport"),
    )  # country "00" is the export's UNKNOWN
    assert [b.text for b in person.birth_dates] == ["14 Apr 1965", "01 Mar 1964"]
    assert person.birth_places == (ParsedBirthPlace("PAKISTAN", "PK"),)  # city "-" is no city


def test_enterprise_addresses_contacts_and_non_latin_alias(by_key: dict[str, ParsedEntity]) -> None:
    grf = by_key["980"]
    assert grf.kind is EntityKind.ORGANIZATION
    assert grf.addresses[1] == ParsedAddress(
        street="9935 South 76th Avenue, Unit 1",
        city="Bridgeview, Illinois",
        postal_code="60455",
        country="US",
    )
    trust = by_key["330"]
    assert trust.listing_date == dt.date(2001, 10, 6)  # designationDate
    assert trust.designations == (ParsedDesignation("EU-TAQA", dt.date(2001, 10, 6)),)
    assert len(trust.addresses) == 11
    bulgarian = next(n for n in trust.names if n.lang == "bg")
    assert bulgarian == ParsedName(
        "Организация за подпомагане на Ulema, Пакистан",
        NameKind.AKA,
        script="Cyrl",
        lang="bg",
        source_key="7393",
    )
    assert ParsedFact("fax", "662 38 14") in trust.facts
    phones = [f.value for f in trust.facts if f.kind == "phone"]
    assert len(phones) == 5 and "668 33 01; 0300- 820 91 99" in phones
    remark = next(n.remarks for n in trust.names if n.name == "Al Rashid Trust")
    assert remark is not None and "consolidated into this entry on 21 October 2008." in remark
    assert "\n" not in remark


def test_weak_alias_and_marked_primary() -> None:
    weak = edit_entity(real_excerpt(), "13", b'wholeName="Abu Ali" function="" title="" '
                       b'nameLanguage="" strong="true"', b'wholeName="Abu Ali" function="" '
                       b'title="" nameLanguage="" strong="false"')  # fmt: skip
    saddam = next(e for e in parse(weak).entities if e.source_key == "13")
    assert saddam.names[0] == ParsedName("Abu Ali", NameKind.WEAK_AKA, source_key="19")
    marked = edit_entity(real_excerpt(), "191", b'wholeName="Khalid Sheikh MOHAMMED"',
                         b'wholeName="Khalid Sheikh MOHAMMED" primary="true"')  # fmt: skip
    person = next(e for e in parse(marked).entities if e.source_key == "191")
    assert person.primary_name == "Khalid Sheikh MOHAMMED"
    assert "Bin Khalid Fahd Bin Adballah" in [n.name for n in person.names]


def test_birthdate_parts_circa_and_year_range() -> None:
    saddam_birth = b'birthdate="1937-04-28" dayOfMonth="28" monthOfYear="4" year="1937"'

    def births(new: bytes, circa: bytes = b"false") -> tuple[ParsedBirthDate, ...]:
        data = edit_entity(real_excerpt(), "13", saddam_birth, new)
        data = edit_entity(data, "13", b'circa="false"', b'circa="' + circa + b'"')
        return next(e for e in parse(data).entities if e.source_key == "13").birth_dates

    assert births(b'dayOfMonth="28" monthOfYear="4" year="1937"') == (
        ParsedBirthDate("28 Apr 1937", 1937, 4, 28),
    )
    assert births(b'year="1937"', circa=b"true") == (ParsedBirthDate("1937", 1937, circa=True),)
    assert births(b'monthOfYear="4" year="1937"') == (ParsedBirthDate("Apr 1937", 1937, 4),)
    assert births(b'yearRangeFrom="1935" yearRangeTo="1938"') == (
        ParsedBirthDate("1935 to 1938", 1935, year_to=1938),
    )


def test_identification_kinds_match_the_other_importers() -> None:
    """The cross-list linker compares passports and national IDs by kind and number."""
    ofac = parse_remarks("Passport 1 (Iraq); National ID No. 2 (Iraq).").identifiers
    passport_kind, national_kind = (identifier.kind for identifier in ofac)
    assert document_kind("Passport") == passport_kind
    passport = b'identificationTypeCode="passport"'
    for code, expected in ((b"passport", passport_kind), (b"id", national_kind)):
        data = edit_entity(
            real_excerpt(), "191", passport, b'identificationTypeCode="' + code + b'"'
        )
        person = next(e for e in parse(data).entities if e.source_key == "191")
        assert [(i.kind, i.value) for i in person.identifiers] == [(expected, "488555")]


def test_identification_country_and_dates() -> None:
    data = edit_entity(
        real_excerpt(), "191", b'countryIso2Code="00"',
        b'countryIso2Code="PK" issueDate="2001-02-03" validTo="2006-02-02" knownFalse="true"',
    )  # fmt: skip
    data = data.replace(b'knownFalse="false" ', b"", 1)
    person = next(e for e in parse(data).entities if e.source_key == "191")
    passport = person.identifiers[0]
    assert (passport.country, passport.issued_on, passport.expires_on) == (
        "PK", dt.date(2001, 2, 3), dt.date(2006, 2, 2),
    )  # fmt: skip
    assert passport.remarks == "National passport; known false"


def test_unknown_programme_is_kept_without_a_described_program() -> None:
    data = edit_entity(real_excerpt(), "980", b'programme="TAQA"', b'programme="ZZZ"')
    parsed = parse(data)
    grf = next(e for e in parsed.entities if e.source_key == "980")
    assert grf.designations == (ParsedDesignation("EU-ZZZ", None),)
    assert "EU-ZZZ" not in {p.code for p in parsed.programs}


def test_registered_as_a_format() -> None:
    assert "eu-fsf-xml" in formats.FORMATS
    assert formats.SOURCE_CODES["eu-fsf-xml"] == EU_SOURCE.code
    list_file = formats.ListFile("eu-fsf-xml", "x.xml", {"main": real_excerpt()})
    assert len(formats.parse(list_file).entities) == 4


# Damaged input: each refused with one sentence naming the file and, where it can, the record.

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE export [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<export xmlns="http://eu.europa.ec/fpi/fsd/export">&lol3;</export>
"""


def test_entity_bomb_and_external_entity_are_refused() -> None:
    assert "declares a DTD" in refusal(BILLION_LAUGHS)
    header = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    xxe = (
        real_excerpt()
        .replace(header, header + b'<!DOCTYPE export [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n')
        .replace(b'wholeName="Abu Ali"', b'wholeName="&x;"')
    )
    assert refusal(xxe).endswith("never does; refused.")


def test_truncated_export_names_the_line() -> None:
    data = real_excerpt()
    cut = data[: data.index(b"<address ") + 40]
    line = cut.count(b"\n") + 1
    assert f"cannot be parsed as XML at line {line}: " in refusal(cut)


def test_wrong_root_is_refused() -> None:
    un = b"<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>"
    assert "is not an EU Financial Sanctions Files export (root element <CONSOLIDATED_LIST>" in (
        refusal(un)
    )
    other = real_excerpt().replace(b"http://eu.europa.ec/fpi/fsd/export", b"urn:other", 1)
    assert "in namespace urn:other" in refusal(other)


def test_duplicate_logical_id_is_refused() -> None:
    data = real_excerpt()
    twice = data.replace(b"</export>", entity_block(data, "980") + b"</export>")
    assert refusal(twice) == "eu.xml lists sanctionEntity logicalId 980 more than once."


@pytest.mark.parametrize(
    ("key", "old", "new", "sentence"),
    [
        ("13", b'publicationDate="2003-07-08" entryIntoForceDate',
         b'publicationDate="2003-02-30" entryIntoForceDate',
         "eu.xml sanctionEntity 13 has an invalid publicationDate date '2003-02-30' "
         "(expected YYYY-MM-DD)."),
        ("13", b'birthdate="1937-04-28"', b'birthdate="28/04/1937"',
         "eu.xml sanctionEntity 13 has an invalid birthdate date '28/04/1937' "
         "(expected YYYY-MM-DD)."),
        ("191", b'birthdate="1964-03-01" dayOfMonth="1" monthOfYear="3"',
         b'dayOfMonth="31" monthOfYear="2"',
         "eu.xml sanctionEntity 191 has an invalid birth date 1964-02-31."),
        ("330", b'designationDate="2001-10-06"', b'designationDate="2001-10"',
         "eu.xml sanctionEntity 330 has an invalid designationDate date '2001-10' "
         "(expected YYYY-MM-DD)."),
        ("980", b'code="enterprise"', b'code="vessel"',
         "eu.xml sanctionEntity 980 has an unknown subjectType 'vessel'."),
    ],
)  # fmt: skip
def test_bad_values_name_the_record(key: str, old: bytes, new: bytes, sentence: str) -> None:
    assert refusal(edit_entity(real_excerpt(), key, old, new)) == sentence


def test_identification_without_a_number_keeps_its_remark_or_is_left_out() -> None:
    numberless = edit_entity(real_excerpt(), "191", b'number="488555"', b'number=""')
    person = next(e for e in parse(numberless).entities if e.source_key == "191")
    assert person.identifiers == ()
    noted = edit_entity(numberless, "191", b'<regulationSummary regulationType="repealing"',
                        b'<remark>number withheld</remark><regulationSummary '
                        b'regulationType="repealing"')  # fmt: skip
    person = next(e for e in parse(noted).entities if e.source_key == "191")
    assert [(i.kind, i.value) for i in person.identifiers] == [("passport", "number withheld")]


def test_empty_export_is_refused() -> None:
    data = real_excerpt()
    empty = data[: data.index(b"  <!-- entity 13")] + b"</export>\n"
    assert refusal(empty) == "eu.xml holds no sanctionEntity; an EU export never is empty."


def test_bad_generation_date_and_missing_key_are_refused() -> None:
    stamp = b'generationDate="2026-08-05T16:47:04.449+02:00"'
    bad_stamp = real_excerpt().replace(stamp, b'generationDate="5 August 2026"')
    assert refusal(bad_stamp) == "eu.xml has an invalid generationDate '5 August 2026'."
    keyless = edit_entity(real_excerpt(), "980", b'euReferenceNumber="EU.589.30" logicalId="980"',
                          b'euReferenceNumber="EU.589.30"')  # fmt: skip
    assert refusal(keyless) == "eu.xml has a sanctionEntity without a logicalId."


# The programme table.


def test_programme_table_covers_the_excerpt_and_prefixes_codes() -> None:
    table = eu_programmes.read_programmes()
    assert len(table) >= 40
    assert {"IRQ", "TAQA", "TERR", "RUS", "PRK", "IRN", "UKR", "SYR", "BLR"} <= table.keys()
    for programme, program in table.items():
        assert program.code == f"EU-{programme}" and program.authority == "European Union"
    assert table["RUS"].legal_basis == (
        "Council Regulation (EU) No 833/2014; Council Decision 2014/512/CFSP"
    )
    with SEED.joinpath("eu_programmes.csv").open(encoding="utf-8") as handle:
        unsure = [row for row in csv.DictReader(handle) if not row["legal_basis"]]
    assert unsure and all(row["note"] for row in unsure)  # an unknown basis says why
    assert all(table[row["programme"]].legal_basis is None for row in unsure)


def test_seed_describes_the_ukraine_regime_under_the_exports_code() -> None:
    seed = tomllib.loads(SEED.joinpath("programs.toml").read_text())
    codes = {program["code"]: program for program in seed["program"]}
    assert "EU-269/2014" not in codes
    ukr = eu_programmes.read_programmes()["UKR"]
    assert (codes["EU-UKR"]["name"], codes["EU-UKR"]["legal_basis"]) == (ukr.name, ukr.legal_basis)


def test_programme_table_refuses_a_bad_row(tmp_path: Path) -> None:
    table = tmp_path / "eu_programmes.csv"
    table.write_text(",".join(eu_programmes.COLUMNS) + "\nRUS,RUS,Russia,,,\n")
    with pytest.raises(ListFormatError, match=r"line 2 must give code 'EU-RUS'\.$"):
        eu_programmes.read_programmes(table)


# Every attribute of the real excerpt is read or deliberately ignored.

# Read only when a fuller value is absent (covered by the birthdate and weak-alias tests).
SHADOWED = {
    "birthdate/@dayOfMonth",  # the full birthdate attribute wins
    "birthdate/@monthOfYear",
    "birthdate/@year",
    "nameAlias/@firstName",  # wholeName wins
    "nameAlias/@lastName",
}


def changed_value(element: str, attribute: str, value: str) -> str:
    """Another valid value of the same kind, so that reading it must change the parsed list."""
    flips = {"true": "false", "false": "true", "person": "enterprise", "regulation": "amendment"}
    if value in flips:
        return flips[value]
    if attribute == "countryIso2Code":
        return "FR"
    if attribute == "generationDate":
        return value.replace("2026", "2025", 1)
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        return (dt.date.fromisoformat(value) + dt.timedelta(days=1)).isoformat()
    if value.isdigit():
        return str(int(value) + 1)
    return value + "x"


def test_every_attribute_of_the_excerpt_is_read_or_declared_ignored() -> None:
    """Changing any attribute (on at least one of its elements) changes the parsed list."""
    tree = ElementTree.ElementTree(ElementTree.fromstring(real_excerpt()))
    baseline = parse(ElementTree.tostring(tree.getroot()))
    seen: set[str] = set()
    read: set[str] = set()
    for element in tree.iter():
        tag = element.tag.rpartition("}")[2]
        if tag in eu_fsf.IGNORED_ELEMENTS:
            continue
        for attribute, value in list(element.attrib.items()):
            path = f"{tag}/@{attribute}"
            ignored = {path, f"*/@{attribute}"} & (eu_fsf.IGNORED_ATTRIBUTES | SHADOWED)
            if not value or path in read or ignored:
                continue
            seen.add(path)
            element.set(attribute, changed_value(tag, attribute, value))
            if parse(ElementTree.tostring(tree.getroot())) != baseline:
                read.add(path)
            element.set(attribute, value)
    assert sorted(seen - read) == []
    assert {path.partition("/")[0] for path in read} == {  # every kind of element took part
        "export", "sanctionEntity", "regulation", "subjectType", "nameAlias", "citizenship",
        "birthdate", "identification", "address", "contactInfo",
    }  # fmt: skip
    for tag in ("remark", "publicationUrl"):  # element text, not attributes
        element = next(e for e in tree.iter() if e.tag.endswith("}" + tag))
        element.text = (element.text or "") + "x"
        assert parse(ElementTree.tostring(tree.getroot())) != baseline, f"{tag} is not read"
        element.text = (element.text or "")[:-1]


def test_official_url_is_configured_and_enabled() -> None:
    configured = updates.read_sources(ROOT / "config/sources.toml")
    eu = [source for source in configured if source.format == "eu-fsf-xml"]
    assert [(source.url, source.enabled) for source in eu] == [(EU_SOURCE.url, True)]
    assert EU_SOURCE.url is not None and EU_SOURCE.url.startswith(
        "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token="
    )
