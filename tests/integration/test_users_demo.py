"""`watchlist users demo`: the demo analyst of `make run`, made once."""

from __future__ import annotations

import re

from tests.conftest import RunCli


def test_demo_account_is_made_once_and_its_password_shown_once(run_cli: RunCli) -> None:
    assert run_cli("db", "upgrade").exit_code == 0
    first = run_cli("users", "demo")
    assert first.exit_code == 0, first.output
    password = re.search(r"password '([^']+)'", first.output)
    assert password and len(password.group(1)) >= 12
    second = run_cli("users", "demo")
    assert second.exit_code == 0
    assert "exists already" in second.output and password.group(1) not in second.output
    listed = run_cli("users", "list")
    assert "demo" in listed.output and "analyst" in listed.output
    assert "--name" in run_cli("users", "demo", "--help").output
