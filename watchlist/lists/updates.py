"""Importing and updating lists, and reporting on them: versions, counts, the change log."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from watchlist.db import newest_first
from watchlist.errors import ConfigError, InputError, NotFoundError
from watchlist.lists import diff as list_diff
from watchlist.lists.apply import VersionInfo, apply_list
from watchlist.lists.diff import FieldChange
from watchlist.lists.plausibility import RemovalGuard
from watchlist.models import ChangeKind, Entity, ListChange, ListSource, ListVersion
from watchlist.models.registry import VersionStatus
from watchlist.sources import formats
from watchlist.sources.formats import ListFile
from watchlist.sources.parsed import ParsedList
from watchlist.timestamps import rfc3339

Stage = Callable[[str], None]


@dataclasses.dataclass(frozen=True)
class ConfiguredSource:
    """One entry of the sources file: what `lists update` fetches."""

    format: str
    url: str
    enabled: bool = True
    # ftm only: the dataset the file is (else the one an OpenSanctions URL names).
    dataset: str | None = None


def read_sources(path: Path) -> tuple[ConfiguredSource, ...]:
    """The `[[source]]` entries of the sources file, checked."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"Sources file {path} cannot be read: {exc.strerror}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Sources file {path} is not valid TOML: {exc}.") from None
    return tuple(_source(item, path, index) for index, item in enumerate(data.get("source", []), 1))


def _source(item: object, path: Path, index: int) -> ConfiguredSource:
    where = f"Sources file {path} entry {index}"
    if not isinstance(item, dict) or set(item) - {"format", "url", "enabled", "dataset"}:
        raise ConfigError(f"{where} may hold only format, url, enabled and dataset.")
    if not isinstance(item.get("url"), str) or not isinstance(item.get("format"), str):
        raise ConfigError(f"{where} needs a format and a url.")
    formats.check_format(item["format"])
    dataset = item.get("dataset")
    if dataset is not None and not isinstance(dataset, str):
        raise ConfigError(f"{where} has a dataset that is not text.")
    try:
        formats.check_dataset(item["format"], dataset)
    except InputError as error:
        raise ConfigError(f"{where}: {error.message}") from None
    return ConfiguredSource(item["format"], item["url"], bool(item.get("enabled", True)), dataset)


def import_parsed(
    session: Session,
    list_file: ListFile,
    parsed: ParsedList,
    *,
    published_at: dt.datetime | None = None,
    guard: RemovalGuard | None = None,
) -> ListVersion:
    """Apply a complete parsed list as a new version (a 'no change' version if nothing moved,
    a refused one if `guard` finds it removes too much)."""
    if published_at is not None:
        parsed = dataclasses.replace(parsed, published_at=published_at)
    info = VersionInfo(
        location=list_file.location,
        checksum=list_file.checksum,
        fetched_at=list_file.fetched_at,
        etag=list_file.etag,
        last_modified=list_file.last_modified,
    )
    version = apply_list(session, parsed, info, complete=True, guard=guard)
    if version is None:  # apply_list records unchanged versions for complete lists
        raise RuntimeError("apply_list returned no version")
    return version


def import_if_new(session: Session, list_file: ListFile) -> ListVersion | None:
    """A 'no change' version when the file is byte-identical to the source's latest accepted
    version.

    Returns None when the file must be parsed and compared entity by entity.
    """
    code = formats.source_code(list_file.format, list_file.dataset)
    previous = latest_accepted(session, code) if code else None
    if previous is None or previous.checksum != list_file.checksum:
        return None
    return record_no_change(session, previous, list_file.location, list_file.fetched_at)


def record_not_modified(session: Session, source_code: str, url: str) -> ListVersion:
    """A 'no change' version for a source whose server answered 304 Not Modified."""
    previous = latest_accepted(session, source_code)
    if previous is None:
        raise NotFoundError(f"Source {source_code} has no earlier version to compare with.")
    return record_no_change(session, previous, url, dt.datetime.now(dt.UTC))


def record_no_change(
    session: Session, previous: ListVersion, location: str, fetched_at: dt.datetime | None
) -> ListVersion:
    """A version saying the source is as it was in `previous`."""
    version = ListVersion(
        source=previous.source,
        status=VersionStatus.UNCHANGED,
        location=location,
        fetched_at=fetched_at,
        checksum=previous.checksum,
        etag=previous.etag,
        last_modified=previous.last_modified,
        entity_count=previous.entity_count,
        name_count=previous.name_count,
    )
    session.add(version)
    session.flush()
    return version


def latest_accepted(session: Session, source_code: str) -> ListVersion | None:
    """The newest version of a source that was not refused: what the registry holds, and what
    a download is compared with (a refused file is fetched and judged again)."""
    return session.scalar(
        sa.select(ListVersion)
        .join(ListSource)
        .where(ListSource.code == source_code, ListVersion.status != VersionStatus.REFUSED)
        .order_by(ListVersion.id.desc())
        .limit(1)
    )


@dataclasses.dataclass(frozen=True)
class SourceStatus:
    """One line of `lists status`."""

    code: str
    name: str
    publisher: str
    versions: int
    active: int
    delisted: int
    latest_version: int | None
    latest_status: str | None
    last_update: str | None
    last_change: str | None
    refused: str | None  # why the latest version was refused, when it was


def status(session: Session) -> list[SourceStatus]:
    """Every source with its entity counts and when it was last updated and last changed."""
    return [_status(session, source) for source in session.scalars(sa.select(ListSource))]


