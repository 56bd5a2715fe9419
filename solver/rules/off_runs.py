"""Consecutive days off (days off in pairs): series of `min_days` (2) to `max_days` days off in a row, each day
short or over costing `weight` (solver/rules/runs.py has the series conventions).

A single day off between work days rests little (and after a night it is the sleeping day). A whole-day absence
(ferie, sick leave, permisjon) is not a day off the planner chose: it is neither a day off nor work, so it breaks
a series without making it short and does not lengthen it toward the maximum. A person's own bounds
(`Staff.limits`) win over the unit's; the history before the period (`Instance.history`) continues the first
series (a history day without a shift is a day off).
"""

from __future__ import annotations

from .runs import DaySeries


class OffRuns(DaySeries):
    id = "off_runs"
    title = "Consecutive days off in series of min to max"
    source = "Planning practice (days off in pairs) [C]; INRC-II S3"
    limits = ("min_consecutive_days_off", "max_consecutive_days_off")
    working = False
    noun = "days off"
