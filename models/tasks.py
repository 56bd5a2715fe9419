"""Tasks, users (residents) and responsibility roles: the input for oppgavedeling (task allocation inside shifts).

A unit lists what must be done (domain.md §4.2, Tørn Veileder 1 and TSB steg 3): morning care for a user, the
medication round, a controlled-drug dose with dobbeltkontroll, wound care, meals, activities, laundry. Each task
says who may do it (a personnel group, "or better" through the instance's group hierarchy, and/or individual
competence codes, or nobody in particular), how many people (1, or 2 for dobbeltkontroll), its time window and
duration, a priority, and when it recurs. Users have a primær- and a sekundærkontakt (domain.md §3.3). Roles
(ansvarsvakt, medication responsible) name one qualified person per shift.

`qualifies`, `task_unit` and `in_unit` answer who may work for a task; they read an instance through the
`UnitView` protocol, so this module imports neither `models.instance` (which imports it) nor `models.validation`
(whose `task_problems` reports coded problems of the task input with the other cross-reference checks).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Protocol

from pydantic import Field, field_validator, model_validator

from .common import ClockMinutes, Level, Strict, Weekday, fmt_hhmm
from .rules import RuleSetting
from .staff import Staff


def _applies(day: dt.date, dates: list[dt.date] | None, weekdays: list[Weekday] | None) -> bool:
    if dates is not None:
        return day in dates
    if weekdays is not None:
        return list(Weekday)[day.weekday()] in weekdays
    return True


class Task(Strict):
    """One recurring task. Window `earliest`-`latest` ("HH:MM"; latest <= earliest crosses midnight); the task
    takes `duration_min` inside it. Who qualifies: `group` (with `or_better`, any group that covers it in
    `Instance.group_hierarchy`) and every code in `competences`; neither means anybody on duty."""

    id: str = Field(min_length=1, max_length=64)
    name: str | None = None
    user: str | None = Field(default=None, description="user (resident) id, or None for a unit task")
    kind: str = Field(default="care", max_length=32, description="care, medication, meal, activity, laundry, ...")
    group: str | None = None
    or_better: bool = True
    competences: list[str] = Field(default_factory=list)
    count: int = Field(default=1, ge=1, le=2, description="people needed together (2: dobbeltkontroll)")
    earliest: ClockMinutes
    latest: ClockMinutes
    duration_min: int = Field(ge=1, le=720)
    priority: int = Field(default=3, ge=1, le=10, description="multiplies the cost of leaving it unassigned")
    weekdays: list[Weekday] | None = None
    dates: list[dt.date] | None = None
    unit: str | None = Field(default=None, description="ward; default: the user's unit")

    @model_validator(mode="after")
    def _one_selector(self) -> Task:
        if self.dates is not None and self.weekdays is not None:
            raise ValueError("task takes dates or weekdays, not both")
        return self

    @property
    def window_min(self) -> int:
        return (self.latest - self.earliest) % 1440 or 1440

    def applies(self, day: dt.date) -> bool:
        return _applies(day, self.dates, self.weekdays)

    def label(self) -> str:
        return f"{self.id} {fmt_hhmm(self.earliest)}-{fmt_hhmm(self.latest)}"


class User(Strict):
    """A user (beboer/tjenestemottaker). Only ids: no personal data is needed for planning."""

    id: str = Field(min_length=1, max_length=64)
    primary_contact: str | None = Field(default=None, description="primærkontakt staff id")
    secondary_contact: str | None = Field(default=None, description="sekundærkontakt staff id")
    care_level: int = Field(default=2, ge=1, le=5)
    unit: str | None = None


class Role(Strict):
    """A responsibility role on a shift: exactly one qualified person working `shift` holds it each day it
    applies (ansvarsvakt, medication_responsible). `reserve_min` is taken off the holder's task capacity."""

    code: str = Field(min_length=1, max_length=32)
    shift: str
    group: str | None = None
    or_better: bool = True
    competences: list[str] = Field(default_factory=list)
    unit: str | None = None
    weekdays: list[Weekday] | None = None
    reserve_min: int = Field(default=0, ge=0, le=600)

    def applies(self, day: dt.date) -> bool:
        return _applies(day, None, self.weekdays)


class StructuralSetting(RuleSetting):
    """A rule on task variables that can always be met by leaving a task unassigned: REQUIRED or OFF."""

    @field_validator("level")
    @classmethod
    def _no_preferred(cls, v: Level) -> Level:
        if v == Level.PREFERRED:
            raise ValueError("this task rule is REQUIRED or OFF (leaving a task unassigned is the soft part)")
        return v


