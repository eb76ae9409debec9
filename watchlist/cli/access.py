"""`watchlist users …` and `watchlist api-keys …`: who may use the dashboard and the API."""

from __future__ import annotations

import secrets
import sys

import click

from watchlist import access
from watchlist.cli.app import AppContext, WatchlistGroup, cli, pass_app
from watchlist.db import transaction
from watchlist.errors import InputError
from watchlist.models import Role, Scope

SCOPE_HELP = (
    "What the key may do (repeat for several): lookup (screen names), screen (screen texts), "
    "read (articles, hits, entities, lists), write (store articles, decide on hits), "
    "admin (everything, including the screening audit log)."
)


@cli.group("users", cls=WatchlistGroup)
def users() -> None:
    """Dashboard accounts: viewers look, analysts decide on hits, admins also manage users."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    required=True,
    help="viewer: read only; analyst: also decides on hits; admin: also manages users, "
    "keys and suppression rules.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of a prompt.",
)
@pass_app
def users_add(app: AppContext, name: str, role: str, password_stdin: bool) -> None:
    """Create the account NAME; the password is asked for twice (at least 12 characters)."""
    password = _read_password(password_stdin)
    with transaction(app.sessions) as session:
        user = access.create_user(session, name, Role(role), password)
        click.echo(f"Created {user.role.value} {user.name!r}.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InputError("no password on standard input.")
        return password
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@users.command("password")
@click.argument("name")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the new password from the first line of standard input instead of a prompt.",
)
@pass_app
def users_password(app: AppContext, name: str, password_stdin: bool) -> None:
    """Set a new password for NAME (asked for twice); every session of NAME ends."""
    password = _read_password(password_stdin)
    with transaction(app.sessions) as session:
        access.set_password(session, name, password)
    click.echo(f"Changed the password of {name!r}; its sessions have ended.")


@users.command("list")
@pass_app
def users_list(app: AppContext) -> None:
    """Every account, with its role and state."""
    with transaction(app.sessions) as session:
        found = access.list_users(session)
        for user in found:
            state = f"disabled {user.disabled_at:%Y-%m-%d}" if user.disabled_at else "active"
            click.echo(f"{user.name:<30} {user.role.value:<8} {state}")
    if not found:
        click.echo("No users. Create one with: watchlist users add NAME --role admin")


@users.command("disable")
@click.argument("name")
@pass_app
def users_disable(app: AppContext, name: str) -> None:
    """Stop NAME from logging in and end its sessions; the account and its decisions stay on
    record."""
    with transaction(app.sessions) as session:
        access.set_user_disabled(session, name, True)
    click.echo(f"Disabled {name!r}.")


@users.command("enable")
@click.argument("name")
@pass_app
def users_enable(app: AppContext, name: str) -> None:
    """Let a disabled user log in again."""
    with transaction(app.sessions) as session:
        access.set_user_disabled(session, name, False)
    click.echo(f"Enabled {name!r}.")


@users.command("sign-ins")
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True)
@pass_app
def users_sign_ins(app: AppContext, limit: int) -> None:
    """Recent dashboard sign-in attempts, newest first: when, outcome (succeeded, failed,
    throttled), the name tried and the client address."""
    with transaction(app.sessions) as session:
        for attempt in access.recent_sign_ins(session, limit):
            click.echo(f"{attempt.created_at:%Y-%m-%d %H:%M:%S}  {attempt.outcome.value:<9}  "
                       f"{attempt.name:<30} {attempt.address}")  # fmt: skip


@users.command("demo")
@click.option("--name", default="demo", show_default=True, help="Name of the demo account.")
@pass_app
def users_demo(app: AppContext, name: str) -> None:
    """Create a demo analyst account on first run and print its random password once.

    Does nothing when an account of that name exists: the password is stored nowhere but as
    a hash, so it cannot be shown again (`watchlist users add` makes further accounts).
    """
    password = secrets.token_urlsafe(12)
    with transaction(app.sessions) as session:
        if any(user.name == name for user in access.list_users(session)):
            click.echo(f"The demo account {name!r} exists already; its password was shown "
                       "when it was created.")  # fmt: skip
            return
        access.create_user(session, name, Role.ANALYST, password)
    click.echo(f"Created the demo analyst account: user {name!r}, password {password!r} "
               "(shown this once).")  # fmt: skip


@cli.group("api-keys", cls=WatchlistGroup)
def api_keys() -> None:
    """Keys for the REST API, sent as `Authorization: Bearer KEY`."""


@api_keys.command("create")
@click.argument("name")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice([scope.value for scope in Scope]),
    help=SCOPE_HELP,
)
@click.option("--quiet", is_flag=True, help="Print only the key.")
@pass_app
def api_keys_create(app: AppContext, name: str, scopes: tuple[str, ...], quiet: bool) -> None:
    """Create the key NAME and print it. It is shown this once: only its digest is stored."""
    with transaction(app.sessions) as session:
        key, secret = access.create_api_key(session, name, access.parse_scopes(scopes))
        granted = ", ".join(key.scopes)
    if quiet:
        click.echo(secret)
        return
    click.echo(secret)
    click.echo(f"Created API key {name!r} with scopes: {granted}. Store it now: it is not "
               "shown again.", err=True)  # fmt: skip


@api_keys.command("list")
@pass_app
def api_keys_list(app: AppContext) -> None:
    """Every key: name, first characters, scopes, state. Keys themselves are never shown."""
    with transaction(app.sessions) as session:
        found = access.list_api_keys(session)
        for key in found:
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            click.echo(f"{key.name:<30} {key.prefix}…  {','.join(key.scopes):<30} {state}")
    if not found:
        click.echo("No API keys. Create one with: watchlist api-keys create NAME --scope lookup")


@api_keys.command("revoke")
@click.argument("name")
@pass_app
def api_keys_revoke(app: AppContext, name: str) -> None:
    """Revoke the key NAME at once; requests with it are refused from now on."""
    with transaction(app.sessions) as session:
        access.revoke_api_key(session, name)
    click.echo(f"Revoked {name!r}.")
