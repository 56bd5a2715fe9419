"""Shared test set-up: `tests/` on sys.path (for `helpers`), deterministic hypothesis profile."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

try:
    from hypothesis import HealthCheck, settings

    settings.register_profile("turnus", deadline=None, derandomize=True, print_blob=True,
                              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.load_profile("turnus")
except ImportError:  # pragma: no cover
    pass
