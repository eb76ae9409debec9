"""Importing the real OFAC SDN files: counts, structured facts, versions and the change log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.conftest import ROOT, migrated_session
from watchlist.lists import apply, updates
from watchlist.models import (
    Base,
    ChangeKind,
    Entity,
    ListChange,
    ListVersion,
    NameKind,
    NationalityKind,
    Program,
    VersionStatus,
)
from watchlist.registry import entities as registry
from watchlist.sources import formats
from watchlist.sources.parsed import SourceInfo

SDN_DIR = ROOT / "data/ofac/sdn_legacy_csv"
HISTORY = ROOT / "data/ofac/sdn_legacy_csv_history"
CONSISTENT = ROOT / "data/ofac/sdn_legacy_csv_2021-07_consistent"


def import_path(
    session: Session,
    fmt: str,
    path: Path,
    published: str | None = None,
    dataset: str | None = None,
) -> ListVersion:
    list_file = formats.read_local(fmt, path, dataset)
    stamp = dt.datetime.fromisoformat(published).replace(tzinfo=dt.UTC) if published else None
    version = updates.import_parsed(
        session, list_file, formats.parse(list_file), published_at=stamp
    )
    session.commit()
    return version


def row_counts(session: Session) -> dict[str, int]:
    return {
        name: session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
        for name, table in Base.metadata.tables.items()
    }


@pytest.fixture(scope="module")
def sdn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, ListVersion]]:
    """The 2024-05-03 SDN list with its 2025 add/alt/comments, imported once for the module."""
    with migrated_session(tmp_path_factory.mktemp("sdn")) as session:
        yield session, import_path(session, "ofac-csv", SDN_DIR)


def names_of(entity: Entity) -> set[tuple[str, NameKind]]:
    return {(n.name, n.kind) for n in entity.names}


def test_full_sdn_import_counts(sdn: tuple[Session, ListVersion]) -> None:
    session, version = sdn
    assert version.status is VersionStatus.CHANGED
    assert version.entity_count == 14_965
    assert version.added_count == 14_965
    active = session.scalar(sa.select(sa.func.count()).where(Entity.delisted_on.is_(None)))
    assert active == 14_965


def test_mkrtychev_is_fully_structured(sdn: tuple[Session, ListVersion]) -> None:
    session, _ = sdn
    ashot = registry.find_by_source_key(session, "us_ofac_sdn", "41736")
    assert names_of(ashot) == {
        ("MKRTYCHEV, Ashot", NameKind.PRIMARY),
        ("MKRTYCEV, Asot", NameKind.AKA),
    }
    assert [d.program.code for d in ashot.designations] == ["DPRK"]
    (born,) = ashot.birth_dates
    assert (born.year, born.month, born.day) == (1966, 5, 7)
    assert [(n.country, n.kind) for n in ashot.nationalities] == [
        ("Slovakia", NationalityKind.CITIZENSHIP)
    ]
    assert ashot.gender == "Male"
    passports = sorted((i.value, i.country, i.expires_on) for i in ashot.identifiers)
    assert passports == [
        ("BD3843329", "Slovakia", dt.date(2029, 4, 8)),
        ("BD5609822", "Slovakia", dt.date(2024, 5, 19)),
    ]
    (address,) = ashot.addresses
    assert (address.street, address.city, address.postal_code, address.country) == (
        "Hana Melichkova Street 3448/37",
        "Bratislava",
        "84105",
        "Slovakia",
    )
    linked = sorted(r.subject.source_key for r in ashot.linked_from)
    assert linked == ["44544", "44578", "44579"]


def test_strong_and_weak_aliases(sdn: tuple[Session, ListVersion]) -> None:
    session, _ = sdn
    wagner = registry.find_by_source_key(session, "us_ofac_sdn", "22543")
    assert {
        ("PMC WAGNER", NameKind.AKA),
        ("WAGNER GROUP", NameKind.AKA),
        ("CHVK VAGNER", NameKind.AKA),
        ("CHASTNAYA VOENNAYA KOMPANIYA 'VAGNER'", NameKind.AKA),
    } <= names_of(wagner)
    assert {d.program.code for d in wagner.designations} == {
        "TCO", "UKRAINE-EO13660", "CAR", "RUSSIA-EO14024"
    }  # fmt: skip
    shahed = registry.find_by_source_key(session, "us_ofac_sdn", "39637")
    weak = {n.name for n in shahed.names if n.kind is NameKind.WEAK_AKA}
    assert weak == {"SAIRC", "SAIC"}
    assert ("SHAHED AVIATION INDUSTRIES", NameKind.AKA) in names_of(shahed)


def test_tags_the_database_lacks_take_the_ofac_table(sdn: tuple[Session, ListVersion]) -> None:
    session, _ = sdn  # imported without seeding first
    sdntk = session.scalar(sa.select(Program).where(Program.code == "SDNTK"))
    assert sdntk is not None
    assert (sdntk.name, sdntk.authority) == ("Foreign Narcotics Kingpins", "US OFAC")
    assert sdntk.legal_basis and sdntk.legal_basis.startswith("Foreign Narcotics Kingpin")
    unknown = sa.select(sa.func.count()).where(Program.legal_basis.is_(None))
    assert session.scalar(unknown) == 0


def test_a_tag_in_no_table_still_reads_unknown(session: Session, tmp_path: Path) -> None:
    row = '1,"DOE, John","individual","SDGT] [NOT-AN-OFAC-TAG"' + ",-0- " * 8 + "\r\n"
    (tmp_path / "sdn.csv").write_bytes(row.encode() + b"\x1a")
    import_path(session, "ofac-csv", tmp_path / "sdn.csv")
    made_up = session.scalar(sa.select(Program).where(Program.code == "NOT-AN-OFAC-TAG"))
    assert made_up is not None
    assert (made_up.name, made_up.authority, made_up.legal_basis) == (
        "NOT-AN-OFAC-TAG", "US OFAC", None
    )  # fmt: skip
    assert made_up.description and "legal basis unknown" in made_up.description
    sdgt = session.scalar(sa.select(Program).where(Program.code == "SDGT"))
    assert sdgt is not None and sdgt.legal_basis and sdgt.legal_basis.startswith("E.O. 13224")


def test_only_ofac_lists_consult_the_ofac_table(session: Session) -> None:
    other = SourceInfo(code="other", name="Another List", publisher="Someone", authority="Else")
    ids = apply.ensure_program_codes(session, ["SDGT"], other)
    program = session.get(Program, ids["SDGT"])
    assert program is not None and program.legal_basis is None
    assert program.authority == "Else"


def test_putin_title_and_vessel_details(sdn: tuple[Session, ListVersion]) -> None:
    session, _ = sdn
    putin = registry.find_by_source_key(session, "us_ofac_sdn", "35096")
    assert putin.title == "President of the Russian Federation"
    graceful = registry.find_by_source_key(session, "us_ofac_sdn", "37444")
    assert graceful.kind.value == "vessel"
    assert {f.kind for f in graceful.facts} >= {"vessel_flag", "gross_registered_tonnage"}


def test_unchanged_reimport_writes_only_a_version(sdn: tuple[Session, ListVersion]) -> None:
    session, _ = sdn
    before = row_counts(session)
    version = import_path(session, "ofac-csv", SDN_DIR)
    after = row_counts(session)
    assert version.status is VersionStatus.UNCHANGED
    assert (version.added_count, version.changed_count, version.delisted_count) == (0, 0, 0)
    assert after == {**before, "list_versions": before["list_versions"] + 1}


def test_designation_day_pair(session: Session) -> None:
    first = import_path(session, "ofac-csv", HISTORY / "sdn_2023-03-28.csv.gz", "2023-03-28")
    assert first.entity_count == 11_986
    second = import_path(session, "ofac-csv", HISTORY / "sdn_2023-03-30.csv.gz", "2023-03-30")
    assert (second.added_count, second.changed_count, second.delisted_count) == (1, 0, 23)
    log = updates.changes(session, second)
    added = [line for line in log if line.change == ChangeKind.ADDED.value]
    assert [(line.source_key, line.name) for line in added] == [("41736", "MKRTYCHEV, Ashot")]
    delisted = session.scalars(sa.select(Entity).where(Entity.delisted_on.is_not(None))).all()
    assert len(delisted) == 23
    assert {e.delisted_on for e in delisted} == {dt.date(2023, 3, 30)}
    smilewallet = registry.find_by_source_key(session, "us_ofac_sdn", "26464")
    assert smilewallet.delisted_on == dt.date(2023, 3, 30)
    assert smilewallet.names and smilewallet.designations  # rows kept, not deleted
    changes = session.scalar(sa.select(sa.func.count()).where(ListChange.version_id == second.id))
    assert changes == 24
    assert all(line.diff == () for line in log)  # additions and delistings have no values


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, ListVersion]]:
    """The July 2021 SDN list, then the list of 30 March 2023: 7,138 entities changed."""
    with migrated_session(tmp_path_factory.mktemp("two-years")) as session:
        import_path(session, "ofac-csv", CONSISTENT)
        yield session, import_path(session, "ofac-csv", HISTORY / "sdn_2023-03-30.csv.gz")


def changed_entry(session: Session, version: ListVersion, key: str) -> updates.ChangeLine:
    where = updates.ChangeFilter(kinds=[ChangeKind.CHANGED], text=key)
    (line,) = updates.changes(session, version, where)
    return line


def test_a_changed_entity_shows_its_values_before_and_after(
    two_years: tuple[Session, ListVersion],
) -> None:
    session, version = two_years
    assert version.changed_count == 7_138
    marin = changed_entry(session, version, "8159")
    assert marin.name == "MARIN ARANGO, Luciano"
    diff = {change.field: change for change in marin.diff}
    assert list(diff) == list(marin.fields)
    # Moved from the narcotics kingpin program to the terrorism one, with a second birth date.
    assert (diff["designations"].before, diff["designations"].after) == (("SDNTK",), ("SDGT",))
    birth = diff["birth_dates"]
    assert birth.before == ("16 Jun 1955",) and birth.added == ("06 Jun 1955",)
    assert not birth.removed and "16 Jun 1955" in birth.after
    assert diff["relations"].added == ("linked to SEGUNDA MARQUETALIA",)
    assert diff["gender"].before == () and diff["gender"].after == ("Male",)
    cartel = changed_entry(session, version, "8237")
    renamed = cartel.diff[0]
    assert renamed.field == "primary_name"
    assert (renamed.before, renamed.after) == (
        ("CARRILLO FUENTES ORGANIZATION",),
        ("JUAREZ CARTEL",),
    )
    designations = next(change for change in cartel.diff if change.field == "designations")
    assert designations.removed == () and designations.added == ("ILLICIT-DRUGS-EO14059",)


def test_the_change_log_pages_and_filters_in_the_database(
    two_years: tuple[Session, ListVersion],
) -> None:
    session, version = two_years
    every = updates.changes(session, version)
    total = version.added_count + version.changed_count + version.delisted_count
    assert len(every) == updates.count_changes(session, version) == total
    page_3 = updates.changes(session, version, limit=50, offset=100)
    assert page_3 == every[100:150]
    changed = updates.ChangeFilter(kinds=[ChangeKind.CHANGED])
    assert updates.count_changes(session, version, changed) == version.changed_count
    assert updates.changes(session, version, changed, limit=5, offset=7_136)[-1] == next(
        line for line in reversed(every) if line.change == "changed"
    )
    by_name = updates.ChangeFilter(text="  marin ARANGO ")
    assert [line.source_key for line in updates.changes(session, version, by_name)] == ["8159"]
    by_key = updates.ChangeFilter(text="8159")  # the whole key, not a part of it
    assert [line.name for line in updates.changes(session, version, by_key)] == [
        "MARIN ARANGO, Luciano"
    ]
    part = updates.changes(session, version, updates.ChangeFilter(text="815"))
    assert [line.source_key for line in part] == ["815"]  # not 8150 to 8159
    wildcard = updates.ChangeFilter(text="%")  # a LIKE wildcard is a plain character
    assert updates.count_changes(session, version, wildcard) == 0


def test_seeded_record_survives_the_real_list(session: Session) -> None:
    from watchlist.config import CONFIG_DIR
    from watchlist.lists.apply import load_seed

    load_seed(session, CONFIG_DIR / "seed")
    session.commit()
    version = import_path(session, "ofac-csv", HISTORY / "sdn_2023-03-30.csv.gz")
    ashot = registry.find_by_source_key(session, "us_ofac_sdn", "41736")
    assert ashot.listing_date == dt.date(2023, 3, 30)  # the CSV has no date: kept
    assert [d.designated_on for d in ashot.designations] == [dt.date(2023, 3, 30)]
    # The three companies linked to him were designated in August 2023: this list delists them.
    assert (version.added_count, version.delisted_count) == (11_963, 3)


@pytest.mark.parametrize(
    ("fmt", "path", "source", "entities"),
    [
        ("un-xml", ROOT / "data/un/consolidated.xml.gz", "un_sc_consolidated", 1_003),
        ("ftm", ROOT / "data/opensanctions/yente_t1.entities.ftm.json", "opensanctions_eu_fsf", 6),
        ("ofac-xml", ROOT / "data/ofac/xml/consolidated.xml.gz", "us_ofac_cons", 443),
        ("ofac-cons-csv", ROOT / "data/ofac/nonsdn_consolidated_legacy_csv", "us_ofac_cons", 442),
    ],
)
def test_other_lists_import_and_reimport_changes_nothing(
    session: Session, fmt: str, path: Path, source: str, entities: int
) -> None:
    first = import_path(session, fmt, path)
    assert first.source.code == source
    assert (first.entity_count, first.added_count) == (entities, entities)
    before = row_counts(session)
    list_file = formats.read_local(fmt, path)  # same content through the full compare
    second = updates.import_parsed(session, list_file, formats.parse(list_file))
    session.commit()
    assert second.status is VersionStatus.UNCHANGED
    assert row_counts(session) == {**before, "list_versions": before["list_versions"] + 1}


def test_each_ftm_dataset_is_its_own_source(session: Session) -> None:
    t1 = import_path(session, "ftm", ROOT / "data/opensanctions/yente_t1.entities.ftm.json")
    zala = import_path(
        session, "ftm", ROOT / "data/opensanctions/yente_zala.entities.ftm.json", dataset="zala"
    )
    assert (t1.source.code, zala.source.code) == ("opensanctions_eu_fsf", "opensanctions_zala")
    assert (zala.added_count, zala.delisted_count) == (17, 0)
    delisted = session.scalar(
        sa.select(sa.func.count()).select_from(Entity).where(Entity.delisted_on.is_not(None))
    )
    assert delisted == 0  # loading the second dataset left the first one's six entities listed
    again = import_path(session, "ftm", ROOT / "data/opensanctions/yente_t1.entities.ftm.json")
    assert again.status is VersionStatus.UNCHANGED


def test_un_programs_keep_the_seed_description(session: Session) -> None:
    from watchlist.config import CONFIG_DIR
    from watchlist.lists.apply import load_seed

    load_seed(session, CONFIG_DIR / "seed")
    seeded = session.scalar(sa.select(Program.legal_basis).where(Program.code == "UN-1718"))
    import_path(session, "un-xml", ROOT / "data/un/consolidated.xml.gz")
    program = session.scalar(sa.select(Program).where(Program.code == "UN-1718"))
    assert program is not None and program.legal_basis == seeded
    kim = session.scalars(sa.select(Entity).where(Entity.source_key.like("KPi.%")).limit(1)).first()
    assert kim is not None and kim.designations[0].program.code == "UN-1718"
