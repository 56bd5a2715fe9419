"""The rule registry: every rule the model builds and the checker audits, in order.

Adding a rule: one module with a `Rule` subclass (solver/rules for shifts, solver/tasks for tasks and roles), one
line in its package's list, one row in the README. Kept apart from both packages so neither imports the other.
"""

from __future__ import annotations

from .rules import SHIFT_RULES, Rule
from .tasks import TASK_RULES

RULES: list[Rule] = [*SHIFT_RULES, *TASK_RULES]

# rules a diagnosis may relax: every REQUIRED rule except the roster's structure and the planner's pins
RELAXABLE = {r.id for r in RULES} - {"one_shift_per_day", "availability", "pinned", "demand_coverage"}

__all__ = ["RELAXABLE", "RULES"]
