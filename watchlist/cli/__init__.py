"""The `watchlist` command. Errors become one line on stderr and a documented exit code."""

from watchlist.cli import db, entities, lists, lookup, screen  # noqa: F401  (registers commands)
from watchlist.cli.app import cli, main

__all__ = ["cli", "main"]
