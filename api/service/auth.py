"""API keys in the ``X-API-Key`` header on every endpoint but health (401 missing, 403 unknown key)."""

from __future__ import annotations

import hmac

from fastapi import Request, Security
from fastapi.security import APIKeyHeader

from .problems import ProblemError

HEADER = "X-API-Key"
api_key_header = APIKeyHeader(name=HEADER, auto_error=False, description="API key (TURNUS_API_KEYS)")


def key_problem(keys: list[str], given: str | None) -> ProblemError | None:
    """None when `given` is one of `keys`; else the problem to answer with."""
    if not given:
        return ProblemError(401, "missing_api_key", f"send an API key in the {HEADER} header")
    if not any(hmac.compare_digest(given.encode(), k.encode()) for k in keys):
        return ProblemError(403, "invalid_api_key", "the API key is not valid")
    return None


def require_key(request: Request, key: str | None = Security(api_key_header)) -> None:
    problem = key_problem(request.app.state.settings.api_keys, key)
    if problem is not None:
        raise problem
