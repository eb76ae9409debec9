"""The screening audit log: written with every lookup, screen and match; read by admins."""

from __future__ import annotations

import csv
import io
import json
import uuid

from flask.testing import FlaskClient

from tests.web.conftest import ApiHeaders, make_key
from watchlist.config import Settings


def test_every_lookup_screen_and_match_is_recorded(
    client: FlaskClient, api_headers: ApiHeaders, day_one: Settings
) -> None:
    actor = f"audit-{uuid.uuid4().hex[:8]}"
    headers = {"Authorization": f"Bearer {make_key(day_one, 'lookup', 'screen', name=actor)}"}
    client.get("/api/v1/lookup?name=Ashot+Mkrtychev&threshold=0.5", headers=headers)
    batch = {"queries": [{"name": "Vladimir Putin"}, {"name": "Janet Yellen"}]}
    client.post("/api/v1/lookup", json=batch, headers=headers)
    client.post("/api/v1/screen", json={"text": "Ashot Mkrtychev met them."}, headers=headers)
    example = {"schema": "Person", "properties": {"name": ["Sergei Shoigu"]}}
    client.post("/match/default", json={"queries": {"a": example}}, headers=headers)
    admin = api_headers("admin")
    page = client.get(f"/api/v1/audit?actor=api-key:{actor}", headers=admin).get_json()
    assert page["total"] == 5
    assert [r["kind"] for r in page["records"]] == ["match", "screen", "lookup", "lookup", "lookup"]
    match, screen, yellen, putin, lookup = page["records"]
    assert lookup["query"] == "Ashot Mkrtychev" and lookup["actor"] == f"api-key:{actor}"
    assert lookup["result_count"] >= 1 and lookup["top_name"] == "MKRTYCHEV, Ashot"
    assert lookup["list_state"] > 0 and lookup["query_detail"]["threshold"] == 0.5
    assert (putin["query_detail"]["batch_index"], yellen["query_detail"]["batch_index"]) == (0, 1)
    assert yellen["result_count"] == 0 and yellen["top_entity_id"] is None
    assert screen["query"] == "Ashot Mkrtychev met them." and screen["top_score"] >= 0.8
    assert match["query"] == "Sergei Shoigu" and "SHOIGU" in match["top_name"]
    only = client.get(f"/api/v1/audit?actor=api-key:{actor}&kind=screen", headers=admin)
    assert [r["kind"] for r in only.get_json()["records"]] == ["screen"]


def test_the_log_pages_and_exports(client: FlaskClient, api_headers: ApiHeaders) -> None:
    marker = uuid.uuid4().hex[:8]
    for n in range(3):
        client.get(f"/api/v1/lookup?name=Name+{marker}+{n}", headers=api_headers("lookup"))
    admin = api_headers("admin")
    first = client.get(f"/api/v1/audit?query={marker}&per_page=2", headers=admin).get_json()
    assert first["total"] == 3 and len(first["records"]) == 2
    assert first["records"][0]["query"].endswith("2")  # newest first
    exported = client.get(f"/api/v1/audit?query={marker}&format=csv", headers=admin)
    assert exported.mimetype == "text/csv"
    assert exported.headers["Content-Disposition"] == 'attachment; filename="audit.csv"'
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert len(rows) == 3 and rows[0]["kind"] == "lookup"
    lines = client.get(f"/api/v1/audit?query={marker}&format=json", headers=admin)
    assert lines.mimetype == "application/x-ndjson"
    records = [json.loads(line) for line in lines.get_data(as_text=True).splitlines()]
    assert len(records) == 3 and all(marker in r["query"] for r in records)
    since = client.get("/api/v1/audit?since=2999-01-01T00:00:00Z", headers=admin).get_json()
    assert since["total"] == 0


def test_only_admins_read_the_log(client: FlaskClient, api_headers: ApiHeaders) -> None:
    for scopes in (("read",), ("lookup", "screen", "write")):
        assert client.get("/api/v1/audit", headers=api_headers(*scopes)).status_code == 403
    assert client.get("/api/v1/audit?format=xml", headers=api_headers("admin")).status_code == 422
