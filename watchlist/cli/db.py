"""Commands for the schema and the seed."""

from __future__ import annotations

from pathlib import Path

import click

from watchlist import migrate
from watchlist.cli.app import AppContext, WatchlistGroup, cli, pass_app
from watchlist.config import CONFIG_DIR
from watchlist.db import transaction
from watchlist.lists import apply


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


@cli.command()
@click.option(
    "--seed-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=CONFIG_DIR / "seed",
    show_default="config/seed",
    help="Directory holding programs.toml and entities.toml (OFAC's program tag table is "
    "always config/seed/ofac_program_tags.csv).",
)
@pass_app
def seed(app: AppContext, seed_dir: Path) -> None:
    """Load the seed sanctions programs and entities. Running it again changes nothing."""
    with transaction(app.sessions) as session:
        programs, version = apply.load_seed(session, seed_dir)
    if version is None and not programs:
        click.echo("Seed already loaded: nothing changed.")
        return
    click.echo(f"Seed loaded: {programs} programs written.")
    if version is not None:
        click.echo(
            f"Entities: {version.added_count} added, {version.changed_count} changed, "
            f"{version.relisted_count} relisted (list version {version.id})."
        )
