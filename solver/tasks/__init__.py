"""Oppgavedeling: tasks and responsibility roles allocated inside the shift model (issue 4).

`TASK_RULES` join the shift rules in the registry (solver/registry.py); their settings live in `Instance.task_rules`
(`TaskRule.section`) and the builder and checker pass them in.
See docs/tasks.md.
"""

from .competence import TaskCompetence
from .continuity import Continuity
from .coverage import TaskCoverage
from .on_duty import TaskOnDuty
from .oppgavedeling import Oppgavedeling
from .overlap import TaskOverlap
from .roles import ShiftRoles
from .workload import TaskWorkload

TASK_RULES = [
    TaskCompetence(),
    TaskOnDuty(),
    TaskOverlap(),
    TaskWorkload(),
    TaskCoverage(),
    ShiftRoles(),
    Continuity(),
    Oppgavedeling(),
]

__all__ = ["TASK_RULES"]