def _status(session: Session, source: ListSource) -> SourceStatus:
    counts = dict(
        session.execute(
            sa.select(Entity.delisted_on.is_(None), sa.func.count())
            .where(Entity.source_id == source.id)
            .group_by(Entity.delisted_on.is_(None))
        ).all()
    )
    versions = session.scalars(
        sa.select(ListVersion).where(ListVersion.source_id == source.id).order_by(ListVersion.id)
    ).all()
    latest = versions[-1] if versions else None
    changed = [v for v in versions if v.status is VersionStatus.CHANGED]
    return SourceStatus(
        code=source.code,
        name=source.name,
        publisher=source.publisher,
        versions=len(versions),
        active=counts.get(True, 0),
        delisted=counts.get(False, 0),
        latest_version=latest.id if latest else None,
        latest_status=latest.status.value if latest else None,
        last_update=rfc3339(latest.imported_at) if latest else None,
        last_change=rfc3339(changed[-1].imported_at) if changed else None,
        refused=latest.refusal if latest and latest.status is VersionStatus.REFUSED else None,
    )


@dataclasses.dataclass(frozen=True)
class ChangeLine:
    """One entry of the change log."""

    change: str
    entity_id: int
    source_key: str
    name: str
    fields: tuple[str, ...]
    # Before and after values of the changed fields (none on entries from before they were kept).
    diff: tuple[FieldChange, ...] = ()


@dataclasses.dataclass(frozen=True)
class ChangeFilter:
    """Which entries of a change log to show."""

    kinds: Sequence[ChangeKind] = ()
    # Text the entity's primary name contains (any case), or its key in the list.
    text: str | None = None


def versions_of(session: Session, source: ListSource) -> Sequence[ListVersion]:
    """Every import of a list source, newest first."""
    return session.scalars(
        sa.select(ListVersion)
        .where(ListVersion.source_id == source.id)
        .order_by(ListVersion.id.desc())
    ).all()


def get_version(session: Session, version_id: int | None, source_code: str | None) -> ListVersion:
    """A version by id, or the newest version that changed something (of one source)."""
    if version_id is not None:
        version = session.get(ListVersion, version_id)
        if version is None:
            raise NotFoundError(f"There is no list version {version_id}.")
        return version
    query = sa.select(ListVersion).where(ListVersion.status == VersionStatus.CHANGED)
    if source_code:
        query = query.join(ListSource).where(ListSource.code == source_code)
    version = session.scalar(query.order_by(ListVersion.id.desc()).limit(1))
    if version is None:
        raise NotFoundError("No list version has changed anything yet.")
    return version


def changes(
    session: Session,
    version: ListVersion,
    where: ChangeFilter = ChangeFilter(),
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[ChangeLine]:
    """The change log of one version, in the order added, changed, relisted, delisted; `limit`
    and `offset` give one page of it."""
    query = (
        _change_query(version, where)
        .add_columns(ListChange, Entity.source_key, Entity.primary_name)
        .order_by(ListChange.id)
        .offset(offset)
        .limit(limit)
    )
    return [
        ChangeLine(
            row.change.value,
            row.entity_id,
            key,
            name,
            tuple(row.fields or ()),
            list_diff.read_diff(row.fields or (), row.diff),
        )
        for row, key, name in session.execute(query)
    ]


def count_changes(
    session: Session, version: ListVersion, where: ChangeFilter = ChangeFilter()
) -> int:
    """How many entries of the change log of one version `where` selects."""
    query = _change_query(version, where).add_columns(sa.func.count())
    return session.scalar(query) or 0


def _change_query(version: ListVersion, where: ChangeFilter) -> sa.Select[Any]:
    query = (
        sa.select()
        .select_from(ListChange)
        .join(Entity, Entity.id == ListChange.entity_id)
        .where(ListChange.version_id == version.id)
    )
    if where.kinds:
        query = query.where(ListChange.change.in_(list(where.kinds)))
    text = (where.text or "").strip()
    if text:
        name = sa.func.lower(Entity.primary_name).contains(text.casefold(), autoescape=True)
        query = query.where(sa.or_(name, Entity.source_key == text))
    return query


@dataclasses.dataclass(frozen=True)
class VersionChanges:
    """What one list version changed, for the change chart and the lists page."""

    version_id: int
    source: str
    imported_at: dt.datetime
    added: int
    changed: int
    delisted: int
    relisted: int


def list_changes_over_time(session: Session, *, limit: int = 24) -> list[VersionChanges]:
    """The newest versions that changed something, oldest first."""
    query = (
        sa.select(ListVersion, ListSource.code)
        .join(ListSource, ListSource.id == ListVersion.source_id)
        .where(ListVersion.status == VersionStatus.CHANGED)
        .order_by(ListVersion.id.desc())
        .limit(limit)
    )
    lines = [
        VersionChanges(
            v.id,
            code,
            v.imported_at,
            v.added_count,
            v.changed_count,
            v.delisted_count,
            v.relisted_count,
        )  # fmt: skip
        for v, code in session.execute(query)
    ]
    return lines[::-1]


def list_versions(
    session: Session, *, limit: int = 50, offset: int = 0
) -> tuple[Sequence[ListVersion], int]:
    """Every import of every list, newest first, and how many there are."""
    load = [selectinload(ListVersion.source)]
    return newest_first(session, ListVersion, load=load, limit=limit, offset=offset)
