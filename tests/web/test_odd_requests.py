"""Races and odd input answer 4xx, never 500: identical articles at once, JSON nested deep,
huge page numbers, NUL characters."""

from __future__ import annotations

import http.client
import json
import threading

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import ApiHeaders, Serve, make_key
from tests.web.dashboard import csrf, sign_in
from watchlist.config import Settings

pytestmark = pytest.mark.usefixtures("dashboard_users")


def test_identical_articles_at_once_are_stored_once(serve: Serve, empty_settings: Settings) -> None:
    port = serve(empty_settings, workers=2, threads=21)  # a heavy slot for each
    key = make_key(empty_settings, "write")
    body = json.dumps({"text": "The same wire story, sent twenty times at once."})
    answers: list[tuple[int, dict[str, object]]] = []
    start = threading.Barrier(20)

    def send() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start.wait()
        connection.request("POST", "/api/v1/articles", body=body, headers={
            "Authorization": f"Bearer {key}", "Content-Type": "application/json"})  # fmt: skip
        response = connection.getresponse()
        answers.append((response.status, json.loads(response.read())))
        connection.close()

    senders = [threading.Thread(target=send) for _ in range(20)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    assert sorted(status for status, _ in answers) == [200] * 19 + [201], answers
    assert [answer["new"] for status, answer in answers if status == 201] == [True]
    assert len({answer["article_id"] for _, answer in answers}) == 1


def test_json_nested_too_deep_is_a_400(client: FlaskClient, api_headers: ApiHeaders) -> None:
    body = '{"queries": ' + "[" * 990 + "]" * 990 + "}"
    response = client.post("/api/v1/lookup", data=body, content_type="application/json",
                           headers=api_headers("lookup"))  # fmt: skip
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"


@pytest.mark.parametrize("path", ["/", "/audit", "/runs", "/lists"])
def test_a_huge_page_number_is_refused(client: FlaskClient, path: str) -> None:
    sign_in(client, "admin")
    response = client.get(f"{path}?page=9223372036854775807")
    assert response.status_code in (400, 422)


@pytest.mark.parametrize(
    "path",
    ["/?source=a%00b", "/search?q=a%00b", "/audit?user=a%00", "/audit/screening?actor=%00"],
)
def test_nul_in_a_dashboard_filter_is_refused(client: FlaskClient, path: str) -> None:
    sign_in(client, "admin")
    assert client.get(path).status_code in (400, 422)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/hits?source=a%00b", "/api/v1/entities?q=a%00b", "/api/v1/lists/a%00b/versions",
     "/api/v1/audit?actor=%00"],
)  # fmt: skip
def test_nul_in_an_api_query_is_refused(
    client: FlaskClient, api_headers: ApiHeaders, path: str
) -> None:
    response = client.get(path, headers=api_headers("admin"))
    assert response.status_code in (400, 422)
    assert "error" in response.get_json()


def test_nul_in_a_dashboard_form_is_refused(client: FlaskClient) -> None:
    sign_in(client, "analyst")
    token = csrf(client, "/")
    data = {"action": "dismiss", "reason": "other", "note": "a\x00b", "csrf_token": token}
    response = client.post("/hits/1/decisions", data=data)
    assert response.status_code in (400, 422)


def test_an_unrouted_page_has_the_security_headers(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_unknown_api_paths_need_a_key_first(client: FlaskClient, api_headers: ApiHeaders) -> None:
    assert client.get("/api/v1/no-such-thing").status_code == 401
    assert client.get("/api/v1/no-such-thing", headers=api_headers("read")).status_code == 404
