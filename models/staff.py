"""Staff, personnel groups and individual competences.

Competence is per person (helsepersonelloven §4/§5, legemiddelhåndteringsforskriften §4): the group gives a
default, but medication clearance and the like are individual grants, formal (education, authorisation) or
real (assessed and documented on the job), each possibly time-limited.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, model_validator

from .common import Strict, Weekday

Id = str


class PersonnelGroup(StrEnum):
    """Personnel group (yrkesgruppe). Formal health competence = every group but assistent, lærling, service."""

    spesialsykepleier = "spesialsykepleier"
    sykepleier = "sykepleier"
    vernepleier = "vernepleier"
    helsefagarbeider = "helsefagarbeider"
    assistent = "assistent"
    laerling = "laerling"
    aktivitor = "aktivitor"
    matvert = "matvert"
    service = "service"
    fysioterapeut = "fysioterapeut"
    ergoterapeut = "ergoterapeut"


FORMAL_HEALTH_GROUPS: frozenset[str] = frozenset(
    {"spesialsykepleier", "sykepleier", "vernepleier", "helsefagarbeider", "fysioterapeut", "ergoterapeut"}
)
NURSE_GROUPS: frozenset[str] = frozenset({"spesialsykepleier", "sykepleier"})


class CompetenceSource(StrEnum):
    formal = "formal"
    real = "real"


class CompetenceGrant(Strict):
    """One authorisation held by one person, e.g. `med.administer` (formal or real, optionally time-limited)."""

    code: str = Field(min_length=1, max_length=64)
    source: CompetenceSource = CompetenceSource.formal
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Absence(Strict):
    """Known absence (fravær: ferie, permisjon, kurs). Whole days `start_date..end_date` inclusive, or a clock span."""

    start_date: dt.date | None = None
    end_date: dt.date | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    kind: str = "absence"

    @model_validator(mode="after")
    def _one_form(self) -> Absence:
        days = self.start_date is not None
        span = self.start is not None
        if days == span:
            raise ValueError("absence needs either start_date/end_date or start/end")
        if days:
            self.end_date = self.end_date or self.start_date
            if self.end_date < self.start_date:  # type: ignore[operator]
                raise ValueError("absence end_date is before start_date")
        else:
            if self.end is None or self.end <= self.start:  # type: ignore[operator]
                raise ValueError("absence end must be after start")
        return self

    def span_minutes(self, origin: dt.date) -> tuple[int, int]:
        """[start, end) in minutes from the plan period's first midnight."""
        base = dt.datetime.combine(origin, dt.time())
        if self.start_date is not None:
            a = dt.datetime.combine(self.start_date, dt.time())
            last = self.end_date or self.start_date  # the validator fills end_date
            end = min(last, dt.date.max - dt.timedelta(days=1))  # 9999-12-31: no end
            b = dt.datetime.combine(end, dt.time()) + dt.timedelta(days=1)
        else:
            a, b = self.start, self.end  # type: ignore[assignment]
        return int((a - base).total_seconds() // 60), int((b - base).total_seconds() // 60)


class WishKind(StrEnum):
    want = "want"
    avoid = "avoid"


class Wish(Strict):
    """A staff wish (ønske): want or avoid a shift and/or a date or weekday. Soft, weighted."""

    kind: WishKind
    date: dt.date | None = None
    weekday: Weekday | None = None
    shift: str | None = None
    weight: int = Field(default=10, ge=1, le=1000)

    @model_validator(mode="after")
    def _has_target(self) -> Wish:
        if self.date is None and self.weekday is None and self.shift is None:
            raise ValueError("wish needs a date, a weekday or a shift")
        if self.date is not None and self.weekday is not None:
            raise ValueError("wish takes a date or a weekday, not both")
        return self


class StaffLimits(Strict):
    """One person's own bounds for the pattern rules, where contracts differ (INRC-II contracts are per nurse).

    Each bound None = the unit's setting of that rule. The `*_before` counters are what the person has already
    worked in this counting year before the period starts (INRC-II history: assignments and working weekends so
    far); they count toward the period's caps and minimums.
    """

    complete_weekends: bool | None = Field(default=None, description="False: Saturday and Sunday may be split")
    max_weekends: int | None = Field(default=None, ge=0, le=60, description="cap on worked weekends")
    min_assignments: int | None = Field(default=None, ge=0, le=400, description="fewest shifts over the period")
    max_assignments: int | None = Field(default=None, ge=0, le=400, description="most shifts over the period")
    weekends_before: int = Field(default=0, ge=0, le=400, description="worked weekends counted before the period")
    assignments_before: int = Field(default=0, ge=0, le=4000, description="shifts counted before the period")
    min_consecutive_work_days: int | None = Field(default=None, ge=1, le=28, description="work_runs.min_days")
    max_consecutive_work_days: int | None = Field(default=None, ge=1, le=371, description="work_runs.max_days")
    min_consecutive_days_off: int | None = Field(default=None, ge=1, le=28, description="off_runs.min_days")
    max_consecutive_days_off: int | None = Field(default=None, ge=1, le=371, description="off_runs.max_days")

    @model_validator(mode="after")
    def _range(self) -> StaffLimits:
        lo, hi = self.min_assignments, self.max_assignments
        if lo is not None and hi is not None and lo > hi:
            raise ValueError("min_assignments is above max_assignments")
        for lo, hi, what in (
            (self.min_consecutive_work_days, self.max_consecutive_work_days, "consecutive_work_days"),
            (self.min_consecutive_days_off, self.max_consecutive_days_off, "consecutive_days_off"),
        ):
            if lo is not None and hi is not None and lo > hi:
                raise ValueError(f"min_{what} is above max_{what}")
        return self


class Staff(Strict):
    """One employee. `name` is personal data: it is never logged and never needed by the solver."""

    id: Id = Field(min_length=1, max_length=64)
    name: str | None = None
    group: PersonnelGroup
    competences: list[CompetenceGrant] = Field(default_factory=list)
    position_pct: float = Field(ge=0, le=100, description="stillingsprosent")
    desired_pct: float | None = Field(default=None, ge=0, le=100, description="desired position % (heltid wish)")
    accepts_long_shifts: bool = False
    night_only: bool = False
    allowed_shifts: list[str] | None = Field(default=None, description="restrict to these shift codes")
    absences: list[Absence] = Field(default_factory=list)
    wishes: list[Wish] = Field(default_factory=list)
    seniority_years: float = Field(default=0, ge=0)
    unit: str | None = Field(default=None, description="ward/avdeling the person belongs to")
    limits: StaffLimits | None = Field(default=None, description="own bounds for the pattern rules (None: the unit's)")

    def has_competence(self, code: str, day: dt.date) -> bool:
        return any(g.code == code and g.valid_on(day) for g in self.competences)

    @property
    def has_formal_health_competence(self) -> bool:
        return self.group.value in FORMAL_HEALTH_GROUPS
