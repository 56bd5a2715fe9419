"""Tiny-instance builders for rule, property and CLI tests.

`tiny()` builds a unit of 1-3 staff over 1-4 weeks starting on a Monday with real clock times, with every
rule OFF except the ones named in `active` (so a test only sees the rule it is about), plus per-rule overrides.
Days are given as offsets from the Monday the period starts on.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from models import Assignment, Instance, Level
from models.agreements import STATUTORY_RULES
from models.rules import Rules

MONDAY = dt.date(2027, 1, 4)  # a Monday

SHIFTS: dict[str, dict] = {
    "D": {"code": "D", "start": "07:30", "end": "15:00"},  # 7.5 h day
    "M": {"code": "M", "start": "10:00", "end": "17:30"},  # 7.5 h middle
    "A": {"code": "A", "start": "14:30", "end": "22:00"},  # 7.5 h evening
    "N": {"code": "N", "start": "21:45", "end": "07:45"},  # 10 h night
    "N8": {"code": "N8", "start": "22:00", "end": "06:00"},  # 8 h night
    "LD": {"code": "LD", "start": "08:00", "end": "20:30"},  # 12.5 h long day
    "E": {"code": "E", "start": "07:00", "end": "15:00"},  # 8 h early
    "L": {"code": "L", "start": "15:00", "end": "23:00"},  # 8 h late
    "X": {"code": "X", "start": "10:00", "end": "20:30"},  # 10.5 h (long)
}

RULE_IDS: tuple[str, ...] = tuple(Rules.model_fields)


def day(i: int) -> dt.date:
    return MONDAY + dt.timedelta(days=i)


def person(sid: str, group: str = "helsefagarbeider", pct: float = 100, **kw) -> dict:
    return {"id": sid, "group": group, "position_pct": pct, **kw}


def shift(code: str, start: str | None = None, end: str | None = None, **kw) -> dict:
    """A known shift type by code, or a new one when `start`/`end` are given."""
    if start is None:
        return {**SHIFTS[code], **kw}
    return {"code": code, "start": start, "end": end, **kw}


def rules_dict(active: Iterable[str] = (), lawful: bool = False, **overrides: dict) -> dict:
    """Every rule OFF except `active` (at its default level, REQUIRED for hard-capable rules); overrides win.
    `lawful`: the statutory rules (models.agreements.STATUTORY_RULES) stay at their defaults too, so the unit
    passes the legal floors of `validate_instance`."""
    active = set(active) | set(overrides) | (set(STATUTORY_RULES) if lawful else set())
    out: dict[str, dict] = {}
    for rid in RULE_IDS:
        cfg = dict(overrides.get(rid, {}))
        if rid not in active:
            cfg.setdefault("level", "OFF")
        out[rid] = cfg
    return out


def tiny_dict(staff: list[dict] | int = 1, shifts: Iterable[str | dict] = ("D", "A", "N"), weeks: int = 1,
              active: Iterable[str] = (), rules: dict | None = None, demand: list[dict] | None = None,
              pinned: Iterable[tuple[str, int, str]] = (), lawful: bool = True, **extra) -> dict:
    """A tiny unit as JSON data. `lawful` (default): the statutory rules stay on at their defaults, so the data
    passes `validate_instance` as a CLI or service input; `tiny()` switches them off to isolate one rule."""
    if isinstance(staff, int):
        staff = [person(f"p{i + 1}") for i in range(staff)]
    return {
        "id": "tiny",
        "period": {"start": MONDAY.isoformat(), "weeks": weeks},
        "staff": staff,
        "shift_types": [SHIFTS[s] if isinstance(s, str) else s for s in shifts],
        "demand": demand or [],
        "rules": rules_dict(active, lawful, **(rules or {})),
        "pinned": [{"staff": s, "date": day(d).isoformat(), "shift": t} for s, d, t in pinned],
        **extra,
    }


def tiny(*args, **kw) -> Instance:
    """A validated tiny instance (see `tiny_dict`). The legal floors are not applied: a rule's tests switch the
    other statutory rules off to see that rule alone (tests/test_legal_floors.py tests the floors)."""
    from models import validate_instance

    return validate_instance(tiny_dict(*args, lawful=False, **kw), legal_floors=False)[0]


def asg(cells: Iterable[tuple[str, int, str]]) -> list[Assignment]:
    """Assignments from (staff, day offset, shift code) triples."""
    return [Assignment(staff=s, date=day(d), shift=t) for s, d, t in cells]


def every_day(sid: str, code: str, days: Iterable[int]) -> list[tuple[str, int, str]]:
    return [(sid, d, code) for d in days]


def check(inst: Instance, cells: Iterable[tuple[str, int, str]]):
    from solver import check as _check

    return _check(inst, asg(cells))


def violations(roster, rule: str) -> list:
    return [v for v in roster.violations if v.rule == rule]


def hard(roster) -> list:
    return [v for v in roster.violations if v.level == Level.REQUIRED]


def solve(inst: Instance, time_limit_s: float = 5.0, **kw):
    from solver import SolveOptions, solve as _solve

    return _solve(inst, SolveOptions(time_limit_s=time_limit_s, workers=1, seed=0, **kw))


def cells_of(roster) -> set[tuple[str, int, str]]:
    return {(a.staff, (a.date - MONDAY).days, a.shift) for a in roster.assignments}


def assert_consistent(roster) -> None:
    """Solver objective equals the checker's score, and the solve produced a solution."""
    assert roster.solve is not None
    assert roster.solve.objective is not None, roster.solve
    assert roster.solve.objective == roster.score.total, (roster.solve, roster.score)


