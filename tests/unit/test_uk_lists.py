"""The UK lists: OFSI's Consolidated List (XLSX and CSV) and the FCDO UK Sanctions List (XML)."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import tomllib
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from watchlist.errors import ListFormatError
from watchlist.models.registry import EntityKind, NameKind
from watchlist.sources import formats, uk_conlist, uk_fcdo, uk_regimes
from watchlist.sources.parsed import (
    ParsedAddress,
    ParsedBirthDate,
    ParsedBirthPlace,
    ParsedDesignation,
    ParsedEntity,
    ParsedIdentifier,
    ParsedList,
    ParsedName,
    ParsedNationality,
)

ROOT = Path(__file__).resolve().parents[2]
XLSX = ROOT / "data/uk/ConList_2025-04-14.xlsx.gz"
CSV_2020 = ROOT / "data/uk/ConList_excerpt_2020.csv"
FCDO = ROOT / "tests/fixtures/uk/UK-Sanctions-List_fixture.xml"

Cells = list[list[str | None]]


@pytest.fixture(scope="module")
def xlsx_bytes() -> bytes:
    return gzip.decompress(XLSX.read_bytes())


@pytest.fixture(scope="module")
def cells(xlsx_bytes: bytes) -> Cells:
    """The real sheet's rows, read independently of the parser with openpyxl."""
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes), read_only=True)
    try:
        return [list(row) for row in workbook["Data"].iter_rows(values_only=True)]
    finally:
        workbook.close()


@pytest.fixture(scope="module")
def conlist() -> ParsedList:
    return uk_conlist.read_uk_conlist(XLSX)


@pytest.fixture(scope="module")
def by_key(conlist: ParsedList) -> dict[str, ParsedEntity]:
    return {entity.source_key: entity for entity in conlist.entities}


