"""One entry point for solving an instance: monolithic CP-SAT, or LNS on big instances.

Kept apart from the CLI so that tests and the table runner call exactly what
``python -m benchmarks.curtois solve`` calls.
"""

from __future__ import annotations

from .lns import n_vars, solve_lns
from .model import CurtoisModel, SolveResult
from .reader import Instance

CPSAT_MAX_VARS = 3_000


def resolve_method(instance: Instance, method: str) -> str:
    """Map "auto" to the method actually run, so that table caches are keyed by it."""
    if method != "auto":
        return method
    # Measured at 60 s / 2 workers (RESULTS.md): the monolithic model is better on the
    # small instances, our LNS on the larger ones.  The threshold is a size, not a
    # per-instance choice.
    return "cpsat" if n_vars(instance) <= CPSAT_MAX_VARS else "lns"


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
