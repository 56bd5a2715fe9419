"""Durable results: every finished job is written the moment it finishes, to OUTDIR and to the job store.

OUTDIR holds, per job, `<name>.roster.json` (units and re-plans), `<name>.scenarios/` (scenario files: the
scenario report) and `<name>.result.json`: status, score, unfilled demand, KPIs, the checker's verdict, time,
attempts, error. The result file is written last and atomically (temporary file, fsync, rename): it is the
mark that a job is done, so a run killed at any point (Ctrl-C, kill -9, a lost node) and started again with
`--resume` re-runs exactly the jobs without one. `batch.json` keeps the run's id across resumes.

Store rows get an id derived from (run id, job name), so a job re-run after a kill that came between its store
write and its result file overwrites its row instead of adding a second one. Files are private (0600 in a 0700
folder): rosters are health-adjacent personal data (absences, sick leave).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from pathlib import Path
from typing import Any

from models import Roster

RESULT = ".result.json"
ROSTER = ".roster.json"
SCENARIOS = ".scenarios"
STATE = "batch.json"
_NAMESPACE = uuid.UUID("5d0b2f3e-8c1a-4f7e-9a51-7b3c2e9d4a10")


def write_private(path: Path, text: str) -> None:
    """Write atomically with mode 0600: a reader sees the old file or the whole new one, never a part."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Outdir:
    """The output folder of one batch run (and of its resumes)."""

    def __init__(self, path: Path):
        self.path = path

    def results(self) -> dict[str, dict[str, Any]]:
        """Result records of the jobs that finished (in any earlier run of this folder)."""
        out: dict[str, dict[str, Any]] = {}
        if not self.path.is_dir():
            return out
        for p in sorted(self.path.glob(f"*{RESULT}")):
            try:
                rec = json.loads(p.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # unreadable: the job counts as not finished and runs again
            if isinstance(rec, dict) and rec.get("name") == p.name[: -len(RESULT)]:
                out[rec["name"]] = rec
        return out

    def state(self) -> dict[str, Any] | None:
        p = self.path / STATE
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def open(self, digest: str, name: str | None, resume: bool) -> tuple[str, bool]:
        """Create the folder (0700) and `batch.json`; returns (run id, whether the manifest changed since the
        run being resumed)."""
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.mkdir(mode=0o700)  # a folder the user made keeps its mode; every file in it is 0600
        old = self.state() if resume else None
        if old and isinstance(old.get("run_id"), str):
            changed = old.get("manifest_sha256") != digest
            if changed:
                old = {**old, "manifest_sha256": digest, "resumed_with_changed_manifest": now_iso()}
                write_private(self.path / STATE, json.dumps(old, indent=1))
            return old["run_id"], changed
        run_id = uuid.uuid4().hex
        state = {"run_id": run_id, "name": name, "manifest_sha256": digest, "created_at": now_iso()}
        write_private(self.path / STATE, json.dumps(state, indent=1))
        return run_id, False

    def in_use(self) -> bool:
        """The folder already holds a batch run (results or state)."""
        return self.path.is_dir() and ((self.path / STATE).exists() or any(self.path.glob(f"*{RESULT}")))

    def write_roster(self, name: str, roster: dict[str, Any]) -> str:
        fname = name + ROSTER
        write_private(self.path / fname, json.dumps(roster, indent=1))
        return fname

    def write_record(self, record: dict[str, Any]) -> None:
        write_private(self.path / (record["name"] + RESULT), json.dumps(record, indent=1, default=str))


def summary_of(roster: Roster) -> dict[str, Any]:
    """The numbers a summary row shows, from a checked roster."""
    required = sum(1 for v in roster.violations if v.level == "REQUIRED")
    return {
        "score": {
            "hard": roster.score.hard,
            "unfilled": roster.score.unfilled,
            "soft": roster.score.soft,
            "total": roster.score.total,
        },
        "unfilled": sum(u.missing for u in roster.unfilled),
        "lawful": bool(roster.assignments) and roster.lawful,
        "required_violations": required,
        "solve_status": roster.solve.status if roster.solve else None,
        "kpis": {k: round(v, 4) for k, v in roster.kpis.items()},
    }


class StoreWriter:
    """Batch results as finished jobs of the service's job store (`GET /v1/rosters` lists them)."""

    def __init__(self, store: Any, run_id: str, label: str, tenant: str | None):
        self.store, self.run_id, self.label, self.tenant = store, run_id, label, tenant

    def job_id(self, name: str) -> str:
        return uuid.uuid5(_NAMESPACE, f"{self.run_id}/{name}").hex

    def write(
        self,
        name: str,
        *,
        operation: str,
        data: dict[str, Any] | None,
        run: dict[str, Any],
        status: str,
        started: float,
        finished: float,
        roster: dict[str, Any] | None = None,
        score: dict[str, Any] | None = None,
        changed: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
    ) -> str:
        """One finished job (created, or overwritten when a resumed run finishes it again); returns its id."""
        job_id = self.job_id(name)
        label = f"{self.label}/{name}"[:200]
        request = {"config": {"run": {**run, "name": label}, "rules": {}}, "input": data or {}}
        if self.store.get(job_id, light=True) is None:
            extra: dict[str, Any] = {"started_at": started, "finished_at": finished}
            for key, val in (("roster", roster), ("score", score), ("changed", changed), ("error", error)):
                if val is not None:
                    extra[key] = val
            self.store.create(
                operation=operation,
                request=request,
                name=label,
                status=status,
                tenant=self.tenant,
                id=job_id,  # create() takes column values as keywords: a deterministic id makes resumes idempotent
                **extra,
            )
        else:
            self.store.finish(
                job_id,
                None,
                status,
                roster=roster,
                score=score,
                changed=changed,
                error=error,
                from_status=("COMPLETED", "FAILED", "STOPPED"),
            )
        return job_id
