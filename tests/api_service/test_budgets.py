"""Budgets enforced by the service (issue 18, item 1): a solve is killed at its time limit + grace and keeps the
best roster it reported; a worker runs under a memory limit with a coded failure; model-size caps are checked at
validation with a 422 that names the cap and the setting that raises it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.service import create_app

from .conftest import HEADERS, submit, tiny_instance, wait_for
from .standins import hanging_job, silent_hanging_job


def test_solve_past_its_deadline_is_killed_and_keeps_best_roster(settings):
    # the grace covers spawning the stand-in on a loaded machine (its deadline counts from the launch); the
    # stand-in never returns and ignores SIGTERM, so only the deadline kill can end the job
    settings = settings.model_copy(update={"kill_grace_s": 8.0})
    with TestClient(create_app(settings, job_target=hanging_job), headers=HEADERS) as client:
        job_id = submit(client, tiny_instance(), time_limit=1)["id"]
        body = wait_for(client, job_id, timeout=90)
        assert body["status"] == "COMPLETED", body
        assert body["error"]["code"] == "deadline_exceeded"
        assert "TURNUS_KILL_GRACE_S" in body["error"]["detail"]
        full = client.get(f"/v1/rosters/{job_id}").json()
        assert full["roster"]["assignments"], "the best roster reported before the kill is kept"
        assert full["roster"]["solve"]["status"] == "KILLED_AT_DEADLINE"
        assert full["score"]["total"] == full["roster"]["score"]["total"]
        assert not client.app.state.dispatcher.running


def test_solve_past_its_deadline_without_roster_fails(settings):
    settings = settings.model_copy(update={"kill_grace_s": 0.5})
    with TestClient(create_app(settings, job_target=silent_hanging_job), headers=HEADERS) as client:
        job_id = submit(client, tiny_instance(), time_limit=1)["id"]
        body = wait_for(client, job_id, timeout=30)
        assert body["status"] == "FAILED" and body["error"]["code"] == "deadline_exceeded"
        assert "roster" not in client.get(f"/v1/rosters/{job_id}").json()


@pytest.mark.timeout(120)
def test_worker_memory_limit_is_a_coded_failure(settings):
    settings = settings.model_copy(update={"worker_memory_mb": 150})
    with TestClient(create_app(settings), headers=HEADERS) as client:
        job_id = submit(client, tiny_instance(), time_limit=5)["id"]
        body = wait_for(client, job_id, timeout=60)
        assert body["status"] == "FAILED"
        assert body["error"]["code"] == "memory_limit", body["error"]
        assert "TURNUS_WORKER_MEMORY_MB" in body["error"]["detail"]


def _problem(resp, code):
    assert resp.status_code == 422, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    assert body["code"] == code
    return body


def test_model_size_caps_422_name_the_cap_and_setting(settings):
    settings = settings.model_copy(update={"max_model_cells": 8 * 14 * 3 - 1, "max_tasks": 1, "max_demand_rows": 2})
    with TestClient(create_app(settings), headers=HEADERS) as client:
        inst = tiny_instance()  # 8 staff × 14 days × 3 shift types = 336 cells, 3 demand rows
        inst["tasks"] = [{"id": "t1"}, {"id": "t2"}]  # counted before validation: content does not matter
        for path in ("/v1/rosters", "/v1/validate", "/v1/rosters?operation=score"):
            body = _problem(client.post(path, json={"input": inst}), "model_too_large")
            by = {e["code"]: e for e in body["errors"]}
            assert set(by) == {"model_too_large", "too_many_tasks", "too_many_demand_rows"}
            assert "8 × 14 × 3 = 336" in by["model_too_large"]["message"]
            assert "TURNUS_MAX_MODEL_CELLS" in by["model_too_large"]["message"]
            assert "TURNUS_MAX_TASKS" in by["too_many_tasks"]["message"]
            assert by["too_many_tasks"]["loc"] == "input.tasks"
            assert "TURNUS_MAX_DEMAND_ROWS" in by["too_many_demand_rows"]["message"]
        rec = {"input": inst, "shift": "D", "date": "2027-01-05"}
        _problem(client.post("/v1/recommendations", json=rec), "model_too_large")
        assert client.get("/v1/rosters").json()["total"] == 0  # nothing was stored


def test_model_size_caps_allow_a_unit_under_them(client, instance):
    assert client.post("/v1/validate", json={"input": instance}).json()["valid"] is True
