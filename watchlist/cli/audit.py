"""`watchlist audit …`: the screening audit log, for proof of what was screened and when."""

from __future__ import annotations

import datetime as dt

import click

from watchlist.cli.app import AppContext, WatchlistGroup, cli, pass_app
from watchlist.db import transaction
from watchlist.screening import audit


@cli.group("audit", cls=WatchlistGroup)
def audit_group() -> None:
    """Every lookup and screen request: who, when, what, against which list state, and what
    came back."""


@audit_group.command("export")
@click.option("--since", type=click.DateTime(), help="From this time (UTC), inclusive.")
@click.option("--until", type=click.DateTime(), help="Up to this time (UTC), exclusive.")
@click.option("--actor", help="Only this key or user, e.g. api-key:kyc-service.")
@click.option("--kind", type=click.Choice(["lookup", "screen", "match"]))
@click.option("--query", help="Only requests whose name or text contains this.")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True,
    help="CSV with a header, or JSON lines.",
)  # fmt: skip
@pass_app
def audit_export(
    app: AppContext,
    since: dt.datetime | None,
    until: dt.datetime | None,
    actor: str | None,
    kind: str | None,
    query: str | None,
    fmt: str,
) -> None:
    """Write the audit records, newest first, to standard output."""
    where = audit.AuditFilter(
        since=since.replace(tzinfo=dt.UTC) if since else None,
        until=until.replace(tzinfo=dt.UTC) if until else None,
        actor=actor,
        kind=kind,
        query=query,
    )
    with transaction(app.sessions) as session:
        entries, _total = audit.find(session, where)
        lines = audit.export_csv(entries) if fmt == "csv" else audit.export_json(entries)
        for line in lines:
            click.echo(line, nl=False)
