"""The shift rules (one module each); the registry of all rules, shift and task, is solver/registry.py."""

from __future__ import annotations

from .availability import Availability
from .base import Rule
from .complete_weekends import CompleteWeekends
from .contract_hours import ContractHours
from .daily_rest import DailyRest
from .demand_coverage import DemandCoverage
from .fair_unsocial import FairUnsocial
from .fair_weekends import FairWeekends
from .forbidden_successions import ForbiddenSuccessions
from .forward_rotation import ForwardRotation
from .max_consecutive_days import MaxConsecutiveDays
from .max_consecutive_nights import MaxConsecutiveNights
from .max_daily_hours import MaxDailyHours
from .max_weekly_hours import MaxWeeklyHours
from .max_working_weekends import MaxWorkingWeekends
from .night_average import NightAverage
from .off_runs import OffRuns
from .one_shift_per_day import OneShiftPerDay
from .pinned import Pinned
from .quick_return import QuickReturn
from .shift_mix_week import ShiftMixWeek
from .shift_runs import ShiftRuns
from .stability import Stability
from .sunday_rule import SundayRule
from .total_assignments import TotalAssignments
from .weekend_frequency import WeekendFrequency
from .weekly_rest import WeeklyRest
from .weekly_rest_rolling import WeeklyRestRolling
from .wishes import Wishes
from .work_runs import WorkRuns

SHIFT_RULES: list[Rule] = [
    OneShiftPerDay(),
    Availability(),
    Pinned(),
    DailyRest(),
    WeeklyRest(),
    WeeklyRestRolling(),
    MaxDailyHours(),
    MaxWeeklyHours(),
    ContractHours(),
    SundayRule(),
    WeekendFrequency(),
    MaxConsecutiveDays(),
    MaxConsecutiveNights(),
    WorkRuns(),
    OffRuns(),
    ShiftRuns(),
    NightAverage(),
    DemandCoverage(),
    QuickReturn(),
    Wishes(),
    FairUnsocial(),
    CompleteWeekends(),
    MaxWorkingWeekends(),
    FairWeekends(),
    ShiftMixWeek(),
    ForwardRotation(),
    ForbiddenSuccessions(),
    TotalAssignments(),
    Stability(),
]

__all__ = ["SHIFT_RULES", "Rule"]
