"""Agreements (avtaler) a unit has made, and how far they let the rule settings go (AML chapter 10).

Why this is data: a rule setting in `models/rules.py` is a number a planner can type, but the law says how far it
may go, and how far depends on which agreements the employer has made. With the agreements recorded, validation
refuses a setting beyond what they allow (naming the agreement that would allow it), and every roster lists which
agreement each deviation from the law's general limits relies on (`Roster.deviations`).

The defaults describe the normal KS municipal care unit: a tariff-bound employer (bound by the KS
Hovedtariffavtale, tariffbundet) with an averaging agreement with the tillitsvalgte (§10-5(2): ≤ 12.5 h per 24 h,
≤ 54 h in a single week, 48 h averaged over 8 weeks) and written agreements averaging the Sunday rule (§10-8(4):
at most 3 Sundays or holidays in a row). The rule defaults (12.5 h, 54 h, 48 h, 3 Sundays) rely on these two.
With every agreement off the law's general limits apply: 9 h per 24 h and 40 h per 7 days (§10-4(1); 38 h or
36 h for døgnkontinuerlig or helkontinuerlig turnus, §10-4(4)-(5), are stricter still and not derived here),
11 h daily and 35 h weekly rest (§10-8(1)-(2)), off the Sunday after a worked one (§10-8(4)), night workers
≤ 8 h per 24 h on average over 4 weeks (§10-11(5)). Source: ../shared/domain.md §1.1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from .common import Level, Strict
from .rules import Rules

StatutoryRule = Literal[
    "daily_rest",
    "weekly_rest",
    "weekly_rest_rolling",
    "max_daily_hours",
    "max_weekly_hours",
    "sunday_rule",
    "night_average",
]

STATUTORY_RULES: dict[str, str] = {
    "daily_rest": "AML §10-8(1)",
    "weekly_rest": "AML §10-8(2)",
    "weekly_rest_rolling": "AML §10-8(2)",
    "max_daily_hours": "AML §10-4(1), §10-5",
    "max_weekly_hours": "AML §10-4(1), §10-5",
    "sunday_rule": "AML §10-8(4), §10-10",
    "night_average": "AML §10-11(5)",
}
"""The rules that carry a statute (rule id -> paragraph): never OFF; PREFERRED only where an agreement allows it.
The others (contract hours, weekends, consecutive days and nights, demand, wishes, fairness) are tariff or local
practice and may be set freely."""


class UnionException(Strict):
    """AML §10-12(4): an exception to §§10-2 to 10-11 agreed by a union with innstillingsrett, e.g. NSF centrally
    for langvakter over 12.5 h. It allows only what it states: a longer working day and/or the statutory rules it
    lets the planner weigh (PREFERRED, each breach priced and reported) instead of require."""

    max_daily_hours: float | None = Field(
        default=None, gt=12.5, le=16, description="agreed longest working day, h per 24 h (above 12.5, at most 16)"
    )
    preferred: list[StatutoryRule] = Field(
        default_factory=list, description="statutory rules the agreement lets be PREFERRED instead of REQUIRED"
    )


class Agreements(Strict):
    """Which working-time agreements the unit has (each with the limits the law gives it, AML chapter 10).

    Defaults: the normal KS municipal unit, tariff-bound, with an averaging agreement with the tillitsvalgte and
    written Sunday averaging; everything else off (see the module docstring).
    """

    tariff_bound: bool = Field(
        default=True,
        description="employer bound by a tariff agreement (KS HTA): needed for the agreements with tillitsvalgte, "
        "§10-5(2), §10-8(3), §10-11(9), §10-12(4)",
    )
    averaging_tillitsvalgte: bool = Field(
        default=True,
        description="averaging agreed with the tillitsvalgte, AML §10-5(2): ≤ 12.5 h/24 h, ≤ 54 h in a single week, "
        "48 h averaged over 8 weeks",
    )
    averaging_individual: bool = Field(
        default=False,
        description="written individual averaging agreement, AML §10-5(1): ≤ 10 h/24 h, ≤ 50 h in a single week, "
        "48 h averaged over 8 weeks",
    )
    arbeidstilsynet_consent: bool = Field(
        default=False,
        description="averaging with Arbeidstilsynet's consent, AML §10-5(3): ≤ 13 h/24 h, 48 h averaged over "
        "8 weeks (no single-week cap above 48 h is read into it)",
    )
    shorter_rest: bool = Field(
        default=False,
        description="shorter rest agreed with the tillitsvalgte, AML §10-8(3): daily rest ≥ 8 h, weekly rest ≥ 28 h, "
        "compensating rest owed (priced by short_rest)",
    )
    sunday_averaging: bool = Field(
        default=True,
        description="written agreement averaging Sunday/holiday work over ≤ 26 weeks, AML §10-8(4): at most "
        "3 Sundays in a row (without it: off the Sunday after a worked one)",
    )
    night_deviation: bool = Field(
        default=False,
        description="night-work deviation agreed by the tariff parties with compensating rest, AML §10-11(9): the "
        "8 h night average (night_average) may be lifted",
    )
    union_exception: UnionException | None = Field(
        default=None, description="exception agreed by a union with innstillingsrett, AML §10-12(4)"
    )
    week_boundary: bool = Field(
        default=False,
        description="a week boundary other than Sunday/Monday midnight agreed (AML §10-8: unless agreed otherwise "
        "the week breaks between Sunday and Monday); needed for `period.week_start` other than monday",
    )


class Deviation(Strict):
    """A rule setting beyond the law's general limit and the recorded agreement that allows it (roster output)."""

    setting: str = Field(description="rule id and field, e.g. `max_daily_hours.max_hours`")
    value: bool | int | float | str
    statutory: bool | int | float | str = Field(description="the law's general limit without any agreement")
    limit: bool | int | float | str = Field(description="the most the agreement allows")
    agreement: str = Field(description="field of `Instance.agreements` the deviation relies on")
    source: str = Field(description="paragraph of the agreement's limit")


