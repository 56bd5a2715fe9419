"""turnus solver: CP-SAT model built from one module per rule, the solve loop, and the independent checker."""

from .checker import check
from .run import Progress, SolveOptions, solve

__all__ = ["Progress", "SolveOptions", "check", "solve"]
