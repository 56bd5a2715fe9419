"""Consecutive working days (no isolated work days, enkeltvakter): series of `min_days` (2) to `max_days` worked
days in a row, each day short or over costing `weight` (solver/rules/runs.py has the series conventions).

Planners throw away rosters full of single work days between days off: each costs a commute and a handover for
one shift, and a lone day off between them rests little. A person's own bounds (`Staff.limits`) win over the
unit's (INRC-II contracts differ per nurse). The history before the period (`Instance.history`) continues the
first series; a whole-day absence breaks a series without making it short.
"""

from __future__ import annotations

from .runs import DaySeries


class WorkRuns(DaySeries):
    id = "work_runs"
    title = "Consecutive working days in series of min to max"
    source = "Planning practice (no isolated work days) [C]; INRC-II S2"
    limits = ("min_consecutive_work_days", "max_consecutive_work_days")
    working = True
    noun = "work days"
