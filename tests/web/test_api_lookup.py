"""Name lookup and text screening over HTTP, against the full SDN list."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.conftest import ROOT
from tests.web.conftest import ApiHeaders


def test_lookup_finds_mkrtychev_with_an_explanation(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    response = client.get(
        "/api/v1/lookup?name=Ashot+Mkrtychev&kind=person&birth_date=1966-05-07",
        headers=api_headers("lookup"),
    )
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["list_state"] > 0
    best = answer["results"][0]
    assert best["entity"]["source_key"] == "41736"
    assert best["entity"]["source"] == "us_ofac_sdn"
    assert best["matched_name"] == "MKRTYCHEV, Ashot"
    assert 0.9 <= best["score"] <= 1
    assert {pair["how"] for pair in best["explanation"]["alignment"]} == {"exact"}
    assert answer["query"]["kind"] == "person"


def test_lookup_of_an_unlisted_name_is_an_empty_list(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    response = client.get("/api/v1/lookup?name=Janet+Yellen", headers=api_headers("lookup"))
    assert response.status_code == 200
    assert response.get_json()["results"] == []


def test_limit_and_threshold_shape_the_answer(client: FlaskClient, api_headers: ApiHeaders) -> None:
    url = "/api/v1/lookup?name=Kim+Jong+Un&limit=2&threshold=0.5"
    results = client.get(url, headers=api_headers("lookup")).get_json()["results"]
    assert 1 <= len(results) <= 2
    assert all(r["score"] >= 0.5 for r in results)


def test_batch_lookup_answers_in_the_order_asked(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    queries = [
        {"name": "Evgeny Prigozhin", "kind": "person", "country": "Russia"},
        {"name": "Janet Yellen"},
        {"name": "Ashot Mkrtychev", "birth_date": "1966"},
    ]
    response = client.post(
        "/api/v1/lookup", json={"queries": queries}, headers=api_headers("lookup")
    )
    assert response.status_code == 200
    responses = response.get_json()["responses"]
    assert [r["query"]["name"] for r in responses] == [q["name"] for q in queries]
    assert "PRIGOZHIN" in responses[0]["results"][0]["entity"]["name"]
    assert responses[1]["results"] == []
    assert responses[2]["results"][0]["entity"]["source_key"] == "41736"


def country_contribution(result: dict[str, Any]) -> float:
    features = result["explanation"]["features"]
    contribution: float = next(f for f in features if f["name"] == "country")["contribution"]
    return contribution


def test_a_country_code_and_a_country_name_confirm_alike(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    """KIM Jong Un is listed as a national of `Korea, North`: every way of naming the DPRK
    confirms it, and gets the same score."""
    scores = set()
    for country in ("KP", "prk", "North Korea", "Korea, North"):
        response = client.get(
            "/api/v1/lookup", query_string={"name": "Kim Jong Un", "country": country},
            headers=api_headers("lookup"),
        )  # fmt: skip
        assert response.status_code == 200, country
        answer = response.get_json()
        assert answer["query"]["country"] == "North Korea"
        best = answer["results"][0]
        assert best["entity"]["source_key"] == "20157"
        assert country_contribution(best) > 0, country
        scores.add(best["score"])
    assert len(scores) == 1


def test_bad_qualifiers_say_what_is_wrong_with_them(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    for query, field, message in (
        ("birth_date=07.10.1952", "birth_date",
         "the birth date '07.10.1952' is not of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("birth_date=1952-02-30", "birth_date",
         "the birth date '1952-02-30' is not a real date (day is out of range for month)"),
        ("country=Narnia", "country", "'Narnia' is not a country known here: give an ISO 3166 "
         "code (SK or SVK) or a country's name (Slovakia)"),
    ):  # fmt: skip
        response = client.get(f"/api/v1/lookup?name=Putin&{query}", headers=api_headers("lookup"))
        assert response.status_code == 422, query
        assert error(response)["code"] == "invalid_request"
        assert error(response)["details"] == [{"field": field, "message": message}]
        assert error(response)["message"] == f"The request is invalid: {field}: {message}."
    batch = {
        "queries": [{"name": "Putin", "country": "RU"}, {"name": "Putin", "country": "Ruritania"}]
    }
    response = client.post("/api/v1/lookup", json=batch, headers=api_headers("lookup"))
    assert response.status_code == 422
    assert [d["field"] for d in error(response)["details"]] == ["queries.1.country"]


def test_screen_gives_offsets_into_the_submitted_text(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    text = (ROOT / "tests/fixtures/articles/article-1.txt").read_text(encoding="utf-8")
    response = client.post(
        "/api/v1/screen", json={"text": text, "title": "Seed"}, headers=api_headers("screen")
    )
    assert response.status_code == 200
    hits = response.get_json()["hits"]
    assert hits
    for hit in hits:
        assert text[hit["start"] : hit["end"]] == hit["text"]
    assert any(h["entity"]["source_key"] == "41736" for h in hits)


# --- invalid requests and limits ---------------------------------------------------------------


def error(response):  # type: ignore[no-untyped-def]
    return response.get_json()["error"]


def test_a_missing_name_names_the_field(client: FlaskClient, api_headers: ApiHeaders) -> None:
    response = client.get("/api/v1/lookup?kind=person", headers=api_headers("lookup"))
    assert response.status_code == 422
    assert error(response)["code"] == "invalid_request"
    assert error(response)["details"][0]["field"] == "name"


def test_bad_qualifiers_are_422(client: FlaskClient, api_headers: ApiHeaders) -> None:
    for query in ("kind=ship", "birth_date=1966-13-40", "threshold=2", "limit=0", "name=%20%20"):
        response = client.get(f"/api/v1/lookup?name=Putin&{query}", headers=api_headers("lookup"))
        assert response.status_code == 422, query
        assert response.is_json


def test_more_results_than_max_results_is_422_naming_the_limit(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    response = client.get("/api/v1/lookup?name=Putin&limit=51", headers=api_headers("lookup"))
    assert response.status_code == 422
    assert error(response)["code"] == "limit_exceeded"
    assert "web.max_results" in error(response)["details"][0]["message"]


def test_a_batch_over_max_batch_is_422_naming_the_limit(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    body = {"queries": [{"name": f"Name {i}"} for i in range(101)]}
    response = client.post("/api/v1/lookup", json=body, headers=api_headers("lookup"))
    assert response.status_code == 422
    assert error(response)["code"] == "limit_exceeded"
    assert error(response)["details"] == [
        {
            "field": "queries",
            "message": "the number of items is 101; the limit is 100 (web.max_batch)",
        }
    ]


def test_field_errors_in_a_batch_name_the_query(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    body = {"queries": [{"name": "Putin"}, {"name": "", "kind": "ship"}, {"nme": "x"}]}
    response = client.post("/api/v1/lookup", json=body, headers=api_headers("lookup"))
    assert response.status_code == 422
    fields = {d["field"] for d in error(response)["details"]}
    assert {"queries.1.name", "queries.1.kind", "queries.2.name", "queries.2.nme"} <= fields


def test_a_text_over_max_text_chars_is_422(client: FlaskClient, api_headers: ApiHeaders) -> None:
    response = client.post(
        "/api/v1/screen", json={"text": "a" * 200_001}, headers=api_headers("screen")
    )
    assert response.status_code == 422
    assert "web.max_text_chars" in error(response)["message"]


def test_a_body_over_max_body_kb_is_413(client: FlaskClient, api_headers: ApiHeaders) -> None:
    body = '{"text": "' + "a" * (1024 * 1024) + '"}'
    response = client.post(
        "/api/v1/screen", data=body, content_type="application/json", headers=api_headers("screen")
    )
    assert response.status_code == 413
    assert error(response)["code"] == "payload_too_large"
    assert "1024 KB" in error(response)["message"]


def test_malformed_json_is_400(client: FlaskClient, api_headers: ApiHeaders) -> None:
    for body in ('{"queries": [', "NaN", b"\xff\xfe", '{"queries": [{"name": NaN}]}'):
        response = client.post(
            "/api/v1/lookup", data=body, content_type="application/json",
            headers=api_headers("lookup"),
        )  # fmt: skip
        assert response.status_code == 400, body
        assert error(response)["code"] == "malformed_json"


def test_an_empty_body_is_400_and_a_non_json_body_415(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    headers = api_headers("lookup")
    empty = client.post("/api/v1/lookup", data="", content_type="application/json", headers=headers)
    assert empty.status_code == 400
    form = client.post("/api/v1/lookup", data={"name": "x"}, headers=headers)
    assert form.status_code == 415
    assert error(form)["code"] == "unsupported_media_type"


def test_a_body_of_the_wrong_shape_is_422(client: FlaskClient, api_headers: ApiHeaders) -> None:
    for body in ([1, 2], {"queries": "Putin"}, {"queries": []}, {"queries": [{"name": "\u0000"}]}):
        response = client.post("/api/v1/lookup", json=body, headers=api_headers("lookup"))
        assert response.status_code == 422, body
