"""One entry point for solving an instance: monolithic CP-SAT, or LNS on big instances.

Kept apart from the CLI so that tests and the table runner call exactly what
``python -m benchmarks.curtois solve`` calls.
"""

from __future__ import annotations

from .lns import solve_lns
from .model import CurtoisModel, SolveResult
from .reader import Instance

# Above this many shift variables the monolithic model stalls at 2 workers (see RESULTS.md).
LNS_AUTO_THRESHOLD = 40_000


def n_vars(instance: Instance) -> int:
    return sum(len(instance.allowed(e, d)) for e in range(instance.n_staff) for d in range(instance.horizon))


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
    if method == "auto":
        method = "lns" if n_vars(instance) > LNS_AUTO_THRESHOLD else "cpsat"
    if method == "lns":
        return solve_lns(instance, time_limit, workers, seed, log=log)
    model = CurtoisModel(instance, symmetry=symmetry)
    return model.solve(time_limit, workers, seed, log=log)
