"""Accounts, API keys and the screening audit log, through the services and the commands."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy.orm import Session

from tests.conftest import ROOT, RunCli
from watchlist import access
from watchlist.errors import (
    AuthenticationError,
    ConflictError,
    InputError,
    PermissionDeniedError,
)
from watchlist.lists import apply
from watchlist.models import ApiKey, Role, Scope, User
from watchlist.registry import entities
from watchlist.screening import audit

PASSWORD = "correct horse battery staple"


def test_password_hashes_are_salted_and_verified() -> None:
    first, second = access.hash_password(PASSWORD), access.hash_password(PASSWORD)
    assert first != second and first.startswith("scrypt$") and PASSWORD not in first
    assert access.verify_password(PASSWORD, first)
    assert not access.verify_password(PASSWORD + "!", first)
    assert not access.verify_password(PASSWORD, "not-a-hash")


def test_users_log_in_with_the_right_password_only(session: Session) -> None:
    access.create_user(session, "ann", Role.ANALYST, PASSWORD)
    assert access.authenticate_user(session, "ann", PASSWORD).last_login_at is not None
    for name, password in (("ann", "wrong password!"), ("nobody", PASSWORD)):
        with pytest.raises(AuthenticationError, match="unknown user name or wrong password"):
            access.authenticate_user(session, name, password)
    access.set_user_disabled(session, "ann", True)
    with pytest.raises(AuthenticationError):
        access.authenticate_user(session, "ann", PASSWORD)


def test_bad_accounts_are_refused(session: Session) -> None:
    access.create_user(session, "ann", Role.VIEWER, PASSWORD)
    with pytest.raises(ConflictError, match="already a user named 'ann'"):
        access.create_user(session, "ann", Role.ADMIN, PASSWORD)
    with pytest.raises(InputError, match="at least 12"):
        access.create_user(session, "bob", Role.ADMIN, "short")
    with pytest.raises(InputError, match="lower-case letters"):
        access.create_user(session, "Bob Smith", Role.ADMIN, PASSWORD)


def test_roles_are_ordered() -> None:
    analyst = User(name="ann", role=Role.ANALYST, password_hash="")
    access.require_role(analyst, Role.VIEWER)
    access.require_role(analyst, Role.ANALYST)
    with pytest.raises(PermissionDeniedError, match="admin role"):
        access.require_role(analyst, Role.ADMIN)


def test_api_keys_are_stored_hashed_scoped_and_revocable(session: Session) -> None:
    key, secret = access.create_api_key(session, "kyc", [Scope.LOOKUP])
    stored = session.get(ApiKey, key.id)
    assert stored is not None and secret not in (stored.digest, stored.prefix)
    assert secret.startswith(stored.prefix)
    assert access.authenticate_key(session, secret).name == "kyc"
    access.require_scope(key, Scope.LOOKUP)
    with pytest.raises(PermissionDeniedError, match="'write' scope"):
        access.require_scope(key, Scope.WRITE)
    admin, _ = access.create_api_key(session, "ops", [Scope.ADMIN])
    access.require_scope(admin, Scope.WRITE)
    access.revoke_api_key(session, "kyc")
    with pytest.raises(AuthenticationError, match="unknown or revoked"):
        access.authenticate_key(session, secret)
    with pytest.raises(AuthenticationError):
        access.authenticate_key(session, secret + "x")


def test_scopes_are_checked_by_name() -> None:
    assert access.parse_scopes(["write", "lookup", "write"]) == [Scope.LOOKUP, Scope.WRITE]
    with pytest.raises(InputError, match="unknown scope 'delete'"):
        access.parse_scopes(["delete"])
    with pytest.raises(InputError, match="at least one scope"):
        access.parse_scopes([])


def test_commands_create_users_and_keys(run_cli: RunCli, migrated: object) -> None:
    added = run_cli("users", "add", "ann", "--role", "analyst", "--password-stdin",
                    input=PASSWORD + "\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "ann" in run_cli("users", "list").output
    short = run_cli("users", "add", "bob", "--role", "admin", "--password-stdin", input="x\n")
    assert (short.exit_code, short.stderr.count("\n")) == (65, 1)

    quiet = run_cli("api-keys", "create", "kyc", "--scope", "lookup", "--quiet")
    assert quiet.exit_code == 0
    assert quiet.stdout.strip().startswith(access.KEY_PREFIX) and quiet.stdout.count("\n") == 1
    listed = run_cli("api-keys", "list").output
    assert "kyc" in listed and quiet.stdout.strip() not in listed
    again = run_cli("api-keys", "create", "kyc", "--scope", "lookup")
    assert (again.exit_code, again.stderr) == (
        65,
        "error: there is already an API key named 'kyc'.\n",
    )
    assert run_cli("api-keys", "revoke", "kyc").exit_code == 0
    assert "revoked" in run_cli("api-keys", "list").output
    assert run_cli("api-keys", "revoke", "nope").exit_code == 3


def test_audit_records_export_as_csv_and_json(run_cli: RunCli, session: Session) -> None:
    apply.load_seed(session, ROOT / "config/seed")
    mkrtychev = entities.find_by_source_key(session, "us_ofac_sdn", "41736")
    top = audit.TopResult(mkrtychev.id, "MKRTYCHEV, Ashot", 0.97)
    audit.record(session, actor="api-key:kyc", kind="lookup", query="=HYPERLINK(1)",
                 list_state=7, result_count=0, top=None)  # fmt: skip
    audit.record(session, actor="api-key:kyc", kind="screen", query="Ashot Mkrtychev said",
                 list_state=7, result_count=1, top=top)  # fmt: skip
    session.commit()

    rows = list(csv.DictReader(io.StringIO(run_cli("audit", "export").stdout)))
    assert [row["kind"] for row in rows] == ["screen", "lookup"]  # newest first
    assert rows[0]["top_name"] == "MKRTYCHEV, Ashot" and rows[0]["top_score"] == "0.97"
    assert rows[1]["query"] == "'=HYPERLINK(1)"  # not a formula in a spreadsheet

    lines = run_cli("audit", "export", "--format", "json", "--kind", "screen").stdout.splitlines()
    (record,) = [json.loads(line) for line in lines]
    assert record["query_detail"] == {"length": 20} and record["list_state"] == 7
    assert run_cli("audit", "export", "--query", "mkrtychev", "--format", "json").stdout
    assert not run_cli("audit", "export", "--since", "2999-01-01", "--format", "json").stdout
