"""turnus domain model (pydantic v2): staff, competences, shift types, demand, rules, instance and roster."""

from .common import Level, Weekday, fmt_hhmm
from .instance import (
    Assignment,
    Conflict,
    Instance,
    Period,
    Roster,
    RuleScore,
    Score,
    SolveInfo,
    Unfilled,
    Violation,
)
from .rules import Rules
from .shifts import Demand, ShiftTag, ShiftType, Slot
from .staff import Absence, CompetenceGrant, PersonnelGroup, Staff, Wish
from .validation import InstanceError, Problem, load_instance, load_roster, validate_instance

__all__ = [
    "Absence",
    "Assignment",
    "CompetenceGrant",
    "Conflict",
    "Demand",
    "Instance",
    "InstanceError",
    "Level",
    "Period",
    "PersonnelGroup",
    "Problem",
    "Roster",
    "RuleScore",
    "Rules",
    "Score",
    "ShiftTag",
    "ShiftType",
    "Slot",
    "SolveInfo",
    "Staff",
    "Unfilled",
    "Violation",
    "Weekday",
    "Wish",
    "fmt_hhmm",
    "load_instance",
    "load_roster",
    "validate_instance",
]
