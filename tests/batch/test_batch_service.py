"""`POST /v1/batches`, `GET /v1/batches/{id}`, `DELETE`: the same code path as `turnus batch`, on the session's Ray,
with inline inputs, tenants kept apart and the rosters listed under /v1/rosters."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.batch.service import build_batch_router
from api.service import Settings, create_app
from models.generate import generate_dict

pytestmark = pytest.mark.xdist_group("ray")

KEYS = {"a": "tenant-a-key", "b": "tenant-b-key"}


@pytest.fixture
def client(tmp_path: Path, ray_session):
    settings = Settings(
        data_dir=tmp_path, api_keys=[f"{t}:{k}" for t, k in KEYS.items()], max_concurrent=0, max_time_limit_s=30
    )
    app = create_app(settings)
    if not any(getattr(r, "path", "") == "/v1/batches" for r in app.routes):
        app.include_router(build_batch_router())
    with TestClient(app, headers={"X-API-Key": KEYS["a"]}) as c:
        yield c


def _wait(client: TestClient, batch_id: str, until: set[str], timeout_s: float = 120.0) -> dict:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        view = client.get(f"/v1/batches/{batch_id}").json()
        if view["status"] in until:
            return view
        time.sleep(0.1)
    raise AssertionError(f"batch still {view['status']} after {timeout_s} s")


def test_served_batch_runs_and_links_its_rosters(client: TestClient):
    units = [generate_dict("small", weeks=2, seed=s) for s in (1, 2)]
    body = {
        "name": "served",
        "time_limit_s": 2,
        "jobs": [
            {"unit": units[0], "name": "ward-a"},
            {"unit": units[1], "name": "ward-b"},
            {"unit": {"staff": 3}, "name": "broken"},
        ],
    }
    res = client.post("/v1/batches", json=body)
    assert res.status_code == 202, res.text
    created = res.json()
    assert created["jobs"] == ["ward-a", "ward-b", "broken"]
    assert [r["name"] for r in created["rejected"]] == ["broken"]
    view = _wait(client, created["id"], {"COMPLETED"})
    assert (view["completed"], view["failed"], view["pending"]) == (2, 1, 0)
    jobs = {j["name"]: j for j in view["jobs"]}
    one = client.get(jobs["ward-a"]["roster"]).json()
    assert one["status"] == "COMPLETED" and one["score"] == jobs["ward-a"]["score"]
    assert jobs["broken"]["error"]["code"] == "invalid_input"
    names = {i["name"] for i in client.get("/v1/rosters").json()["items"]}
    assert {"served/ward-a", "served/ward-b", "served/broken"} <= names
    assert "ward-a" in client.get(view["summary"]).text
    other = {"X-API-Key": KEYS["b"]}
    assert client.get(f"/v1/batches/{created['id']}", headers=other).status_code == 404
    assert client.get("/v1/rosters", headers=other).json()["total"] == 0


def test_served_manifest_errors_and_stop(client: TestClient):
    res = client.post("/v1/batches", json={"jobs": [{"unit": "/etc/passwd"}, {"units": "."}], "colour": 1})
    assert res.status_code == 422 and res.json()["code"] == "invalid_manifest"
    res = client.post("/v1/batches", json={"jobs": [{"unit": "/etc/passwd"}]})
    assert [e["code"] for e in res.json()["errors"]] == ["path_not_allowed"]
    unit = generate_dict("small", weeks=2, seed=3)
    res = client.post("/v1/batches", json={"time_limit_s": 999, "jobs": [{"unit": unit, "name": "a"}]})
    assert res.status_code == 422 and res.json()["errors"][0]["loc"] == "jobs[0].time_limit_s"
    jobs = [{"unit": unit, "name": f"u{k}", "seed": k} for k in range(4)]
    created = client.post("/v1/batches", json={"time_limit_s": 3, "jobs": jobs}).json()
    t0 = time.monotonic()
    while time.monotonic() - t0 < 120:  # stop once the first job has finished
        view = client.get(f"/v1/batches/{created['id']}").json()
        if view["completed"] >= 1:
            break
        time.sleep(0.1)
    stopped = client.delete(f"/v1/batches/{created['id']}").json()
    assert stopped["status"] == "STOPPED"
    assert 1 <= stopped["completed"] < 4 and stopped["pending"] == 4 - stopped["completed"]
    assert client.get(f"/v1/batches/{'0' * 32}").status_code == 404
