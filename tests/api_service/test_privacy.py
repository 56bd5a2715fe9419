"""Health data at rest and secrets (issue 18, item 6): private files from creation, masked database URLs, the
API key printed only when it is made, erasure of a job, retention."""

from __future__ import annotations

import stat
import time

import pytest
from fastapi.testclient import TestClient

from api.server import startup_lines
from api.service import Settings, create_app

from .conftest import HEADERS, PG_URL, manual_roster, submit, tiny_instance, wait_for

MARKER = "Kari Slettemerke"  # a staff name that must be gone from the files after erasure


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(bool(PG_URL), reason="SQLite files")
def test_sqlite_files_and_folders_are_private_from_creation(settings, tmp_path):
    data = tmp_path / "new" / "data"
    fresh = settings.model_copy(update={"data_dir": data, "db_url": None})
    with TestClient(create_app(fresh), headers=HEADERS) as client:
        inst = {**tiny_instance(), "assignments": manual_roster()}
        assert client.post("/v1/rosters?operation=score", json={"input": inst}).status_code == 201
        files = [data / "turnus.db", data / "turnus.db-wal", data / "turnus.db-shm"]
        assert all(f.exists() for f in files)
        assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert _mode(data) == 0o700 and _mode(data.parent) == 0o700


def test_generated_key_is_private_and_printed_once(tmp_path):
    data = tmp_path / "fresh"
    first = Settings(data_dir=data).ensure_key()
    assert first.generated_key and _mode(data) == 0o700 and _mode(data / "api-key") == 0o600
    key = first.api_keys[0]
    assert any(key in line for line in startup_lines(first, keys_from_env=False))
    second = Settings(data_dir=data).ensure_key()
    assert not second.generated_key and second.api_keys == [key]
    lines = startup_lines(second, keys_from_env=False)
    assert not any(key in line for line in lines) and any("api-key" in line for line in lines)
    assert key not in repr(second) and key not in str(second.model_dump(exclude={"api_keys"}))


def test_database_urls_are_masked_in_what_is_printed():
    for url in (
        "postgresql+psycopg://turnus:s3cret@db.example:5432/turnus",
        "postgresql+psycopg://turnus:s3c@ret@db.example/turnus",  # an unencoded @ in the password
        "postgresql+psycopg://turnus@/turnus?host=/run/pg&password=s3cret",
    ):
        s = Settings(db_url=url, api_keys=["k"])
        lines = startup_lines(s, keys_from_env=True)
        assert any("***" in line and "turnus" in line for line in lines), lines
        assert not any("s3c" in line for line in lines), lines
        assert "s3c" not in repr(s)


def test_erase_deletes_the_job_and_its_data_from_the_files(client, settings):
    inst = tiny_instance()
    inst["staff"][0]["name"] = MARKER
    scored = client.post("/v1/rosters?operation=score", json={"input": {**inst, "assignments": manual_roster()}})
    running = submit(client, inst, time_limit=20)["id"]
    wait_for(client, running, statuses=("SOLVING",))
    for job_id in (scored.json()["id"], running):
        other = client.delete(f"/v1/rosters/{job_id}?erase=true", headers={"X-API-Key": "other-key"})
        assert other.status_code == 403  # an unknown key never reaches a job
    files = [] if PG_URL else [settings.data_dir / n for n in ("turnus.db", "turnus.db-wal")]
    assert not files or any(MARKER.encode() in f.read_bytes() for f in files if f.exists())
    for job_id in (scored.json()["id"], running):
        resp = client.delete(f"/v1/rosters/{job_id}?erase=true")
        assert resp.status_code == 204, resp.text
        assert client.get(f"/v1/rosters/{job_id}").status_code == 404
        assert client.delete(f"/v1/rosters/{job_id}?erase=true").status_code == 404
    assert client.get("/v1/rosters").json()["total"] == 0
    assert not client.app.state.dispatcher.running  # the solve was ended first
    for f in files:
        if f.exists():
            assert MARKER.encode() not in f.read_bytes(), f.name


def test_erase_is_tenant_scoped(settings, instance):
    two = settings.model_copy(update={"api_keys": ["a:key-a", "b:key-b"]})
    with TestClient(create_app(two)) as client:
        inst = {**instance, "assignments": manual_roster()}
        job_id = client.post(
            "/v1/rosters?operation=score", json={"input": inst}, headers={"X-API-Key": "key-a"}
        ).json()["id"]
        assert client.delete(f"/v1/rosters/{job_id}?erase=true", headers={"X-API-Key": "key-b"}).status_code == 404
        assert client.get(f"/v1/rosters/{job_id}", headers={"X-API-Key": "key-a"}).status_code == 200


def test_retention_purges_finished_jobs_only(settings, instance):
    kept = settings.model_copy(update={"retention_days": 2 / 86_400, "max_concurrent": 0})  # 2 s; never solves
    with TestClient(create_app(kept), headers=HEADERS) as client:
        inst = {**instance, "assignments": manual_roster()}
        done = client.post("/v1/rosters?operation=score", json={"input": inst}).json()["id"]
        queued = submit(client, instance)["id"]
        t0 = time.monotonic()
        while client.get(f"/v1/rosters/{done}/status").status_code != 404:
            assert time.monotonic() - t0 < 60, "the finished job was not purged"
            time.sleep(0.2)
        assert client.get(f"/v1/rosters/{queued}/status").json()["status"] == "QUEUED"  # never a queued job


def test_files_left_open_by_an_older_version_are_named_at_start(tmp_path):
    data = tmp_path / "old"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    (data / "turnus.db").write_bytes(b"")
    (data / "turnus.db").chmod(0o644)
    lines = startup_lines(Settings(data_dir=data, api_keys=["k"]), keys_from_env=True)
    warned = [line for line in lines if line.startswith("turnus: warning:")]
    assert len(warned) == 2 and "mode 755" in warned[0] and "chmod 700" in warned[0]
    assert "turnus.db is open to other users (mode 644); run chmod 600" in warned[1]
    assert _mode(data / "turnus.db") == 0o644  # named, not changed
    private = Settings(data_dir=tmp_path / "new").ensure_key()
    assert not [line for line in startup_lines(private, keys_from_env=False) if "warning" in line]