@dataclass(frozen=True)
class Allowance:
    """What one agreement allows for one setting: `granted(agreements)` is its limit when recorded, else None;
    `limit` is that limit (the most it could be, for agreements that state their own)."""

    agreement: str
    limit: float
    source: str
    granted: Callable[[Agreements], float | None]


def _flag(name: str, limit: float, source: str) -> Allowance:
    return Allowance(name, limit, source, lambda ag: limit if getattr(ag, name) else None)


def _union_day(ag: Agreements) -> float | None:
    return ag.union_exception.max_daily_hours if ag.union_exception is not None else None


@dataclass(frozen=True)
class Limit:
    """The law's general limit of one numeric setting and the agreements that move it. `floor`: the value may not
    be below the limit (rest hours); otherwise not above it. `when`: the setting only counts when this holds."""

    rule: str
    field: str
    statutory: int | float
    source: str
    unit: str
    floor: bool = False
    allowances: tuple[Allowance, ...] = ()
    when: Callable[[Any], bool] | None = None

    def beyond(self, value: float, limit: float) -> bool:
        return value < limit if self.floor else value > limit


SHORTER_REST = "AML §10-8(3)"
LIMITS: tuple[Limit, ...] = (
    Limit("daily_rest", "min_hours", 11, "AML §10-8(1)", "h", True, (_flag("shorter_rest", 8, SHORTER_REST),)),
    Limit(
        "daily_rest",
        "floor_hours",
        11,
        "AML §10-8(1)",
        "h",
        True,
        (_flag("shorter_rest", 8, SHORTER_REST),),
        when=lambda s: s.local_agreement,
    ),
    Limit("weekly_rest", "min_hours", 35, "AML §10-8(2)", "h", True, (_flag("shorter_rest", 28, SHORTER_REST),)),
    Limit(
        "weekly_rest_rolling", "min_hours", 35, "AML §10-8(2)", "h", True, (_flag("shorter_rest", 28, SHORTER_REST),)
    ),
    Limit("weekly_rest_rolling", "max_gap_hours", 168, "AML §10-8(2)", "h"),
    Limit(
        "max_daily_hours",
        "max_hours",
        9,
        "AML §10-4(1)",
        "h",
        allowances=(
            _flag("averaging_individual", 10, "AML §10-5(1)"),
            _flag("averaging_tillitsvalgte", 12.5, "AML §10-5(2)"),
            _flag("arbeidstilsynet_consent", 13, "AML §10-5(3)"),
            Allowance("union_exception", 16, "AML §10-12(4)", _union_day),
        ),
    ),
    Limit(
        "max_weekly_hours",
        "max_hours_7d",
        40,
        "AML §10-4(1)",
        "h",
        allowances=(
            _flag("arbeidstilsynet_consent", 48, "AML §10-5(3)"),
            _flag("averaging_individual", 50, "AML §10-5(1)"),
            _flag("averaging_tillitsvalgte", 54, "AML §10-5(2)"),
        ),
    ),
    Limit(
        "max_weekly_hours",
        "max_avg_hours",
        40,
        "AML §10-4(1)",
        "h",
        allowances=(
            _flag("averaging_tillitsvalgte", 48, "AML §10-5(2)"),
            _flag("averaging_individual", 48, "AML §10-5(1)"),
            _flag("arbeidstilsynet_consent", 48, "AML §10-5(3)"),
        ),
    ),
    Limit("max_weekly_hours", "avg_weeks", 8, "AML §10-5", "weeks"),
    Limit(
        "sunday_rule",
        "max_consecutive",
        1,
        "AML §10-8(4)",
        "Sunday(s) in a row",
        allowances=(_flag("sunday_averaging", 3, "AML §10-8(4)"),),
    ),
    Limit(
        "night_average",
        "max_avg_hours",
        8,
        "AML §10-11(5)",
        "h",
        allowances=(_flag("night_deviation", 16, "AML §10-11(9)"),),
        when=lambda s: not s.deviation_agreed,
    ),
    Limit(
        "night_average",
        "window_weeks",
        4,
        "AML §10-11(5)",
        "weeks",
        allowances=(_flag("night_deviation", 12, "AML §10-11(9)"),),
        when=lambda s: not s.deviation_agreed,
    ),
)
"""Every numeric setting the law limits, with the agreements that move the limit (domain.md §1.1)."""

