"""The unit instance (one care unit, one plan period) and the roster that answers it."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator

from .agreements import Agreements, Deviation
from .common import Level, Strict
from .rules import Rules
from .shifts import Demand, ShiftType
from .staff import Id, Staff
from .tasks import Role, RoleAssignment, Task, TaskAssignment, TaskRules, UnassignedTask, User
from .timeline import zone

DEFAULT_GROUP_HIERARCHY: dict[str, list[str]] = {
    "spesialsykepleier": ["spesialsykepleier"],
    "sykepleier": ["sykepleier", "spesialsykepleier"],
    "vernepleier": ["vernepleier"],
    "helsefagarbeider": ["helsefagarbeider", "vernepleier", "sykepleier", "spesialsykepleier"],
    "assistent": ["assistent", "laerling", "helsefagarbeider", "vernepleier", "sykepleier", "spesialsykepleier"],
    "laerling": ["laerling"],
    "aktivitor": ["aktivitor"],
    "matvert": ["matvert"],
    "service": ["service"],
    "fysioterapeut": ["fysioterapeut"],
    "ergoterapeut": ["ergoterapeut"],
}
"""`group -> groups that count as that group "or better"` (e.g. a nurse fills a helsefagarbeider slot)."""


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Period(Strict):
    """The plan period: `weeks` × 7 days from `start` (1-53 weeks: a turnus is usually 6 or 12 weeks, an årsturnus
    or kalenderplan a year).

    The period may start on any day. The law's week (for weekly rest, AML §10-8(2)) runs from `week_start` 00:00:
    Monday unless agreed otherwise (the week breaks between Sunday and Monday; another day needs
    `agreements.week_boundary`). A period that does not start on `week_start` has partial plan weeks at its ends,
    in which the days outside the period count as free.

    `cyclic` makes the period a grunnturnus: a plan of whole weeks that repeats, so the day after its last day is
    its first day and every rule that looks across a day or over a window wraps around the end (rest, weekly
    rest, 12.5 h and 54 h windows, runs, successions, weekends, Sundays). It must start on `week_start` (whole plan
    weeks) and has no `history` (what precedes day 0 is the plan's own end). A grunnturnus is a plan for ordinary
    weeks, rolled over a calendar later: it is read on a fixed clock (no summer-time change inside it, whatever the
    dates) and without public holidays (Sundays are its only Sundays; holidays are planned when it is rolled into
    an årsturnus), so the same pattern is lawful wherever it is laid down.
    """

    start: dt.date = Field(le=dt.date(9000, 12, 31))  # later starts overflow the calendar
    weeks: int = Field(ge=1, le=53)
    week_start: Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] = "monday"
    timezone: str = Field(
        default="Europe/Oslo",
        description="IANA time zone of the unit's clock times: rules count real hours across clock changes",
    )
    cyclic: bool = Field(
        default=False,
        description="grunnturnus: the plan repeats, the day after the last day is day 0 and every rule wraps around "
        "the end (fixed clock, no public holidays)",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zone(value)
        return value

    @property
    def days(self) -> int:
        return self.weeks * 7

    @property
    def end(self) -> dt.date:
        """Last day of the period (inclusive)."""
        return self.start + dt.timedelta(days=self.days - 1)

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=d) for d in range(self.days)]

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def week_offset(self) -> int:
        """Days from the start of the plan week that holds the period's first day to that day (0-6)."""
        return (self.start.weekday() - WEEKDAYS.index(self.week_start)) % 7

    def plan_weeks(self) -> list[range]:
        """The plan weeks as day ranges relative to the period start (the first and last may reach outside)."""
        first = -self.week_offset
        return [range(a, a + 7) for a in range(first, self.days, 7)]


class Assignment(Strict):
    """One shift for one person on one date (the date the shift starts). Field names are a public contract."""

    staff: Id
    date: dt.date
    shift: str
    pinned: bool = False


class Instance(Strict):
    """Everything turnus needs to roster one unit: staff, shift types, demand, rules, pins."""

    id: str = "unit"
    name: str | None = None
    period: Period
    staff: list[Staff] = Field(min_length=1)
    shift_types: list[ShiftType] = Field(min_length=1)
    demand: list[Demand] = Field(default_factory=list)
    rules: Rules = Field(default_factory=Rules)
    agreements: Agreements = Field(default_factory=Agreements, description="working-time agreements (AML ch. 10)")
    group_hierarchy: dict[str, list[str]] = Field(default_factory=lambda: dict(DEFAULT_GROUP_HIERARCHY))
    pinned: list[Assignment] = Field(default_factory=list, description="assignments the roster must keep")
    history: list[Assignment] = Field(
        default_factory=list,
        description="assignments on the days before period.start (the previous period's end): the first runs of "
        "the period continue them. They cover every person from the earliest date given (or `history_start`) to "
        "the day before the start (a day without an entry was off); nothing is known before that",
    )
    history_start: dt.date | None = Field(
        default=None,
        description="the first day `history` covers, when it reaches further back than its earliest entry (INRC-II "
        "counters: a run of k days is known to follow a day without it)",
    )
    assignments: list[Assignment] | None = Field(
        default=None, description="an existing roster to score or re-plan from (optional)"
    )
    extensions: dict[str, Any] = Field(default_factory=dict, description="data for add-on modules")
    tasks: list[Task] = Field(default_factory=list, description="tasks to allocate inside shifts (models/tasks.py)")
    users: list[User] = Field(default_factory=list, description="users (residents) the tasks are for")
    roles: list[Role] = Field(default_factory=list, description="responsibility roles per shift")
    task_rules: TaskRules = Field(default_factory=TaskRules)

    @field_validator("group_hierarchy")
    @classmethod
    def _merge_hierarchy(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        merged = dict(DEFAULT_GROUP_HIERARCHY)
        merged.update(value)
        return merged

    def qualifying_groups(self, group: str, or_better: bool) -> set[str]:
        if not or_better:
            return {group}
        return set(self.group_hierarchy.get(group, [group])) | {group}


class Unfilled(Strict):
    """Demand left open: `missing` people below the slot's `required` minimum on one shift."""

    date: dt.date
    shift: str
    slot: str
    required: int
    assigned: int
    missing: int


class Violation(Strict):
    """One broken rule found by the checker: which rule, whom, when, how much."""

    rule: str
    level: Level
    staff: Id | None = None
    dates: list[dt.date] = Field(default_factory=list)
    amount: float = 1
    penalty: int = 0
    detail: str = ""


class RuleScore(Strict):
    rule: str
    level: Level
    violations: int
    penalty: int


class Score(Strict):
    """Score in three levels: hard (broken REQUIRED rules), unfilled demand, soft. `total` is their sum."""

    hard: int = 0
    unfilled: int = 0
    soft: int = 0
    total: int = 0
    rules: list[RuleScore] = Field(default_factory=list)


class Conflict(Strict):
    """A REQUIRED rule that cannot hold together with the others for one person (from an infeasibility core)."""

    rule: str
    staff: Id | None = None
    dates: list[dt.date] = Field(default_factory=list, description="where the returned roster breaks it")
    detail: str = ""


class SolveInfo(Strict):
    status: str
    objective: int | None = None
    bound: int | None = None
    wall_time_s: float = 0.0
    first_solution_s: float | None = None
    time_limit_s: float | None = None
    workers: int | None = None
    seed: int | None = None
    relaxed_rules: list[str] = Field(default_factory=list)
    engine: str | None = None  # "lns" (construction + search) or "monolithic" (one CP-SAT model)
    start_objective: int | None = None  # the start's score (construction or previous roster): what search improved
    moves: int | None = None  # LNS moves tried
    # share of the objective gained in the last fifth of the time limit: a run still improving that fast at its end
    # is limited by its budget, not by the unit (scenario reports flag it)
    late_gain: float | None = None


class RestDay(Strict):
    """A person's weekly rest day (F1) in one plan week: the whole free calendar day of a 35 h rest inside the week
    (AML §10-8(2)), a Sunday or holiday where the roster allows."""

    staff: Id
    date: dt.date


class Roster(Strict):
    """A roster: `assignments`, `unfilled` demand, `score` per rule and `kpis` (field names are a public contract).

    Unknown top-level fields are kept (add-on modules such as task allocation write their own), not rejected.
    """

    model_config = ConfigDict(extra="allow")

    instance_id: str = "unit"
    assignments: list[Assignment] = Field(default_factory=list)
    unfilled: list[Unfilled] = Field(default_factory=list)
    score: Score = Field(default_factory=Score)
    violations: list[Violation] = Field(default_factory=list)
    kpis: dict[str, float] = Field(default_factory=dict)
    conflicts: list[Conflict] = Field(default_factory=list)
    deviations: list[Deviation] = Field(default_factory=list, description="settings beyond the law's general limits")
    rest_days: list[RestDay] = Field(default_factory=list, description="each person's weekly rest day (F1) per week")
    solve: SolveInfo | None = None
    extensions: dict[str, Any] = Field(default_factory=dict)
    task_assignments: list[TaskAssignment] = Field(default_factory=list)
    role_assignments: list[RoleAssignment] = Field(default_factory=list)
    unassigned_tasks: list[UnassignedTask] = Field(default_factory=list)

    @property
    def lawful(self) -> bool:
        return not any(v.level == Level.REQUIRED for v in self.violations)
