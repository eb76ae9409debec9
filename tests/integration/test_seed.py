from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.conftest import ROOT
from watchlist.config import CONFIG_DIR
from watchlist.errors import ListFormatError
from watchlist.lists import apply, updates
from watchlist.models import (
    Base,
    Designation,
    Entity,
    EntityKind,
    ListSource,
    NameKind,
    NationalityKind,
    Program,
)
from watchlist.registry import entities as registry
from watchlist.sources import formats, ofac_programs

SEED = CONFIG_DIR / "seed"
REQUIRED_PROGRAMS = {
    "DPRK", "DPRK2", "DPRK3", "DPRK4", "DPRK-NKSPEA", "RUSSIA-EO14024", "UKRAINE-EO13660",
    "UKRAINE-EO13661", "UKRAINE-EO13662", "UKRAINE-EO13685", "IRAN", "IRGC", "IFSR", "NPWMD",
    "IRAN-CON-ARMS-EO", "TCO", "CAR", "CYBER2", "ELECTION-EO13848", "SDGT", "UN-1718",
    "EU-UKR", "UK-RUSSIA",
}  # fmt: skip


def row_counts(session: Session) -> dict[str, int]:
    return {
        name: session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
        for name, table in Base.metadata.tables.items()
    }


def test_seed_twice_leaves_identical_row_counts(session: Session) -> None:
    apply.load_seed(session, SEED)
    session.commit()
    first = row_counts(session)
    programs, version = apply.load_seed(session, SEED)
    session.commit()
    assert (programs, version) == (0, None)
    assert row_counts(session) == first
    assert first["entities"] == 4
    assert first["list_versions"] == 1


def test_seed_programs_carry_authority_legal_basis_and_description(session: Session) -> None:
    apply.load_seed(session, SEED)
    programs = {p.code: p for p in session.scalars(sa.select(Program))}
    assert REQUIRED_PROGRAMS <= programs.keys()
    for program in programs.values():
        assert program.authority and program.legal_basis and program.description
    assert programs["DPRK3"].legal_basis.startswith("E.O. 13722")
    assert programs["UN-1718"].authority == "UN Security Council"


def sdn_programs(session: Session) -> sa.Select[tuple[Program]]:
    """The programs the SDN list's entities are designated under, each once."""
    return (
        sa.select(Program)
        .join(Designation, Designation.program_id == Program.id)
        .join(Entity, Entity.id == Designation.entity_id)
        .join(ListSource, ListSource.id == Entity.source_id)
        .where(ListSource.code == "us_ofac_sdn")
        .distinct()
    )


def test_after_seed_and_sdn_import_every_sdn_program_has_a_name_and_legal_basis(
    session: Session,
) -> None:
    apply.load_seed(session, SEED)
    list_file = formats.read_local("ofac-csv", ROOT / "data/ofac/sdn_legacy_csv")
    updates.import_parsed(session, list_file, formats.parse(list_file))
    session.commit()
    programs = sdn_programs(session).subquery()
    count = sa.select(sa.func.count()).select_from(programs)
    assert session.scalar(count) == 75
    assert session.scalar(count.where(programs.c.legal_basis.is_(None))) == 0
    assert session.scalar(count.where(programs.c.name == programs.c.code)) == 0
    assert session.scalar(count.where(programs.c.authority != "US OFAC")) == 0
    unknown = count.where(programs.c.description.like("%legal basis unknown%"))
    assert session.scalar(unknown) == 0
    # programs.toml wins over the table where both describe a tag
    dprk = session.scalar(sa.select(Program).where(Program.code == "DPRK"))
    assert dprk is not None and dprk.legal_basis.startswith("E.O. 13551 (as amended)")


