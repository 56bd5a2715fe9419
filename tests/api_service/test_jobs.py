"""Roster jobs end to end in-process (TestClient): submit, progress events, status, roster, analysis, list,
stop, the bounded queue, and a restart of the app on the same database."""

from __future__ import annotations

import json
import time

import pytest
from fastapi.testclient import TestClient

from api.service import create_app

from .conftest import HEADERS, submit, tiny_instance, wait_for


def _events(client, job_id):
    events = []
    with client.stream("GET", f"/v1/rosters/{job_id}/events") as resp:
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/event-stream")
        name = None
        for line in resp.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                events.append((name, json.loads(line[6:])))
    return events


def test_solve_lifecycle(client):
    created = submit(client, tiny_instance(), time_limit=4, name="week plan", seed=3)
    assert created["status"] == "QUEUED" and created["operation"] == "solve"
    job_id = created["id"]
    events = _events(client, job_id)  # streams until the job ends
    names = [n for n, _ in events]
    assert names[-1] == "done" and "progress" in names and names[0] == "status"
    progress = [d for n, d in events if n == "progress"]
    assert all({"objective", "bound", "elapsed_s", "solutions", "phase"} <= set(p) for p in progress)
    assert events[-1][1]["status"] == "COMPLETED"

    body = client.get(f"/v1/rosters/{job_id}").json()
    assert body["status"] == "COMPLETED" and body["name"] == "week plan"
    assert body["created_at"] <= body["started_at"] <= body["finished_at"]
    roster = body["roster"]
    assert roster["assignments"] and roster["solve"]["seed"] == 3
    assert body["score"] == {k: roster["score"][k] for k in ("hard", "unfilled", "soft", "total")}
    assert body["score"]["hard"] == 0

    small = client.get(f"/v1/rosters/{job_id}/status").json()
    assert small["status"] == "COMPLETED" and "roster" not in small and small["score"] == body["score"]
    assert "roster" not in client.get(f"/v1/rosters/{job_id}?include_roster=false").json()

    analysis = client.get(f"/v1/rosters/{job_id}/analysis").json()
    assert analysis["score"] == body["score"] and analysis["lawful"] is True
    assert sum(r["penalty"] for r in analysis["rules"]) == body["score"]["total"]
    for rule in analysis["rules"]:
        assert len(rule["justifications"]) == rule["violations"]
        assert sum(j["penalty"] for j in rule["justifications"]) == rule["penalty"]
    assert analysis["unfilled_total"] == sum(u["missing"] for u in analysis["unfilled"])

    # SSE on a finished job: status + final progress + done, then the stream ends
    assert [n for n, _ in _events(client, job_id)][-1] == "done"
    # DELETE on a finished job leaves it as it is
    assert client.delete(f"/v1/rosters/{job_id}").json()["status"] == "COMPLETED"


def test_stop_running_and_queued_jobs_and_queue_limit(tmp_path, settings):
    settings = settings.model_copy(update={"queue_size": 1})
    with TestClient(create_app(settings), headers=HEADERS) as client:
        first = submit(client, tiny_instance(), time_limit=20)["id"]
        wait_for(client, first, statuses=("SOLVING",), timeout=10)
        second = submit(client, tiny_instance(), time_limit=15)["id"]
        assert client.get(f"/v1/rosters/{second}/status").json()["status"] == "QUEUED"
        full = client.post("/v1/rosters", json={"config": {"run": {"time_limit_s": 1}}, "input": tiny_instance()})
        assert full.status_code == 429 and full.headers["Retry-After"] == "3"
        assert full.json()["code"] == "queue_full"

        stopped = client.delete(f"/v1/rosters/{second}").json()
        assert stopped["status"] == "STOPPED" and stopped["error"]["code"] == "stopped"

        # the worker writes the first checked roster in the same write as the first progress (issue 18, item
        # 10): a reader that sees progress also sees a roster, however loaded the machine is
        t0 = time.monotonic()
        while not client.get(f"/v1/rosters/{first}/status").json().get("progress"):
            assert time.monotonic() - t0 < 60
            time.sleep(0.1)
        running = client.get(f"/v1/rosters/{first}").json()
        assert running["status"] == "SOLVING" and running["started_at"] and not running.get("finished_at")
        assert running["roster"]["assignments"], "the best roster so far while solving"
        t0 = time.monotonic()
        body = client.delete(f"/v1/rosters/{first}").json()
        assert time.monotonic() - t0 < 12  # stops at once (SIGTERM, SIGKILL after 3 s), not at the 20 s limit
        assert body["status"] == "STOPPED" and body["error"]["code"] == "stopped"
        full = client.get(f"/v1/rosters/{first}").json()
        assert full["roster"]["assignments"], "the best roster so far is kept"
        assert full["roster"]["solve"]["status"] == "STOPPED"
        assert full["score"]["total"] == full["roster"]["score"]["total"]
        assert client.get(f"/v1/rosters/{first}/analysis").status_code == 200
        # the queue is free again
        assert client.get("/v1/rosters?status=STOPPED").json()["total"] == 2


