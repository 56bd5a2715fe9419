"""One batch end to end, for the CLI (and any other caller): load and check the manifest and every job's input,
pick the job store and its tenant, run on Ray, write the summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models import InstanceError

from .jobs import Prepared, prepare
from .manifest import Batch, load_manifest
from .results import Outdir
from .runner import BatchError, EventFn, Options, Outcome, run_batch
from .summary import write_summary


@dataclass
class Loaded:
    batch: Batch
    prepared: list[Prepared]

    @property
    def bad(self) -> list[Prepared]:
        return [p for p in self.prepared if not p.ok]


def load(path: Path, strict: bool = False) -> Loaded:
    """The manifest and every job's input, validated before anything runs. A bad manifest raises
    `InstanceError` (all problems); a bad unit is kept as a job that fails with its problems, unless `strict`."""
    batch = load_manifest(path)
    prepared = [prepare(spec) for spec in batch.jobs]
    if strict:
        problems = [q for p in prepared for q in p.problems]
        if problems:
            raise InstanceError(problems)
    return Loaded(batch, prepared)


def open_store(db_url: str | None) -> Any:
    """The service's job store: `db_url`, else the service's own setting (TURNUS_DB_URL, or SQLite in
    TURNUS_DATA_DIR, default ./.turnus), so `turnus serve` started here lists the batch's results."""
    from api.service.settings import Settings
    from api.service.store import Store

    url = db_url or Settings.from_env().database_url
    return Store(url, retry_s=20.0)


def resolve_tenant(explicit: str | None) -> str | None:
    """Which tenant owns the batch's store rows: `--tenant`, else the only tenant of TURNUS_API_KEYS, else the
    tenant of the local key file a local `turnus serve` uses; else none (a server with one key adopts such
    rows at start). Several tenants and no `--tenant` is an error: results must not land in the wrong one."""
    if explicit:
        return explicit
    from api.service.settings import Settings, parse_key

    settings = Settings.from_env()
    tenants = {parse_key(k)[0] for k in settings.api_keys}
    if len(tenants) > 1:
        raise BatchError("tenant_required", "--tenant", f"TURNUS_API_KEYS has {len(tenants)} tenants: name one")
    if tenants:
        return tenants.pop()
    key_file = settings.data_dir / "api-key"
    if key_file.is_file():
        key = key_file.read_text(encoding="utf-8").strip()
        return parse_key(key)[0] if key else None
    return None


def execute(
    loaded: Loaded,
    outdir: Path,
    options: Options,
    *,
    store: Any = None,
    tenant: str | None = None,
    on_event: EventFn = lambda kind, data: None,
) -> tuple[Outcome, dict[str, Path]]:
    """Run the jobs not finished yet and write summary.html / summary.csv (also after Ctrl-C)."""
    out = Outdir(outdir)
    outcome = run_batch(loaded.batch, loaded.prepared, out, options, store=store, tenant=tenant, on_event=on_event)
    paths = write_summary(
        out.results(),
        outdir,
        title=f"Batch {loaded.batch.label}",
        order=[p.spec.name for p in loaded.prepared],
        wall_s=outcome.wall_s,
        cpus=outcome.cluster_cpus,
        deadline=loaded.batch.deadline.isoformat(timespec="minutes") if loaded.batch.deadline else None,
    )
    return outcome, paths
