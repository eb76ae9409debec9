"""Entities, programs, list sources and versions over HTTP."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.web.conftest import ApiHeaders


def test_entity_search_and_record(client: FlaskClient, api_headers: ApiHeaders) -> None:
    headers = api_headers("read")
    found = client.get("/api/v1/entities?q=mkrtychev", headers=headers).get_json()["results"]
    assert [e["source_key"] for e in found] == ["41736"]
    record = client.get(f"/api/v1/entities/{found[0]['id']}", headers=headers).get_json()
    assert record["primary_name"] == "MKRTYCHEV, Ashot"
    assert record["kind"] == "person"
    assert any(p["code"] == "DPRK" for p in record["programs"])
    assert any(b["year"] == 1966 for b in record["birth_dates"])
    assert record["linked_from"]
    missing = client.get("/api/v1/entities/2000000000", headers=headers)
    assert missing.status_code == 404
    assert client.get("/api/v1/entities?q=", headers=headers).status_code == 422
    assert client.get("/api/v1/entities?q=a&limit=51", headers=headers).status_code == 422


def test_programs(client: FlaskClient, api_headers: ApiHeaders) -> None:
    programs = client.get("/api/v1/programs", headers=api_headers("read")).get_json()["programs"]
    dprk = next(p for p in programs if p["code"] == "DPRK")
    assert dprk["authority"] == "US OFAC"


def test_lists_versions_and_changes(client: FlaskClient, api_headers: ApiHeaders) -> None:
    headers = api_headers("read")
    lists = client.get("/api/v1/lists", headers=headers).get_json()["lists"]
    sdn = next(s for s in lists if s["code"] == "us_ofac_sdn")
    assert sdn["active"] > 10_000 and sdn["latest_status"] == "changed"
    versions = client.get("/api/v1/lists/us_ofac_sdn/versions", headers=headers).get_json()
    latest = versions["versions"][0]
    assert latest["id"] == sdn["latest_version"]
    url = f"/api/v1/lists/us_ofac_sdn/versions/{latest['id']}?kind=added&per_page=5&page=2"
    changes = client.get(url, headers=headers).get_json()
    assert changes["total"] == latest["added_count"]
    assert len(changes["changes"]) == 5 and {c["change"] for c in changes["changes"]} == {"added"}
    assert client.get("/api/v1/lists/nope/versions", headers=headers).status_code == 404
    wrong = client.get(f"/api/v1/lists/seed/versions/{latest['id']}", headers=headers)
    assert wrong.status_code == 404
