"""Service settings (pydantic-settings): embedded defaults, overridable by environment variables (``TURNUS_*``)
or arguments. A bad value is one coded line (`SettingsError`), never a traceback.

| env var                    | default                     | meaning                                             |
|----------------------------|-----------------------------|-----------------------------------------------------|
| TURNUS_DB_URL              | sqlite:///<data_dir>/turnus.db | SQLAlchemy URL (``postgresql+psycopg://...`` works) |
| TURNUS_DATA_DIR            | ./.turnus                   | where the SQLite file and a generated key live      |
| TURNUS_API_KEYS            | (generated, printed once)   | comma-separated `[tenant:]key` or `[tenant:]sha256:<hex>` |
| TURNUS_MAX_CONCURRENT      | max(1, cores // 2)          | solves at once, one process each (0: queue only)    |
| TURNUS_QUEUE_SIZE          | 16                          | queued jobs before ``429 Retry-After``              |
| TURNUS_MAX_BODY_BYTES      | 5 MB                        | request body limit (``413``)                        |
| TURNUS_MAX_TIME_LIMIT_S    | 600                         | upper bound for ``config.run.time_limit_s``          |
| TURNUS_DEFAULT_TIME_LIMIT_S| 30                          | ``time_limit_s`` when a request names none          |
| TURNUS_MAX_WORKERS         | cores                       | upper bound for ``config.run.workers``               |
| TURNUS_MAX_RESTARTS        | 2                           | restarts of an interrupted job before it is failed  |
| TURNUS_KILL_GRACE_S        | 10                          | a solve still running at time limit + this is killed |
| TURNUS_WORKER_MEMORY_MB    | 4096                        | address-space limit of one solve process (0: none)  |
| TURNUS_MAX_MODEL_CELLS     | 150000                      | staff × days × shift types of one instance          |
| TURNUS_MAX_TASKS           | 300                         | tasks of one instance                               |
| TURNUS_MAX_DEMAND_ROWS     | 2000                        | demand entries of one instance                      |
| TURNUS_LEASE_S             | 30                          | a running job's lease; renewed by its server        |
| TURNUS_DB_RETRY_S          | 20                          | how long a failed database write is retried         |
| TURNUS_RETRY_AFTER_S       | 10                          | ``Retry-After`` of 429 and 503 answers              |
| TURNUS_BODY_TIMEOUT_S      | 10                          | a request body must arrive within this (``408``)    |
| TURNUS_PUBLIC_DOCS         | 1                           | 0: /docs and /openapi.json need a key as well       |
| TURNUS_SYNC_BUDGET_S       | 10                          | time budget of a synchronous request (``422``)    |
| TURNUS_SYNC_CONCURRENCY    | max(1, cores // 2)          | heavy synchronous requests at once (then ``429``)  |
| TURNUS_RETENTION_DAYS      | 0                           | finished jobs older than this are purged (0: kept)  |
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _cores() -> int:
    return os.cpu_count() or 1


class SettingsError(Exception):
    """Invalid service settings: `lines()` are one coded line each."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(f"{loc}: {msg}" for loc, msg in problems))
        self.problems = problems

    def lines(self) -> list[str]:
        return [f"error invalid_setting at {loc}: {msg}" for loc, msg in self.problems]


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_key(entry: str) -> tuple[str, str]:
    """``[tenant:]key`` or ``[tenant:]sha256:<hex>`` -> (tenant, sha256 hex of the key). Without a tenant name
    the key is its own tenant (``key-`` + the first 12 hex digits of its hash)."""
    entry = entry.strip()
    tenant = None
    if ":" in entry and not entry.startswith("sha256:"):
        tenant, entry = entry.split(":", 1)
        tenant = tenant.strip() or None
    if entry.startswith("sha256:"):
        digest = entry[7:].strip().lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError("a sha256: key must be 64 hex digits")
    else:
        if not entry:
            raise ValueError("empty API key")
        digest = hash_key(entry)
    return tenant or f"key-{digest[:12]}", digest


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TURNUS_", extra="ignore", validate_default=True)

    data_dir: Path = Path(".turnus")
    db_url: str | None = Field(default=None, repr=False)  # may hold a password: never in a repr
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list, repr=False)
    max_concurrent: int = Field(default_factory=lambda: max(1, _cores() // 2), ge=0)  # 0: accept, do not solve
    queue_size: int = Field(default=16, ge=0)
    max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    max_time_limit_s: float = Field(default=600.0, gt=0, allow_inf_nan=False)
    default_time_limit_s: float = Field(default=30.0, gt=0, allow_inf_nan=False)
    max_workers: int = Field(default_factory=_cores, ge=1)
    max_restarts: int = Field(default=2, ge=0)
    kill_grace_s: float = Field(default=10.0, ge=0, allow_inf_nan=False)
    worker_memory_mb: int = Field(default=4096, ge=0)
    max_model_cells: int = Field(default=150_000, ge=1)
    max_tasks: int = Field(default=300, ge=0)
    max_demand_rows: int = Field(default=2000, ge=1)
    lease_s: float = Field(default=30.0, gt=0, allow_inf_nan=False)
    db_retry_s: float = Field(default=20.0, ge=0, allow_inf_nan=False)
    poll_interval_s: float = Field(default=0.2, gt=0, allow_inf_nan=False)
    body_timeout_s: float = Field(default=10.0, gt=0, allow_inf_nan=False)
    retry_after_s: int = Field(default=10, ge=1)
    public_docs: bool = True  # /docs and /openapi.json without a key
    sync_budget_s: float = Field(default=10.0, gt=0, allow_inf_nan=False)
    sync_concurrency: int = Field(default_factory=lambda: max(1, _cores() // 2), ge=1)
    retention_days: float = Field(default=0.0, ge=0, allow_inf_nan=False)  # 0: keep finished jobs
    generated_key: bool = False
    fault_file: Path | None = None  # tests: while this file exists, every database statement fails

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value):
        if isinstance(value, str):
            return [k.strip() for k in value.split(",") if k.strip()]
        return value

    @field_validator("api_keys")
    @classmethod
    def _check_keys(cls, value: list[str]) -> list[str]:
        for entry in value:
            parse_key(entry)
        return value

    @property
    def database_url(self) -> str:
        if self.db_url:
            return self.db_url
        return f"sqlite:///{(self.data_dir / 'turnus.db').resolve()}"

    @property
    def key_hashes(self) -> dict[str, str]:
        """sha256 hex of each accepted key -> its tenant (only hashes are compared and kept)."""
        out = {}
        for entry in self.api_keys:
            tenant, digest = parse_key(entry)
            out[digest] = tenant
        return out

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        """Settings from TURNUS_* (and `overrides`); raises `SettingsError` with one line per bad value."""
        try:
            return cls(**{k: v for k, v in overrides.items() if v is not None})
        except ValidationError as err:
            problems = []
            for e in err.errors():
                name = str(e["loc"][0]) if e.get("loc") else "settings"
                problems.append((f"TURNUS_{name.upper()}", str(e.get("msg", "invalid")).removeprefix("Value error, ")))
            raise SettingsError(problems) from None

    def ensure_key(self) -> Settings:
        """Without configured keys, use (or create) one local key stored in the data dir (mode 600)."""
        if self.api_keys:
            return self
        from .private import private_dir

        private_dir(self.data_dir)  # 0700 from creation
        path = self.data_dir / "api-key"
        if path.exists():
            key = path.read_text(encoding="utf-8").strip()
            generated = False
        else:
            key = secrets.token_urlsafe(24)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never world-readable
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(key + "\n")
            generated = True
        return self.model_copy(update={"api_keys": [key], "generated_key": generated})
