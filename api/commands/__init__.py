"""CLI plugins: each module defines `register(app)` and is discovered by `api.cli`."""
