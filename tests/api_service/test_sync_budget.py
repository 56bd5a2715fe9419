"""Budgets of synchronous endpoints (issue 18, item 2): recommendations past the time budget give a coded 422
naming the setting; heavy requests beyond the slots wait and then get 429 with Retry-After; /healthz answers
while every slot is held and while a solve runs."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

import api.service.app as app_module
from api.service import create_app

from .conftest import HEADERS, manual_roster, submit, tiny_instance, wait_for


def _rec_body(inst):
    return {"input": inst, "roster": {"assignments": manual_roster()}, "shift": "D", "date": "2027-01-06", "max": 3}


def test_recommendations_past_the_time_budget_422_names_the_setting(settings, instance):
    tight = settings.model_copy(update={"sync_budget_s": 1e-9})  # passed before the first candidate's re-check
    with TestClient(create_app(tight), headers=HEADERS) as client:
        resp = client.post("/v1/recommendations", json=_rec_body(instance))
        assert resp.status_code == 422, resp.text
        assert resp.headers["content-type"].startswith("application/problem+json")
        body = resp.json()
        assert body["code"] == "over_time_budget"
        assert "TURNUS_SYNC_BUDGET_S" in body["detail"] and "8 candidates" in body["detail"]
    with TestClient(create_app(settings), headers=HEADERS) as client:  # the default budget: answered
        assert client.post("/v1/recommendations", json=_rec_body(instance)).status_code == 200


def test_heavy_requests_beyond_the_slots_get_429_and_healthz_still_answers(settings, instance, monkeypatch):
    entered, release = threading.Event(), threading.Event()
    real = app_module.recommend

    def held(body, deadline):  # holds the only slot until the test releases it
        entered.set()
        assert release.wait(30)
        return real(body, deadline)

    monkeypatch.setattr(app_module, "recommend", held)
    one = settings.model_copy(update={"sync_concurrency": 1, "sync_budget_s": 0.5})
    with TestClient(create_app(one), headers=HEADERS) as client:
        answers: list = []
        worker = threading.Thread(
            target=lambda: answers.append(client.post("/v1/recommendations", json=_rec_body(instance)))
        )
        worker.start()
        try:
            assert entered.wait(30)
            assert client.get("/healthz").json() == {"status": "ok"}
            assert client.get("/v1/rosters").status_code == 200  # light requests are not gated
            for path in ("/v1/validate", "/v1/rosters?operation=score", "/v1/recommendations"):
                body = _rec_body(instance) if path.endswith("recommendations") else {"input": instance}
                resp = client.post(path, json=body)
                assert resp.status_code == 429, (path, resp.text)
                assert resp.json()["code"] == "server_busy" and "TURNUS_SYNC_CONCURRENCY" in resp.json()["detail"]
                assert resp.headers["Retry-After"] == str(settings.retry_after_s)
        finally:
            release.set()
            worker.join(60)
        # the held request spent > 3 × 0.5 s in its slot, so its own budget stops it before the first candidate
        assert answers and answers[0].status_code == 422 and answers[0].json()["code"] == "over_time_budget"
        assert client.post("/v1/validate", json={"input": instance}).json()["valid"] is True  # the slot is free again


def test_healthz_answers_while_a_solve_runs(client):
    job_id = submit(client, tiny_instance(), time_limit=20)["id"]
    wait_for(client, job_id, statuses=("SOLVING",), timeout=60)
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get(f"/v1/rosters/{job_id}/status").json()["status"] == "SOLVING"  # it was still running
    assert client.delete(f"/v1/rosters/{job_id}").json()["status"] == "STOPPED"
