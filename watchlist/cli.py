"""The `watchlist` command. Errors become one line on stderr and a documented exit code."""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from watchlist import lists, migrate, registry
from watchlist.config import CONFIG_DIR, Settings, load_settings
from watchlist.db import create_engine, session_factory, transaction
from watchlist.errors import WatchlistError
from watchlist.models import Address, BirthDate, Entity, Identifier

EXIT_HELP = """\b
Exit codes:
  0   success
  1   unexpected failure
  2   wrong usage (unknown option, missing argument)
  3   record not found
  65  bad input data (malformed list file, bad name)
  69  database unavailable or not migrated
  73  another process holds the lock (an import or scan is running)
  75  download failed (try again later)
  78  bad configuration (unknown key, invalid value)
"""

F = TypeVar("F", bound=Callable[..., Any])


class AppContext:
    """What every command needs, built on first use so `--help` never touches settings."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._engine: Engine | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings()
            logging.basicConfig(level=self._settings.log.level.upper(), format="%(message)s")
            logging.getLogger("alembic").setLevel(logging.WARNING)
        return self._settings

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine(self.settings.database)
        return self._engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


class WatchlistGroup(click.Group):
    """A command group that turns `WatchlistError`s into one line on stderr."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WatchlistError as error:
            click.echo(f"error: {error.message}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("error: interrupted; nothing half-written was kept.", err=True)
            ctx.exit(130)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="watchlist")
    except Exception as error:  # the last line of defence: no traceback for users
        if os.environ.get("WATCHLIST_DEBUG"):
            raise
        click.echo(
            f"error: unexpected failure ({type(error).__name__}: {error}); "
            "set WATCHLIST_DEBUG=1 to see the traceback.",
            err=True,
        )
        sys.exit(1)


def pass_app(func: F) -> F:
    """Give a command the `AppContext` as its first argument."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(click.get_current_context().ensure_object(AppContext), *args, **kwargs)

    return wrapper  # type: ignore[return-value]


@click.group(cls=WatchlistGroup, epilog=EXIT_HELP, context_settings={"max_content_width": 100})
@click.version_option(package_name="watchlist")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Watchlist: a registry of sanctioned people and organisations, screened against the news.

    Settings come from config/default.toml, the file named by WATCHLIST_CONFIG, and
    WATCHLIST_<SECTION>_<KEY> environment variables (e.g. WATCHLIST_DATABASE_URL).
    """
    app = ctx.ensure_object(AppContext)
    ctx.call_on_close(app.close)


# -- database -------------------------------------------------------------------------------


@cli.group(cls=WatchlistGroup)
def db() -> None:
    """Create and migrate the database schema."""