class TaskWorkloadSetting(StructuralSetting):
    """Task minutes per person per worked shift ≤ the shift's working minutes minus `break_min`."""

    break_min: int = Field(default=30, ge=0, le=240)


class TaskCoverageSetting(RuleSetting):
    """Every occurrence gets `count` people; each missing person costs `weight` × the task's priority."""

    level: Level = Level.PREFERRED
    weight: int = Field(default=1000, ge=0, le=100_000)
    soft_only: ClassVar[bool] = True


class ShiftRolesSetting(RuleSetting):
    """Each role on each day it applies: one holder; a missing holder costs `weight`."""

    level: Level = Level.PREFERRED
    weight: int = Field(default=5000, ge=0, le=100_000)
    soft_only: ClassVar[bool] = True


class ContinuitySetting(RuleSetting):
    """Few carers per user: `weight` per distinct carer of a user over the period who is not one of the user's
    contacts; per person-task done by a non-contact `other_cost`, by the sekundærkontakt `secondary_cost`."""

    level: Level = Level.PREFERRED
    weight: int = Field(default=40, ge=0, le=100_000)
    other_cost: int = Field(default=4, ge=0, le=10_000)
    secondary_cost: int = Field(default=1, ge=0, le=10_000)
    soft_only: ClassVar[bool] = True


class OppgavedelingSetting(RuleSetting):
    """Task sharing (Tørn Veileder 1): `weight` per nurse minute on tasks that do not need a nurse, plus
    `health_weight` per minute of formal-health staff on tasks that need no health competence."""

    level: Level = Level.PREFERRED
    weight: int = Field(default=2, ge=0, le=1000)
    health_weight: int = Field(default=1, ge=0, le=1000)
    soft_only: ClassVar[bool] = True


class TaskRules(Strict):
    """Settings of the task rules (ids as in scores and the README table) and the start-time grid."""

    task_coverage: TaskCoverageSetting = Field(default_factory=TaskCoverageSetting)
    task_competence: StructuralSetting = Field(default_factory=StructuralSetting)
    task_on_duty: StructuralSetting = Field(default_factory=StructuralSetting)
    task_overlap: StructuralSetting = Field(default_factory=StructuralSetting)
    task_workload: TaskWorkloadSetting = Field(default_factory=TaskWorkloadSetting)
    shift_roles: ShiftRolesSetting = Field(default_factory=ShiftRolesSetting)
    continuity: ContinuitySetting = Field(default_factory=ContinuitySetting)
    oppgavedeling: OppgavedelingSetting = Field(default_factory=OppgavedelingSetting)
    grid_min: int = Field(default=15, ge=5, le=120, description="task start times lie on this grid")


_HHMM_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"


class TaskAssignment(Strict):
    """Roster output: `staff` do `task` on `date` starting at `start` (field names are a public contract)."""

    task: str
    date: dt.date
    start: str = Field(pattern=_HHMM_PATTERN)
    staff: list[str] = Field(default_factory=list)


class RoleAssignment(Strict):
    """Roster output: `staff` holds role `role` on the `shift` starting `date`."""

    role: str
    date: dt.date
    shift: str
    staff: str


class UnassignedTask(Strict):
    """A task occurrence (or a role, `task` = "role:<code>") left without its people, with the reason."""

    task: str
    date: dt.date
    start: str | None = None
    missing: int = 1
    code: str = "unassigned"
    reason: str = ""


# ---- who may work for a task ---------------------------------------------------------------------------------


class UnitView(Protocol):
    """What the helpers below read of an instance (`models.instance.Instance` is one)."""

    @property
    def users(self) -> list[User]: ...

    def qualifying_groups(self, group: str, or_better: bool) -> set[str]: ...


def qualifies(
    inst: UnitView,
    person: Staff,
    group: str | None,
    or_better: bool,
    competences: list[str],
    day: dt.date | None = None,
) -> bool:
    """Does `person` qualify for a task/role needing `group` (or better) and `competences` (valid on `day`)?"""
    if group is not None and person.group.value not in inst.qualifying_groups(group, or_better):
        return False
    if day is None:
        return all(any(g.code == c for g in person.competences) for c in competences)
    return all(person.has_competence(c, day) for c in competences)


def task_unit(inst: UnitView, task: Task) -> str | None:
    if task.unit is not None:
        return task.unit
    if task.user is not None:
        for u in inst.users:
            if u.id == task.user:
                return u.unit
    return None


def in_unit(person: Staff, unit: str | None) -> bool:
    """Staff of the unit, or shared staff without a unit (service, matvert), may work for it."""
    return unit is None or person.unit is None or person.unit == unit
