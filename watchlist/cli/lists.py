"""Commands to import and update lists and to read their versions and change logs."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import requests
from tqdm import tqdm

from watchlist import fetch, list_updates, locks
from watchlist.cli.app import AppContext, WatchlistGroup, cli, pass_app
from watchlist.config import Settings
from watchlist.db import transaction
from watchlist.errors import FetchError, WatchlistError
from watchlist.models import ChangeKind, ListVersion, VersionStatus
from watchlist.sources import formats


@cli.group("lists", cls=WatchlistGroup)
def lists_group() -> None:
    """Import and update sanctions lists; see their versions and change logs."""


@lists_group.command("import")
@click.argument("list_format", metavar="FORMAT", type=click.Choice(formats.FORMATS))
@click.argument("location", metavar="PATH_OR_URL")
@click.option(
    "--published",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publication date of the list (YYYY-MM-DD); dates delistings. Default: today.",
)
@pass_app
def lists_import(
    app: AppContext, list_format: str, location: str, published: dt.datetime | None
) -> None:
    """Import one list file (or OFAC CSV folder) as a new version of its source.

    \b
    FORMAT is one of:
      ofac-csv       OFAC SDN legacy CSV: a folder (or URL folder) with sdn.csv, add.csv,
                     alt.csv, sdn_comments.csv (plain or .gz), or one sdn*.csv[.gz] file
      ofac-cons-csv  OFAC non-SDN consolidated CSV: cons_prim.csv and companions
      ofac-xml       OFAC XML in the sdn.xml / consolidated.xml schema
      un-xml         UN Security Council consolidated list XML
      ftm            OpenSanctions FollowTheMoney JSON lines

    The import is one transaction: on any error the registry keeps the previous version.
    Entities missing from the new file are delisted (kept, with a delisting date).
    """
    stamp = published.replace(tzinfo=dt.UTC) if published else None
    with locks.exclusive(app.engine, "lists", what="list import"), _stages() as stage:
        stage(f"reading {location}")
        list_file = _obtain(app, list_format, location)
        version = _import(app, list_file, stage, stamp)
    click.echo(_version_line(version.source.code, version))


def _import(
    app: AppContext,
    list_file: formats.ListFile,
    stage: Callable[[str], None],
    published_at: dt.datetime | None = None,
) -> ListVersion:
    """Record a byte-identical file as 'no change'; else parse it and apply the differences."""
    with transaction(app.sessions) as session:
        same = list_updates.import_if_new(session, list_file)
        if same is not None:
            return same
    stage("parsing")
    parsed = formats.parse(list_file)
    stage(f"applying {len(parsed.entities):,} entities")
    with transaction(app.sessions) as session:
        return list_updates.import_parsed(session, list_file, parsed, published_at=published_at)


def _obtain(app: AppContext, list_format: str, location: str) -> formats.ListFile:
    if not formats.is_url(location):
        return formats.read_local(list_format, Path(location))
    policy = _fetch_policy(app.settings)
    got = formats.fetch_remote(list_format, location, fetch.http_session(policy), policy)
    if got is None:  # no validators were sent, so a 304 would be a server error
        raise FetchError(f"Download of {location} answered 304 to an unconditional request.")
    return got


def _fetch_policy(settings: Settings) -> fetch.FetchPolicy:
    config = settings.lists
    return fetch.FetchPolicy(
        timeout_seconds=config.timeout_seconds,
        retries=config.retries,
        backoff_seconds=config.backoff_seconds,
        max_bytes=config.max_download_mb * 1024 * 1024,
        user_agent=config.user_agent,
    )


def _version_line(source: str, version: ListVersion) -> str:
    if version.status is VersionStatus.UNCHANGED:
        return f"{source}: no change (version {version.id}, {version.entity_count:,} entities)."
    return (
        f"{source}: version {version.id}: {version.entity_count:,} entities, "
        f"{version.added_count:,} added, {version.changed_count:,} changed, "
        f"{version.delisted_count:,} delisted, {version.relisted_count:,} relisted."
    )


@contextlib.contextmanager
def _stages() -> Iterator[Callable[[str], None]]:
    """A progress bar over named stages on a terminal; plain log lines otherwise."""
    if not sys.stderr.isatty():
        yield lambda name: logging.getLogger("watchlist").info("%s", name)
        return
    with tqdm(total=None, bar_format="{desc} [{elapsed}]", file=sys.stderr) as bar:
        yield lambda name: bar.set_description_str(name)


@lists_group.command("update")
@click.option(
    "--only",
    "only",
    multiple=True,
    type=click.Choice(formats.FORMATS),
    help="Update only sources of this format (repeatable).",
)
@pass_app
def lists_update(app: AppContext, only: tuple[str, ...]) -> None:
    """Fetch every enabled source of the sources file and import what changed.

    Downloads use conditional GET (ETag / Last-Modified): a list the publisher has not changed
    is recorded as a 'no change' version without downloading it again. One failing source does
    not stop the others; the exit code is non-zero if any failed.
    """
    sources = list_updates.read_sources(Path(app.settings.lists.sources_file))
    chosen = [s for s in sources if s.enabled and (not only or s.format in only)]
    if not chosen:
        click.echo("No enabled source to update.")
        return
    policy = _fetch_policy(app.settings)
    http = fetch.http_session(policy)
    failures = 0
    with locks.exclusive(app.engine, "lists", what="list import"):
        for configured in chosen:
            try:
                click.echo(_update_one(app, configured, http, policy))
            except WatchlistError as error:
                failures += 1
                click.echo(f"error: {configured.url}: {error.message}", err=True)
    if failures:
        raise WatchlistError(f"{failures} of {len(chosen)} sources could not be updated.")


def _update_one(
    app: AppContext,
    configured: list_updates.ConfiguredSource,
    http: requests.Session,
    policy: fetch.FetchPolicy,
) -> str:
    code = formats.SOURCE_CODES.get(configured.format)
    with transaction(app.sessions) as session:
        previous = list_updates.latest_version(session, code) if code else None
        validators = (previous.etag, previous.last_modified) if previous else (None, None)
    got = formats.fetch_remote(
        configured.format,
        configured.url,
        http,
        policy,
        etag=validators[0],
        last_modified=validators[1],
    )
    with transaction(app.sessions) as session:
        if got is None and code:
            version = list_updates.record_not_modified(session, code, configured.url)
            return _version_line(code, version)
        if got is None:
            raise FetchError(f"Download of {configured.url} answered 304 with nothing to keep.")
    version = _import(app, got, lambda name: None)
    return _version_line(version.source.code, version)


@lists_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_app
def lists_status(app: AppContext, as_json: bool) -> None:
    """Sources with their versions, active and delisted entity counts and last update."""
    with transaction(app.sessions) as session:
        rows = list_updates.status(session)
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(row) for row in rows], indent=2))
        return
    if not rows:
        click.echo("No list has been imported yet; try 'watchlist lists import'.")
        return
    for row in rows:
        click.echo(f"{row.code}  {row.name}")
        click.echo(
            f"  {row.active:,} listed, {row.delisted:,} delisted; {row.versions} versions, "
            f"latest {row.latest_version} ({row.latest_status}) at {row.last_update}; "
            f"last change {row.last_change or 'never'}"
        )


@lists_group.command("changes")
@click.argument("version_id", metavar="[VERSION]", type=int, required=False)
@click.option(
    "--source", help="With no VERSION: the newest change of this source (e.g. us_ofac_sdn)."
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice([k.value for k in ChangeKind]),
    help="Show only these changes (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of text.")
@pass_app
def lists_changes(
    app: AppContext,
    version_id: int | None,
    source: str | None,
    kinds: tuple[str, ...],
    as_json: bool,
) -> None:
    """The change log of a list version (default: the newest version that changed anything)."""
    with transaction(app.sessions) as session:
        version = list_updates.get_version(session, version_id, source)
        lines = list_updates.changes(session, version, kinds=[ChangeKind(k) for k in kinds])
        header = _version_line(version.source.code, version)
    if as_json:
        for line in lines:
            click.echo(json.dumps(dataclasses.asdict(line)))
        return
    click.echo(header)
    for line in lines:
        fields = f" ({', '.join(line.fields)})" if line.fields else ""
        click.echo(f"  {line.change:<9} {line.source_key:>8}  {line.name}{fields}")
