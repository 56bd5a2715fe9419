"""One entry point for solving an instance: monolithic CP-SAT, or LNS on big instances.

Kept apart from the CLI so that tests and the table runner call exactly what
``python -m benchmarks.curtois solve`` calls.
"""

from __future__ import annotations

from .lns import solve_lns
from .model import CurtoisModel, SolveResult
from .reader import Instance


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
        # Measured (RESULTS.md): at 2 workers our LNS beats the monolithic model on every
        # instance that the monolithic model does not close in its first seconds, and the
        # LNS starts with the monolithic model anyway (returning at once if it proves optimality).
        method = "lns"
    if method == "lns":
        return solve_lns(instance, time_limit, workers, seed, log=log)
    model = CurtoisModel(instance, symmetry=symmetry)
    return model.solve(time_limit, workers, seed, log=log)
