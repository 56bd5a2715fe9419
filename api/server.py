"""Run the turnus HTTP service: `serve(host, port)` (also `python -m api.server --port 8000`).

Embedded defaults: SQLite under ./.turnus/ (or TURNUS_DB_URL / TURNUS_DATA_DIR), and when TURNUS_API_KEYS is
unset one local key, generated once, stored in .turnus/api-key and printed at start.
"""

from __future__ import annotations

import argparse
import sys

from api.service.logs import setup_logging
from api.service.settings import Settings


def serve(host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None) -> None:
    import uvicorn

    from api.service import create_app

    setup_logging(names=("turnus", "uvicorn", "uvicorn.error"))
    settings = (settings or Settings.from_env()).ensure_key()
    if settings.generated_key:
        print(f"turnus: local API key (send as X-API-Key): {settings.api_keys[0]}", file=sys.stderr, flush=True)
    print(f"turnus: serving on http://{host}:{port} (OpenAPI at /docs), database {settings.database_url}",
          file=sys.stderr, flush=True)
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
