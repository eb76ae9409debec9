"""The permission table of the dashboard (README "Dashboard"), every role against every view.

viewer: reads everything except the screening audit log; analyst: also decides on hits (and
may silence a name while dismissing); admin: also removes suppression rules, manages accounts
and reads the screening audit log.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.web.dashboard import post, sign_in, text

pytestmark = pytest.mark.usefixtures("dashboard_users")

READ_FOR_ALL = [
    "/", "/?view=hits", "/hits/1", "/articles/1", "/overview", "/entities/1", "/search?q=putin",
    "/lists", "/runs", "/audit", "/suppressions", "/export/hits.csv",
]  # fmt: skip
ADMIN_ONLY_PAGES = ["/users", "/audit/screening"]
ROLES = ["viewer", "analyst", "admin"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", READ_FOR_ALL)
def test_every_role_reads_the_review_views(client: FlaskClient, role: str, path: str) -> None:
    sign_in(client, role)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("analyst", 403), ("admin", 200)])
@pytest.mark.parametrize("path", ADMIN_ONLY_PAGES)
def test_only_admins_see_accounts_and_the_screening_log(
    client: FlaskClient, role: str, status: int, path: str
) -> None:
    sign_in(client, role)
    response = client.get(path)
    assert response.status_code == status
    if status == 403:
        assert "needs the admin role" in text(response)


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("analyst", 303), ("admin", 303)])
def test_viewers_cannot_decide(client: FlaskClient, role: str, status: int) -> None:
    sign_in(client, role)
    data = {"action": "escalate", "note": f"permission check by {role}"}
    assert post(client, "/hits/1/decisions", data, form="/hits/1").status_code == status


def test_viewers_see_no_decision_buttons(client: FlaskClient) -> None:
    sign_in(client, "viewer")
    page = text(client.get("/hits/1"))
    assert 'name="action"' not in page
    assert "deciding needs the analyst role" in page


def test_analysts_see_decision_buttons(client: FlaskClient) -> None:
    sign_in(client, "analyst")
    page = text(client.get("/hits/1"))
    for action in ("confirm", "dismiss", "escalate"):
        assert f'name="action" value="{action}"' in page


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("analyst", 403)])
def test_only_admins_remove_rules_or_manage_accounts(
    client: FlaskClient, role: str, status: int
) -> None:
    sign_in(client, role)
    assert post(client, "/suppressions/1/remove", {}, form="/").status_code == status
    assert post(client, "/users/viewer/disable", {}, form="/").status_code == status
    assert post(client, "/users", {"name": "x", "role": "admin", "password": "p" * 12},
                form="/").status_code == status  # fmt: skip
    assert "Users</a>" not in text(client.get("/"))


def test_admins_manage_accounts(client: FlaskClient) -> None:
    sign_in(client, "admin")
    data = {"name": "newcomer", "role": "viewer", "password": "another-long-password"}
    response = post(client, "/users", data, form="/users")
    assert response.status_code == 303
    page = text(client.get("/users"))
    assert "newcomer" in page and "Created the viewer account" in page
    post(client, "/users/newcomer/disable", {}, form="/users")
    assert "The account “newcomer” is disabled." in text(client.get("/users"))
    refused = post(client, "/users/admin/disable", {}, form="/users")
    assert refused.status_code == 303
    assert "You cannot disable your own account." in text(client.get("/users"))
    short = post(client, "/users", {"name": "weak", "role": "viewer", "password": "short"},
                 form="/users")  # fmt: skip
    assert short.status_code == 303
    assert "No account was created" in text(client.get("/users"))
