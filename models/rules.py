"""Rule settings with Norwegian defaults (AML kap. 10, KS HTA). A unit's local agreement is data, not code.

Every rule has a `level` (REQUIRED = hard, PREFERRED = weighted, OFF) and a `weight` used when it is
PREFERRED (per violation). Soft-only rules ignore REQUIRED and treat it as PREFERRED.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, model_validator

from .common import Level, Strict
from .shifts import ShiftTag


class RuleSetting(Strict):
    level: Level = Level.REQUIRED
    weight: int = Field(default=100, ge=0, le=100_000)

    soft_only: ClassVar[bool] = False

    @property
    def active(self) -> bool:
        return self.level != Level.OFF

    @property
    def hard(self) -> bool:
        return self.level == Level.REQUIRED and not self.soft_only


class DailyRestSetting(RuleSetting):
    """AML §10-8(1): 11 h unbroken rest in 24 h; down to 8 h only with a local agreement (tillitsvalgte)."""

    min_hours: float = Field(default=11.0, ge=0, le=24)
    local_agreement: bool = False
    floor_hours: float = Field(default=8.0, ge=0, le=24)

    @property
    def hard_min_minutes(self) -> int:
        return round((self.floor_hours if self.local_agreement else self.min_hours) * 60)

    @model_validator(mode="after")
    def _floor(self) -> DailyRestSetting:
        if self.local_agreement and self.floor_hours < 8:
            raise ValueError("daily rest floor cannot be below 8 h (AML §10-8(3))")
        return self


class ShortRestSetting(RuleSetting):
    """Rest below `DailyRestSetting.min_hours` allowed by local agreement: penalised per hour short (compensation
    owed)."""

    level: Level = Level.PREFERRED
    weight: int = Field(default=20, ge=0, le=100_000)
    soft_only: ClassVar[bool] = True


class QuickReturnSetting(RuleSetting):
    """Sein-tidlig: an evening shift followed by a day shift next morning with rest below `max_rest_hours`
    (quick return, Bjorvatn). Penalised per occurrence; only possible where a local agreement allows short rest."""

    max_rest_hours: float = Field(default=11.0, ge=0, le=24)
    level: Level = Level.PREFERRED
    weight: int = Field(default=50, ge=0, le=100_000)
    soft_only: ClassVar[bool] = True


class WeeklyRestSetting(RuleSetting):
    """AML §10-8(2), read per plan week: 35 h unbroken rest holding a whole calendar day inside every plan week
    (weeks start on `Period.week_start`); a rest straddling two weeks counts only for the week that holds it."""

    min_hours: float = Field(default=35.0, ge=24, le=72)


class WeeklyRestRollingSetting(RuleSetting):
    """AML §10-8(2), read rolling: no more than `max_gap_hours` (7 × 24 h) between two weekly rests (35 h unbroken
    holding a whole calendar day), wherever the plan weeks break."""

    min_hours: float = Field(default=35.0, ge=24, le=72)
    max_gap_hours: float = Field(default=168.0, ge=24, le=336)


class MaxDailyHoursSetting(RuleSetting):
    """AML §10-5(2): at most 12.5 h of work in any 24 h; long shifts (>10 h) only for staff who accept them."""

    max_hours: float = Field(default=12.5, ge=1, le=16)


class MaxWeeklyHoursSetting(RuleSetting):
    """AML §10-5(2): ≤54 h in any 7 days, ≤48 h per week averaged over 8 weeks (or the period if shorter)."""

    max_hours_7d: float = Field(default=54.0, ge=1, le=100)
    max_avg_hours: float = Field(default=48.0, ge=1, le=100)
    avg_weeks: int = Field(default=8, ge=1, le=52)


class ContractHoursSetting(RuleSetting):
    """KS HTA §4: planned hours = position % × full-time week over the period, within a tolerance.

    `mode="tariff"` (default): each person's full-time week follows from their own roster (day work 37.5 h when
    they work less than every 3rd Sunday/holiday, turnus 35.5 h, tredelt 37.5 h with Sunday/holiday hours × 1⅙ and
    night hours × 1¼ and the actual week within 33.6-35.5 h, helkontinuerlig-comparable 33.6 h; see
    solver/rules/contract_hours.py). `mode="fixed"`: full time is `weekly_hours` for everyone. `mode="tredelt"`:
    the tredelt week for everyone. The `weight` prices each minute away from the target.
    """

    mode: str = Field(default="tariff", pattern="^(tariff|fixed|tredelt)$")
    weekly_hours: float = Field(default=35.5, ge=1, le=48)
    tolerance_hours: float = Field(default=8.0, ge=0, le=200)
    weight: int = Field(default=1, ge=0, le=100_000)


class SundayRuleSetting(RuleSetting):
    """AML §10-8(4): off at least every 4th Sunday, so at most `max_consecutive` Sundays worked in a row."""

    max_consecutive: int = Field(default=3, ge=1, le=12)


class WeekendFrequencySetting(RuleSetting):
    """Tariff/local practice: work at most one weekend in every `every_n` consecutive weekends (1 in 3 default)."""

    every_n: int = Field(default=3, ge=1, le=8)


class MaxConsecutiveDaysSetting(RuleSetting):
    """Local practice [C]: at most `max_days` working days in a row."""

    max_days: int = Field(default=6, ge=1, le=14)


class MaxConsecutiveNightsSetting(RuleSetting):
    """Local practice [C]: at most `max_nights` night shifts in a row."""

    max_nights: int = Field(default=4, ge=1, le=14)


class RunLengthSetting(RuleSetting):
    """Shared by `work_runs` and `off_runs`: a series of consecutive days shorter than `min_days` costs `weight`
    per day short, one longer than `max_days` (None: no maximum) `weight` per day over. Soft only: a planner's
    pattern, not a law, and INRC-II prices it per day. `Staff.limits` may set other bounds for one person."""

    level: Level = Level.PREFERRED
    weight: int = Field(default=100, ge=0, le=100_000)
    min_days: int = Field(default=2, ge=1, le=28)
    max_days: int | None = Field(default=None, ge=1, le=371)
    soft_only: ClassVar[bool] = True

    @model_validator(mode="after")
    def _bounds(self) -> RunLengthSetting:
        if self.max_days is not None and self.max_days < self.min_days:
            raise ValueError("max_days is below min_days")
        return self


class WorkRunsSetting(RunLengthSetting):
    """No isolated work days (enkeltvakter): consecutive working days in series of `min_days` (2) to `max_days`.
    `closed_ends` as in `ShiftRunsSetting` (off by default: INRC-II's reading)."""

    closed_ends: bool = False


class OffRunsSetting(RunLengthSetting):
    """Days off in pairs (or longer): consecutive days off in series of `min_days` (2) to `max_days`; whole-day
    absences (ferie, sick leave) are neither days off nor work and break a series without making it short."""


class ShiftRun(Strict):
    """One run limit of `shift_runs`: consecutive days on the shift types `shifts` (codes), or on every shift with
    the tag `kind` (night, evening, day, long), between `min_days` and `max_days` (None: no maximum).
    `exempt_night_only`: night-only staff (Staff.night_only) are left out (their runs are all nights anyway).
    `weight` per day short or over (None: the rule's weight)."""

    shifts: list[str] | None = Field(default=None, min_length=1)
    kind: ShiftTag | None = None
    min_days: int = Field(default=1, ge=1, le=28)
    max_days: int | None = Field(default=None, ge=1, le=371)
    exempt_night_only: bool = False
    weight: int | None = Field(default=None, ge=0, le=100_000)

    @model_validator(mode="after")
    def _target(self) -> ShiftRun:
        if (self.shifts is None) == (self.kind is None):
            raise ValueError("a shift run limit names either shifts or a kind")
        if self.max_days is not None and self.max_days < self.min_days:
            raise ValueError("max_days is below min_days")
        return self


def _default_shift_runs() -> list[ShiftRun]:
    """Night blocks of at least 2 for staff who are not night staff (no single nights), at most 4 evenings."""
    return [
        ShiftRun(kind=ShiftTag.night, min_days=2, exempt_night_only=True),
        ShiftRun(kind=ShiftTag.evening, max_days=4),
    ]


class ShiftRunsSetting(RuleSetting):
    """Consecutive days on one shift type or kind (night blocks, evening runs), per limit in `runs`; soft, priced
    per day short or over like the other run rules.

    `closed_ends` (default): the plan is judged as it stands, so a series cut by the period's end, by a period
    start without history or by a whole-day absence is short like any other (a day worker's night before ferie or
    on the plan's last day is a single night). False is INRC-II's reading: such a series may go on where nothing is
    known and pays no shortfall."""

    level: Level = Level.PREFERRED
    weight: int = Field(default=100, ge=0, le=100_000)
    runs: list[ShiftRun] = Field(default_factory=_default_shift_runs)
    closed_ends: bool = True
    soft_only: ClassVar[bool] = True


class NightAverageSetting(RuleSetting):
    """AML §10-11(5): night workers average ≤8 h per shift over 4 weeks, unless a deviation is agreed (§10-11(9))."""

    max_avg_hours: float = Field(default=8.0, ge=1, le=16)
    window_weeks: int = Field(default=4, ge=1, le=12)
    deviation_agreed: bool = False


class DemandCoverageSetting(RuleSetting):
    """Bemanningsplan: `unfilled_weight` per person missing below a slot's min, `weight` per person below ideal."""

    unfilled_weight: int = Field(default=10_000, ge=1, le=1_000_000)
    weight: int = Field(default=200, ge=0, le=100_000)
    # False (a bemanningsplan's reading): slots count independently, a nurse on the shift counts in every slot she
    # qualifies for. True: each person on a shift fills at most one of its slots (the best allocation is scored),
    # as when each assignment names the role it covers (INRC-II: one skill per assignment)
    exclusive_slots: bool = False
    soft_only: ClassVar[bool] = True

    @model_validator(mode="after")
    def _tiers(self) -> DemandCoverageSetting:
        if self.weight >= self.unfilled_weight:
            raise ValueError("demand_coverage.weight must be below unfilled_weight (unfilled is its own tier)")
        return self


class WishesSetting(RuleSetting):
    """Ønsketurnus: each unmet wish costs its own weight times this rule's `weight`."""

    level: Level = Level.PREFERRED
    weight: int = Field(default=1, ge=0, le=1000)
    soft_only: ClassVar[bool] = True


class FairUnsocialSetting(RuleSetting):
    """Fair spread of unsocial shifts: `weight` per shift of gap between the most and the fewest nights, and worked
    weekends, among regular staff (position ≥ 50 %, not night-only)."""

    level: Level = Level.PREFERRED
    weight: int = Field(default=5, ge=0, le=100_000)
    soft_only: ClassVar[bool] = True


class StabilitySetting(RuleSetting):
    """Re-planning: each assignment that differs from the instance's previous `assignments` costs `weight`
    (a removed or added shift counts once each), so a new plan changes as little as it must."""

    level: Level = Level.PREFERRED
    weight: int = Field(default=300, ge=0, le=100_000)
    soft_only: ClassVar[bool] = True


class CompleteWeekendsSetting(RuleSetting):
    """Complete weekends (hele helger): Saturday and Sunday worked together or both free; `weight` per split weekend.

    `friday_night` (default, the unit's weekend of Saturday 00:00 - Monday 00:00): a half is worked when a shift
    overlaps that calendar day, so a Friday night shift works the Saturday (and alone splits its weekend) and a
    Saturday night both days. False: a half is worked when a shift starts on it (INRC-II S5, by assignment date).
    Weekends with a day outside the period are not judged; `Staff.limits.complete_weekends` False exempts a person.
    """

    level: Level = Level.PREFERRED
    weight: int = Field(default=100, ge=0, le=100_000)
    friday_night: bool = True


class MaxWorkingWeekendsSetting(RuleSetting):
    """A cap on worked weekends over the whole period; `weight` per weekend over (INRC-II S7).

    `max_weekends` None: the KS norm of `per_year` (17) working weekends a year, pro rata for the period's weekends
    and rounded up. A weekend is worked as the unit reads it (`friday_night`: any shift overlapping Saturday 00:00 -
    Monday 00:00) or, with `friday_night` False, when a shift starts on its Saturday or Sunday (INRC-II).
    `Staff.limits.max_weekends` and `.weekends_before` (history) make it per person.
    """

    level: Level = Level.PREFERRED
    weight: int = Field(default=100, ge=0, le=100_000)
    max_weekends: int | None = Field(default=None, ge=0, le=60)
    per_year: float = Field(default=17.0, ge=0, le=52)
    friday_night: bool = True


class FairWeekendsSetting(RuleSetting):
    """Equal weekends and holidays (helg og høytid) among regular staff of the same position: `weight` per weekend
    or weekday-holiday window a person works below the floor or above the ceiling of their group's mean.

    `by`: "position_pct" (same stillingsprosent), "group" (same personnel group) or "pool" (all regular staff).
    """

    level: Level = Level.PREFERRED
    weight: int = Field(default=100, ge=0, le=100_000)
    by: str = Field(default="position_pct", pattern="^(position_pct|group|pool)$")
    soft_only: ClassVar[bool] = True


class ShiftMixWeekSetting(RuleSetting):
    """No day-evening-night mix within one plan week: `weight` per person and plan week working more than
    `max_kinds` of the three kinds (day, evening, night; 2 = all three is a mix, 1 = any two)."""

    level: Level = Level.PREFERRED
    weight: int = Field(default=100, ge=0, le=100_000)
    max_kinds: int = Field(default=2, ge=1, le=2)


class ForwardRotationSetting(RuleSetting):
    """Forward rotation (day -> evening -> night): `weight` per backward step on consecutive days (evening then
    day, night then day or evening)."""

    level: Level = Level.PREFERRED
    weight: int = Field(default=50, ge=0, le=100_000)


class Succession(Strict):
    """Shift `first` on one day may not be followed by any shift in `then` on the next day."""

    first: str = Field(min_length=1, max_length=16)
    then: list[str] = Field(min_length=1)


class ForbiddenSuccessionsSetting(RuleSetting):
    """Forbidden successions given as data (beside the rest hours; INRC-II H3): each (first, then) pair on
    consecutive days is one violation. OFF unless the unit lists pairs."""

    level: Level = Level.OFF
    pairs: list[Succession] = Field(default_factory=list)


class TotalAssignmentsSetting(RuleSetting):
    """Fewest and most shifts over the period per person (INRC-II S6): `weight` per shift below `min_shifts` or
    above `max_shifts`; `Staff.limits` gives a person's own bounds and the shifts counted before the period."""

    level: Level = Level.OFF
    weight: int = Field(default=20, ge=0, le=100_000)
    min_shifts: int | None = Field(default=None, ge=0, le=400)
    max_shifts: int | None = Field(default=None, ge=0, le=400)


class Rules(Strict):
    """All rule settings of a unit. Keys are the rule ids used in scores, violations and the README table."""

    daily_rest: DailyRestSetting = Field(default_factory=DailyRestSetting)
    short_rest: ShortRestSetting = Field(default_factory=ShortRestSetting)
    quick_return: QuickReturnSetting = Field(default_factory=QuickReturnSetting)
    weekly_rest: WeeklyRestSetting = Field(default_factory=WeeklyRestSetting)
    weekly_rest_rolling: WeeklyRestRollingSetting = Field(default_factory=WeeklyRestRollingSetting)
    max_daily_hours: MaxDailyHoursSetting = Field(default_factory=MaxDailyHoursSetting)
    max_weekly_hours: MaxWeeklyHoursSetting = Field(default_factory=MaxWeeklyHoursSetting)
    contract_hours: ContractHoursSetting = Field(default_factory=ContractHoursSetting)
    sunday_rule: SundayRuleSetting = Field(default_factory=SundayRuleSetting)
    weekend_frequency: WeekendFrequencySetting = Field(default_factory=WeekendFrequencySetting)
    max_consecutive_days: MaxConsecutiveDaysSetting = Field(default_factory=MaxConsecutiveDaysSetting)
    max_consecutive_nights: MaxConsecutiveNightsSetting = Field(default_factory=MaxConsecutiveNightsSetting)
    work_runs: WorkRunsSetting = Field(default_factory=WorkRunsSetting)
    off_runs: OffRunsSetting = Field(default_factory=OffRunsSetting)
    shift_runs: ShiftRunsSetting = Field(default_factory=ShiftRunsSetting)
    night_average: NightAverageSetting = Field(default_factory=NightAverageSetting)
    demand_coverage: DemandCoverageSetting = Field(default_factory=DemandCoverageSetting)
    wishes: WishesSetting = Field(default_factory=WishesSetting)
    fair_unsocial: FairUnsocialSetting = Field(default_factory=FairUnsocialSetting)
    complete_weekends: CompleteWeekendsSetting = Field(default_factory=CompleteWeekendsSetting)
    max_working_weekends: MaxWorkingWeekendsSetting = Field(default_factory=MaxWorkingWeekendsSetting)
    fair_weekends: FairWeekendsSetting = Field(default_factory=FairWeekendsSetting)
    shift_mix_week: ShiftMixWeekSetting = Field(default_factory=ShiftMixWeekSetting)
    forward_rotation: ForwardRotationSetting = Field(default_factory=ForwardRotationSetting)
    forbidden_successions: ForbiddenSuccessionsSetting = Field(default_factory=ForbiddenSuccessionsSetting)
    total_assignments: TotalAssignmentsSetting = Field(default_factory=TotalAssignmentsSetting)
    stability: StabilitySetting = Field(default_factory=StabilitySetting)