def test_seed_names_a_tag_an_earlier_import_left_unknown(session: Session) -> None:
    session.add(Program(code="SDNTK", name="SDNTK", authority="US OFAC", legal_basis=None,
                        description=apply.UNKNOWN_PROGRAM_NOTE))  # fmt: skip
    session.flush()
    apply.load_seed(session, SEED)
    sdntk = session.scalar(sa.select(Program).where(Program.code == "SDNTK"))
    assert sdntk is not None and sdntk.name == "Foreign Narcotics Kingpins"
    assert sdntk.legal_basis and "31 CFR part 598" in sdntk.legal_basis
    assert sdntk.description and sdntk.description.startswith(ofac_programs.DESCRIPTION)


def test_mkrtychev_record_is_fully_structured(session: Session) -> None:
    apply.load_seed(session, SEED)
    ashot = registry.find_by_source_key(session, "us_ofac_sdn", "41736")
    assert ashot.kind is EntityKind.PERSON
    assert ashot.listing_date == dt.date(2023, 3, 30)
    assert ashot.gender == "Male"
    assert {(n.name, n.kind) for n in ashot.names} == {
        ("MKRTYCHEV, Ashot", NameKind.PRIMARY),
        ("MKRTYCEV, Asot", NameKind.AKA),
    }
    assert [(d.program.code, d.designated_on) for d in ashot.designations] == [
        ("DPRK", dt.date(2023, 3, 30))
    ]
    (born,) = ashot.birth_dates
    assert (born.year, born.month, born.day) == (1966, 5, 7)
    assert [p.place for p in ashot.birth_places] == ["Baku, Azerbaijan"]
    assert [(n.country, n.kind) for n in ashot.nationalities] == [
        ("Slovakia", NationalityKind.CITIZENSHIP)
    ]
    assert [(i.kind, i.value, i.country, i.expires_on) for i in ashot.identifiers] == [
        ("passport", "BD3843329", "Slovakia", dt.date(2029, 4, 8)),
        ("passport", "BD5609822", "Slovakia", dt.date(2024, 5, 19)),
    ]
    (address,) = ashot.addresses
    assert (address.street, address.city, address.postal_code, address.country) == (
        "Hana Melichkova Street 3448/37",
        "Bratislava",
        "84105",
        "Slovakia",
    )
    assert {f.kind for f in ashot.facts} == {"secondary_sanctions_risk", "transactions_prohibited"}


def test_linked_entities_point_at_mkrtychev(session: Session) -> None:
    apply.load_seed(session, SEED)
    ashot = registry.find_by_source_key(session, "us_ofac_sdn", "41736")
    linked = sorted(r.subject.primary_name for r in ashot.linked_from)
    assert linked == [
        "DEFENSE ENGINEERING LIMITED LIABILITY PARTNERSHIP",
        "LIMITED LIABILITY COMPANY VERUS",
        "VERSOR S.R.O.",
    ]
    verus = registry.find_by_source_key(session, "us_ofac_sdn", "44544")
    assert ("LLC VERUS", NameKind.WEAK_AKA) in {(n.name, n.kind) for n in verus.names}


def test_a_broken_seed_file_is_refused_with_its_name(tmp_path: Path, session: Session) -> None:
    (tmp_path / "programs.toml").write_text((SEED / "programs.toml").read_text())
    text = (SEED / "entities.toml").read_text().replace('kind = "person"', 'kind = "alien"')
    (tmp_path / "entities.toml").write_text(text)
    with pytest.raises(ListFormatError, match="entities.toml entity 1 field 'kind'"):
        apply.load_seed(session, tmp_path)


def test_seed_after_a_real_list_leaves_its_entities_alone(session: Session) -> None:
    apply.load_seed(session, SEED)
    list_file = formats.read_local("ofac-csv", ROOT / "data/ofac/sdn_legacy_csv")
    updates.import_parsed(session, list_file, formats.parse(list_file))
    session.commit()
    before = row_counts(session)
    assert apply.load_seed(session, SEED) == (0, None)  # the list is the authority now
    session.commit()
    assert row_counts(session) == before
