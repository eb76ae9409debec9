"""The `watchlist` root command, its context and the error handling every command shares."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from watchlist import logs
from watchlist.config import Settings, load_settings
from watchlist.db import create_engine, session_factory
from watchlist.errors import WatchlistError

EXIT_HELP = """\b
Exit codes:
  0   success
  1   unexpected failure
  2   wrong usage (unknown option, missing argument)
  3   record not found
  4   scan finished, but some articles, feeds, lists or notifications failed
  65  bad input data (malformed list file, bad name)
  69  database unavailable or not migrated
  73  another process holds the lock (an import or scan is running)
  75  download failed (try again later)
  77  not allowed (wrong credentials or missing permission)
  78  bad configuration (unknown key, invalid value)
"""

F = TypeVar("F", bound=Callable[..., Any])


class AppContext:
    """What every command needs, built on first use so `--help` never touches settings."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._engine: Engine | None = None
        self._job_engine: Engine | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings()
            logs.configure(self._settings.log)
        return self._settings

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine(self.settings.database)
        return self._engine

    @property
    def job_engine(self) -> Engine:
        """An engine for jobs whose transactions read, then write (see `create_engine`)."""
        if self._job_engine is None:
            self._job_engine = create_engine(self.settings.database, immediate=True)
        return self._job_engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    def close(self) -> None:
        for engine in (self._engine, self._job_engine):
            if engine is not None:
                engine.dispose()


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
