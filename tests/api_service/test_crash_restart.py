"""Kill -9 the server during a solve, start it again: no job is lost. The new server takes the job over only
when the dead server's lease has expired (TURNUS_LEASE_S=3 here)."""

from __future__ import annotations

import time

from .conftest import manual_roster, tiny_instance
from .server_proc import ServerProc

KEY = "crash-key"


def _wait(client, job_id, cond, timeout=60.0):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        body = client.get(f"/v1/rosters/{job_id}").json()
        if cond(body):
            return body
        time.sleep(0.2)
    raise AssertionError(f"timeout waiting for job {job_id}: {body.get('status')}")


def test_kill_server_during_solve_loses_nothing(tmp_path, db_url):
    server = ServerProc(tmp_path / "data", KEY, db_url=db_url, TURNUS_LEASE_S="3").start()
    try:
        with server.client() as c:
            scored = manual = tiny_instance()
            manual["assignments"] = manual_roster()
            score_id = c.post("/v1/rosters?operation=score", json={"input": scored}).json()["id"]
            resp = c.post(
                "/v1/rosters", json={"config": {"run": {"time_limit_s": 20, "workers": 1}}, "input": tiny_instance()}
            )
            assert resp.status_code == 202
            job_id = resp.json()["id"]
            # running, with a first roster written by the worker
            _wait(c, job_id, lambda b: b["status"] == "SOLVING" and b.get("progress"))
            time.sleep(6)  # let it solve for a while; the resumed solve only gets the remaining time
        server.kill9()
        time.sleep(1.0)  # the orphaned worker notices its parent is gone and exits
        server.start()
        with server.client() as c:
            assert c.get(f"/v1/rosters/{score_id}").json()["status"] == "COMPLETED"
            body = _wait(c, job_id, lambda b: b["restarts"] == 1, timeout=30)  # once the lease has expired
            assert body["status"] in ("QUEUED", "SOLVING", "COMPLETED", "FAILED")
            done = _wait(c, job_id, lambda b: b["status"] in ("COMPLETED", "FAILED"), timeout=90)
            if done["status"] == "FAILED":
                assert done["error"]["detail"]
            else:
                assert done["roster"]["assignments"]
                assert done["score"]["hard"] == 0
            listed = c.get("/v1/rosters").json()
            assert {score_id, job_id} <= {item["id"] for item in listed["items"]}
    finally:
        server.stop()
    log = (tmp_path / "data" / "server.log").read_text()
    assert "Person 1" not in log  # no personal data in the logs


def test_restart_gives_up_after_max_restarts(tmp_path, db_url):
    """With TURNUS_MAX_RESTARTS=0 an interrupted solve is failed with a reason (and keeps its best roster)."""
    server = ServerProc(tmp_path / "data", KEY, db_url=db_url, TURNUS_MAX_RESTARTS="0", TURNUS_LEASE_S="3").start()
    try:
        with server.client() as c:
            job_id = c.post(
                "/v1/rosters", json={"config": {"run": {"time_limit_s": 20}}, "input": tiny_instance()}
            ).json()["id"]
            _wait(c, job_id, lambda b: b["status"] == "SOLVING" and b.get("progress"))
        server.kill9()
        server.start()
        with server.client() as c:
            body = _wait(c, job_id, lambda b: b["status"] != "SOLVING", timeout=30)  # the lease expires
            assert body["status"] == "FAILED"
            assert body["error"]["code"] == "interrupted"
            assert "server stopped" in body["error"]["detail"]
    finally:
        server.stop()
