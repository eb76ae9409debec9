"""Articles, hits and decisions over HTTP."""

from __future__ import annotations

import uuid

from flask.testing import FlaskClient

from tests.web.conftest import ApiHeaders

ARTICLE = (
    "Washington announced new measures on {day}. The Treasury said Ashot Mkrtychev, a Slovak "
    "national, had brokered arms deals between Russia and North Korea. Officials added that "
    "Mr. Mkrtychev had worked with North Korean officials. Reference {token}."
)


def new_article(client: FlaskClient, headers: dict[str, str]) -> dict[str, object]:
    token = uuid.uuid4().hex
    body = {
        "text": ARTICLE.format(day="Monday", token=token),
        "title": "Arms broker sanctioned",
        "url": f"https://news.example/api/{token}",
        "source": "api test",
        "published_at": "2024-05-06T08:00:00Z",
    }
    response = client.post("/api/v1/articles", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    answer: dict[str, object] = response.get_json()
    return answer


def test_an_article_is_stored_screened_and_recognised_again(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    headers = api_headers("write", "read")
    stored = new_article(client, headers)
    assert stored["new"] is True
    hits = stored["hits"]
    assert isinstance(hits, list) and stored["new_hits"] == len(hits) >= 2
    assert {h["entity"]["source_key"] for h in hits} == {"41736"}
    assert all(h["status"] == "open" for h in hits)
    article = client.get(f"/api/v1/articles/{stored['article_id']}", headers=headers).get_json()
    assert article["title"] == "Arms broker sanctioned"
    assert article["published_at"].startswith("2024-05-06T08:00:00")
    assert [h["id"] for h in article["hits"]] == [h["id"] for h in hits]
    rewrite = {"text": ARTICLE.format(day="Tuesday", token="x"), "published_at": "2024-05-07"}
    again = client.post("/api/v1/articles", json=rewrite, headers=headers)
    assert again.status_code == 201  # other text: a new article, in the same story
    assert again.get_json()["story_id"] == stored["story_id"]
    same = client.post("/api/v1/articles", json=rewrite, headers=headers)
    assert same.status_code == 200
    assert same.get_json()["new"] is False and same.get_json()["new_hits"] == 0


def test_article_validation(client: FlaskClient, api_headers: ApiHeaders) -> None:
    headers = api_headers("write")
    bad = client.post(
        "/api/v1/articles", json={"text": "x", "url": "ftp://x", "extra": 1}, headers=headers
    )
    assert bad.status_code == 422
    assert {d["field"] for d in bad.get_json()["error"]["details"]} == {"url", "extra"}
    assert client.get("/api/v1/articles/999999", headers=api_headers("read")).status_code == 404


def test_hits_are_filtered_sorted_and_paginated(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    headers = api_headers("read")
    first = client.get("/api/v1/hits?per_page=2&sort=oldest", headers=headers).get_json()
    assert first["page"] == 1 and first["per_page"] == 2 and len(first["hits"]) == 2
    assert first["total"] >= 5
    second = client.get("/api/v1/hits?per_page=2&page=2&sort=oldest", headers=headers).get_json()
    assert {h["id"] for h in first["hits"]}.isdisjoint(h["id"] for h in second["hits"])
    dprk = client.get("/api/v1/hits?program=DPRK&status=open", headers=headers).get_json()
    assert dprk["hits"] and all("DPRK" in h["entity"]["programs"] for h in dprk["hits"])
    high = client.get("/api/v1/hits?min_score=0.95&sort=score", headers=headers).get_json()
    scores = [h["score"] for h in high["hits"]]
    assert scores == sorted(scores, reverse=True) and min(scores) >= 0.95
    none = client.get("/api/v1/hits?since=2999-01-01", headers=headers).get_json()
    assert none["total"] == 0 and none["hits"] == []


def test_hit_listing_limits(client: FlaskClient, api_headers: ApiHeaders) -> None:
    headers = api_headers("read")
    over = client.get("/api/v1/hits?per_page=201", headers=headers)
    assert over.status_code == 422
    assert over.get_json()["error"]["code"] == "limit_exceeded"
    assert "web.max_page_size" in over.get_json()["error"]["details"][0]["message"]
    for query in ("status=closed", "sort=random", "page=0", "since=yesterday", "min_score=nan"):
        assert client.get(f"/api/v1/hits?{query}", headers=headers).status_code == 422, query


def test_a_hit_shows_its_sentence_and_decisions(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    headers = api_headers("write", "read")
    hit = new_article(client, headers)["hits"][0]  # type: ignore[index]
    detail = client.get(f"/api/v1/hits/{hit['id']}", headers=headers).get_json()
    assert detail["text"] in detail["sentence"]
    assert detail["decisions"] == []
    response = client.post(
        f"/api/v1/hits/{hit['id']}/decisions",
        json={"action": "escalate", "note": "check the passport"},
        headers=headers,
    )
    assert response.status_code == 201
    answer = response.get_json()
    assert answer["decision"]["actor"].startswith("api-key:test-write-read")
    assert answer["hit"]["status"] == "escalated"
    client.post(f"/api/v1/hits/{hit['id']}/decisions", json={"action": "confirm"}, headers=headers)
    history = client.get(f"/api/v1/hits/{hit['id']}", headers=headers).get_json()["decisions"]
    assert [d["action"] for d in history] == ["escalate", "confirm"]


def test_decision_errors(client: FlaskClient, api_headers: ApiHeaders) -> None:
    headers = api_headers("write", "read")
    hit = new_article(client, headers)["hits"][0]  # type: ignore[index]
    url = f"/api/v1/hits/{hit['id']}/decisions"
    wrong = client.post(url, json={"action": "confirm", "suppress": True}, headers=headers)
    assert wrong.status_code == 422
    assert "dismissal" in wrong.get_json()["error"]["message"]
    unknown = client.post(url, json={"action": "approve"}, headers=headers)
    assert unknown.get_json()["error"]["details"][0]["field"] == "action"
    missing = client.post("/api/v1/hits/999999/decisions", json={"action": "confirm"},
                          headers=headers)  # fmt: skip
    assert missing.status_code == 404
    read_only = client.post(url, json={"action": "dismiss"}, headers=api_headers("read"))
    assert read_only.status_code == 403
    no_reason = client.post(url, json={"action": "dismiss"}, headers=headers)
    assert no_reason.status_code == 422
    assert "needs a reason" in no_reason.get_json()["error"]["message"]
    body = {"action": "dismiss", "suppress": True, "reason": "different_person"}
    dismissed = client.post(url, json=body, headers=headers)
    assert dismissed.status_code == 201
    assert dismissed.get_json()["hit"]["status"] == "dismissed"
    assert dismissed.get_json()["decision"]["reason"] == "different_person"
    unknown_reason = client.post(url, json={"action": "dismiss", "reason": "bored"},
                                 headers=headers)  # fmt: skip
    assert unknown_reason.get_json()["error"]["details"][0]["field"] == "reason"


def test_ids_out_of_range_are_404(client: FlaskClient, api_headers: ApiHeaders) -> None:
    headers = api_headers("read")
    for path in ("/api/v1/hits/0", "/api/v1/hits/-1", "/api/v1/hits/99999999999999999999",
                 "/api/v1/hits/abc", "/api/v1/entities/0"):  # fmt: skip
        response = client.get(path, headers=headers)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["code"] == "not_found"
