"""Importing the UK lists into the registry with `watchlist lists import`: the real OFSI list of
14 April 2025, a second version of it, and the FCDO UK Sanctions List fixture."""

from __future__ import annotations

import gzip
import io
from collections import Counter
from pathlib import Path

import openpyxl
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.conftest import ROOT, RunCli
from watchlist.db import session_factory
from watchlist.models import (
    Entity,
    EntityKind,
    ListSource,
    ListVersion,
    NameKind,
    Program,
    VersionStatus,
)

XLSX = ROOT / "data/uk/ConList_2025-04-14.xlsx.gz"
FCDO = ROOT / "tests/fixtures/uk/UK-Sanctions-List_fixture.xml"


def real_rows() -> list[list[str | None]]:
    workbook = openpyxl.load_workbook(
        io.BytesIO(gzip.decompress(XLSX.read_bytes())), read_only=True
    )
    try:
        return [list(row) for row in workbook["Data"].iter_rows(values_only=True)]
    finally:
        workbook.close()


def write_xlsx(path: Path, rows: list[list[str | None]]) -> Path:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def entity(session: Session, source: str, key: str) -> Entity:
    found = session.scalars(
        sa.select(Entity)
        .join(ListSource, Entity.source_id == ListSource.id)
        .where(ListSource.code == source, Entity.source_key == key)
    ).one()
    return found


def latest_version(session: Session, source: str) -> ListVersion:
    return session.scalars(
        sa.select(ListVersion)
        .join(ListSource)
        .where(ListSource.code == source)
        .order_by(ListVersion.id.desc())
        .limit(1)
    ).one()


def test_real_list_then_a_second_version(run_cli: RunCli, migrated: Engine, tmp_path: Path) -> None:
    result = run_cli("lists", "import", "uk-conlist", str(XLSX), "--published", "2025-04-14")
    assert result.exit_code == 0, result.output
    with session_factory(migrated)() as session:
        first = latest_version(session, "uk_ofsi_conlist")
        assert (first.status, first.entity_count, first.added_count) == (
            VersionStatus.CHANGED, 4688, 4688
        )  # fmt: skip
        kinds = Counter(
            session.scalars(sa.select(Entity.kind).where(Entity.source_id == first.source_id))
        )
        assert kinds == {
            EntityKind.PERSON: 3663,
            EntityKind.ORGANIZATION: 1010,
            EntityKind.VESSEL: 15,
        }
        ashot = entity(session, "uk_ofsi_conlist", "16067")
        assert ashot.primary_name == "MKRTYCHEV, Ashot"
        assert {(i.kind, i.value) for i in ashot.identifiers} == {
            ("passport", "BD3843329"), ("passport", "BD5609822"),
            ("uk_sanctions_list_ref", "RUS1965"),
        }  # fmt: skip
        [designation] = ashot.designations
        assert designation.program.code == "UK-RUSSIA"
        assert designation.program.legal_basis == (
            "The Russia (Sanctions) (EU Exit) Regulations 2019 (S.I. 2019/855)"
        )
        assert str(designation.designated_on) == "2023-08-08"
        putin = entity(session, "uk_ofsi_conlist", "14196")
        assert {(n.name, n.kind) for n in putin.names} >= {
            ("PUTIN, Vladimir Vladimirovich", NameKind.PRIMARY),
            ("PUTIN, Vladimir", NameKind.AKA),
        }
        programs = session.scalars(sa.select(Program.code).where(Program.code.like("UK-%"))).all()
        assert len(programs) == 31

    # A second version: Shoigu's group removed, Mkrtychev's DOB changed, a new group added.
    rows = real_rows()
    header = rows[1]
    group, dob, name = header.index("Group ID"), header.index("DOB"), header.index("Name 6")
    second: list[list[str | None]] = [rows[0], header]
    for row in rows[2:]:
        if row[group] == "14640":
            continue
        if row[group] == "16067":
            row = [*row]
            row[dob] = "08/05/1966"
            added = [*row]
            added[group], added[name] = "99999", "MKRTYCHEVA"
            second.append(added)
        second.append(row)
    path = write_xlsx(tmp_path / "ConList.xlsx", second)
    result = run_cli("lists", "import", "uk-conlist", str(path), "--published", "2025-04-15")
    assert result.exit_code == 0, result.output
    with session_factory(migrated)() as session:
        version = latest_version(session, "uk_ofsi_conlist")
        counts = (version.added_count, version.changed_count, version.delisted_count)
        assert counts == (1, 1, 1)
        assert str(entity(session, "uk_ofsi_conlist", "14640").delisted_on) == "2025-04-15"
        dates = {d.text for d in entity(session, "uk_ofsi_conlist", "16067").birth_dates}
        assert dates == {"08 May 1966"}

    # The same file again is recorded as no change.
    again = run_cli("lists", "import", "uk-conlist", str(path))
    assert again.exit_code == 0, again.output
    with session_factory(migrated)() as session:
        assert latest_version(session, "uk_ofsi_conlist").status is VersionStatus.UNCHANGED


def test_fcdo_fixture_imports_and_reimports_unchanged(run_cli: RunCli, migrated: Engine) -> None:
    result = run_cli("lists", "import", "uk-sanctions-list", str(FCDO))
    assert result.exit_code == 0, result.output
    with session_factory(migrated)() as session:
        version = latest_version(session, "uk_fcdo_sanctions_list")
        assert (version.entity_count, version.added_count) == (5, 5)
        ashot = entity(session, "uk_fcdo_sanctions_list", "RUS1965")
        assert {(i.kind, i.value) for i in ashot.identifiers if i.kind == "passport"} == {
            ("passport", "BD3843329"), ("passport", "BD5609822")
        }  # fmt: skip
        assert [d.program.code for d in ashot.designations] == ["UK-RUSSIA"]
    again = run_cli("lists", "import", "uk-sanctions-list", str(FCDO))
    assert again.exit_code == 0, again.output


def test_damaged_xlsx_is_refused_and_changes_nothing(
    run_cli: RunCli, migrated: Engine, tmp_path: Path
) -> None:
    broken = tmp_path / "ConList.xlsx"
    broken.write_bytes(gzip.decompress(XLSX.read_bytes())[:100_000])
    result = run_cli("lists", "import", "uk-conlist", str(broken))
    assert result.exit_code == 65
    assert "not a complete ZIP archive" in result.output + result.stderr
    assert "Traceback" not in result.output + result.stderr
    with session_factory(migrated)() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Entity)) == 0
