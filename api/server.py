"""Run the turnus HTTP service: `serve(host, port)` (also `python -m api.server --port 8000`).

Embedded defaults: SQLite under ./.turnus/ (or TURNUS_DB_URL / TURNUS_DATA_DIR), and when TURNUS_API_KEYS is
unset one local key, generated once, stored in .turnus/api-key and printed at start.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from api.service.logs import setup_logging
from api.service.settings import Settings, SettingsError


def mask_url(url: str) -> str:
    """A database URL without its password (`postgresql://user:***@host/db`)."""
    return re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", url)


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
    if settings.generated_key:  # printed once, when it is made; later starts name the file only
        print(
            f"turnus: new local API key (send as X-API-Key; also in {settings.data_dir / 'api-key'}): "
            f"{settings.api_keys[0]}",
            file=sys.stderr,
            flush=True,
        )
    elif not os.environ.get("TURNUS_API_KEYS") and (settings.data_dir / "api-key").exists():
        print(f"turnus: local API key in {settings.data_dir / 'api-key'}", file=sys.stderr, flush=True)
    print(
        f"turnus: serving on http://{host}:{port} (OpenAPI at /docs), database {mask_url(settings.database_url)}",
        file=sys.stderr,
        flush=True,
    )
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, access_log=False, log_config=None, timeout_graceful_shutdown=5)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="turnus-serve", description="Run the turnus HTTP service")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    serve(args.host, args.port)


if __name__ == "__main__":  # pragma: no cover
    main()
