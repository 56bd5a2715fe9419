"""The rule registry. Adding a rule: one module with a `Rule` subclass, one line here, one row in the README."""

from __future__ import annotations

from .availability import Availability
from .base import Rule
from .contract_hours import ContractHours
from .daily_rest import DailyRest
from .demand_coverage import DemandCoverage
from .fair_unsocial import FairUnsocial
from .max_consecutive_days import MaxConsecutiveDays
from .max_consecutive_nights import MaxConsecutiveNights
from .max_daily_hours import MaxDailyHours
from .max_weekly_hours import MaxWeeklyHours
from .night_average import NightAverage
from .one_shift_per_day import OneShiftPerDay
from .pinned import Pinned
from .quick_return import QuickReturn
from .stability import Stability
from .sunday_rule import SundayRule
from .weekend_frequency import WeekendFrequency
from .weekly_rest import WeeklyRest
from .wishes import Wishes

RULES: list[Rule] = [
    OneShiftPerDay(),
    Availability(),
    Pinned(),
    DailyRest(),
    WeeklyRest(),
    MaxDailyHours(),
    MaxWeeklyHours(),
    ContractHours(),
    SundayRule(),
    WeekendFrequency(),
    MaxConsecutiveDays(),
    MaxConsecutiveNights(),
    NightAverage(),
    DemandCoverage(),
    QuickReturn(),
    Wishes(),
    FairUnsocial(),
    Stability(),
]

from ..tasks import TASK_RULES  # noqa: E402 - oppgavedeling: task and role rules (solver/tasks, docs/tasks.md)

RULES += TASK_RULES

RELAXABLE = {r.id for r in RULES} - {"one_shift_per_day", "availability", "pinned", "demand_coverage"}

__all__ = ["RULES", "RELAXABLE", "Rule"]
