"""One entry point for solving an instance: monolithic CP-SAT (``cpsat``) or LNS (``lns``).

Kept apart from the CLI so that tests and the table runner call exactly what
``python -m benchmarks.curtois solve`` calls.
"""

from __future__ import annotations

from .lns import solve_lns
from .model import CurtoisModel, SolveResult
from .reader import Instance


def resolve_method(instance: Instance, method: str) -> str:
    """Map "auto" to the method actually run, so that table caches are keyed by it."""
    if method != "auto":
        return method
    # Measured at 60 s / 2 workers (RESULTS.md): our LNS is as good as or better than the
    # monolithic model on every instance but 13; on tiny instances the LNS starts with the
    # monolithic model anyway and returns at once when that proves optimality (Instance1).
    return "lns"


def solve_instance(
    instance: Instance,
    time_limit: float,
    workers: int,
    seed: int,
    method: str = "auto",
    log: bool = False,
    symmetry: bool = False,
) -> SolveResult:
    """Solve with ``method`` in {"auto", "cpsat", "lns"}."""
    method = resolve_method(instance, method)
    if method == "lns":
        return solve_lns(instance, time_limit, workers, seed, log=log)
    model = CurtoisModel(instance, symmetry=symmetry)
    return model.solve(time_limit, workers, seed, log=log)
