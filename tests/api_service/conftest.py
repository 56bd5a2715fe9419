"""Fixtures for the HTTP service tests: a hand-built tiny unit, an app on a temporary SQLite file, or with
TURNUS_TEST_PG_URL (a PostgreSQL server, see .ci/postgres-tests) on a fresh PostgreSQL database per test."""

from __future__ import annotations

import copy
import os
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.service import Settings, create_app

PG_URL = os.environ.get("TURNUS_TEST_PG_URL")  # e.g. postgresql+psycopg://postgres@/postgres?host=/tmp/pg
KEY = "test-key-1"
HEADERS = {"X-API-Key": KEY}

GROUPS = [
    "sykepleier",
    "sykepleier",
    "sykepleier",
    "helsefagarbeider",
    "helsefagarbeider",
    "helsefagarbeider",
    "helsefagarbeider",
    "assistent",
]


def tiny_instance(weeks: int = 2) -> dict[str, Any]:
    """8 staff, shifts D/A/N, demand 2/1/1 every day, from Monday 2027-01-04."""
    staff = [
        {"id": f"s{i + 1}", "name": f"Person {i + 1}", "group": g, "position_pct": 100 if i % 2 == 0 else 75}
        for i, g in enumerate(GROUPS)
    ]
    return {
        "id": "tiny",
        "period": {"start": "2027-01-04", "weeks": weeks},
        "staff": staff,
        "shift_types": [
            {"code": "D", "start": "07:30", "end": "15:00"},
            {"code": "A", "start": "14:30", "end": "22:00"},
            {"code": "N", "start": "21:45", "end": "07:45"},
        ],
        "demand": [
            {"shift": "D", "slots": [{"min": 2}]},
            {"shift": "A", "slots": [{"min": 1}]},
            {"shift": "N", "slots": [{"min": 1}]},
        ],
        "rules": {"night_average": {"deviation_agreed": True}},
        "agreements": {"night_deviation": True},  # the deviation above rests on it (AML §10-11(9))
    }


def manual_roster() -> list[dict[str, str]]:
    """A simple hand-made roster for the tiny unit (first week only): s1,s2 D; s4 A; s6 N on weekdays."""
    out = []
    for day in range(4, 9):
        date = f"2027-01-{day:02d}"
        out += [
            {"staff": "s1", "date": date, "shift": "D"},
            {"staff": "s2", "date": date, "shift": "D"},
            {"staff": "s4", "date": date, "shift": "A"},
            {"staff": "s6", "date": date, "shift": "N"},
        ]
    return out


@pytest.fixture
def instance() -> dict[str, Any]:
    return copy.deepcopy(tiny_instance())


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def db_url(tmp_path) -> Iterator[str]:
    """The test's database: SQLite in tmp_path, or (TURNUS_TEST_PG_URL) a PostgreSQL database of its own,
    dropped afterwards, so tests that count jobs never see another test's."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path.resolve() / 'turnus.db'}"
        return
    from sqlalchemy.engine import make_url

    name = f"turnus_test_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def settings(tmp_path, db_url) -> Settings:
    return Settings(
        data_dir=tmp_path,
        db_url=db_url,
        api_keys=[KEY],
        max_concurrent=1,
        queue_size=4,
        max_body_bytes=200_000,
        max_time_limit_s=20,
        poll_interval_s=0.05,
        retry_after_s=3,
    )


@pytest.fixture
def client(settings):
    app = create_app(settings)
    with TestClient(app, headers=HEADERS) as c:
        yield c


def wait_for(
    client: TestClient,
    job_id: str,
    statuses=("COMPLETED", "STOPPED", "FAILED"),
    timeout: float = 60.0,
) -> dict[str, Any]:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        body = client.get(f"/v1/rosters/{job_id}/status").json()
        if body["status"] in statuses:
            return body
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not reach {statuses} in {timeout} s: {body}")


def submit(client: TestClient, inst: dict, time_limit: float = 1.0, **run) -> dict[str, Any]:
    resp = client.post(
        "/v1/rosters", json={"config": {"run": {"time_limit_s": time_limit, "workers": 1, **run}}, "input": inst}
    )
    assert resp.status_code == 202, resp.text
    return resp.json()
