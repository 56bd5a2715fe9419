"""Durable job store (SQLAlchemy 2 Core): SQLite by default (WAL, shared by the server and its worker
processes), PostgreSQL through a URL. JSON documents are stored as text so both back-ends behave alike.

Every write from a worker names the job's `attempt`; a worker left over from an earlier run of the server (or
one that was stopped) can therefore never overwrite the state of a newer attempt.
"""

from __future__ import annotations

import json
import time
import uuid
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import (BigInteger, Column, Float, Integer, MetaData, String, Table, Text, create_engine, event,
                        func, select, update)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError


class JobStatus(StrEnum):
    QUEUED = "QUEUED"
    SOLVING = "SOLVING"
    COMPLETED = "COMPLETED"
    STOPPED = "STOPPED"  # stopped by DELETE; keeps the best roster found so far
    FAILED = "FAILED"


TERMINAL = {JobStatus.COMPLETED, JobStatus.STOPPED, JobStatus.FAILED}

metadata = MetaData()

jobs = Table(
    "jobs", metadata,
    Column("id", String(32), primary_key=True),
    Column("seq", BigInteger, nullable=False, index=True),
    Column("name", String(200)),
    Column("operation", String(16), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("parent_id", String(32)),
    Column("created_at", Float, nullable=False),
    Column("started_at", Float),
    Column("finished_at", Float),
    Column("updated_at", Float, nullable=False),
    Column("attempt", Integer, nullable=False, default=0),
    Column("restarts", Integer, nullable=False, default=0),
    Column("spent_s", Float, nullable=False, default=0.0),  # solve time of earlier, interrupted attempts
    Column("pid", Integer),
    Column("request", Text, nullable=False),  # {"config": {...}, "input": <merged instance>}
    Column("warnings", Text),
    Column("progress", Text),
    Column("best", Text),  # {"objective": int, "assignments": [...]} raw best solution (unchecked)
    Column("roster", Text),  # checked roster (models.Roster JSON)
    Column("score", Text),  # {"hard", "unfilled", "soft", "total"}
    Column("changed", Text),  # {"changed", "added", "removed"} against the input's previous assignments
    Column("error", Text),
)

_JSON_COLS = ("request", "warnings", "progress", "best", "roster", "score", "changed", "error")


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, separators=(",", ":"), default=str)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        metadata.create_all(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()

    # ---------------------------------------------------------------- reads
    @staticmethod
    def _row(row) -> dict[str, Any] | None:
        if row is None:
            return None
        out = dict(row._mapping)
        for col in _JSON_COLS:
            if out.get(col) is not None:
                out[col] = json.loads(out[col])
        return out

    def get(self, job_id: str, light: bool = False) -> dict[str, Any] | None:
        cols = [c for c in jobs.c if not light or c.name not in ("request", "roster", "best")]
        with self.engine.connect() as conn:
            return self._row(conn.execute(select(*cols).where(jobs.c.id == job_id)).first())

    def list(self, limit: int, offset: int, status: str | None = None) -> tuple[list[dict], int]:
        cols = [c for c in jobs.c if c.name not in ("request", "roster", "best", "progress")]
        q = select(*cols).order_by(jobs.c.seq.desc()).limit(limit).offset(offset)
        n = select(func.count()).select_from(jobs)
        if status:
            q, n = q.where(jobs.c.status == status), n.where(jobs.c.status == status)
        with self.engine.connect() as conn:
            rows = [self._row(r) for r in conn.execute(q)]
            total = conn.execute(n).scalar_one()
        return rows, total

    def count(self, *statuses: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(jobs).where(jobs.c.status.in_(statuses))).scalar_one()

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(select(1))

    # ---------------------------------------------------------------- writes
    def create(self, *, operation: str, request: dict, name: str | None = None, parent_id: str | None = None,
               warnings: list | None = None, status: str = JobStatus.QUEUED, **extra: Any) -> str:
        job_id = uuid.uuid4().hex
        now = extra.pop("now", None) or time.time()
        seq = time.time_ns() // 1000  # creation order without a read before the write (no lock upgrade)
        with self.engine.begin() as conn:
            values = dict(id=job_id, seq=seq, name=name, operation=operation, status=str(status),
                          parent_id=parent_id, created_at=now, updated_at=now, attempt=0, restarts=0, spent_s=0.0,
                          request=_dump(request), warnings=_dump(warnings or []))
            for key, val in extra.items():
                values[key] = _dump(val) if key in _JSON_COLS else val
            conn.execute(jobs.insert().values(**values))
        return job_id

    def _update(self, job_id: str, attempt: int | None = None, where_status: tuple[str, ...] | None = None,
                **values: Any) -> bool:
        vals = {k: (_dump(v) if k in _JSON_COLS else v) for k, v in values.items()}
        vals["updated_at"] = time.time()
        q = update(jobs).where(jobs.c.id == job_id)
        if attempt is not None:
            q = q.where(jobs.c.attempt == attempt)
        if where_status:
            q = q.where(jobs.c.status.in_([str(s) for s in where_status]))
        with self.engine.begin() as conn:
            return conn.execute(q.values(**vals)).rowcount > 0

    def claim_next(self) -> dict[str, Any] | None:
        """Oldest queued job -> SOLVING with a new attempt number (returns id, attempt, restarts)."""
        for delay in (0.01, 0.05, 0.2, 0.5, None):
            try:
                return self._claim_next()
            except OperationalError:  # SQLite: another writer got in between the read and the write
                if delay is None:
                    raise
                time.sleep(delay)
        return None

    def _claim_next(self) -> dict[str, Any] | None:
        with self.engine.begin() as conn:
            row = conn.execute(select(jobs.c.id, jobs.c.attempt, jobs.c.restarts).where(
                jobs.c.status == JobStatus.QUEUED).order_by(jobs.c.seq).limit(1)).first()
            if row is None:
                return None
            now = time.time()
            done = conn.execute(update(jobs).where(jobs.c.id == row.id, jobs.c.status == JobStatus.QUEUED).values(
                status=JobStatus.SOLVING, attempt=row.attempt + 1, started_at=now, updated_at=now)).rowcount
        if not done:
            return None
        return {"id": row.id, "attempt": row.attempt + 1, "restarts": row.restarts}

    def set_pid(self, job_id: str, attempt: int, pid: int | None) -> None:
        self._update(job_id, attempt, pid=pid)

    def heartbeat(self, job_id: str, attempt: int) -> bool:
        """A running worker touches `updated_at` (so the time it spent survives a crash of the server)."""
        return self._update(job_id, attempt, (JobStatus.SOLVING,))

    def progress(self, job_id: str, attempt: int, progress: dict) -> bool:
        return self._update(job_id, attempt, (JobStatus.SOLVING,), progress=progress)

    def best(self, job_id: str, attempt: int, best: dict, progress: dict | None = None) -> bool:
        vals: dict[str, Any] = {"best": best}
        if progress is not None:
            vals["progress"] = progress
        return self._update(job_id, attempt, (JobStatus.SOLVING,), **vals)

    def roster_so_far(self, job_id: str, attempt: int, roster: dict, score: dict) -> bool:
        return self._update(job_id, attempt, (JobStatus.SOLVING,), roster=roster, score=score)

    def finish(self, job_id: str, attempt: int | None, status: str, *, roster: dict | None = None,
               score: dict | None = None, changed: dict | None = None, error: dict | None = None,
               from_status: tuple[str, ...] = (JobStatus.SOLVING,)) -> bool:
        vals: dict[str, Any] = {"status": str(status), "finished_at": time.time(), "pid": None}
        for key, val in (("roster", roster), ("score", score), ("changed", changed), ("error", error)):
            if val is not None:
                vals[key] = val
        return self._update(job_id, attempt, from_status, **vals)

    def requeue(self, job_id: str, reason: str) -> bool:
        with self.engine.begin() as conn:
            spent = func.coalesce(jobs.c.updated_at - jobs.c.started_at, 0.0)
            return conn.execute(update(jobs).where(jobs.c.id == job_id, jobs.c.status == JobStatus.SOLVING).values(
                status=JobStatus.QUEUED, restarts=jobs.c.restarts + 1, pid=None, updated_at=time.time(),
                spent_s=jobs.c.spent_s + spent,
                error=_dump({"code": "restarted", "detail": reason}))).rowcount > 0

    def recover(self, max_restarts: int) -> tuple[list[str], list[str]]:
        """After a (re)start: jobs left SOLVING by a dead server are queued again, or failed after too many
        restarts. Returns (requeued ids, failed ids)."""
        requeued, failed = [], []
        with self.engine.connect() as conn:
            rows = conn.execute(select(jobs.c.id, jobs.c.restarts).where(jobs.c.status == JobStatus.SOLVING)).all()
        for row in rows:
            if row.restarts >= max_restarts:
                self.finish(row.id, None, JobStatus.FAILED, error={
                    "code": "interrupted", "detail": f"the server stopped during the solve {row.restarts + 1} "
                    "times; giving up (the best roster found so far is kept)"})
                failed.append(row.id)
            elif self.requeue(row.id, "the server stopped during the solve; the job was queued again"):
                requeued.append(row.id)
        return requeued, failed
