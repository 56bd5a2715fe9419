"""Structured logs: JSON lines with job ids, no personal data, no client-chosen path text."""

from __future__ import annotations

import io
import json
import logging

from api.service.app import route_of
from api.service.logs import JsonFormatter


def test_route_template_hides_free_text():
    job = "0123456789abcdef0123456789abcdef"
    assert route_of(f"/v1/rosters/{job}/analysis") == ("/v1/rosters/{id}/analysis", job)
    assert route_of("/v1/rosters/Kari Nordmann") == ("/v1/rosters/{?}", None)


def test_request_and_job_logs_are_json_without_names(client, instance):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("turnus")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        instance["staff"][0]["name"] = "Kari Nordmann"
        instance["assignments"] = []
        job_id = client.post("/v1/rosters?operation=score", json={"input": instance}).json()["id"]
        client.get(f"/v1/rosters/{job_id}")
        client.post("/v1/validate", json={"input": {"staff": [{"name": "Kari Nordmann"}]}})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    text = stream.getvalue()
    assert "Kari" not in text
    records = [json.loads(line) for line in text.splitlines()]
    assert all({"ts", "level", "logger", "event"} <= set(r) for r in records)
    assert any(r["event"] == "job created" and r["job_id"] == job_id for r in records)
    assert any(
        r["event"] == "request"
        and r.get("job_id") == job_id
        and r["path"] == "/v1/rosters/{id}"
        and r["http_status"] == 200
        for r in records
    )
