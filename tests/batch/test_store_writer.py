"""Batch results as job-store rows, on SQLite, and on PostgreSQL when TURNUS_TEST_PG_URL names a server (as in
.ci/postgres-tests): created once, overwritten (not duplicated) when a resumed run finishes a job again."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from api.batch.results import StoreWriter
from api.service.store import Store

PG_URL = os.environ.get("TURNUS_TEST_PG_URL")


@pytest.fixture(params=["sqlite"] + (["postgresql"] if PG_URL else []))
def store(request, tmp_path) -> Iterator[Store]:
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'jobs.db'}")
        yield s
        s.dispose()
        return
    import psycopg
    from sqlalchemy.engine import make_url

    assert PG_URL is not None
    admin = PG_URL.replace("postgresql+psycopg://", "postgresql://", 1)
    name = f"turnus_batch_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    s = Store(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    try:
        yield s
    finally:
        s.dispose()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _write(writer: StoreWriter, name: str, total: int, status: str = "COMPLETED") -> str:
    score = {"hard": 0, "unfilled": 0, "soft": total, "total": total}
    return writer.write(
        name,
        operation="solve",
        data={"id": name},
        run={"time_limit_s": 5, "workers": 1, "seed": 0},
        status=status,
        started=1000.0,
        finished=1005.0,
        roster={"assignments": [], "score": score},
        score=score,
    )


def test_rows_are_named_tenanted_and_idempotent(store: Store):
    writer = StoreWriter(store, run_id="r1", label="januar", tenant="oslo")
    first = _write(writer, "ward-a", 10)
    assert first == writer.job_id("ward-a") and len(first) == 32
    row = store.get(first, tenant="oslo")
    assert row["name"] == "januar/ward-a" and row["status"] == "COMPLETED" and row["score"]["total"] == 10
    assert row["request"]["config"]["run"]["time_limit_s"] == 5 and row["finished_at"] == 1005.0
    assert store.get(first, tenant="bergen") is None
    assert _write(writer, "ward-a", 7) == first  # the same job finished again after a resume: overwritten
    rows, total = store.list(10, 0, tenant="oslo")
    assert total == 1 and rows[0]["score"]["total"] == 7
    other = StoreWriter(store, run_id="r2", label="januar", tenant="oslo")  # another run: another row
    assert _write(other, "ward-a", 3) != first
    assert store.list(10, 0, tenant="oslo")[1] == 2
