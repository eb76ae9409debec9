"""Entities, programs, list sources and versions over HTTP."""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskClient

from tests.conftest import RunCli
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
    assert client.get("/api/v1/entities?q=a&per_page=100000", headers=headers).status_code == 422
    assert client.get("/api/v1/entities?q=a&min_score=0.2", headers=headers).status_code == 422
    assert client.get("/api/v1/entities?q=a&kind=ship", headers=headers).status_code == 422


def test_the_cli_shows_the_record_the_api_gives(
    client: FlaskClient, api_headers: ApiHeaders, run_cli_on: RunCli
) -> None:
    """`watchlist entities show --json` and GET /api/v1/entities/{id} write one shape."""
    headers = api_headers("read")
    (found,) = client.get("/api/v1/entities?q=mkrtychev", headers=headers).get_json()["results"]
    record = client.get(f"/api/v1/entities/{found['id']}", headers=headers).get_json()
    shown = run_cli_on("entities", "show", "us_ofac_sdn:41736", "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output) == record
    assert record["listings"][0]["entity_id"] == found["id"]


def search(client: FlaskClient, headers: dict[str, str], **query: str) -> dict[str, Any]:
    reply = client.get("/api/v1/entities", query_string=query, headers=headers)
    assert reply.status_code == 200, reply.get_json()
    answer: dict[str, Any] = reply.get_json()
    return answer


def test_entity_search_is_fuzzy_ranked_and_reads_identifiers(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    headers = api_headers("read")
    for q in ("Ashot Mkrtychev", "Mkrtichev", "bd-3843329"):
        first = search(client, headers, q=q)["results"][0]
        assert (first["primary_name"], first["source_key"]) == ("MKRTYCHEV, Ashot", "41736"), q
    by_passport = search(client, headers, q="BD 384 3329")["results"][0]
    assert by_passport["matched_by"] == "identifier" and by_passport["score"] == 1.0
    assert "BD3843329" in by_passport["matched_name"]
    putin = search(client, headers, q="Путин")["results"][0]
    assert putin["primary_name"] == "PUTIN, Vladimir Vladimirovich"
    assert putin["matched_by"] == "name" and putin["score"] >= 0.8
    found = search(client, headers, q="Prigozhin")["results"]
    scores = [r["score"] for r in found if r["matched_by"] == "name"]
    assert len(scores) >= 2 and scores == sorted(scores, reverse=True)
    assert [r["matched_by"] for r in found] == sorted(
        (r["matched_by"] for r in found), key=["identifier", "name", "contains"].index
    )


def test_entity_search_pages_and_filters(client: FlaskClient, api_headers: ApiHeaders) -> None:
    headers = api_headers("read")
    first = search(client, headers, q="mohammed", per_page="25")
    second = search(client, headers, q="mohammed", per_page="25", page="2")
    assert first["total"] == second["total"] > 50
    assert len(first["results"]) == 25 and second["results"]
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    persons = search(client, headers, q="sberbank", kind="person")["results"]
    assert all(r["kind"] == "person" for r in persons)
    dprk = search(client, headers, q="korea", program="DPRK3", per_page="200")["results"]
    assert dprk and all("DPRK3" in r["programs"] for r in dprk)
    in_cuba = search(client, headers, q="sberbank", country="Cuba")
    assert in_cuba["total"] == 0 and in_cuba["results"] == []
    russian = [
        search(client, headers, q="sberbank", country=c)["total"] for c in ("RU", "RUS", "Russia")
    ]
    assert russian[0] > 0 and len(set(russian)) == 1
    narnia = client.get("/api/v1/entities?q=sberbank&country=Narnia", headers=headers)
    assert narnia.status_code == 422 and "Narnia" in narnia.get_json()["error"]["message"]


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
