"""API keys: every endpoint but the health checks and the OpenAPI document needs one, with the
right scope."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import ApiHeaders, make_key
from watchlist import access
from watchlist.config import Settings
from watchlist.db import create_engine, session_factory

# (method, path, body, the scope that opens it)
PROTECTED = [
    ("GET", "/api/v1/lookup?name=Ashot+Mkrtychev", None, "lookup"),
    ("POST", "/api/v1/lookup", {"queries": [{"name": "Ashot Mkrtychev"}]}, "lookup"),
    ("POST", "/match/default",
     {"queries": {"q": {"schema": "Person", "properties": {"name": ["Ashot Mkrtychev"]}}}},
     "lookup"),
    ("POST", "/api/v1/screen", {"text": "Ashot Mkrtychev was sanctioned."}, "screen"),
    ("POST", "/api/v1/articles", {"text": "A short note on nothing in particular."}, "write"),
    ("GET", "/api/v1/hits", None, "read"),
    ("GET", "/api/v1/entities?q=mkrtychev", None, "read"),
    ("GET", "/api/v1/programs", None, "read"),
    ("GET", "/api/v1/lists", None, "read"),
    ("GET", "/api/v1/audit", None, "admin"),
]  # fmt: skip


def call(client: FlaskClient, method: str, path: str, body: object, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.open(path, method=method, json=body, headers=headers)


@pytest.mark.parametrize("method,path,body,scope", PROTECTED, ids=lambda v: str(v)[:30])
def test_no_key_is_401_with_a_json_error(
    client: FlaskClient, method: str, path: str, body: object, scope: str
) -> None:
    response = call(client, method, path, body, {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    error = response.get_json()["error"]
    assert error["code"] == "unauthorized"
    assert "Authorization: Bearer" in error["message"]


@pytest.mark.parametrize("method,path,body,scope", PROTECTED, ids=lambda v: str(v)[:30])
def test_a_key_without_the_scope_is_403_and_with_it_passes(
    client: FlaskClient, api_headers: ApiHeaders, method: str, path: str, body: object, scope: str
) -> None:
    other = "read" if scope != "read" else "lookup"
    refused = call(client, method, path, body, api_headers(other))
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "forbidden"
    assert scope in refused.get_json()["error"]["message"]
    allowed = call(client, method, path, body, api_headers(scope))
    assert allowed.status_code in (200, 201), allowed.get_json()
    assert call(client, method, path, body, api_headers("admin")).status_code in (200, 201)


@pytest.mark.parametrize(
    "header",
    ["Bearer wl_not-a-real-key", "Basic dXNlcjpwYXNz", "Bearer", "wl_no-scheme", "Bearer   "],
)
def test_unknown_or_malformed_credentials_are_401(client: FlaskClient, header: str) -> None:
    response = client.get("/api/v1/programs", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_a_revoked_key_is_refused(client: FlaskClient, day_one: Settings) -> None:
    secret = make_key(day_one, "read", name="soon-revoked")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/programs", headers=headers).status_code == 200
    engine = create_engine(day_one.database)
    with session_factory(engine)() as session, session.begin():
        access.revoke_api_key(session, "soon-revoked")
    engine.dispose()
    response = client.get("/api/v1/programs", headers=headers)
    assert response.status_code == 401
    assert "revoked" in response.get_json()["error"]["message"]


def test_the_apikey_scheme_of_yente_clients_is_accepted(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    secret = api_headers("lookup")["Authorization"].split()[1]
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Putin"]}}}}
    response = client.post(
        "/match/sanctions", json=body, headers={"Authorization": f"ApiKey {secret}"}
    )
    assert response.status_code == 200


def test_the_health_checks_and_the_openapi_document_need_no_key(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").status_code in (200, 503)
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200 and document.get_json()["openapi"].startswith("3.1")
    assert "WWW-Authenticate" not in document.headers
    with_key = client.get("/api/v1/openapi.json", headers=api_headers("lookup"))
    assert with_key.get_json() == document.get_json()
    # A key that is wrong changes nothing where none is needed; the API's other addresses
    # still want a valid one.
    bad = {"Authorization": "Bearer wl_not-a-real-key"}
    assert client.get("/api/v1/openapi.json", headers=bad).status_code == 200
    assert client.get("/api/v1/no-such-thing").status_code == 401