def xlsx_of(rows: Sequence[Sequence[str | None]]) -> bytes:
    """An XLSX workbook (sheet "Data") holding `rows`, written with openpyxl."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_of(rows: Sequence[Sequence[str | None]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([["" if cell is None else cell for cell in row] for row in rows])
    return out.getvalue().encode("utf-8")


# --- the real XLSX list ---------------------------------------------------------------------


def test_the_real_list_counts_by_group(conlist: ParsedList, cells: Cells) -> None:
    header = cells[1]
    group, kind = header.index("Group ID"), header.index("Group Type")
    expected = Counter(dict((row[group], row[kind]) for row in cells[2:]).values())
    assert expected == {"Individual": 3663, "Entity": 1010, "Ship": 15}  # SOURCE counts
    assert len(conlist.entities) == 4688
    assert Counter(e.kind for e in conlist.entities) == {
        EntityKind.PERSON: expected["Individual"],
        EntityKind.ORGANIZATION: expected["Entity"],
        EntityKind.VESSEL: expected["Ship"],
    }
    assert conlist.source.code == "uk_ofsi_conlist"
    assert conlist.source.label == "UK"
    assert conlist.source.authority == "UK (FCDO / OFSI)"
    assert conlist.published_at == dt.datetime(2025, 4, 14, tzinfo=dt.UTC)


def test_mkrtychev_field_by_field(by_key: dict[str, ParsedEntity]) -> None:
    ashot = by_key["16067"]
    assert ashot.kind is EntityKind.PERSON
    assert ashot.primary_name == "MKRTYCHEV, Ashot"  # OFAC's "SURNAME, Given" style
    assert ashot.names == ()
    assert ashot.designations == (ParsedDesignation("UK-RUSSIA", dt.date(2023, 8, 8)),)
    assert ashot.listing_date == dt.date(2023, 8, 8)
    assert ashot.identifiers == (
        ParsedIdentifier("passport", "BD3843329"),
        ParsedIdentifier("passport", "BD5609822"),
        ParsedIdentifier("uk_sanctions_list_ref", "RUS1965"),
    )
    assert ashot.birth_dates == (ParsedBirthDate("07 May 1966", 1966, 5, 7),)
    assert ashot.birth_places == (ParsedBirthPlace("Baku, Azerbaijan", "Azerbaijan"),)
    assert ashot.nationalities == (ParsedNationality("Slovakia"),)
    assert ashot.addresses == (
        ParsedAddress(
            street="Hana Melichkova Street 3448/37",
            city="Bratislava",
            postal_code="8410",
            country="Slovakia",
        ),
    )
    assert ashot.gender == "Male"
    assert ashot.remarks is not None and ashot.remarks.startswith(
        "(UK Sanctions List Ref):RUS1965."
    )
    assert ("uk_sanctions_list_designated_on", "2023-08-08") in [
        (f.kind, f.value) for f in ashot.facts
    ]


def test_putin_duplicate_rows_collapse(by_key: dict[str, ParsedEntity]) -> None:
    putin = by_key["14196"]
    assert putin.primary_name == "PUTIN, Vladimir Vladimirovich"
    # Two identical "Primary name variation" rows give one alias.
    assert putin.names == (
        ParsedName("PUTIN, Vladimir", NameKind.AKA),
        ParsedName("Владимир Владимирович Путин", NameKind.AKA, script="Cyrl"),
    )
    assert putin.title == "President of the Russian Federation"
    assert putin.birth_dates == (ParsedBirthDate("07 Oct 1952", 1952, 10, 7),)
    assert putin.birth_places == (
        ParsedBirthPlace("St Petersburg (then Leningrad), Russia", "Russia"),
    )
    assert putin.designations == (ParsedDesignation("UK-RUSSIA", dt.date(2022, 2, 25)),)
    assert ParsedIdentifier("uk_sanctions_list_ref", "RUS0251") in putin.identifiers
    assert putin.addresses == (ParsedAddress(city="Moscow", country="Russia"),)


def test_shoigu_script_title_and_positions(by_key: dict[str, ParsedEntity]) -> None:
    shoigu = by_key["14640"]
    assert shoigu.primary_name == "SHOIGU, Sergei Kuzhugetovich"
    assert shoigu.names == (
        ParsedName("ШОЙГУ Сергей Кужугетович", NameKind.AKA, script="Cyrl", lang="rus"),
    )
    facts = [(f.kind, f.value) for f in shoigu.facts]
    assert ("title", "General of the Army") in facts
    assert ("position", "Minister of Defence of the Russian Federation") in facts
    assert ("position", "Member of the Russian Security Council") in facts
    assert shoigu.title == (
        "Minister of Defence of the Russian Federation; Member of the Russian Security Council"
    )
    assert shoigu.addresses == (
        ParsedAddress(street="19 Ulitsa Znamenka", city="Moscow", postal_code="119160",
                      country="Russia"),
    )  # fmt: skip
    assert shoigu.birth_dates == (ParsedBirthDate("21 May 1955", 1955, 5, 21),)
    assert ParsedIdentifier("uk_sanctions_list_ref", "RUS0689") in shoigu.identifiers


def test_entity_and_ship_details(by_key: dict[str, ParsedEntity]) -> None:
    handasieh = by_key["12431"]
    assert handasieh.kind is EntityKind.ORGANIZATION
    assert handasieh.primary_name == "HANDASIEH ORGANIZATION FOR ENGINEERING INDUSTRIES"
    assert [n.name for n in handasieh.names] == [
        "(GENERAL) ORGANIZATION FOR ENGINEERING INDUSTRIES"
    ]
    assert handasieh.designations == (ParsedDesignation("UK-SYRIA", dt.date(2011, 12, 2)),)
    assert len(handasieh.addresses) == 3
    assert ("phone", "+963112121816") in [(f.kind, f.value) for f in handasieh.facts]
    ship = by_key["13651"]
    assert ship.kind is EntityKind.VESSEL and ship.primary_name == "SAM JONG 2"
    assert ParsedIdentifier("imo", "7408873") in ship.identifiers
    assert ("vessel_flag", "North Korea") in [(f.kind, f.value) for f in ship.facts]


def test_alias_quality(cells: Cells, by_key: dict[str, ParsedEntity]) -> None:
    header = cells[1]
    quality, group = header.index("Alias Quality"), header.index("Group ID")
    low_groups = {row[group] for row in cells[2:] if row[quality] == "Low quality"}
    weak = {
        e.source_key for e in by_key.values() if any(n.kind is NameKind.WEAK_AKA for n in e.names)
    }
    assert weak and weak <= low_groups
    aa = by_key["13312"]  # "AA", a Low quality AKA of an Al-Qaida operative
    assert ParsedName("AA", NameKind.WEAK_AKA) in aa.names
    assert Counter(n.kind for e in by_key.values() for n in e.names)[NameKind.FKA] > 0


def test_every_regime_of_the_real_list_is_in_the_table(cells: Cells, conlist: ParsedList) -> None:
    column = cells[1].index("Regime")
    regimes = {row[column] for row in cells[2:] if row[column]}
    assert len(regimes) == 31
    table = uk_regimes.regime_table()
    for regime in regimes:
        program = table.program(regime)
        assert program.legal_basis, f"regime {regime!r} is missing from uk_regimes.csv"
    assert {p.code for p in conlist.programs} == {table.program(r).code for r in regimes}
    assert all(p.authority == "UK (FCDO / OFSI)" for p in conlist.programs)


def test_uk_russia_keeps_the_seed_program() -> None:
    seed = tomllib.loads((ROOT / "config/seed/programs.toml").read_text(encoding="utf-8"))
    seeded = next(p for p in seed["program"] if p["code"] == "UK-RUSSIA")
    russia = uk_regimes.regime_table().program("Russia")
    assert (russia.code, russia.name, russia.authority, russia.legal_basis, russia.url) == (
        seeded["code"], seeded["name"], seeded["authority"], seeded["legal_basis"], seeded["url"]
    )  # fmt: skip
    # The FCDO list names the regime by its regulations.
    by_title = uk_regimes.regime_table().program(
        "The Russia (Sanctions) (EU Exit) Regulations 2019"
    )
    assert by_title == russia


def test_csv_edition_of_the_same_rows_parses_alike(cells: Cells, conlist: ParsedList) -> None:
    from_csv = uk_conlist.parse_uk_conlist(csv_of(cells), location="ConList.csv")
    assert from_csv.entities == conlist.entities
    assert from_csv.published_at == conlist.published_at


def test_reader_accepts_the_plain_and_the_gzipped_file(tmp_path: Path, xlsx_bytes: bytes) -> None:
    plain = tmp_path / "ConList.xlsx"
    plain.write_bytes(xlsx_bytes)
    listed = formats.read_local("uk-conlist", plain)
    zipped = formats.read_local("uk-conlist", XLSX)
    assert listed.parts == zipped.parts
    assert formats.SOURCE_CODES["uk-conlist"] == formats.parse(zipped).source.code


# --- the 2020 CSV excerpt --------------------------------------------------------------------


def test_2020_csv_excerpt() -> None:
    with CSV_2020.open(encoding="cp1252", newline="") as handle:
        rows = list(csv.reader(handle))
    groups = {row[-1] for row in rows[1:]}
    parsed = uk_conlist.read_uk_conlist(CSV_2020)
    assert {e.source_key for e in parsed.entities} == groups
    assert parsed.published_at is None  # the 2020 layout has no "Last Updated" row
    qahtani = next(e for e in parsed.entities if e.source_key == "13349")
    assert qahtani.primary_name == "AL-QAHTANI, Sheikh Farooq"
    assert qahtani.birth_dates == (ParsedBirthDate("1980", 1980), ParsedBirthDate("1981", 1981))
    assert qahtani.nationalities == (ParsedNationality("Saudi Arabia"), ParsedNationality("Qatar"))
    assert qahtani.identifiers == (
        ParsedIdentifier(
            "passport",
            "592667",
            remarks="Passport No: 592667 (Qatari passport issued on 3 May 2007).",
        ),
    )
    assert qahtani.designations == (ParsedDesignation("UK-ISIL-DA-ESH-AND-AL-QAIDA-ORGANISATIONS",
                                                      dt.date(2016, 4, 1)),)  # fmt: skip


def test_a_regime_missing_from_the_table_still_imports() -> None:
    parsed = uk_conlist.read_uk_conlist(CSV_2020)
    programs = {p.code: p for p in parsed.programs}
    unknown = programs["UK-UKRAINE-SOVEREIGNTY"]
    assert unknown.name == "Ukraine (Sovereignty)" and unknown.legal_basis is None
    assert programs["UK-SYRIA"].legal_basis is not None


# --- small parts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07/05/1966", ParsedBirthDate("07 May 1966", 1966, 5, 7)),
        ("00/00/1980", ParsedBirthDate("1980", 1980)),
        ("00/05/1966", ParsedBirthDate("May 1966", 1966, 5)),
        ("05/1966", ParsedBirthDate("May 1966", 1966, 5)),
        ("1966", ParsedBirthDate("1966", 1966)),
        ("dd/mm/1945", ParsedBirthDate("1945", 1945)),
        ("dd/03/1958", ParsedBirthDate("Mar 1958", 1958, 3)),
    ],
)
def test_birth_dates(text: str, expected: ParsedBirthDate) -> None:
    assert uk_conlist.birth_date(text, "here") == expected


@pytest.mark.parametrize("text", ["31/02/1970", "1966-05-07", "about 1966", "07/13/1966"])
def test_bad_birth_dates_are_refused(text: str) -> None:
    with pytest.raises(ListFormatError, match="here"):
        uk_conlist.birth_date(text, "here")


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("(1) BD3843329 (2) BD5609822", ["BD3843329", "BD5609822"]),
        ("1) Saudi Arabia 2) Qatar", ["Saudi Arabia", "Qatar"]),
        ("Passport No: 592667 (Qatari passport issued on 3 May 2007).",
         ["Passport No: 592667 (Qatari passport issued on 3 May 2007)."]),
        ("", []),
    ],
)  # fmt: skip
def test_numbered_cells(text: str, items: list[str]) -> None:
    assert uk_conlist.numbered(text) == items


def test_numbered_details_pair_with_numbered_numbers() -> None:
    found = list(uk_conlist.documents("passport", "(1) 223611 (2) C00146605",
                                      "(1) Libya number (2) British passport number"))  # fmt: skip
    assert found == [
        ParsedIdentifier("passport", "223611", remarks="Libya number"),
        ParsedIdentifier("passport", "C00146605", remarks="British passport number"),
    ]


# --- damaged OFSI files ----------------------------------------------------------------------


def refused(data: bytes, match: str) -> str:
    with pytest.raises(ListFormatError, match=match) as caught:
        uk_conlist.parse_uk_conlist(data, location="ConList.xlsx")
    message = str(caught.value)
    assert message.startswith("ConList.xlsx") and "\n" not in message
    return message


def test_truncated_xlsx_is_refused(xlsx_bytes: bytes) -> None:
    refused(xlsx_bytes[: len(xlsx_bytes) // 2], "not a complete ZIP archive")


def test_a_zip_that_is_no_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("readme.txt", "hello")
    refused(out.getvalue(), "damaged XLSX workbook")


def test_garbage_after_pk_is_refused() -> None:
    refused(b"PK\x03\x04" + b"\x00" * 200, "not a complete ZIP archive")


def test_xlsx_part_with_a_dtd_is_refused(xlsx_bytes: bytes) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>&lol2;</t></si></sst>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as source, zipfile.ZipFile(out, "w") as copy:
        for item in source.infolist():
            data = bomb if item.filename == "xl/sharedStrings.xml" else source.read(item)
            copy.writestr(item, data)
    refused(out.getvalue(), "xl/sharedStrings.xml declares a DTD")


def test_xlsx_missing_its_worksheet_part_is_refused(xlsx_bytes: bytes) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as source, zipfile.ZipFile(out, "w") as copy:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                copy.writestr(item, source.read(item))
    refused(out.getvalue(), "is an XLSX workbook without a worksheet")


def test_workbook_without_the_list_header_is_refused() -> None:
    refused(xlsx_of([["Last Updated", "14/04/2025"], ["Name", "Group"], ["X", "1"]]),
            "none of its first 5 rows is a header")  # fmt: skip


def test_header_missing_a_column_is_refused(cells: Cells) -> None:
    header = [None if name == "Regime" else name for name in cells[1]]
    refused(xlsx_of([cells[0], header, *cells[2:5]]), "without the column 'Regime'")


def test_bad_listing_date_names_the_row(cells: Cells) -> None:
    column = cells[1].index("Listed On")
    bad = list(cells[2])
    bad[column] = "31/02/2022"
    message = refused(xlsx_of([cells[0], cells[1], bad]), "row 3 Listed On '31/02/2022'")
    assert "not a valid date" in message


def test_a_group_listed_with_two_kinds_is_refused(cells: Cells) -> None:
    kind = cells[1].index("Group Type")
    other = list(cells[2])
    other[kind] = "Ship" if other[kind] != "Ship" else "Entity"
    refused(xlsx_of([cells[0], cells[1], cells[2], other]), "is listed as")


def test_csv_row_longer_than_its_header_is_refused(cells: Cells) -> None:
    long_row = [*cells[2], "extra"]
    with pytest.raises(ListFormatError, match="ConList.csv row 3 has 37 cells"):
        uk_conlist.parse_uk_conlist(csv_of([cells[0], cells[1], long_row]), location="ConList.csv")


# --- the FCDO UK Sanctions List (fixture built to the published layout) ------------------------


@pytest.fixture(scope="module")
def fcdo() -> dict[str, ParsedEntity]:
    parsed = uk_fcdo.read_uk_sanctions_list(FCDO)
    assert parsed.source.code == "uk_fcdo_sanctions_list" and parsed.source.label == "UK"
    assert parsed.published_at == dt.datetime(2025, 4, 14, tzinfo=dt.UTC)
    assert [p.code for p in parsed.programs] == ["UK-DPRK", "UK-RUSSIA", "UK-SYRIA"]
    return {entity.source_key: entity for entity in parsed.entities}


def test_fcdo_mkrtychev_matches_the_ofsi_entry(
    fcdo: dict[str, ParsedEntity], by_key: dict[str, ParsedEntity]
) -> None:
    ashot, ofsi = fcdo["RUS1965"], by_key["16067"]
    for field in ("kind", "primary_name", "designations", "listing_date", "birth_dates",
                  "birth_places", "nationalities", "addresses", "gender"):  # fmt: skip
        assert getattr(ashot, field) == getattr(ofsi, field), field
    passports = {(i.kind, i.value) for i in ashot.identifiers if i.kind == "passport"}
    assert passports == {(i.kind, i.value) for i in ofsi.identifiers if i.kind == "passport"}
    assert ParsedIdentifier("uk_sanctions_list_ref", "RUS1965") in ashot.identifiers
    assert ParsedIdentifier("ofsi_group_id", "16067") in ashot.identifiers


def test_fcdo_names_kinds_and_ship(fcdo: dict[str, ParsedEntity]) -> None:
    putin = fcdo["RUS0251"]
    assert putin.primary_name == "PUTIN, Vladimir Vladimirovich"
    assert ParsedName("PUTIN, Vladimir", NameKind.AKA) in putin.names
    shoigu = fcdo["RUS0689"]
    assert ParsedName("ШОЙГУ Сергей Кужугетович", NameKind.AKA, script="Cyrl", lang="rus") in (
        shoigu.names
    )
    assert ("title", "General of the Army") in [(f.kind, f.value) for f in shoigu.facts]
    ship = fcdo["DPR0100"]
    assert ship.kind is EntityKind.VESSEL
    assert ParsedIdentifier("imo", "7408873") in ship.identifiers
    assert fcdo["SYR0306"].kind is EntityKind.ORGANIZATION


def fcdo_text() -> str:
    return FCDO.read_text(encoding="utf-8")


def parse_fcdo(text: str) -> ParsedList:
    return uk_fcdo.parse_uk_sanctions_list(text.encode(), location="UK-Sanctions-List.xml")


def test_fcdo_low_quality_alias_is_weak() -> None:
    text = fcdo_text().replace(
        "<NameType>Alias</NameType>",
        "<NameType>Alias</NameType><AliasStrength>Low quality a.k.a</AliasStrength>",
        1,
    )
    handasieh = next(e for e in parse_fcdo(text).entities if e.source_key == "SYR0306")
    assert handasieh.names == (
        ParsedName("(GENERAL) ORGANIZATION FOR ENGINEERING INDUSTRIES", NameKind.WEAK_AKA),
    )


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda t: t.replace("<UniqueID>RUS0251</UniqueID>", "<UniqueID>RUS1965</UniqueID>"),
         "lists UniqueID RUS1965 more than once"),
        (lambda t: t.replace("<Designations>", "<ArrayOfFinancialSanctionsTarget>").replace(
            "</Designations>", "</ArrayOfFinancialSanctionsTarget>"), "root element"),
        (lambda t: t[: len(t) // 2], "cannot be parsed as XML at line"),
        (lambda t: t.replace("<DateDesignated>08/08/2023", "<DateDesignated>2023-08-08"),
         r"Designation 1 \(RUS1965\) DateDesignated '2023-08-08' is not a dd/mm/yyyy date"),
        (lambda t: t.replace("<DOB>07/05/1966", "<DOB>32/05/1966"), "RUS1965.*DOB"),
        (lambda t: t.replace("<IndividualEntityShip>Ship", "<IndividualEntityShip>Aircraft"),
         "unknown IndividualEntityShip 'Aircraft'"),
        (lambda t: t.replace("<UniqueID>RUS0689</UniqueID>", ""), "Designation 3 has no UniqueID"),
    ],
)  # fmt: skip
def test_damaged_fcdo_files_are_refused(change: object, match: str) -> None:
    assert callable(change)
    with pytest.raises(ListFormatError, match=match) as caught:
        parse_fcdo(change(fcdo_text()))
    assert str(caught.value).startswith("UK-Sanctions-List.xml") and "\n" not in str(caught.value)


def test_fcdo_namespaced_edition_reads_the_same() -> None:
    text = fcdo_text().replace("<Designations>", '<Designations xmlns="urn:example:uksl">')
    assert parse_fcdo(text).entities == parse_fcdo(fcdo_text()).entities


def test_fcdo_entity_bomb_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE Designations [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        "<Designations><DateGenerated>&b;</DateGenerated></Designations>"
    )
    with pytest.raises(ListFormatError, match="declares a DTD"):
        parse_fcdo(bomb)


def test_fcdo_format_is_registered() -> None:
    list_file = formats.read_local("uk-sanctions-list", FCDO)
    parsed = formats.parse(list_file)
    assert parsed.source.code == formats.SOURCE_CODES["uk-sanctions-list"]
    assert len(parsed.entities) == 5
