"""Run the turnus HTTP service: `serve(host, port)` (also `python -m api.server --port 8000`).

Embedded defaults: SQLite under ./.turnus/ (or TURNUS_DB_URL / TURNUS_DATA_DIR), and when TURNUS_API_KEYS is
unset one local key, generated once, stored in .turnus/api-key and printed at start.
"""

from __future__ import annotations

import argparse
import os
import sys

from api.service.logs import setup_logging
from api.service.private import mask_url
from api.service.settings import Settings, SettingsError

__all__ = ["exposed_files", "mask_url", "serve", "startup_lines"]


def startup_lines(settings: Settings, keys_from_env: bool) -> list[str]:
    """What `serve` prints at start: the API key only when it was just generated (once; later starts name the
    file), the database URL with its password masked."""
    lines = []
    key_file = settings.data_dir / "api-key"
    if settings.generated_key:
        lines.append(f"turnus: new local API key (send as X-API-Key; also in {key_file}): {settings.api_keys[0]}")
    elif not keys_from_env and key_file.exists():
        lines.append(f"turnus: local API key in {key_file}")
    lines.append(f"turnus: database {mask_url(settings.database_url)}")
    lines += [f"turnus: warning: {w}" for w in exposed_files(settings)]
    return lines


def exposed_files(settings: Settings) -> list[str]:
    """The data folder, SQLite files and key file that others on this machine can read: made by an older
    version, or by hand (new ones are private from creation). Named at start; never changed behind the
    operator's back."""
    out = []
    paths = [settings.data_dir, settings.data_dir / "api-key"]
    if not settings.db_url:
        db = settings.data_dir / "turnus.db"
        paths += [db, db.with_name("turnus.db-wal"), db.with_name("turnus.db-shm")]
    for path in paths:
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            continue
        if mode & 0o077:
            fix = "700" if path.is_dir() else "600"
            out.append(f"{path} is open to other users (mode {mode:o}); run chmod {fix} on it")
    return out


def serve(host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None) -> None:
    import uvicorn

    from api.service import create_app

    setup_logging(names=("turnus", "uvicorn", "uvicorn.error"))
    try:
        settings = (settings or Settings.from_env()).ensure_key()
    except SettingsError as err:
        for line in err.lines():
            print(line, file=sys.stderr)
        raise SystemExit(2) from None
    need_driver(settings.database_url)
    for line in startup_lines(settings, keys_from_env=bool(os.environ.get("TURNUS_API_KEYS"))):
        print(line, file=sys.stderr, flush=True)
    print(f"turnus: serving on http://{host}:{port} (OpenAPI at /docs)", file=sys.stderr, flush=True)
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, access_log=False, log_config=None, timeout_graceful_shutdown=5)


def need_driver(url: str) -> None:
    """A PostgreSQL URL needs the `postgres` extra (psycopg): one line and exit 2 before anything starts."""
    if url.startswith("postgresql"):
        from api.extras import require

        require("serve", "psycopg")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="turnus-serve", description="Run the turnus HTTP service")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    serve(args.host, args.port)


if __name__ == "__main__":  # pragma: no cover
    main()