def test_list_paging(client, instance):
    instance["assignments"] = []
    ids = [client.post("/v1/rosters?operation=score", json={"input": instance}).json()["id"] for _ in range(5)]
    page1 = client.get("/v1/rosters?limit=2").json()
    assert page1["total"] == 5 and page1["next_offset"] == 2
    assert [i["id"] for i in page1["items"]] == ids[::-1][:2]  # newest first
    page3 = client.get("/v1/rosters?limit=2&offset=4").json()
    assert [i["id"] for i in page3["items"]] == [ids[0]] and page3["next_offset"] is None
    assert client.get("/v1/rosters?status=QUEUED").json()["total"] == 0
    assert all("roster" not in i for i in page1["items"])


def test_analysis_before_roster_409(tmp_path, settings):
    settings = settings.model_copy(update={"max_concurrent": 1})
    with TestClient(create_app(settings), headers=HEADERS) as client:
        # stop dispatching so the job stays queued
        client.app.state.dispatcher.shutdown()
        job_id = submit(client, tiny_instance(), time_limit=1)["id"]
        resp = client.get(f"/v1/rosters/{job_id}/analysis")
        assert resp.status_code == 409 and resp.json()["code"] == "no_roster"
        resp = client.post(f"/v1/rosters/{job_id}/replan", json={})
        assert resp.status_code == 409
        assert client.get("/readyz").status_code == 503


@pytest.mark.timeout(120)
def test_app_restart_keeps_jobs_and_resumes_queued(tmp_path, settings, instance):
    instance["assignments"] = []
    with TestClient(create_app(settings), headers=HEADERS) as client:
        client.app.state.dispatcher.shutdown()  # nothing runs: the job stays queued across the restart
        scored = client.post("/v1/rosters?operation=score", json={"input": instance}).json()["id"]
        queued = submit(client, tiny_instance(), time_limit=4)["id"]
    with TestClient(create_app(settings), headers=HEADERS) as client:
        assert client.get(f"/v1/rosters/{scored}").json()["status"] == "COMPLETED"
        done = wait_for(client, queued, timeout=60)
        assert done["status"] == "COMPLETED"


def test_worker_killed_fails_job_with_reason_and_keeps_roster(client):
    import os
    import signal

    job_id = submit(client, tiny_instance(), time_limit=15)["id"]
    t0 = time.monotonic()
    while not client.get(f"/v1/rosters/{job_id}/status").json().get("progress"):
        assert time.monotonic() - t0 < 30
        time.sleep(0.1)
    pid = client.app.state.store.get(job_id, light=True)["pid"]
    os.kill(pid, signal.SIGKILL)
    body = wait_for(client, job_id, timeout=10)
    assert body["status"] == "FAILED" and body["error"]["code"] == "worker_died"
    assert "exit code -9" in body["error"]["detail"]
    assert client.get(f"/v1/rosters/{job_id}").json()["roster"]["assignments"]


def test_first_progress_and_first_roster_land_in_one_write(db_url):
    """The reader can never see progress without a roster (the race behind the flaky stop test)."""
    from api.service.store import Store

    store = Store(db_url)
    job_id = store.create(operation="solve", request={"input": {}})
    claim = store.claim_next("me")
    writes = []
    real = store._update

    def spy(*args, **values):
        writes.append(set(values))
        return real(*args, **values)

    store._update = spy
    store.best(
        job_id,
        claim["attempt"],
        {"objective": 1, "assignments": []},
        {"elapsed_s": 0.1},
        {"assignments": []},
        {"hard": 0, "unfilled": 0, "soft": 1, "total": 1},
    )
    assert writes == [{"best", "progress", "roster", "score"}]
    row = store.get(job_id)
    assert row["progress"] and row["roster"] is not None
