"""turnus HTTP service: `create_app(settings)` builds the FastAPI app; `api.server.serve` runs it."""

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
