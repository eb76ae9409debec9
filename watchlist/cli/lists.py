"""Commands to import and update lists and to read their versions and change logs."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable, Iterator

import click
from tqdm import tqdm

from watchlist import locks
from watchlist.cli.app import AppContext, WatchlistGroup, cli, pass_app
from watchlist.db import transaction
from watchlist.errors import UpdateFailedError
from watchlist.lists import jobs, updates
from watchlist.lists.diff import FieldChange
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
@click.option(
    "--accept-large-change",
    is_flag=True,
    help="Apply the list even if it delists or strips more than lists.max_removal_percent "
    "of the source's entities or names (refused otherwise, as a damaged file would be).",
)
@click.option(
    "--dataset",
    metavar="NAME",
    help="ftm only: the OpenSanctions dataset the file is (e.g. eu_fsf). Each dataset is its "
    "own source. Default: the one an OpenSanctions URL names, else the one dataset all the "
    "file's entities name, else the file's name up to its first dot (not for the generic "
    "entities.ftm.json).",
)
@pass_app
def lists_import(
    app: AppContext,
    list_format: str,
    location: str,
    published: dt.datetime | None,
    accept_large_change: bool,
    dataset: str | None,
) -> None:
    """Import one list file (or OFAC CSV folder) as a new version of its source.

    \b
    FORMAT is one of:
      ofac-csv       OFAC SDN legacy CSV: a folder (or URL folder) with sdn.csv, add.csv,
                     alt.csv, sdn_comments.csv (plain or .gz), or one sdn*.csv[.gz] file
      ofac-cons-csv  OFAC non-SDN consolidated CSV: cons_prim.csv and companions
      ofac-xml       OFAC XML in the sdn.xml / consolidated.xml schema
      ofac-enhanced-xml  OFAC Enhanced XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML)
      ofac-advanced-xml  OFAC advanced XML (SDN_ADVANCED.XML, CONS_ADVANCED.XML)
      un-xml         UN Security Council consolidated list XML
      ftm            OpenSanctions FollowTheMoney JSON lines; each dataset is its own
                     source (see --dataset)
      uk-conlist     UK OFSI Consolidated List, ConList.xlsx or ConList.csv (closed in 2026)
      uk-sanctions-list  FCDO UK Sanctions List XML (UK-Sanctions-List.xml)
      eu-fsf-xml     EU Financial Sanctions Files consolidated list XML (schema 1.1)

    The import is one transaction: on any error the registry keeps the previous version.
    Entities missing from the new file are delisted (kept, with a delisting date). A file
    that is cut short (no end-of-file mark, fewer records than it declares) is refused, and so
    is a version that would remove more than lists.max_removal_percent of the source's
    entities or names: it is recorded as refused (see `lists status`) and exits with 65.
    """
    stamp = published.replace(tzinfo=dt.UTC) if published else None
    guard = jobs.removal_guard(app.settings, accept_large_change=accept_large_change)
    with locks.exclusive(app.engine, "lists", what="list import"), _stages() as stage:
        stage(f"reading {location}")
        list_file = jobs.obtain(app.settings, list_format, location, dataset)
        version = jobs.import_file(app.sessions, list_file, guard, stage, stamp)
    click.echo(_version_line(version.source.code, version))


def _version_line(source: str, version: ListVersion) -> str:
    if version.status is VersionStatus.REFUSED:
        return (
            f"{source}: version {version.id} was refused: {version.entity_count:,} entities, "
            f"{version.added_count:,} added, {version.changed_count:,} changed, "
            f"{version.delisted_count:,} delisted, {version.relisted_count:,} relisted "
            "were not applied."
        )
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
@click.option(
    "--accept-large-change",
    is_flag=True,
    help="Apply lists even if they delist or strip more than lists.max_removal_percent of "
    "their source's entities or names.",
)
@pass_app
def lists_update(app: AppContext, only: tuple[str, ...], accept_large_change: bool) -> None:
    """Fetch every enabled source of the sources file and import what changed.

    Downloads use conditional GET (ETag / Last-Modified): a list the publisher has not changed
    is recorded as a 'no change' version without downloading it again. Every file of a list
    must download (an OFAC CSV list is four files). One failing source does not stop the
    others; the exit code is that of the first failure (75 for a failed download, 65 for a
    damaged or refused list).
    """
    with locks.exclusive(app.engine, "lists", what="list import"):
        outcomes = jobs.update_sources(
            app.sessions, app.settings, only, accept_large_change=accept_large_change
        )
    if not outcomes:
        click.echo("No enabled source to update.")
        return
    for outcome in outcomes:
        if outcome.version is not None:
            click.echo(_version_line(outcome.version.source.code, outcome.version))
        else:
            click.echo(f"error: {outcome.url}: {outcome.error}", err=True)
    failed = [outcome.error for outcome in outcomes if outcome.error is not None]
    if failed:
        raise UpdateFailedError(
            f"{len(failed)} of {len(outcomes)} sources could not be updated.", failed[0].exit_code
        )


@lists_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_app
def lists_status(app: AppContext, as_json: bool) -> None:
    """Sources with their versions, active and delisted entity counts and last update."""
    with transaction(app.sessions) as session:
        rows = updates.status(session)
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
        if row.refused:
            click.echo(f"  latest update refused: {row.refused}")


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
@click.option(
    "--entity",
    "text",
    metavar="TEXT",
    help="Show only entities whose primary name contains TEXT (any case), or whose list key "
    "is TEXT.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of text.")
@pass_app
def lists_changes(
    app: AppContext,
    version_id: int | None,
    source: str | None,
    kinds: tuple[str, ...],
    text: str | None,
    as_json: bool,
) -> None:
    """The change log of a list version (default: the newest version that changed anything).

    Under each changed or relisted entity, each changed field with its values: "-" before a
    value the version removed, "+" before one it added, the unchanged ones indented.
    """
    where = updates.ChangeFilter(kinds=[ChangeKind(k) for k in kinds], text=text)
    with transaction(app.sessions) as session:
        version = updates.get_version(session, version_id, source)
        lines = updates.changes(session, version, where)
        header = _version_line(version.source.code, version)
    if as_json:
        for line in lines:
            click.echo(json.dumps(dataclasses.asdict(line)))
        return
    click.echo(header)
    for line in lines:
        fields = f" ({', '.join(line.fields)})" if line.fields and not line.diff else ""
        click.echo(f"  {line.change:<9} {line.source_key:>8}  {line.name}{fields}")
        for change in line.diff:
            for text_line in _field_change_lines(change):
                click.echo(text_line)


def _field_change_lines(change: FieldChange) -> Iterator[str]:
    """A changed field as a unified diff: removed values, added values, then the others."""
    yield f"      {change.field.replace('_', ' ')}"
    removed, added = change.removed, change.added
    yield from (f"        - {value}" for value in removed)
    yield from (f"        + {value}" for value in added)
    yield from (f"          {value}" for value in change.before if value not in removed)
    if not (removed or added):
        yield "          (no difference shown: a detail not shown, or one the registry keeps)"
    if change.omitted_before or change.omitted_after:
        yield (
            f"          (and {change.omitted_before} more before, "
            f"{change.omitted_after} more after)"
        )
