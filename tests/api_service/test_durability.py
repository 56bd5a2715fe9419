"""Durability (issue 18, items 3 and 4): a second server on the same data never takes a live server's jobs
(leases); a database outage during a solve gives 503 + Retry-After and the job still ends with a final status."""

from __future__ import annotations

import os
import shlex
import subprocess
import time

import pytest
from fastapi.testclient import TestClient

from api.service import create_app
from api.service.store import JobStatus, Store

from .conftest import HEADERS, KEY, PG_URL, submit, tiny_instance, wait_for
from .server_proc import ServerProc


def _wait(client, job_id, cond, timeout=60.0):
    t0 = time.monotonic()
    body = {}
    while time.monotonic() - t0 < timeout:
        body = client.get(f"/v1/rosters/{job_id}?include_roster=false").json()
        if cond(body):
            return body
        time.sleep(0.2)
    raise AssertionError(f"timeout waiting for job {job_id}: {body}")


@pytest.mark.timeout(180)
def test_second_server_on_the_same_data_never_takes_a_live_job(tmp_path, db_url):
    data = tmp_path / "data"
    first = ServerProc(data, KEY, db_url=db_url, TURNUS_LEASE_S="2").start()
    second = ServerProc(data, KEY, db_url=db_url, TURNUS_LEASE_S="2")
    try:
        with first.client() as c:
            job_id = c.post(
                "/v1/rosters", json={"config": {"run": {"time_limit_s": 8, "workers": 1}}, "input": tiny_instance()}
            ).json()["id"]
            _wait(c, job_id, lambda b: b["status"] == "SOLVING")
            store = Store(db_url)
            owner = store.get(job_id, light=True)["owner"]
            assert owner
            second.start()  # an accidental second start on the same folder
            time.sleep(5)  # more than two leases: the first server keeps renewing its lease
            row = store.get(job_id, light=True)
            assert row["status"] == JobStatus.SOLVING and row["restarts"] == 0 and row["attempt"] == 1
            assert row["owner"] == owner and row["lease_until"] > time.time()
            done = _wait(c, job_id, lambda b: b["status"] in ("COMPLETED", "FAILED", "STOPPED"), timeout=60)
            assert done["status"] == "COMPLETED" and done["restarts"] == 0
        with second.client() as c2:  # the second server serves the same jobs
            assert c2.get(f"/v1/rosters/{job_id}/status").json()["status"] == "COMPLETED"
    finally:
        second.stop()
        first.stop()
    assert "queued again" not in (data / "server.log").read_text()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("worker_outlasts_outage", [True, False])
def test_database_outage_during_a_solve_ends_with_a_final_status(tmp_path, settings, worker_outlasts_outage):
    fault = tmp_path / "db-down"
    settings = settings.model_copy(
        update={
            "fault_file": fault,
            "lease_s": 2.0,
            "retry_after_s": 7,
            "db_retry_s": 30.0 if worker_outlasts_outage else 1.0,
        }
    )
    with TestClient(create_app(settings), headers=HEADERS) as client:
        job_id = submit(client, tiny_instance(), time_limit=3)["id"]
        _wait(client, job_id, lambda b: b["status"] == "SOLVING" and b.get("progress"))
        fault.touch()  # the database goes away for every process (server, dispatcher, worker)
        try:
            for path in (f"/v1/rosters/{job_id}", "/v1/rosters", "/readyz"):
                resp = client.get(path)
                assert resp.status_code == 503, (path, resp.text)
                assert resp.headers["Retry-After"] == "7"
                assert resp.headers["content-type"].startswith("application/problem+json")
                assert resp.json()["code"] == "database_unavailable"
            resp = client.post("/v1/rosters", json={"config": {"run": {"time_limit_s": 1}}, "input": tiny_instance()})
            assert resp.status_code == 503
            time.sleep(6)  # the solve ends (3 s) while the database is down; its final write fails
        finally:
            fault.unlink()
        body = wait_for(client, job_id, timeout=60)
        if worker_outlasts_outage:  # the worker's retried final write landed
            assert body["status"] == "COMPLETED", body
        else:  # the worker gave up; the dispatcher's retried final write kept the best roster
            assert body["status"] == "FAILED" and body["error"]["code"] == "database_unavailable", body
        assert client.get(f"/v1/rosters/{job_id}").json()["roster"]["assignments"]
        assert client.get("/readyz").status_code == 200


def test_expired_lease_is_taken_over_and_a_live_one_is_not(db_url):
    store = Store(db_url)
    a = store.create(operation="solve", request={"input": {}})
    b = store.create(operation="solve", request={"input": {}})
    assert store.claim_next("server-a", lease_s=60)["id"] == a
    assert store.claim_next("server-b", lease_s=0.01)["id"] == b
    time.sleep(0.05)
    requeued, failed = store.recover(max_restarts=2)
    assert requeued == [b] and failed == []
    assert store.get(a)["status"] == JobStatus.SOLVING and store.get(a)["owner"] == "server-a"
    assert store.get(b)["status"] == JobStatus.QUEUED and store.get(b)["owner"] is None
    assert store.renew("server-a", [a, b], 60) == {a}
    assert store.renew("server-b", [a], 60) == set()  # not its job


PG_CTL = os.environ.get("TURNUS_TEST_PG_CTL")  # pg_ctl of the throwaway server of .ci/postgres-tests


@pytest.mark.timeout(180)
@pytest.mark.skipif(not (PG_URL and PG_CTL), reason="needs the local PostgreSQL server of .ci/postgres-tests")
def test_real_postgres_outage_mid_solve_ends_with_a_final_status(settings):
    """The PostgreSQL server itself is stopped (pg_ctl stop -m fast: every connection is cut) during a solve and
    started again 8 s later: requests get 503 meanwhile, and the job still ends COMPLETED with its roster.
    Runs alone (it stops the server every other test uses)."""
    ctl = shlex.split(PG_CTL)
    settings = settings.model_copy(update={"lease_s": 2.0, "db_retry_s": 60.0})
    with TestClient(create_app(settings), headers=HEADERS) as client:
        job_id = submit(client, tiny_instance(), time_limit=4)["id"]
        _wait(client, job_id, lambda b: b["status"] == "SOLVING" and b.get("progress"))
        subprocess.run([*ctl, "-m", "fast", "-w", "stop"], check=True, capture_output=True)
        try:
            resp = client.get(f"/v1/rosters/{job_id}")
            assert resp.status_code == 503 and resp.json()["code"] == "database_unavailable", resp.text
            assert client.get("/readyz").status_code == 503
            time.sleep(8)  # the solve (4 s) ends while the server is down: its final write is retried
        finally:
            subprocess.run([*ctl, "-w", "start"], check=True, capture_output=True)
        body = wait_for(client, job_id, timeout=90)
        assert body["status"] == "COMPLETED", body
        assert client.get(f"/v1/rosters/{job_id}").json()["roster"]["assignments"]
        assert client.get("/readyz").status_code == 200
