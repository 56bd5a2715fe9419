"""Service settings: embedded defaults, overridable by environment variables (``TURNUS_*``) or arguments.

| env var                    | default                     | meaning                                             |
|----------------------------|-----------------------------|-----------------------------------------------------|
| TURNUS_DB_URL              | sqlite:///<data_dir>/turnus.db | SQLAlchemy URL (``postgresql+psycopg://...`` works) |
| TURNUS_DATA_DIR            | ./.turnus                   | where the SQLite file and a generated key live      |
| TURNUS_API_KEYS            | (generated, printed)        | comma-separated API keys                            |
| TURNUS_MAX_CONCURRENT      | max(1, cores // 2)          | solves at once, one process each (0: queue only)    |
| TURNUS_QUEUE_SIZE          | 16                          | queued jobs before ``429 Retry-After``              |
| TURNUS_MAX_BODY_BYTES      | 5 MB                        | request body limit (``413``)                        |
| TURNUS_MAX_TIME_LIMIT_S    | 600                         | upper bound for ``config.run.time_limit_s``          |
| TURNUS_MAX_WORKERS         | cores                       | upper bound for ``config.run.workers``               |
| TURNUS_MAX_RESTARTS        | 2                           | restarts of an interrupted job before it is failed  |
| TURNUS_PUBLIC_DOCS         | 1                           | 0: /docs and /openapi.json need a key as well       |
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import BaseModel, Field


def _cores() -> int:
    return os.cpu_count() or 1


class Settings(BaseModel):
    data_dir: Path = Path(".turnus")
    db_url: str | None = None
    api_keys: list[str] = Field(default_factory=list)
    max_concurrent: int = Field(default_factory=lambda: max(1, _cores() // 2), ge=0)  # 0: accept, do not solve
    queue_size: int = Field(default=16, ge=0)
    max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    max_time_limit_s: float = Field(default=600.0, gt=0)
    default_time_limit_s: float = Field(default=30.0, gt=0)
    max_workers: int = Field(default_factory=_cores, ge=1)
    max_restarts: int = Field(default=2, ge=0)
    poll_interval_s: float = Field(default=0.2, gt=0)
    retry_after_s: int = 10
    public_docs: bool = True  # /docs and /openapi.json without a key
    generated_key: bool = False

    @property
    def database_url(self) -> str:
        if self.db_url:
            return self.db_url
        return f"sqlite:///{(self.data_dir / 'turnus.db').resolve()}"

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        env = os.environ
        values: dict = {}
        if "TURNUS_DATA_DIR" in env:
            values["data_dir"] = Path(env["TURNUS_DATA_DIR"])
        if env.get("TURNUS_DB_URL"):
            values["db_url"] = env["TURNUS_DB_URL"]
        if env.get("TURNUS_API_KEYS"):
            values["api_keys"] = [k.strip() for k in env["TURNUS_API_KEYS"].split(",") if k.strip()]
        for name, key, conv in (("max_concurrent", "TURNUS_MAX_CONCURRENT", int),
                                ("queue_size", "TURNUS_QUEUE_SIZE", int),
                                ("max_body_bytes", "TURNUS_MAX_BODY_BYTES", int),
                                ("max_time_limit_s", "TURNUS_MAX_TIME_LIMIT_S", float),
                                ("max_workers", "TURNUS_MAX_WORKERS", int),
                                ("max_restarts", "TURNUS_MAX_RESTARTS", int)):
            if env.get(key):
                values[name] = conv(env[key])
        if env.get("TURNUS_PUBLIC_DOCS"):
            values["public_docs"] = env["TURNUS_PUBLIC_DOCS"].strip().lower() not in ("0", "false", "no")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def ensure_key(self) -> "Settings":
        """Without configured keys, use (or create) one local key stored in the data dir (mode 600)."""
        if self.api_keys:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / "api-key"
        if path.exists():
            key = path.read_text(encoding="utf-8").strip()
        else:
            key = secrets.token_urlsafe(24)
            path.write_text(key + "\n", encoding="utf-8")
            path.chmod(0o600)
        return self.model_copy(update={"api_keys": [key], "generated_key": True})
