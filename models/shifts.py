"""Shift types (vakttyper) with real clock times, and the staffing demand (bemanningsplan) per shift."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from .calendar import is_holiday
from .common import ClockMinutes, Strict, Weekday

NIGHT_START = 21 * 60  # AML §10-11: night is 21:00-06:00
NIGHT_END = 6 * 60
LONG_SHIFT_MINUTES = 10 * 60  # Delta: langvakt = over 10 h


class ShiftTag(StrEnum):
    day = "day"
    evening = "evening"
    night = "night"
    long = "long"


class ShiftType(Strict):
    """A vakttype: `start`-`end` clock times; end <= start means the shift crosses midnight.

    Paid breaks count as working time (AML §10-9 when staff cannot leave the unit); only `unpaid_break_min`
    is deducted from the working minutes.
    """

    code: str = Field(min_length=1, max_length=16)
    name: str | None = None
    start: ClockMinutes
    end: ClockMinutes
    unpaid_break_min: int = Field(default=0, ge=0, le=120)
    tags: list[ShiftTag] | None = None

    @model_validator(mode="after")
    def _valid_span(self) -> ShiftType:
        if self.end == self.start:
            raise ValueError(f"shift {self.code}: end equals start")
        if self.unpaid_break_min >= self.duration_min:
            raise ValueError(f"shift {self.code}: unpaid break is as long as the shift")
        if self.tags is None:
            self.tags = derive_tags(self.start, self.duration_min)
        return self

    @property
    def duration_min(self) -> int:
        return (self.end - self.start) % 1440

    @property
    def work_min(self) -> int:
        return self.duration_min - self.unpaid_break_min

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def has(self, tag: ShiftTag) -> bool:
        return tag in (self.tags or [])


def night_overlap(start: int, duration: int) -> int:
    """Minutes of [start, start+duration) (minutes after a midnight) inside 21:00-06:00 windows."""
    total = 0
    for day in (-1, 0, 1):
        a, b = day * 1440 + NIGHT_START, day * 1440 + 1440 + NIGHT_END
        total += max(0, min(start + duration, b) - max(start, a))
    return total


def derive_tags(start: int, duration: int) -> list[ShiftTag]:
    """Default tags: night if >3 h fall in 21-06 (AML §10-11), evening if it starts after noon and ends after
    18:00, otherwise day; long if over 10 h."""
    tags: list[ShiftTag] = []
    end = start + duration
    if night_overlap(start, duration) > 180:
        tags.append(ShiftTag.night)
    elif end > 18 * 60 and start >= 12 * 60:
        tags.append(ShiftTag.evening)
    else:
        tags.append(ShiftTag.day)
    if duration > LONG_SHIFT_MINUTES:
        tags.append(ShiftTag.long)
    return tags


class Slot(Strict):
    """A competence slot: at least `min` (ideally `ideal`) people on the shift who qualify.

    A person qualifies when their group is `group` or, with `or_better`, a group that covers it in the
    instance's group hierarchy, and they hold every code in `competences`. Slots count independently
    (a nurse counts in "1 sykepleier" and in "3 helsefagarbeider-or-better"), as a bemanningsplan reads.
    """

    id: str | None = None
    group: str | None = None
    or_better: bool = True
    competences: list[str] = Field(default_factory=list)
    min: int = Field(default=1, ge=0, le=500)
    ideal: int | None = Field(default=None, ge=0, le=500)

    @model_validator(mode="after")
    def _ideal(self) -> Slot:
        if self.ideal is None:
            self.ideal = self.min
        if self.ideal < self.min:
            raise ValueError("slot ideal is below min")
        return self

    def label(self) -> str:
        if self.id:
            return self.id
        parts = [self.group or "any"]
        if self.group and self.or_better:
            parts[0] += "+"
        parts += self.competences
        return "/".join(parts)


class Demand(Strict):
    """Staffing demand for one shift type on some dates: explicit `dates`, or `weekdays`, or every day.

    A weekday demand treats a public holiday (helligdag) as a Sunday by default: the holiday bemanningsplan is the
    Sunday one (`holidays: as_sunday`); `as_weekday` keeps the holiday's own weekday.
    """

    shift: str
    unit: str | None = Field(default=None, description="only staff of this ward/avdeling count (None: everyone)")
    dates: list[dt.date] | None = None
    weekdays: list[Weekday] | None = None
    holidays: Literal["as_sunday", "as_weekday"] = "as_sunday"
    slots: list[Slot] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_selector(self) -> Demand:
        if self.dates is not None and self.weekdays is not None:
            raise ValueError("demand takes dates or weekdays, not both")
        return self

    def applies(self, day: dt.date) -> bool:
        if self.dates is not None:
            return day in self.dates
        if self.weekdays is not None:
            if self.holidays == "as_sunday" and is_holiday(day):
                return Weekday.sun in self.weekdays
            return Weekday(list(Weekday)[day.weekday()]) in self.weekdays
        return True
