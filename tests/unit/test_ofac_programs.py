"""OFAC's program tag table: it covers every tag of the shipped OFAC files; bad rows are named."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import defusedxml.ElementTree
import pytest

from watchlist.config import CONFIG_DIR
from watchlist.errors import ListFormatError, WatchlistError
from watchlist.sources import ofac_csv, ofac_programs, ofac_xml, seed
from watchlist.sources.files import decode_text, read_list_bytes

OFAC_DATA = Path(__file__).resolve().parents[2] / "data" / "ofac"
HEADER = "tag,name,legal_basis,note\n"


def csv_tags(main_file: Path) -> set[str]:
    """The tags of a legacy CSV main file, split as the importer splits `SDGT] [IFSR`."""
    text = decode_text(read_list_bytes(main_file), location=str(main_file)).replace("\x1a", "")
    rows = csv.reader(io.StringIO(text, newline=""))
    return {tag for row in rows if len(row) > 3 for tag in ofac_csv.split_programs(row[3])}


def advanced_xml_tags(path: Path) -> set[str]:
    """The SanctionsProgram reference values of an sdn_advanced-schema file."""
    root = defusedxml.ElementTree.fromstring(read_list_bytes(path))
    values = (e.text for e in root.iter() if e.tag.endswith("}SanctionsProgram"))
    return {value for value in values if value and value != "Unknown"}  # OFAC's placeholder


def shipped_tags() -> dict[str, set[str]]:
    """Every OFAC file under data/ofac with the program tags it uses."""
    found = {
        str(main): csv_tags(main)
        for main in [
            *sorted(OFAC_DATA.glob("sdn_legacy_csv*/sdn.csv.gz")),
            *sorted((OFAC_DATA / "sdn_legacy_csv_history").glob("*.csv.gz")),
            OFAC_DATA / "nonsdn_consolidated_legacy_csv" / "cons_prim.csv",
        ]
    }
    classic = OFAC_DATA / "xml" / "consolidated.xml.gz"
    found[str(classic)] = {
        d.program for e in ofac_xml.read_ofac_xml(classic).entities for d in e.designations
    }
    advanced = OFAC_DATA / "xml" / "cons_advanced_2020-03-17.xml.gz"
    found[str(advanced)] = advanced_xml_tags(advanced)
    return found


def test_the_table_covers_every_tag_of_the_shipped_ofac_files() -> None:
    described = {program.code for program in ofac_programs.read_program_tags()}
    found = shipped_tags()
    assert len(found) == 7 and all(found.values())
    missing = {path: sorted(tags - described) for path, tags in found.items() if tags - described}
    assert missing == {}
    assert {"CAATSA - RUSSIA", "561-Related", "HRIT-SY", "FSE-IR", "BURUNDI"} <= described


def test_every_row_is_an_ofac_program_with_a_name_and_legal_basis() -> None:
    programs = ofac_programs.read_program_tags()
    assert len(programs) == 88
    for program in programs:
        assert program.authority == "US OFAC"
        assert program.name and program.name != program.code
        assert program.legal_basis and program.description and program.url
    sdntk = next(p for p in programs if p.code == "SDNTK")
    assert sdntk.legal_basis is not None
    assert sdntk.legal_basis.startswith("Foreign Narcotics Kingpin Designation Act")


def test_the_hand_written_ofac_programs_are_in_the_table_too() -> None:
    described = {program.code for program in ofac_programs.read_program_tags()}
    hand_written = seed.read_programs(CONFIG_DIR / "seed")
    ofac = {p.code for p in hand_written if p.authority == ofac_programs.AUTHORITY}
    assert ofac and ofac <= described


ROW = "SDGT,Terrorists,E.O. 13224,\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + "SDGT,Terrorists\n", "line 2 has 2 fields; expected 4"),
        (HEADER + "SDGT,Terrorists,,\n", "line 2 has an empty legal_basis"),
        (HEADER + ",Nameless,E.O. 1,\n", "line 2 has an empty tag"),
        (HEADER + ROW + "\n" + ROW, "line 4 repeats tag 'SDGT'"),
        (HEADER + 'SDGT,"Terrorists,E.O. 13224,\n', "is not valid CSV"),
        (HEADER + "SDGT,Terrorists," + "E" * 501 + ",\n", "legal_basis longer than 500"),
        ("code,name,legal_basis,note\n" + ROW, "must start with the header"),
        ("", "must start with the header"),
    ],
    ids=["short", "no-basis", "no-tag", "repeated", "open-quote", "too-long", "header", "empty"],
)
def test_a_malformed_table_is_refused_naming_the_file_and_line(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "ofac_program_tags.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ListFormatError, match=message) as refused:
        ofac_programs.read_program_tags(path)
    assert isinstance(refused.value, WatchlistError) and refused.value.exit_code == 65
    assert str(path) in str(refused.value)


def test_a_missing_or_undecodable_table_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="cannot be read"):
        ofac_programs.read_program_tags(tmp_path / "absent.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "SDGT,Terroristes d\xe9sign\xe9s,E.O. 13224,\n").encode("latin-1"))
    with pytest.raises(ListFormatError, match="not UTF-8"):
        ofac_programs.read_program_tags(latin)


def test_a_note_is_added_to_the_description(tmp_path: Path) -> None:
    path = tmp_path / "ofac_program_tags.csv"
    path.write_text(HEADER + 'OLD,Old Program,"E.O. 1, as amended",Terminated.\n', "utf-8")
    (program,) = ofac_programs.read_program_tags(path)
    assert (program.code, program.legal_basis) == ("OLD", "E.O. 1, as amended")
    assert program.description == f"{ofac_programs.DESCRIPTION} Terminated."
