"""`turnus serve [--host H] [--port P]`: run the HTTP service (see docs/service.md)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="interface to listen on"),
        port: int = typer.Option(8000, "--port", help="TCP port"),
    ) -> None:
        """Run the HTTP service: roster jobs, scoring, analysis, re-planning, recommendations (/docs for OpenAPI).

        Settings come from TURNUS_* environment variables; without TURNUS_API_KEYS a local key is generated,
        stored in .turnus/api-key and printed."""
        from api.server import serve as run

        run(host=host, port=port)
