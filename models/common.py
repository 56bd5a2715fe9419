"""Shared primitives for the domain model: strict base model, clock times, rule levels."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class Strict(BaseModel):
    """Base for every input model: unknown fields are an error, so a typo in a unit file is never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


def _parse_hhmm(value: object) -> int:
    """Accept "HH:MM" (or minutes as int) and return minutes after midnight."""
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value < 1440:
            return value
        raise ValueError("clock time in minutes must be within 0..1439")
    if isinstance(value, str):
        match = _HHMM.match(value.strip())
        if match:
            return int(match.group(1)) * 60 + int(match.group(2))
    raise ValueError(f"clock time must be 'HH:MM', got {value!r}")


ClockMinutes = Annotated[int, BeforeValidator(_parse_hhmm)]
"""Minutes after midnight, written as "HH:MM" in JSON."""


def fmt_hhmm(minutes: int) -> str:
    minutes %= 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class Level(StrEnum):
    """How a rule counts: a hard constraint, a weighted preference, or switched off."""

    REQUIRED = "REQUIRED"
    PREFERRED = "PREFERRED"
    OFF = "OFF"


class Weekday(StrEnum):
    mon = "mon"
    tue = "tue"
    wed = "wed"
    thu = "thu"
    fri = "fri"
    sat = "sat"
    sun = "sun"

    @property
    def index(self) -> int:  # type: ignore[override]  # the weekday's number (mon = 0), not str.index
        return list(Weekday).index(self)
