"""The OpenAPI document: generated from the code, complete, with the deployment's limits;
served to anyone, no key needed."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from web.api.health import OPENAPI_CACHE
from web.dashboard.security import CSP


def document(client: FlaskClient) -> Any:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_it_is_served_without_a_key_built_once_with_the_usual_headers(
    app: Flask, client: FlaskClient
) -> None:
    first = client.get("/api/v1/openapi.json")
    assert first.status_code == 200 and first.mimetype == "application/json"
    assert first.headers["Content-Security-Policy"] == CSP
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    kept = app.extensions[OPENAPI_CACHE]
    assert client.get("/api/v1/openapi.json").get_data() == first.get_data()
    assert app.extensions[OPENAPI_CACHE] is kept  # built once per application
    served = document(client)["paths"]["/api/v1/openapi.json"]["get"]
    assert served["security"] == [] and "401" not in served["responses"]
    assert served["description"].endswith("No API key needed.")


def test_each_operation_names_the_scopes_that_open_it(client: FlaskClient) -> None:
    paths = document(client)["paths"]
    security = {(m.upper(), p): op["security"] for p, ops in paths.items() for m, op in ops.items()}
    assert security["GET", "/api/v1/lookup"] == [{"bearer": ["lookup"]}, {"bearer": ["admin"]}]
    assert security["POST", "/api/v1/screen"] == [{"bearer": ["screen"]}, {"bearer": ["admin"]}]
    assert security["POST", "/api/v1/hits/{hit_id}/decisions"][0] == {"bearer": ["write"]}
    assert security["GET", "/api/v1/audit"] == [{"bearer": ["admin"]}]
    for public in ("/healthz", "/readyz", "/api/v1/openapi.json"):
        assert security["GET", public] == []
    audit = paths["/api/v1/audit"]["get"]["description"]
    assert audit.endswith("Needs an API key with the `admin` scope.")


def test_every_api_route_is_documented(app: Flask, client: FlaskClient) -> None:
    paths = document(client)["paths"]
    documented = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = str(rule).replace("<string:", "{").replace(">", "}")
            path = path.replace("<int(min=1, max=2147483647):", "{")
            served |= {(m, path) for m in rule.methods or () if m not in ("HEAD", "OPTIONS")}
    assert served == documented
    for wanted in ("/api/v1/lookup", "/api/v1/screen", "/api/v1/hits/{hit_id}/decisions",
                   "/match/{dataset}", "/healthz", "/readyz", "/api/v1/audit"):  # fmt: skip
        assert wanted in paths


def test_operations_are_described_with_every_status(client: FlaskClient) -> None:
    doc = document(client)
    assert doc["openapi"].startswith("3.1")
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation["summary"] and operation["description"], where
            for response in operation["responses"].values():
                assert response["description"], where
            for parameter in operation["parameters"]:
                assert parameter["schema"], where
            assert {"400", "500"} <= set(operation["responses"]), where  # 400: a NUL anywhere
            if operation["security"]:  # all but the health checks and this document
                assert "401" in operation["responses"], where
            if "requestBody" in operation:
                assert {"400", "413", "415", "422"} <= set(operation["responses"]), where
    lookup = doc["paths"]["/api/v1/lookup"]["get"]
    assert {p["name"] for p in lookup["parameters"]} == {
        "name", "kind", "birth_date", "country", "limit", "threshold"
    }  # fmt: skip
    assert next(p for p in lookup["parameters"] if p["name"] == "limit")["description"]


def test_the_limits_of_this_deployment_are_written_in(client: FlaskClient) -> None:
    doc = document(client)
    schemas = doc["components"]["schemas"]
    assert schemas["BatchLookup"]["properties"]["queries"]["maxItems"] == 100
    assert schemas["ScreenRequest"]["properties"]["text"]["maxLength"] == 200_000
    hits = {p["name"]: p for p in doc["paths"]["/api/v1/hits"]["get"]["parameters"]}
    assert hits["per_page"]["schema"]["maximum"] == 200
    assert "x-watchlist-limit" not in str(doc)


def test_the_lookup_qualifiers_say_which_forms_they_take(client: FlaskClient) -> None:
    doc = document(client)
    lookup = {p["name"]: p for p in doc["paths"]["/api/v1/lookup"]["get"]["parameters"]}
    batch = doc["components"]["schemas"]["BatchQuery"]["properties"]
    for described in (lookup["birth_date"]["description"], batch["birth_date"]["description"]):
        assert "YYYY, YYYY-MM or YYYY-MM-DD" in described
    for described in (lookup["country"]["description"], batch["country"]["description"]):
        assert "ISO 3166 alpha-2 or alpha-3 code" in described and "name" in described
    example = doc["components"]["schemas"]["EntityExample"]["properties"]["properties"]
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in example["description"]
    assert "ISO 3166 alpha-2 or alpha-3 codes" in example["description"]
