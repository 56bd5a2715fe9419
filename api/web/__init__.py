"""The planner web page (static files in `static/`, a client of the public /v1 API), the offline API docs, and
the roster export and holiday endpoints. `mount(app)` adds them to the service app."""

from .router import mount

__all__ = ["mount"]
