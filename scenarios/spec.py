"""The scenario file: a base unit and named variants, each a list of typed operations on the base.

```yaml
base: demo                      # or a path to an instance JSON, relative to this file
weekend_curve: true             # also solve the base with weekend_frequency.every_n = 2..5
variants:
  - name: weekend-2
    ops: [{op: weekend_every, n: 2}]
  - name: heltid
    extends: weekend-2          # start from another variant's ops
    ops: [{op: raise_positions}]
```

Every model forbids unknown fields, so a typo in the scenario file is an error with a location, never ignored.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from models.common import Strict, Weekday
from models.shifts import Demand


class SetOp(Strict):
    """Generic: set the field at a dotted path to a value. Lists are indexed by position (`staff[3]`) or by
    `id`/`code` (`staff[A1-004]`, `shift_types[LD]`). An unknown field is an error."""

    op: Literal["set"]
    path: str = Field(min_length=1)
    value: Any


class SetRuleOp(Strict):
    """Set fields of one rule, e.g. `{op: set_rule, rule: daily_rest, values: {local_agreement: true}}`."""

    op: Literal["set_rule"]
    rule: str
    values: dict[str, Any] = Field(min_length=1)


class WeekendEveryOp(Strict):
    """Work at most one weekend in every `n` (rules.weekend_frequency.every_n)."""

    op: Literal["weekend_every"]
    n: int = Field(ge=1, le=8)


class LongWeekendShiftsOp(Strict):
    """Move weekend demand from the `replaces` shifts (D + A) to one long shift (LD 08:00-20:30).

    Each competence slot of the long shift needs the largest `min`/`ideal` the replaced shifts asked for (one
    person on LD covers both the day and the evening). Only staff who accept long shifts may take them:
    `accept` adds staff to those who already accepted: `existing` (nobody new), `wants_more` (part-timers who
    want a bigger position), `all` (every day worker); `also_accept` names more staff ids.
    """

    op: Literal["long_weekend_shifts"]
    shift: str = "LD"
    replaces: list[str] = Field(default_factory=lambda: ["D", "A"], min_length=1)
    weekdays: list[Weekday] = Field(default_factory=lambda: [Weekday.sat, Weekday.sun], min_length=1)
    accept: Literal["existing", "wants_more", "all"] = "existing"
    also_accept: list[str] = Field(default_factory=list)


class RaisePositionsOp(Strict):
    """Heltid: offer the hours of vacant shifts to part-timers who want a bigger position (desired_pct).

    The variant is solved, the vacant hours each part-timer qualifies for are handed out in `step_pct` steps
    (up to their desired %), and the unit is solved again, for at most `rounds` raising rounds.
    `mode: desired` raises every part-timer straight to the desired % instead.
    """

    op: Literal["raise_positions"]
    mode: Literal["vacant", "desired"] = "vacant"
    step_pct: float = Field(default=5.0, gt=0, le=100)
    rounds: int = Field(default=2, ge=1, le=5)
    groups: list[str] | None = Field(default=None, description="only staff of these groups")


class SetDemandOp(Strict):
    """A new bemanningsplan: replace the whole demand list."""

    op: Literal["set_demand"]
    demand: list[Demand]


class ScaleDemandOp(Strict):
    """Scale slot minimums (and ideals) by `factor`, optionally only some shifts, weekdays, slot ids.
    Rounded to the nearest whole person (`rounding: up` rounds up)."""

    op: Literal["scale_demand"]
    factor: float = Field(ge=0, le=10)
    shifts: list[str] | None = None
    weekdays: list[Weekday] | None = None
    slots: list[str] | None = Field(default=None, description="slot ids (e.g. total)")
    rounding: Literal["nearest", "up", "down"] = "nearest"


class ChangeGroupOp(Strict):
    """Personnel mix: `count` staff of group `from` (largest positions first) or the named `staff` change to
    group `to`, gaining `add_competences` (e.g. an assistent position becomes a helsefagarbeider)."""

    op: Literal["change_group"]
    to: str
    from_: str | None = Field(default=None, alias="from")
    count: int | None = Field(default=None, ge=1)
    staff: list[str] | None = None
    add_competences: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _who(self) -> ChangeGroupOp:
        if (self.staff is None) == (self.from_ is None):
            raise ValueError("change_group takes either `staff` ids or `from` (with `count`)")
        return self


Op = Annotated[
    SetOp
    | SetRuleOp
    | WeekendEveryOp
    | LongWeekendShiftsOp
    | RaisePositionsOp
    | SetDemandOp
    | ScaleDemandOp
    | ChangeGroupOp,
    Field(discriminator="op"),
]


class Variant(Strict):
    name: str = Field(min_length=1, max_length=60, pattern=r"^[^/\\]+$")
    description: str | None = None
    extends: str | None = Field(default=None, description="apply this variant's ops first")
    ops: list[Op] = Field(default_factory=list)


class GoodShiftSettings(Strict):
    """How a "good shift" (den gode vakta) is judged; see docs/scenarios.md."""

    ansvarsvakt: Literal["always", "when_demanded"] = "when_demanded"
    ansvarsvakt_competence: str = "ansvarsvakt"
    continuity: Literal["same_kind", "same_shift"] = "same_kind"


class ScenarioFile(Strict):
    base: str = Field(description="`demo` or a path to an instance JSON, relative to the scenario file")
    title: str | None = None
    base_name: str = "base"
    variants: list[Variant] = Field(default_factory=list)
    weekend_curve: bool = False
    weekend_curve_n: list[int] = Field(default_factory=lambda: [2, 3, 4, 5])
    weekend_curve_raise: bool = Field(default=True, description="raise positions at every curve point")
    staircase: list[str] | None = Field(default=None, description="gains staircase order (default: file order)")
    time_limit_s: float | None = Field(default=None, gt=0)
    seed: int = 0
    good_shift: GoodShiftSettings = Field(default_factory=GoodShiftSettings)
