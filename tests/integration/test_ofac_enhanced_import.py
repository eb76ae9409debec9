"""Importing OFAC's Enhanced XML: after the legacy CSV of the same list, a second version of
its own, and through `watchlist lists import` as a user runs it."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.conftest import ROOT, RunCli, migrated_session
from tests.integration.test_list_import import import_path
from watchlist.models import ChangeKind, Entity, ListChange, ListVersion, NameKind, VersionStatus
from watchlist.models.registry import EntityRelation, ListSource
from watchlist.registry import entities as registry
from watchlist.sources.ofac_enhanced_xml import ENHANCED_XML_NAMESPACE

ENHANCED = ROOT / "data/ofac-advanced/cons_enhanced_2026-01-08.xml.gz"
LEGACY_CONS = ROOT / "data/ofac/nonsdn_consolidated_legacy_csv"
NS = "{" + ENHANCED_XML_NAMESPACE + "}"


def changes(session: Session, version: ListVersion) -> dict[ChangeKind, list[ListChange]]:
    rows = session.scalars(sa.select(ListChange).where(ListChange.version_id == version.id))
    grouped: dict[ChangeKind, list[ListChange]] = {}
    for row in rows:
        grouped.setdefault(row.change, []).append(row)
    return grouped


def listed(session: Session) -> dict[str, Entity]:
    entities = session.scalars(
        sa.select(Entity).join(ListSource).where(ListSource.code == "us_ofac_cons")
    )
    return {entity.source_key: entity for entity in entities}


@pytest.fixture(scope="module")
def switched(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Session, ListVersion, ListVersion, dict[str, tuple[str, set[str]]]]]:
    """The legacy consolidated CSV imported, then the Enhanced XML into the same database."""
    with migrated_session(tmp_path_factory.mktemp("switch")) as session:
        legacy = import_path(session, "ofac-cons-csv", LEGACY_CONS)
        before = {
            key: (entity.primary_name, {d.program.code for d in entity.designations})
            for key, entity in listed(session).items()
        }
        enhanced = import_path(session, "ofac-enhanced-xml", ENHANCED)
        yield session, legacy, enhanced, before


def test_switch_from_the_legacy_csv_is_an_update(
    switched: tuple[Session, ListVersion, ListVersion, dict[str, tuple[str, set[str]]]],
) -> None:
    """The same 442 keys are kept in the same source: nothing added, delisted or relisted;
    every entity changes, as the XML gives structured values the CSV only had as remarks."""
    session, legacy, enhanced, before = switched
    assert legacy.source_id == enhanced.source_id
    assert (legacy.entity_count, legacy.added_count) == (442, 442)
    assert enhanced.status is VersionStatus.CHANGED
    assert enhanced.entity_count == 442
    assert (enhanced.added_count, enhanced.delisted_count, enhanced.relisted_count) == (0, 0, 0)
    assert enhanced.changed_count == 442
    now = listed(session)
    assert set(now) == set(before)
    assert all(entity.delisted_on is None for entity in now.values())
    # The primary names and programs of the two formats agree for every entity.
    after = {
        key: (entity.primary_name, {d.program.code for d in entity.designations})
        for key, entity in now.items()
    }
    assert after == before
    fields = Counter(
        f for row in changes(session, enhanced)[ChangeKind.CHANGED] for f in row.fields
    )
    assert "primary_name" not in fields and "designations" not in fields
    assert fields["facts"] == 442  # the lists, types and authorities each entity is listed under
    assert fields["listing_date"] == 442  # the CSV gives none
    assert fields["relations"] > 200  # typed relationships with the related entity's id


def test_switch_keeps_and_adds_structure(
    switched: tuple[Session, ListVersion, ListVersion, dict[str, tuple[str, set[str]]]],
) -> None:
    session, *_ = switched
    bank = registry.find_by_source_key(session, "us_ofac_cons", "17016")
    names = {(n.name, n.kind, n.script) for n in bank.names}
    assert ("GAZPROMBANK JOINT STOCK COMPANY", NameKind.PRIMARY, None) in names
    assert ("ГАЗПРОМБАНК АКЦИОНЕРНОЕ ОБЩЕСТВО", NameKind.AKA, "Cyrl") in names
    assert ("GAZPROMBANK OPEN JOINT STOCK COMPANY", NameKind.FKA, None) in names
    assert ("swift_bic", "GAZPRUMM") in {(i.kind, i.value) for i in bank.identifiers}
    haniya = registry.find_by_source_key(session, "us_ofac_cons", "9639")
    assert [(b.year, b.month) for b in haniya.birth_dates] == [(1962, None)]
    assert [p.place for p in haniya.birth_places] == ["Shati"]


def test_relations_resolve_by_key_within_the_list(
    switched: tuple[Session, ListVersion, ListVersion, dict[str, tuple[str, set[str]]]],
) -> None:
    """A relationship to an entity of the same list points at it by id; one to an entity of
    another list (the SDN list's HAMAS) keeps the id and name, unresolved."""
    session, *_ = switched
    relations = session.scalars(
        sa.select(EntityRelation).where(EntityRelation.relation != "linked_to")
    ).all()
    assert len(relations) == 283
    resolved = [r for r in relations if r.object is not None]
    assert resolved and all(r.object.source_key == r.object_key for r in resolved)
    unresolved = {r.object_key for r in relations if r.object is None}
    assert "4695" in unresolved and not unresolved & set(listed(session))


# --- a second version of the Enhanced XML --------------------------------------------------


def second_version(folder: Path) -> Path:
    """The real file with entity 30947 (HUAWEI) removed and an alias of 17016 changed."""
    ET.register_namespace("", ENHANCED_XML_NAMESPACE)
    root = ET.fromstring(gzip.decompress(ENHANCED.read_bytes()))
    holder = root.find(NS + "entities")
    assert holder is not None
    huawei = holder.find(f"{NS}entity[@id='30947']")
    bank = holder.find(f"{NS}entity[@id='17016']")
    assert huawei is not None and bank is not None
    holder.remove(huawei)
    alias = bank.find(f"{NS}names/{NS}name[@id='54916']//{NS}formattedFullName")
    assert alias is not None and alias.text == "BANK GPB JSC"
    alias.text = "BANK GPB JOINT STOCK COMPANY"
    path = folder / "CONS_ENHANCED.XML"
    path.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    return path


def test_second_version_diff(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    with migrated_session(tmp_path_factory.mktemp("versions")) as session:
        first = import_path(session, "ofac-enhanced-xml", ENHANCED, "2026-01-08")
        assert (first.added_count, first.entity_count) == (442, 442)
        again = import_path(session, "ofac-enhanced-xml", ENHANCED, "2026-01-08")
        assert again.status is VersionStatus.UNCHANGED
        second = import_path(session, "ofac-enhanced-xml", second_version(tmp_path), "2026-01-09")
        assert second.entity_count == 441
        counts = (second.added_count, second.changed_count, second.delisted_count)
        assert counts == (0, 1, 1)
        log = changes(session, second)
        (changed,) = log[ChangeKind.CHANGED]
        assert (changed.entity.source_key, changed.fields) == ("17016", ["names"])
        (delisted,) = log[ChangeKind.DELISTED]
        assert delisted.entity.source_key == "30947"
        assert str(delisted.entity.delisted_on) == "2026-01-09"


# --- the command line ----------------------------------------------------------------------


def test_cli_import_and_damaged_file(run_cli: RunCli, migrated: Engine, tmp_path: Path) -> None:
    result = run_cli("lists", "import", "ofac-enhanced-xml", str(ENHANCED))
    assert result.exit_code == 0, (result.output, result.stderr)
    status = run_cli("lists", "status")
    assert "us_ofac_cons" in status.output and "442" in status.output
    damaged = tmp_path / "CONS_ENHANCED.XML"
    damaged.write_bytes(gzip.decompress(ENHANCED.read_bytes())[:100_000])
    refused = run_cli("lists", "import", "ofac-enhanced-xml", str(damaged))
    assert refused.exit_code == 65, (refused.output, refused.stderr)
    errors = [line for line in refused.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "cannot be parsed as XML" in errors[0] and str(damaged) in errors[0]
    assert "Traceback" not in refused.stderr


def test_advanced_xml_then_enhanced_xml(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The 2020 advanced XML and the 2026 Enhanced XML of the Consolidated list update one
    source: the records in both are kept, the others added or delisted."""
    advanced = ROOT / "data/ofac/xml/cons_advanced_2020-03-17.xml.gz"
    with migrated_session(tmp_path_factory.mktemp("advanced")) as session:
        first = import_path(session, "ofac-advanced-xml", advanced)
        assert (first.entity_count, first.added_count) == (375, 375)
        keys_2020 = set(listed(session))
        second = import_path(session, "ofac-enhanced-xml", ENHANCED)
        assert second.source_id == first.source_id
        now = listed(session)
        still = {key for key, entity in now.items() if entity.delisted_on is None}
        assert len(keys_2020 & still) == 365
        counts = (second.added_count, second.delisted_count, second.relisted_count)
        assert counts == (442 - 365, 375 - 365, 0)
        # 16 records read the same from both files six years apart (no alias, same facts).
        assert second.changed_count == 349
