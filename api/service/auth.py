"""API keys in the ``X-API-Key`` header on every endpoint but health (401 missing, 403 unknown key).

Only the keys' sha256 hashes are kept in memory (``Settings.key_hashes``); each key belongs to a tenant, and a
job belongs to the tenant whose key made it (see docs/service.md, "Tenants").
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request, Security
from fastapi.security import APIKeyHeader

from .problems import ProblemError

HEADER = "X-API-Key"
api_key_header = APIKeyHeader(name=HEADER, auto_error=False, description="API key (TURNUS_API_KEYS)")


def tenant_of(hashes: dict[str, str], given: str | None) -> str | ProblemError:
    """The tenant of key `given`, or the problem to answer with (401 missing, 403 unknown)."""
    if not given:
        return ProblemError(401, "missing_api_key", f"send an API key in the {HEADER} header")
    digest = hashlib.sha256(given.encode("utf-8", "surrogateescape")).hexdigest()
    found = None
    for known, tenant in hashes.items():  # compare every hash, in constant time each
        if hmac.compare_digest(digest, known):
            found = tenant
    if found is None:
        return ProblemError(403, "invalid_api_key", "the API key is not valid")
    return found


def require_key(request: Request, key: str | None = Security(api_key_header)) -> None:
    tenant = tenant_of(request.app.state.key_hashes, key)
    if isinstance(tenant, ProblemError):
        raise tenant
    request.state.tenant = tenant


def current_tenant(request: Request) -> str:
    return request.state.tenant