@db.command("upgrade")
@click.argument("revision", default="head")
@pass_app
def db_upgrade(app: AppContext, revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    migrate.upgrade(app.engine, revision)
    click.echo(f"Database at revision {migrate.current_revision(app.engine)}.")


@db.command("downgrade")
@click.argument("revision")
@pass_app
def db_downgrade(app: AppContext, revision: str) -> None:
    """Migrate the database down to REVISION ('-1' for one step, 'base' to drop everything)."""
    migrate.downgrade(app.engine, revision)
    click.echo(f"Database at revision {migrate.current_revision(app.engine) or 'base (empty)'}.")


@db.command("current")
@pass_app
def db_current(app: AppContext) -> None:
    """Show the database's revision and whether it is the newest."""
    current = migrate.current_revision(app.engine)
    head = migrate.head_revision()
    state = "up to date" if current == head else f"behind {head}: run 'watchlist db upgrade'"
    click.echo(f"{current or 'base (empty)'} ({state})")


# -- seed -----------------------------------------------------------------------------------


@cli.command()
@click.option(
    "--seed-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=CONFIG_DIR / "seed",
    show_default="config/seed",
    help="Directory holding programs.toml and entities.toml.",
)
@pass_app
def seed(app: AppContext, seed_dir: Path) -> None:
    """Load the seed sanctions programs and entities. Running it again changes nothing."""
    with transaction(app.sessions) as session:
        programs, version = lists.load_seed(session, seed_dir)
    if version is None and not programs:
        click.echo("Seed already loaded: nothing changed.")
        return
    click.echo(f"Seed loaded: {programs} programs written.")
    if version is not None:
        click.echo(
            f"Entities: {version.added_count} added, {version.changed_count} changed, "
            f"{version.relisted_count} relisted (list version {version.id})."
        )


# -- entities -------------------------------------------------------------------------------


@cli.group(cls=WatchlistGroup)
def entities() -> None:
    """Browse the registry of listed entities."""


@entities.command("search")
@click.argument("name")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@click.option("--include-delisted", is_flag=True, help="Also show delisted entities.")
@pass_app
def entities_search(app: AppContext, name: str, limit: int, include_delisted: bool) -> None:
    """List entities with a name or alias containing NAME (case-insensitive)."""
    if not name.strip():
        raise click.BadParameter("give a name to search for", param_hint="NAME")
    with transaction(app.sessions) as session:
        found = registry.search_entities(
            session, name, limit=limit, include_delisted=include_delisted
        )
    if not found:
        click.echo(f"No entity has a name containing {name!r}.")
        return
    for item in found:
        alias = "" if item.matched_name == item.primary_name else f"  (as {item.matched_name})"
        delisted = f"  DELISTED {item.delisted_on}" if item.delisted_on else ""
        programs = ", ".join(item.programs) or "-"
        click.echo(
            f"{item.id:>7}  {item.kind:<12} {item.primary_name}{alias}  [{programs}]  "
            f"{item.source}:{item.source_key}{delisted}"
        )


@entities.command("show")
@click.argument("reference", metavar="ID")
@pass_app
def entities_show(app: AppContext, reference: str) -> None:
    """Show everything the registry holds about an entity.

    ID is the registry's id (as `entities search` prints it) or SOURCE:KEY, the list's own
    identifier, e.g. us_ofac_sdn:41736 for OFAC entity number 41736.
    """
    with transaction(app.sessions) as session:
        entity = _find_entity(session, reference)
        for line in describe_entity(entity):
            click.echo(line)


def _find_entity(session: Session, reference: str) -> Entity:
    source, _, key = reference.partition(":")
    if key:
        return registry.find_by_source_key(session, source, key)
    if not reference.strip().isdigit():
        raise click.BadParameter("give a number or SOURCE:KEY", param_hint="ID")
    return registry.get_entity(session, int(reference))


def describe_entity(entity: Entity) -> Iterator[str]:
    """A plain-text record of one entity, section by section."""
    yield f"{entity.primary_name}"
    yield f"  id:            {entity.id}"
    yield f"  kind:          {entity.kind.value}"
    yield f"  source:        {entity.source.name} ({entity.source.code}), key {entity.source_key}"
    status = f"delisted on {entity.delisted_on}" if entity.delisted_on else "listed"
    yield f"  status:        {status}"
    for label, value in (
        ("title", entity.title),
        ("gender", entity.gender),
        ("listing date", entity.listing_date),
    ):
        if value:
            yield f"  {label + ':':<14} {value}"
    yield from _section("names", [f"{n.name} ({_label(n.kind.value)})" for n in entity.names])
    yield from _section(
        "programs",
        [
            f"{d.program.code}: {d.program.name} — {d.program.authority}; "
            f"{d.program.legal_basis or 'legal basis unknown'}"
            + (f"; designated {d.designated_on}" if d.designated_on else "")
            for d in entity.designations
        ],
    )
    yield from _section("born", [_birth_date(b) for b in entity.birth_dates])
    yield from _section("birth places", [b.place for b in entity.birth_places])
    yield from _section(
        "nationalities", [f"{n.country} ({n.kind.value})" for n in entity.nationalities]
    )
    yield from _section("identifiers", [_identifier(i) for i in entity.identifiers])
    yield from _section("addresses", [_address(a) for a in entity.addresses])
    yield from _section("facts", [f"{_label(f.kind)}: {f.value}" for f in entity.facts])
    yield from _section(
        "related",
        [_relation(r.relation, r.object_name, r.object_id) for r in entity.relations],
    )
    yield from _section(
        "linked from",
        [_relation(r.relation, r.subject.primary_name, r.subject_id) for r in entity.linked_from],
    )
    if entity.remarks:
        yield "  remarks:"
        yield f"    {entity.remarks}"


def _section(title: str, lines: list[str]) -> Iterator[str]:
    if lines:
        yield f"  {title}:"
        for line in lines:
            yield f"    - {line}"


def _relation(relation: str, name: str, entity_id: int | None) -> str:
    return f"{_label(relation)} {name}" + (f" (id {entity_id})" if entity_id else "")


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _birth_date(birth: BirthDate) -> str:
    return ("circa " if birth.circa else "") + birth.text


def _identifier(identifier: Identifier) -> str:
    parts = [f"{_label(identifier.kind)} {identifier.value}"]
    if identifier.country:
        parts.append(f"({identifier.country})")
    if identifier.issued_on:
        parts.append(f"issued {identifier.issued_on}")
    if identifier.expires_on:
        parts.append(f"expires {identifier.expires_on}")
    if identifier.remarks:
        parts.append(f"[{identifier.remarks}]")
    return " ".join(parts)


def _address(address: Address) -> str:
    city = " ".join(part for part in (address.postal_code, address.city) if part)
    parts = [address.street, city, address.region, address.country]
    return ", ".join(part for part in parts if part)
