"""Durable job store (SQLAlchemy 2 Core): SQLite by default (WAL, shared by the server and its worker
processes), PostgreSQL through a URL. JSON documents are stored as text so both back-ends behave alike.

Every write from a worker names the job's `attempt`; a worker left over from an earlier run of the server (or
one that was stopped) can therefore never overwrite the state of a newer attempt.

A running job has a lease: the server that claimed it (`owner`) renews `lease_until` while its worker runs.
Only a job whose lease has expired is taken over (queued again or failed) by a server's reaper, so a second
server on the same database never takes a live server's jobs.

Writes are retried on connection-level errors for `retry_s` seconds (`DatabaseUnavailable` after that).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from .private import private_file, private_umask

T = TypeVar("T")


class JobStatus(StrEnum):
    QUEUED = "QUEUED"
    SOLVING = "SOLVING"
    COMPLETED = "COMPLETED"
    STOPPED = "STOPPED"  # stopped by DELETE; keeps the best roster found so far
    FAILED = "FAILED"


TERMINAL = {JobStatus.COMPLETED, JobStatus.STOPPED, JobStatus.FAILED}


class DatabaseUnavailable(Exception):
    """The database did not answer (after retries)."""


metadata = MetaData()

jobs = Table(
    "jobs",
    metadata,
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
    Column("tenant", String(64), index=True),  # the tenant of the API key that made the job
    Column("owner", String(64)),  # the server (dispatcher) running it
    Column("lease_until", Float),  # the owner's lease; expired: the job may be taken over
    Column("time_limit_s", Float),
)

_JSON_COLS = ("request", "warnings", "progress", "best", "roster", "score", "changed", "error")
_ADDED_COLS = {"tenant": "VARCHAR(64)", "owner": "VARCHAR(64)", "lease_until": "FLOAT", "time_limit_s": "FLOAT"}
_TRANSIENT = (OperationalError,)


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, separators=(",", ":"), default=str)


def _transient(err: Exception) -> bool:
    if isinstance(err, OperationalError):
        return True
    return isinstance(err, DBAPIError) and bool(err.connection_invalidated)


def make_engine(url: str, fault_file: Path | None = None) -> Engine:
    path = url.split("///", 1)[-1] if url.startswith("sqlite") else ""
    if url.startswith("sqlite"):
        if path and path != ":memory:":
            private_file(Path(path))  # 0600 in a 0700 folder from creation (health data)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA secure_delete=ON")  # erased jobs are overwritten, not left in free pages
            cur.close()
    else:
        engine = create_engine(url, pool_pre_ping=True, connect_args=_pg_args(url))
    if fault_file is not None:
        fault = Path(fault_file)

        @event.listens_for(engine, "before_cursor_execute")
        def _fault(*_args, **_kw):  # fault injection for tests: the database is "down" while the file exists
            if fault.exists():
                raise OperationalError("fault injection", None, ConnectionError("database unavailable (injected)"))

    if path and path != ":memory:":
        with private_umask(), engine.connect():  # the -wal and -shm files appear here, private as well
            pass
    return engine


def _pg_args(url: str) -> dict:
    return {"connect_timeout": 5} if url.startswith("postgresql") else {}


class Store:
    def __init__(
        self, url: str, *, retry_s: float = 20.0, fault_file: Path | str | None = None, engine: Engine | None = None
    ):
        self.url, self.retry_s = url, retry_s
        self.fault_file = Path(fault_file) if fault_file else None
        self.engine = engine or make_engine(url, self.fault_file)
        if engine is None:
            self._retry(self._create_schema, retry_s=max(retry_s, 5.0))

    def _create_schema(self) -> None:
        metadata.create_all(self.engine)
        have = {c["name"] for c in inspect(self.engine).get_columns("jobs")}
        with self.engine.begin() as conn:
            for name, sql_type in _ADDED_COLS.items():
                if name not in have:  # a database from before leases and tenants
                    conn.execute(text(f"ALTER TABLE jobs ADD COLUMN {name} {sql_type}"))

    def with_retry(self, retry_s: float) -> Store:
        """The same database (same engine) with another retry budget."""
        return Store(self.url, retry_s=retry_s, fault_file=self.fault_file, engine=self.engine)

    def dispose(self) -> None:
        self.engine.dispose()

    def _retry(self, fn: Callable[[], T], retry_s: float | None = None) -> T:
        budget = self.retry_s if retry_s is None else retry_s
        t0, delay = time.monotonic(), 0.05
        while True:
            try:
                return fn()
            except DBAPIError as err:
                if not _transient(err):
                    raise
                if time.monotonic() - t0 + delay > budget:
                    raise DatabaseUnavailable(type(err.orig).__name__ if err.orig is not None else "error") from err
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

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

    def get(self, job_id: str, light: bool = False, tenant: str | None = None) -> dict[str, Any] | None:
        """One job (None when unknown, or when `tenant` is given and the job is another tenant's)."""
        cols = [c for c in jobs.c if not light or c.name not in ("request", "roster", "best")]
        q = select(*cols).where(jobs.c.id == job_id)
        if tenant is not None:
            q = q.where(jobs.c.tenant == tenant)

        def read():
            with self.engine.connect() as conn:
                return self._row(conn.execute(q).first())

        return self._retry(read, retry_s=min(self.retry_s, 1.0))

    def list(
        self, limit: int, offset: int, status: str | None = None, tenant: str | None = None
    ) -> tuple[list[dict], int]:
        cols = [c for c in jobs.c if c.name not in ("request", "roster", "best", "progress")]
        q = select(*cols).order_by(jobs.c.seq.desc()).limit(limit).offset(offset)
        n = select(func.count()).select_from(jobs)
        if status:
            q, n = q.where(jobs.c.status == status), n.where(jobs.c.status == status)
        if tenant is not None:
            q, n = q.where(jobs.c.tenant == tenant), n.where(jobs.c.tenant == tenant)

        def read():
            with self.engine.connect() as conn:
                rows = [self._row(r) for r in conn.execute(q)]
                return rows, conn.execute(n).scalar_one()

        return self._retry(read, retry_s=min(self.retry_s, 1.0))

    def count(self, *statuses: str) -> int:
        def read():
            with self.engine.connect() as conn:
                return conn.execute(
                    select(func.count()).select_from(jobs).where(jobs.c.status.in_(statuses))
                ).scalar_one()

        return self._retry(read, retry_s=min(self.retry_s, 1.0))

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(select(1))

    # ---------------------------------------------------------------- writes
    def create(
        self,
        *,
        operation: str,
        request: dict,
        name: str | None = None,
        parent_id: str | None = None,
        warnings: list | None = None,
        status: str = JobStatus.QUEUED,
        tenant: str | None = None,
        **extra: Any,
    ) -> str:
        job_id = uuid.uuid4().hex
        now = extra.pop("now", None) or time.time()
        seq = time.time_ns() // 1000  # creation order without a read before the write (no lock upgrade)
        run = (request.get("config") or {}).get("run") or {}
        values = dict(
            id=job_id,
            seq=seq,
            name=name,
            operation=operation,
            status=str(status),
            parent_id=parent_id,
            created_at=now,
            updated_at=now,
            attempt=0,
            restarts=0,
            spent_s=0.0,
            request=_dump(request),
            warnings=_dump(warnings or []),
            tenant=tenant,
            time_limit_s=run.get("time_limit_s"),
        )
        for key, val in extra.items():
            values[key] = _dump(val) if key in _JSON_COLS else val

        def write():
            with self.engine.begin() as conn:
                conn.execute(jobs.insert().values(**values))

        self._retry(write)
        return job_id

    def _update(
        self, job_id: str, attempt: int | None = None, where_status: tuple[str, ...] | None = None, **values: Any
    ) -> bool:
        vals = {k: (_dump(v) if k in _JSON_COLS else v) for k, v in values.items()}
        vals["updated_at"] = time.time()
        q = update(jobs).where(jobs.c.id == job_id)
        if attempt is not None:
            q = q.where(jobs.c.attempt == attempt)
        if where_status:
            q = q.where(jobs.c.status.in_([str(s) for s in where_status]))

        def write():
            with self.engine.begin() as conn:
                return conn.execute(q.values(**vals)).rowcount > 0

        return self._retry(write)

    def claim_next(self, owner: str | None = None, lease_s: float = 30.0) -> dict[str, Any] | None:
        """Oldest queued job -> SOLVING with a new attempt number and a lease for `owner`
        (returns id, attempt, restarts, spent_s, time_limit_s)."""
        for delay in (0.01, 0.05, 0.2, 0.5, None):
            try:
                return self._retry(lambda: self._claim_next(owner, lease_s))
            except OperationalError:  # SQLite: another writer got in between the read and the write
                if delay is None:
                    raise
                time.sleep(delay)
        return None

    def _claim_next(self, owner: str | None, lease_s: float) -> dict[str, Any] | None:
        with self.engine.begin() as conn:
            row = conn.execute(
                select(jobs.c.id, jobs.c.attempt, jobs.c.restarts, jobs.c.spent_s, jobs.c.time_limit_s)
                .where(jobs.c.status == JobStatus.QUEUED)
                .order_by(jobs.c.seq)
                .limit(1)
            ).first()
            if row is None:
                return None
            now = time.time()
            done = conn.execute(
                update(jobs)
                .where(jobs.c.id == row.id, jobs.c.status == JobStatus.QUEUED)
                .values(
                    status=JobStatus.SOLVING,
                    attempt=row.attempt + 1,
                    started_at=now,
                    updated_at=now,
                    owner=owner,
                    lease_until=now + lease_s,
                )
            ).rowcount
        if not done:
            return None
        return {
            "id": row.id,
            "attempt": row.attempt + 1,
            "restarts": row.restarts,
            "spent_s": row.spent_s or 0.0,
            "time_limit_s": row.time_limit_s,
        }

    def renew(self, owner: str, job_ids: list[str], lease_s: float) -> set[str]:
        """Extend the lease of `owner`'s running jobs; returns the ids still held (others were taken over)."""
        if not job_ids:
            return set()

        def write():
            with self.engine.begin() as conn:
                conn.execute(
                    update(jobs)
                    .where(jobs.c.id.in_(job_ids), jobs.c.owner == owner, jobs.c.status == JobStatus.SOLVING)
                    .values(lease_until=time.time() + lease_s)
                )
                return {
                    r.id
                    for r in conn.execute(
                        select(jobs.c.id).where(
                            jobs.c.id.in_(job_ids), jobs.c.owner == owner, jobs.c.status == JobStatus.SOLVING
                        )
                    )
                }

        return self._retry(write)

    def set_pid(self, job_id: str, attempt: int, pid: int | None) -> None:
        self._update(job_id, attempt, pid=pid)

    def heartbeat(self, job_id: str, attempt: int) -> bool:
        """A running worker touches `updated_at` (so the time it spent survives a crash of the server)."""
        return self._update(job_id, attempt, (JobStatus.SOLVING,))

    def progress(self, job_id: str, attempt: int, progress: dict) -> bool:
        return self._update(job_id, attempt, (JobStatus.SOLVING,), progress=progress)

    def best(
        self,
        job_id: str,
        attempt: int,
        best: dict,
        progress: dict | None = None,
        roster: dict | None = None,
        score: dict | None = None,
    ) -> bool:
        """The raw best solution (and progress, and the checked roster when given) in one write, so a reader
        that sees progress also sees the roster that goes with the first solution."""
        vals: dict[str, Any] = {"best": best}
        if progress is not None:
            vals["progress"] = progress
        if roster is not None:
            vals["roster"], vals["score"] = roster, score
        return self._update(job_id, attempt, (JobStatus.SOLVING,), **vals)

    def roster_so_far(self, job_id: str, attempt: int, roster: dict, score: dict) -> bool:
        return self._update(job_id, attempt, (JobStatus.SOLVING,), roster=roster, score=score)

    def finish(
        self,
        job_id: str,
        attempt: int | None,
        status: str,
        *,
        roster: dict | None = None,
        score: dict | None = None,
        changed: dict | None = None,
        error: dict | None = None,
        from_status: tuple[str, ...] = (JobStatus.SOLVING,),
    ) -> bool:
        vals: dict[str, Any] = {"status": str(status), "finished_at": time.time(), "pid": None, "lease_until": None}
        for key, val in (("roster", roster), ("score", score), ("changed", changed), ("error", error)):
            if val is not None:
                vals[key] = val
        return self._update(job_id, attempt, from_status, **vals)

    def requeue(self, job_id: str, reason: str, expired_before: float | None = None) -> bool:
        """SOLVING -> QUEUED (restarts + 1). With `expired_before`, only while the job's lease is expired."""
        q = update(jobs).where(jobs.c.id == job_id, jobs.c.status == JobStatus.SOLVING)
        if expired_before is not None:
            q = q.where(or_(jobs.c.lease_until.is_(None), jobs.c.lease_until < expired_before))
        spent = func.coalesce(jobs.c.updated_at - jobs.c.started_at, 0.0)

        def write():
            with self.engine.begin() as conn:
                return (
                    conn.execute(
                        q.values(
                            status=JobStatus.QUEUED,
                            restarts=jobs.c.restarts + 1,
                            pid=None,
                            updated_at=time.time(),
                            spent_s=jobs.c.spent_s + spent,
                            owner=None,
                            lease_until=None,
                            error=_dump({"code": "restarted", "detail": reason}),
                        )
                    ).rowcount
                    > 0
                )

        return self._retry(write)

    def expired(self, now: float | None = None) -> list[dict[str, Any]]:
        """SOLVING jobs whose lease has expired (or that never had one)."""
        now = time.time() if now is None else now

        def read():
            with self.engine.connect() as conn:
                return [
                    dict(r._mapping)
                    for r in conn.execute(
                        select(jobs.c.id, jobs.c.restarts, jobs.c.attempt, jobs.c.owner).where(
                            jobs.c.status == JobStatus.SOLVING,
                            or_(jobs.c.lease_until.is_(None), jobs.c.lease_until < now),
                        )
                    )
                ]

        return self._retry(read)

    def recover(self, max_restarts: int, skip: set[str] | frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
        """Take over the jobs whose lease has expired (their server is gone): queued again, or failed after
        too many restarts. Returns (requeued ids, failed ids). A live server's jobs are never touched; nor are
        `skip` (the caller's own jobs, e.g. with a final write still pending)."""
        requeued, failed = [], []
        now = time.time()
        for row in self.expired(now):
            if row["id"] in skip:
                continue
            if row["restarts"] >= max_restarts:
                if self.finish(
                    row["id"],
                    row["attempt"],
                    JobStatus.FAILED,
                    error={
                        "code": "interrupted",
                        "detail": f"the server stopped during the solve {row['restarts'] + 1} "
                        "times; giving up (the best roster found so far is kept)",
                    },
                ):
                    failed.append(row["id"])
            elif self.requeue(
                row["id"], "the server stopped during the solve; the job was queued again", expired_before=now
            ):
                requeued.append(row["id"])
        return requeued, failed

    def erase(self, job_id: str, tenant: str | None = None) -> bool:
        """Delete the job with its stored input, roster and results (`tenant`: only that tenant's job). On
        SQLite the freed pages are zeroed (secure_delete) and the WAL is checkpointed, so the data is gone from
        the files too; PostgreSQL frees it at its next VACUUM."""
        q = jobs.delete().where(jobs.c.id == job_id)
        if tenant is not None:
            q = q.where(jobs.c.tenant == tenant)

        def write():
            with self.engine.begin() as conn:
                return conn.execute(q).rowcount > 0

        done = self._retry(write)
        if done:
            self._checkpoint()
        return done

    def purge(self, older_than: float) -> int:
        """Delete finished jobs (COMPLETED, STOPPED, FAILED) that ended before `older_than` (epoch seconds);
        queued and running jobs are never purged. Returns how many."""
        ended = func.coalesce(jobs.c.finished_at, jobs.c.updated_at)
        q = jobs.delete().where(jobs.c.status.in_([str(s) for s in TERMINAL]), ended < older_than)

        def write():
            with self.engine.begin() as conn:
                return conn.execute(q).rowcount

        n = self._retry(write)
        if n:
            self._checkpoint()
        return n

    def _checkpoint(self) -> None:
        if self.engine.dialect.name != "sqlite":
            return
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except DBAPIError:  # busy: the WAL is checkpointed later by SQLite itself
            pass

    def adopt_untenanted(self, tenant: str) -> int:
        """Jobs from before tenants existed (tenant NULL) are given to `tenant`."""

        def write():
            with self.engine.begin() as conn:
                return conn.execute(update(jobs).where(jobs.c.tenant.is_(None)).values(tenant=tenant)).rowcount

        return self._retry(write)
