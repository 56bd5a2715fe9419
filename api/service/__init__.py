"""turnus HTTP service: `create_app(settings)` builds the FastAPI app; `api.server.serve` runs it.

The exports are lazy (PEP 562), so `api.service.limits` and `api.service.settings` import without FastAPI."""

from __future__ import annotations

from typing import Any

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    if name == "Settings":
        from .settings import Settings

        return Settings
    raise AttributeError(name)
