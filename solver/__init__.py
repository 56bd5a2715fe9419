"""turnus solver: CP-SAT model built from one module per rule, the solve loop, and the independent checker.

The exports are loaded lazily (PEP 562), so that importing the checker (``solver.checker``) does not load the
solve loop and CP-SAT.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .checker import check
    from .run import Progress, SolveOptions, solve

__all__ = ["Progress", "SolveOptions", "check", "solve"]

_EXPORTS = {"check": ".checker", "Progress": ".run", "SolveOptions": ".run", "solve": ".run"}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