FLAGS: tuple[tuple[str, str, str, str], ...] = (
    ("daily_rest", "local_agreement", "shorter_rest", SHORTER_REST),
    ("night_average", "deviation_agreed", "night_deviation", "AML §10-11(9)"),
)
"""Switches in the rule settings that claim an agreement: (rule, field, agreement, paragraph)."""

NEEDS_TARIFF: dict[str, str] = {
    "averaging_tillitsvalgte": "AML §10-5(2)",
    "shorter_rest": SHORTER_REST,
    "night_deviation": "AML §10-11(9)",
    "union_exception": "AML §10-12(4)",
}
"""Agreements only a tariff-bound employer can make (with tillitsvalgte or a union)."""


@dataclass(frozen=True)
class Finding:
    """One setting the recorded agreements do not allow: a stable code, where, and a readable line."""

    code: str
    loc: str
    message: str


def _fmt(value: float, unit: str) -> str:
    return f"{value:g} {unit}"


def _has(ag: Agreements, name: str) -> bool:
    return bool(getattr(ag, name))


def preferred_by(rule: str, ag: Agreements) -> list[tuple[str, str]]:
    """The recorded agreements that let statutory `rule` be PREFERRED: (agreement, paragraph)."""
    out = []
    if rule == "night_average" and ag.night_deviation:
        out.append(("night_deviation", "AML §10-11(9)"))
    if ag.union_exception is not None and rule in ag.union_exception.preferred:
        out.append(("union_exception", "AML §10-12(4)"))
    return out


def _levels(rules: Rules, ag: Agreements, found: list[Finding], devs: list[Deviation]) -> None:
    for rule, source in STATUTORY_RULES.items():
        level = getattr(rules, rule).level
        loc = f"rules.{rule}.level"
        how = "agreements.union_exception listing it in `preferred` (AML §10-12(4))" + (
            " or agreements.night_deviation (AML §10-11(9))" if rule == "night_average" else ""
        )
        if level == Level.OFF:
            found.append(
                Finding(
                    "statutory_rule_off",
                    loc,
                    f"{rule} is a statutory rule ({source}) and cannot be OFF; it may be PREFERRED only with {how}",
                )
            )
        elif level == Level.PREFERRED:
            by = preferred_by(rule, ag)
            if by:
                name, para = by[0]
                devs.append(
                    Deviation(
                        setting=f"{rule}.level",
                        value="PREFERRED",
                        statutory="REQUIRED",
                        limit="PREFERRED",
                        agreement=name,
                        source=para,
                    )
                )
            else:
                found.append(
                    Finding(
                        "statutory_rule_preferred",
                        loc,
                        f"{rule} is a statutory rule ({source}); it may be PREFERRED only with {how}",
                    )
                )


