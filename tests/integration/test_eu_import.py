"""Importing the real EU FSF excerpt: registry rows, programmes and a second version's diff."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.conftest import RunCli
from tests.eu_excerpt import EU_FILE, edit_entity, real_excerpt, without_entity
from watchlist.lists import updates
from watchlist.models import ChangeKind, ListVersion, NameKind, Program, VersionStatus
from watchlist.registry import entities
from watchlist.sources import formats


def import_bytes(session: Session, data: bytes, published: str) -> ListVersion:
    """One export through the import service, as `watchlist lists import` runs it."""
    list_file = formats.ListFile("eu-fsf-xml", "eu_sample.xml", {"main": data})
    stamp = dt.datetime.fromisoformat(published).replace(tzinfo=dt.UTC)
    version = updates.import_parsed(
        session, list_file, formats.parse(list_file), published_at=stamp
    )
    session.commit()
    return version


def programs(session: Session) -> dict[str, Program]:
    return {p.code: p for p in session.scalars(sa.select(Program))}


def test_excerpt_import_rows_and_programmes(session: Session) -> None:
    version = import_bytes(session, real_excerpt(), "2026-08-05")
    assert version.status is VersionStatus.CHANGED
    assert (version.entity_count, version.added_count) == (4, 4)
    saddam = entities.find_by_source_key(session, "eu_fsf", "13")
    assert {(n.name, n.kind) for n in saddam.names} == {
        ("Saddam Hussein Al-Tikriti", NameKind.PRIMARY),
        ("Abu Ali", NameKind.AKA),
        ("Abou Ali", NameKind.AKA),
    }
    assert [(d.program.code, d.designated_on) for d in saddam.designations] == [
        ("EU-IRQ", dt.date(2003, 7, 8))
    ]
    person = entities.find_by_source_key(session, "eu_fsf", "191")
    assert [(i.kind, i.value) for i in person.identifiers] == [("passport", "488555")]
    known = programs(session)
    assert known["EU-TAQA"].legal_basis == (
        "Council Regulation (EC) No 881/2002; Council Common Position 2002/402/CFSP"
    )
    assert {known[c].authority for c in ("EU-IRQ", "EU-TAQA", "EU-TERR")} == {"European Union"}


def test_second_version_counts_one_delisting_and_one_change(session: Session) -> None:
    first = real_excerpt()
    import_bytes(session, first, "2026-08-05")
    second = without_entity(first, "980")
    second = edit_entity(second, "13", b"<remark>UNSC RESOLUTION 1483</remark>",
                         b"<remark>UNSC RESOLUTION 1483 (2003)</remark>")  # fmt: skip
    version = import_bytes(session, second, "2026-08-06")
    assert version.status is VersionStatus.CHANGED
    assert (version.added_count, version.changed_count, version.delisted_count) == (0, 1, 1)
    log = {(line.change, line.source_key): line for line in updates.changes(session, version)}
    assert log.keys() == {(ChangeKind.CHANGED.value, "13"), (ChangeKind.DELISTED.value, "980")}
    assert log[(ChangeKind.CHANGED.value, "13")].fields == ("remarks",)
    grf = entities.find_by_source_key(session, "eu_fsf", "980")
    assert grf.delisted_on == dt.date(2026, 8, 6)
    again = import_bytes(session, second, "2026-08-07")
    assert again.status is VersionStatus.UNCHANGED


def test_unknown_programme_imports_with_an_unknown_legal_basis(session: Session) -> None:
    data = edit_entity(real_excerpt(), "980", b'programme="TAQA"', b'programme="ZZZ"')
    version = import_bytes(session, data, "2026-08-05")
    assert version.entity_count == 4
    made_up = programs(session)["EU-ZZZ"]
    assert made_up.legal_basis is None and made_up.authority == "European Union"


def test_cli_imports_the_excerpt_and_refuses_the_verbatim_file(
    run_cli: RunCli, migrated: Engine, tmp_path: Path
) -> None:
    """The shipped file keeps its synthetic nameless entity, so it is refused in one line."""
    assert run_cli("seed").exit_code == 0
    refused = run_cli("lists", "import", "eu-fsf-xml", str(EU_FILE))
    assert refused.exit_code == 65, refused.stderr
    errors = [line for line in refused.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "sanctionEntity 999999 has no name." in errors[0]
    assert "Traceback" not in refused.stderr
    real = tmp_path / "eu_real.xml"
    real.write_bytes(real_excerpt())
    result = run_cli("lists", "import", "eu-fsf-xml", str(real))
    assert result.exit_code == 0, result.stderr
    status = json.loads(run_cli("lists", "status", "--json").output)
    assert "eu_fsf" in json.dumps(status)
    with Session(migrated) as session:
        assert programs(session)["EU-UKR"].legal_basis == (
            "Council Regulation (EU) No 269/2014; Council Decision 2014/145/CFSP"
        )  # the seed's Ukraine regime, under the code the export uses