def assert_lawful_solve(roster) -> None:
    assert_consistent(roster)
    assert not roster.solve.status.endswith("_RELAXED"), roster.solve
    assert not hard(roster), hard(roster)
    assert not roster.conflicts, roster.conflicts


def assert_relaxed_for(roster, rule: str, n: int | None = None) -> None:
    """Pins broke `rule`: the solver names it as a conflict, relaxes, and the checker lists its violation."""
    assert_consistent(roster)
    assert roster.solve.status.endswith("_RELAXED"), roster.solve
    assert any(c.rule == rule for c in roster.conflicts), roster.conflicts
    got = violations(roster, rule)
    assert got and all(v.level == Level.REQUIRED for v in got), roster.violations
    if n is not None:
        assert len(got) == n, got
    assert {v.rule for v in hard(roster)} == {rule}, hard(roster)


def pins_kept(inst: Instance, roster) -> bool:
    have = cells_of(roster)
    return all((a.staff, (a.date - MONDAY).days, a.shift) in have for a in inst.pinned)


def with_level(rule_over: dict | None, rule: str, level: str, weight: int | None = None) -> dict:
    out = {k: dict(v) for k, v in (rule_over or {}).items()}
    out.setdefault(rule, {})["level"] = level
    if weight is not None:
        out[rule]["weight"] = weight
    return out


def solver_edges(rule: str, ok_pins, bad_pins, n_bad: int | None = None, weight: int = 7, **kw) -> None:
    """The three solver-side checks for one rule, forced by pins:
    at the limit -> lawful and OPTIMAL; beyond -> conflict named, relaxed, checker lists the violation;
    PREFERRED -> not relaxed, the violation is priced and the objective equals the checker's score."""
    rules = kw.pop("rules", None)
    ok = solve(tiny(pinned=ok_pins, rules=rules, **kw))
    assert_lawful_solve(ok)
    assert not violations(ok, rule)
    bad_inst = tiny(pinned=bad_pins, rules=rules, **kw)
    bad = solve(bad_inst)
    assert_relaxed_for(bad, rule, n_bad)
    assert pins_kept(bad_inst, bad)
    soft_inst = tiny(pinned=bad_pins, rules=with_level(rules, rule, "PREFERRED", weight), **kw)
    soft = solve(soft_inst)
    assert_consistent(soft)
    assert not soft.solve.status.endswith("_RELAXED") and not soft.conflicts, (soft.solve, soft.conflicts)
    got = violations(soft, rule)
    assert got and all(v.level == Level.PREFERRED for v in got), soft.violations
    if n_bad is not None:
        assert len(got) == n_bad
    assert pins_kept(soft_inst, soft)