def _limit(lim: Limit, rules: Rules, ag: Agreements, found: list[Finding], devs: list[Deviation]) -> None:
    setting = getattr(rules, lim.rule)
    if not setting.active or (lim.when is not None and not lim.when(setting)):
        return
    value = getattr(setting, lim.field)
    if not lim.beyond(value, lim.statutory):
        return
    name = f"{lim.rule}.{lim.field}"
    granted = [(a, g) for a in lim.allowances if (g := a.granted(ag)) is not None]
    covering = [(a, g) for a, g in granted if not lim.beyond(value, g)]
    if covering:  # the least permissive recorded agreement that allows the value is the one relied on
        a, g = max(covering, key=lambda x: x[1]) if lim.floor else min(covering, key=lambda x: x[1])
        devs.append(
            Deviation(
                setting=name, value=value, statutory=lim.statutory, limit=g, agreement=a.agreement, source=a.source
            )
        )
        return
    side = "below the legal floor" if lim.floor else "above the legal limit"
    msg = f"{_fmt(value, lim.unit)} is {side} of {_fmt(lim.statutory, lim.unit)} ({lim.source})"
    if granted:
        a, g = min(granted, key=lambda x: x[1]) if lim.floor else max(granted, key=lambda x: x[1])
        msg += f", {_fmt(g, lim.unit)} with the recorded agreements (agreements.{a.agreement}, {a.source})"
    else:
        msg += " without agreements"
    possible = [a for a in lim.allowances if ag.tariff_bound or a.agreement not in NEEDS_TARIFF]
    would = [a for a in possible if a.granted(ag) is None and not lim.beyond(value, a.limit)]
    if would:
        a = max(would, key=lambda x: x.limit) if lim.floor else min(would, key=lambda x: x.limit)
        msg += f"; agreements.{a.agreement} ({a.source}) would allow it"
    elif lim.allowances:
        edge = min(lim.allowances, key=lambda x: x.limit) if lim.floor else max(lim.allowances, key=lambda x: x.limit)
        least_most = "less than" if lim.floor else "more than"
        msg += f"; no agreement allows {least_most} {_fmt(edge.limit, lim.unit)} ({edge.source})"
    else:
        msg += "; no agreement allows it"
    found.append(Finding("beyond_legal_floor", f"rules.{name}", msg))


def legal_review(rules: Rules, ag: Agreements) -> tuple[list[Finding], list[Deviation]]:
    """The settings the recorded agreements do not allow (coded findings) and the deviations they do allow."""
    found: list[Finding] = []
    devs: list[Deviation] = []
    if not ag.tariff_bound:
        for name, para in NEEDS_TARIFF.items():
            if _has(ag, name):
                found.append(
                    Finding(
                        "agreement_not_possible",
                        f"agreements.{name}",
                        f"agreements.{name} ({para}) needs a tariff-bound employer (agreements.tariff_bound)",
                    )
                )
    _levels(rules, ag, found, devs)
    for rule, fld, name, para in FLAGS:
        setting = getattr(rules, rule)
        if not setting.active or not getattr(setting, fld):
            continue
        if _has(ag, name):
            devs.append(
                Deviation(setting=f"{rule}.{fld}", value=True, statutory=False, limit=True, agreement=name, source=para)
            )
        else:
            found.append(
                Finding(
                    "agreement_missing",
                    f"rules.{rule}.{fld}",
                    f"{rule}.{fld} needs agreements.{name} ({para}); record the agreement or set it to false",
                )
            )
    for lim in LIMITS:
        _limit(lim, rules, ag, found, devs)
    return found, devs


def week_review(week_start: str, ag: Agreements) -> tuple[list[Finding], list[Deviation]]:
    """A plan week starting on another day than Monday needs the agreed week boundary (`week_boundary`)."""
    if week_start == "monday":
        return [], []
    if not ag.week_boundary:
        msg = f"period.week_start {week_start} needs agreements.week_boundary (AML §10-8: the week breaks between "
        msg += "Sunday and Monday unless agreed otherwise); record the agreement or use monday"
        return [Finding("agreement_missing", "period.week_start", msg)], []
    dev = Deviation(
        setting="period.week_start",
        value=week_start,
        statutory="monday",
        limit=week_start,
        agreement="week_boundary",
        source="AML §10-8",
    )
    return [], [dev]


def deviations(rules: Rules, ag: Agreements, week_start: str = "monday") -> list[Deviation]:
    """Which recorded agreement each setting beyond the law's general limit relies on (for the roster output)."""
    return legal_review(rules, ag)[1] + week_review(week_start, ag)[1]
