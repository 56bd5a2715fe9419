"""Tenants (issue 18, item 5): a job belongs to the tenant of the key that made it; another tenant's key gets
404 for it and does not see it in the list. Keys can be configured as sha256 hashes."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient

from api.service import Settings, create_app
from api.service.store import Store

from .conftest import tiny_instance

KEY_A, KEY_B = "key-of-acme", "key-of-beta"


def test_jobs_are_kept_apart_by_tenant(tmp_path, db_url):
    hashed_b = f"beta:sha256:{hashlib.sha256(KEY_B.encode()).hexdigest()}"  # configured by its hash only
    settings = Settings(
        data_dir=tmp_path, db_url=db_url, api_keys=[f"acme:{KEY_A}", hashed_b], max_concurrent=0, queue_size=8
    )
    app = create_app(settings)
    with TestClient(app, headers={"X-API-Key": KEY_A}) as a:
        b = TestClient(app, headers={"X-API-Key": KEY_B})
        inst = tiny_instance()
        inst["assignments"] = []
        scored = a.post("/v1/rosters?operation=score", json={"input": inst}).json()["id"]
        queued = a.post("/v1/rosters", json={"input": tiny_instance()}).json()["id"]
        own = b.post("/v1/rosters?operation=score", json={"input": inst}).json()["id"]
        for job_id in (scored, queued):
            for method, path in (
                ("get", ""),
                ("get", "/status"),
                ("get", "/events"),
                ("get", "/analysis"),
                ("delete", ""),
            ):
                resp = getattr(b, method)(f"/v1/rosters/{job_id}{path}")
                assert resp.status_code == 404 and resp.json()["code"] == "job_not_found", (method, path)
            resp = b.post(f"/v1/rosters/{job_id}/replan", json={"changes": []})
            assert resp.status_code == 404
        assert a.get(f"/v1/rosters/{queued}/status").json()["status"] == "QUEUED"  # B's DELETE did nothing
        assert {i["id"] for i in a.get("/v1/rosters").json()["items"]} == {scored, queued}
        listed = b.get("/v1/rosters").json()
        assert listed["total"] == 1 and [i["id"] for i in listed["items"]] == [own]
        assert a.get(f"/v1/rosters/{own}").status_code == 404
        assert a.post(f"/v1/rosters/{scored}/replan", json={"changes": []}).status_code == 202
    rows = Store(settings.database_url)
    assert rows.get(scored)["tenant"] == "acme" and rows.get(own)["tenant"] == "beta"


def test_keys_are_held_as_hashes_only(tmp_path, db_url):
    settings = Settings(data_dir=tmp_path, db_url=db_url, api_keys=[f"acme:{KEY_A}"])
    app = create_app(settings)
    assert app.state.key_hashes == {hashlib.sha256(KEY_A.encode()).hexdigest(): "acme"}
    with TestClient(app) as c:
        assert c.get("/v1/rosters", headers={"X-API-Key": KEY_A}).status_code == 200
        assert c.get("/v1/rosters", headers={"X-API-Key": "acme"}).status_code == 403


def test_untenanted_jobs_go_to_the_only_tenant(tmp_path, db_url):
    settings = Settings(data_dir=tmp_path, db_url=db_url, api_keys=[KEY_A], max_concurrent=0)
    store = Store(settings.database_url)
    old = store.create(operation="score", request={"input": {}}, status="COMPLETED")  # from before tenants
    with TestClient(create_app(settings), headers={"X-API-Key": KEY_A}) as c:
        assert c.get(f"/v1/rosters/{old}/status").json()["status"] == "COMPLETED"
