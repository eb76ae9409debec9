"""yente compatibility: POST /match/{dataset} in the OpenSanctions API's shapes."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.web.conftest import ApiHeaders


def match(client: FlaskClient, headers: dict[str, str], body: dict[str, Any],
          dataset: str = "default", query: str = "") -> Any:  # fmt: skip
    return client.post(f"/match/{dataset}{query}", json=body, headers=headers)


def person(name: str, **properties: list[str]) -> dict[str, Any]:
    return {"schema": "Person", "properties": {"name": [name], **properties}}


def test_a_query_by_example_gets_yentes_response_shape(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    body = {
        "queries": {
            "q1": person("Ashot Mkrtychev", birthDate=["1966-05-07"], nationality=["sk"]),
            "q2": {"schema": "Company", "properties": {"name": "Verus LLC"}},
            "q3": person("Janet Yellen"),
        }
    }
    response = match(client, api_headers("lookup"), body, query="?limit=3")
    assert response.status_code == 200
    answer = response.get_json()
    assert set(answer) == {"responses", "matcher", "limit"} and answer["limit"] == 3
    assert list(answer["responses"]) == ["q1", "q2", "q3"]
    q1 = answer["responses"]["q1"]
    assert q1["status"] == 200
    assert q1["total"] == {"value": len(q1["results"]), "relation": "eq"}
    assert q1["query"]["properties"]["birthDate"] == ["1966-05-07"]
    best = q1["results"][0]
    assert best["id"] == "us_ofac_sdn:41736"
    assert best["caption"] == "MKRTYCHEV, Ashot"
    assert best["schema"] == "Person"
    assert best["match"] is True and best["score"] >= 0.9
    assert best["datasets"] == ["us_ofac_sdn"]
    assert best["properties"]["name"] == ["MKRTYCHEV, Ashot"]
    assert best["properties"]["topics"] == ["sanction"]
    assert "DPRK" in best["properties"]["programId"]
    assert best["properties"]["birthDate"]
    assert "birth date" in best["explanations"]
    assert set(best["explanations"]["birth date"]) == {"score", "detail"}
    assert best["features"]
    assert answer["responses"]["q2"]["query"]["properties"]["name"] == ["Verus LLC"]
    assert all(not r["match"] for r in answer["responses"]["q3"]["results"])


def test_threshold_decides_match_and_cutoff_what_is_returned(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    body = {"queries": {"q": person("Vladimir Putin")}}
    strict = match(client, api_headers("lookup"), body, query="?threshold=1.0&cutoff=0.6")
    results = strict.get_json()["responses"]["q"]["results"]
    assert results and all(r["score"] >= 0.6 for r in results)
    assert all(r["match"] is (r["score"] >= 1.0) for r in results)


def test_a_list_source_restricts_and_an_unknown_dataset_is_404(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    body = {"queries": {"q": person("Ashot Mkrtychev")}}
    sdn = match(client, api_headers("lookup"), body, dataset="us_ofac_sdn").get_json()
    assert sdn["responses"]["q"]["results"][0]["datasets"] == ["us_ofac_sdn"]
    unknown = match(client, api_headers("lookup"), body, dataset="eu_fsf")
    assert unknown.status_code == 404
    assert unknown.get_json()["error"]["code"] == "not_found"


def test_invalid_examples_are_422(client: FlaskClient, api_headers: ApiHeaders) -> None:
    headers = api_headers("lookup")
    for body, field in (
        ({"queries": {"q": {"schema": "Tank", "properties": {"name": ["T-90"]}}}},
         "queries.q.schema"),
        ({"queries": {"q": {"schema": "Person", "properties": {"birthDate": ["1970"]}}}},
         "queries.q.properties.name"),
        ({"queries": {"q": {"properties": {"name": ["x"]}}}}, "queries.q.schema"),
        ({"queries": {}}, "queries"),
    ):  # fmt: skip
        response = match(client, headers, body)
        assert response.status_code == 422, body
        assert response.get_json()["error"]["details"][0]["field"] == field
    many = {"queries": {f"q{i}": person("x") for i in range(101)}}
    assert match(client, headers, many).get_json()["error"]["code"] == "limit_exceeded"


def best_country(answer: Any) -> tuple[float, float]:
    """The best result's score and its country feature's score."""
    best = answer["responses"]["q"]["results"][0]
    assert best["id"] == "us_ofac_sdn:41736"
    return best["score"], best["features"]["country"]


def test_nationality_codes_and_names_are_read_as_the_api_lookup_reads_them(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    found = set()
    for nationality in (["sk"], ["SVK"], ["Slovakia"]):
        body = {"queries": {"q": person("Ashot Mkrtychev", nationality=nationality)}}
        response = match(client, api_headers("lookup"), body)
        assert response.status_code == 200, nationality
        found.add(best_country(response.get_json()))
    [(_, country)] = found
    assert country == 1


def test_a_date_with_a_time_counts_as_its_date(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    scores = []
    for born in ("1966-05-07", "1966-05-07T00:00:00", "1966-05-07T08:30:00Z"):
        body = {"queries": {"q": person("Ashot Mkrtychev", birthDate=[born])}}
        answer = match(client, api_headers("lookup"), body).get_json()
        best = answer["responses"]["q"]["results"][0]
        assert best["features"]["birth date"] > 0, born
        scores.append(best["score"])
    assert len(set(scores)) == 1


def test_an_unreadable_date_or_an_unknown_country_is_422_naming_it(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    for properties, field, message in (
        ({"birthDate": ["1952-02-30"]}, "birthDate",
         "the birth date '1952-02-30' is not a real date (day is out of range for month)"),
        ({"birthDate": ["1966-05-07", "07.10.1952"]}, "birthDate",
         "the birth date '07.10.1952' is not of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ({"nationality": ["xx"]}, "nationality", "'xx' is not a country known here: give an "
         "ISO 3166 code (SK or SVK) or a country's name (Slovakia)"),
        ({"nationality": ["sk"], "country": ["Narnia"]}, "country", "'Narnia' is not a country "
         "known here: give an ISO 3166 code (SK or SVK) or a country's name (Slovakia)"),
    ):  # fmt: skip
        body = {"queries": {"q1": person("Ashot Mkrtychev", **properties)}}
        response = match(client, api_headers("lookup"), body)
        assert response.status_code == 422, properties
        problem = response.get_json()["error"]
        assert problem["code"] == "invalid_request"
        assert problem["message"] == f"Query 'q1': {message}."
        assert problem["details"] == [
            {"field": f"queries.q1.properties.{field}", "message": message}
        ]


def ashot(client: FlaskClient, headers: dict[str, str], **properties: list[str]) -> Any:
    """The result for OFAC 41736 (Ashot Mkrtychev), or None when it is not returned."""
    body = {"queries": {"q": {"schema": "Person", "properties": properties}}}
    response = match(client, headers, body, query="?cutoff=0.1")
    assert response.status_code == 200, response.get_json()
    results = response.get_json()["responses"]["q"]["results"]
    return next((r for r in results if r["id"] == "us_ofac_sdn:41736"), None)


def test_results_are_followthemoney_entities(client: FlaskClient, api_headers: ApiHeaders) -> None:
    body = {"queries": {"q": person("Ashot Mkrtychev", birthDate=["1966-05-07"])}}
    answer = match(client, api_headers("lookup"), body).get_json()
    assert answer["matcher"]["name"] == "watchlist"
    best = answer["responses"]["q"]["results"][0]
    props = best["properties"]
    assert props["birthDate"] == ["1966-05-07"]
    assert props["citizenship"] == ["sk"]
    assert props["passportNumber"] == ["BD3843329", "BD5609822"]
    assert props["birthPlace"] == ["Baku, Azerbaijan"]
    assert props["gender"] == ["male"]
    assert props["topics"] == ["sanction"]
    assert all(0 <= score <= 1 for score in best["features"].values())
    assert best["features"]["birth date"] == best["explanations"]["birth date"]["score"] == 1


def test_an_equal_passport_confirms_and_a_different_one_contradicts(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    headers = api_headers("lookup")
    name = {"name": ["Ashot Mkrtychev"], "birthDate": ["1966-05-07"]}
    plain = ashot(client, headers, **name)
    same = ashot(client, headers, **name, passportNumber=["bd 384-3329"])
    other = ashot(client, headers, **name, passportNumber=["XY1234567"])
    assert same["score"] >= 0.95 and same["features"]["passportNumber"] == 1
    assert same["explanations"]["passportNumber"]["detail"] == "BD3843329 is listed"
    assert other["score"] < plain["score"] and other["features"]["passportNumber"] == 0
    assert "BD3843329" in other["explanations"]["passportNumber"]["detail"]
    assert "passportNumber" not in plain["features"]


def test_an_identifier_alone_finds_its_entity(client: FlaskClient, api_headers: ApiHeaders) -> None:
    headers = api_headers("lookup")
    found = ashot(client, headers, passportNumber=["BD5609822"])
    assert found is not None and found["match"] is True
    assert found["features"] == {"passportNumber": 1.0}
    as_id = ashot(client, headers, idNumber=["BD5609822"])
    assert as_id["features"] == {"idNumber": 1.0} and as_id["score"] == found["score"]
    assert as_id["explanations"]["idNumber"]["detail"] == "BD5609822 (passport) is listed"
    body = {"queries": {"q": {"schema": "Vessel", "properties": {"imoNumber": ["7406784"]}}}}
    answer = match(client, headers, body).get_json()
    [vessel] = answer["responses"]["q"]["results"]
    assert vessel["id"] == "us_ofac_sdn:4243" and vessel["schema"] == "Vessel"
    assert vessel["properties"]["imoNumber"] == ["7406784"]
    assert vessel["features"]["imoNumber"] == 1


def test_a_conflicting_gender_lowers_the_score(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    headers = api_headers("lookup")
    male = ashot(client, headers, name=["Ashot Mkrtychev"], gender=["male"])
    female = ashot(client, headers, name=["Ashot Mkrtychev"], gender=["female"])
    assert male["features"]["gender"] == 1 and female["features"]["gender"] == 0
    assert female["score"] < male["score"]


def test_an_address_is_compared_and_explained(client: FlaskClient, api_headers: ApiHeaders) -> None:
    headers = api_headers("lookup")
    name = {"name": ["Ashot Mkrtychev"]}
    near = ashot(client, headers, **name, address=["Hana Melichkova 3448/37, Bratislava"])
    far = ashot(client, headers, **name, address=["Whitehall, London"])
    plain = ashot(client, headers, **name)
    assert near["features"]["address"] == 1 and far["features"]["address"] == 0
    assert "Bratislava" in near["explanations"]["address"]["detail"]
    assert near["score"] == far["score"] == plain["score"]
    assert near["properties"]["address"] == [
        "Hana Melichkova Street 3448/37, Bratislava, 84105, Slovakia"
    ]
    assert near["properties"]["country"] == ["sk"]


def test_an_unknown_gender_or_algorithm_is_a_clear_4xx(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    headers = api_headers("lookup")
    body = {"queries": {"q": person("Ashot Mkrtychev", gender=["robot"])}}
    response = match(client, headers, body)
    assert response.status_code == 422
    assert response.get_json()["error"]["details"][0]["field"] == "queries.q.properties.gender"
    body = {"queries": {"q": person("Ashot Mkrtychev")}}
    response = match(client, headers, body, query="?algorithm=logic-v2")
    assert response.status_code == 400
    assert "logic-v2" in response.get_json()["error"]["message"]
    assert match(client, headers, body, query="?algorithm=best").status_code == 200


def test_a_match_result_fetches_back_as_its_entity(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    headers = api_headers("lookup")
    found = ashot(client, headers, name=["Ashot Mkrtychev"])
    response = client.get(f"/entities/{found['id']}?nested=true", headers=headers)
    assert response.status_code == 200
    entity = response.get_json()
    assert entity["id"] == "us_ofac_sdn:41736" and entity["schema"] == "Person"
    assert entity["properties"] == found["properties"]
    assert entity["datasets"] == ["us_ofac_sdn"] and entity["target"] is True
    for missing in ("us_ofac_sdn:999999999", "nocolon", "eu_fsf:41736"):
        response = client.get(f"/entities/{missing}", headers=headers)
        assert response.status_code == 404, missing
        assert response.get_json()["error"]["code"] == "not_found"


def test_search_finds_by_name_and_identifier_in_yentes_shape(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    headers = api_headers("lookup")
    by_name = client.get("/search/default?q=Ashot+Mkrtychev&schema=Person", headers=headers)
    assert by_name.status_code == 200
    page = by_name.get_json()
    assert set(page) == {"limit", "offset", "total", "results", "facets"}
    assert page["results"][0]["id"] == "us_ofac_sdn:41736"
    by_number = client.get("/search/us_ofac_sdn?q=BD3843329", headers=headers).get_json()
    assert [r["id"] for r in by_number["results"]] == ["us_ofac_sdn:41736"]
    vessels = client.get("/search/default?q=Ashot+Mkrtychev&schema=Vessel", headers=headers)
    assert all(r["schema"] == "Vessel" for r in vessels.get_json()["results"])
    second = client.get("/search/default?q=Ashot&limit=1&offset=1", headers=headers).get_json()
    first = client.get("/search/default?q=Ashot&limit=2", headers=headers).get_json()
    assert second["results"] == first["results"][1:2]
    for query, status in (("?q=x&schema=Tank", 400), ("?q=x&countries=Narnia", 400),
                          ("?q=x&offset=490&limit=20", 400), ("", 422)):  # fmt: skip
        assert client.get(f"/search/default{query}", headers=headers).status_code == status
    assert client.get("/search/eu_fsf?q=x", headers=headers).status_code == 404


def test_catalog_and_algorithms_in_yentes_shape(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    headers = api_headers("lookup")
    catalog = client.get("/catalog", headers=headers).get_json()
    names = [d["name"] for d in catalog["datasets"]]
    assert names[:2] == ["default", "sanctions"] and "us_ofac_sdn" in names
    sdn = next(d for d in catalog["datasets"] if d["name"] == "us_ofac_sdn")
    assert sdn["entity_count"] > 1000
    assert catalog["current"] == names and catalog["outdated"] == []
    algorithms = client.get("/algorithms", headers=headers).get_json()
    assert algorithms["default"] == algorithms["best"] == "watchlist"
    [algorithm] = algorithms["algorithms"]
    assert {"passportNumber", "imoNumber", "birth date"} <= set(algorithm["docs"]["features"])
    assert client.get("/catalog").status_code == 401


def test_every_property_returned_is_one_its_followthemoney_schema_has(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    from followthemoney import model

    headers = api_headers("lookup")
    seen = set()
    for q in ("Ashot Mkrtychev", "EBANO", "Verus", "Sberbank", "Mahan Air", "Hamas"):
        page = client.get(f"/search/default?q={q}&limit=20", headers=headers).get_json()
        for entity in page["results"]:
            schema = model.get(entity["schema"])
            assert schema is not None, entity["schema"]
            seen.add(entity["schema"])
            unknown = set(entity["properties"]) - set(schema.properties)
            assert not unknown, (entity["id"], unknown)
    assert {"Person", "Organization", "Vessel"} <= seen
