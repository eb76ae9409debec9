"""Every time the API answers with is RFC 3339 in UTC with Z (`2026-12-05T16:01:28Z`), in
every answer that holds one, whichever database stored it."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

from flask.testing import FlaskClient

from tests.web.conftest import ApiHeaders
from tests.web.dashboard import fresh_hit
from watchlist.config import Settings
from watchlist.timestamps import RFC3339_PATTERN

# A time of any form (a date alone, `1966-05-07`, is no time): what the walk checks.
A_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")
TIME_FIELDS = ("created_at", "published_at", "fetched_at", "imported_at", "started_at",
               "finished_at", "last_update", "last_change")  # fmt: skip


def times(answer: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (path, text) in a JSON answer that is a time, or sits in a time's field."""
    if isinstance(answer, dict):
        for key, value in answer.items():
            if key in TIME_FIELDS and value is not None:
                assert isinstance(value, str), f"{path}.{key}"
            yield from times(value, f"{path}.{key}")
    elif isinstance(answer, list):
        for index, value in enumerate(answer):
            yield from times(value, f"{path}[{index}]")
    elif isinstance(answer, str) and (
        A_TIME.search(answer) or path.rsplit(".", 1)[-1] in TIME_FIELDS
    ):
        yield path, answer


def assert_z_times(answer: Any, *, at_least: int) -> list[str]:
    found = list(times(answer))
    assert len(found) >= at_least, found
    for path, text in found:
        assert re.fullmatch(RFC3339_PATTERN, text), f"{path}: {text}"
    return [text for _, text in found]


def get(client: FlaskClient, path: str, headers: dict[str, str]) -> Any:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.get_json())
    return response.get_json()


def test_articles_hits_and_decisions_give_times_in_utc_with_z(
    client: FlaskClient, api_headers: ApiHeaders, day_one: Settings
) -> None:
    headers = api_headers("read", "write")
    token = uuid.uuid4().hex
    body = {
        "text": f"A quiet day at the harbour. Reference {token}.",
        "published_at": "2024-05-06T10:00:00.250+02:00",
    }
    stored = client.post("/api/v1/articles", json=body, headers=headers)
    assert stored.status_code == 201
    article = get(client, f"/api/v1/articles/{stored.get_json()['article_id']}", headers)
    assert article["published_at"] == "2024-05-06T08:00:00Z"
    assert_z_times(article, at_least=2)  # published, fetched
    hit_id = fresh_hit(day_one)
    hit = get(client, f"/api/v1/hits/{hit_id}", headers)
    assert_z_times(hit, at_least=1)
    assert_z_times(get(client, f"/api/v1/articles/{hit['article_id']}", headers), at_least=2)
    assert_z_times(get(client, f"/api/v1/hits?article_id={hit['article_id']}", headers), at_least=1)
    decided = client.post(
        f"/api/v1/hits/{hit_id}/decisions", json={"action": "escalate"}, headers=headers
    )
    assert decided.status_code == 201
    assert_z_times(decided.get_json(), at_least=3)  # the decision, the hit and its history
    assert_z_times(get(client, f"/api/v1/hits/{hit_id}", headers), at_least=2)


def test_lists_versions_and_entities_give_times_in_utc_with_z(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    headers = api_headers("read")
    lists = get(client, "/api/v1/lists", headers)
    assert_z_times(lists, at_least=2)  # the SDN list's last update and last change
    versions = get(client, "/api/v1/lists/us_ofac_sdn/versions", headers)
    assert_z_times(versions, at_least=1)
    newest = versions["versions"][0]["id"]
    assert_z_times(get(client, f"/api/v1/lists/us_ofac_sdn/versions/{newest}", headers), at_least=1)
    [found] = get(client, "/api/v1/entities?q=Mkrtychev&limit=1", headers)["results"]
    entity = get(client, f"/api/v1/entities/{found['id']}", headers)
    assert entity["birth_dates"]
    assert_z_times(entity, at_least=0)  # dates of birth and designation are dates, not times


def test_the_audit_log_and_its_export_give_times_in_utc_with_z(
    client: FlaskClient, api_headers: ApiHeaders
) -> None:
    marker = uuid.uuid4().hex[:8]
    client.get(f"/api/v1/lookup?name=Times+{marker}", headers=api_headers("lookup"))
    admin = api_headers("admin")
    assert_z_times(get(client, f"/api/v1/audit?query={marker}", admin), at_least=1)
    exported = client.get(f"/api/v1/audit?query={marker}&format=json", headers=admin)
    [record] = [json.loads(line) for line in exported.get_data(as_text=True).splitlines()]
    assert_z_times(record, at_least=1)


def test_the_health_checks_hold_no_time_of_another_form(client: FlaskClient) -> None:
    for path in ("/healthz", "/readyz"):
        response = client.get(path)
        assert response.status_code == 200
        assert_z_times(response.get_json(), at_least=0)
