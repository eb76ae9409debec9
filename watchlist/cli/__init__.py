"""The `watchlist` command. Errors become one line on stderr and a documented exit code."""

from watchlist.cli import (  # noqa: F401  (registers the commands)
    access,
    articles,
    audit,
    db,
    entities,
    lists,
    lookup,
    scan,
    screen,
)
from watchlist.cli.app import cli, main

__all__ = ["cli", "main"]
