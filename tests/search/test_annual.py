"""Årsturnus (issue 14): a year plan's start from a grunnturnus rolled over the year and repaired around ferie and
holidays (solver/search/annual.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from models.generate import generate
from solver import SolveOptions, solve
from solver.index import build_index
from solver.search import annual


@pytest.fixture(scope="module")
def year():
    return generate("small", weeks=26, seed=1)


def test_roll_repeats_each_line_from_its_offset():
    base = np.arange(28).reshape(2, 14)
    out = annual.roll(base, 30, offset=3)
    assert out.shape == (2, 30)
    assert out[0, :11].tolist() == list(range(3, 14))  # day 0 is base day 3
    assert out[0, 11] == 0 and out[1, 11] == 14  # then the base starts over
    assert (out[:, 14:28] == annual.roll(base, 28, 3)[:, 0:14]).all()  # period 14


def test_base_instance_is_ordinary_weeks_of_the_same_unit(year):
    base, offset = annual.base_instance(year, 6)
    assert base.period.weeks == 6 and offset == 0
    assert base.period.start == year.period.start and base.period.start.weekday() == 0
    assert getattr(base.period, "cyclic", True)
    assert [s.id for s in base.staff] == [s.id for s in year.staff]
    assert all(not s.absences for s in base.staff) and any(s.absences for s in year.staff)
    assert base.rules == year.rules and base.shift_types == year.shift_types


def test_base_starts_on_the_plan_week_of_a_mid_week_start():
    inst = generate("small", weeks=26, seed=1, start=dt.date(2027, 1, 6))  # a Wednesday
    base, offset = annual.base_instance(inst, 6)
    assert offset == 2 and base.period.start == dt.date(2027, 1, 4)


def test_rolled_state_is_off_on_ferie(year):
    idx = build_index(year)
    base = np.zeros((idx.S, 42), dtype=np.int64)  # everyone on shift 0 every day
    state = annual.rolled_state(idx, base, 0)
    away = idx.absent_day.astype(bool)
    assert away.any() and (state.shift[away] == -1).all()
    assert (state.shift[~away & idx.allowed[:, :, 0]] == 0).all()


def test_repair_days_cover_the_violation_and_the_weeks_around_ferie(year):
    idx = build_index(year)
    s = next(i for i in range(idx.S) if idx.absent_day[i].any())
    free = annual.repair_days(idx, s, [[50, 51]], margin=7)
    assert free[43:59].all() and not free[:43].any() and not free[59:].any()
    free = annual.repair_days(idx, s, [[]], margin=7)  # a rule over the whole period: around the ferie blocks
    for a, b in annual.absence_blocks(idx, s):
        assert free[max(0, a - 7) : min(idx.D, b + 7)].all()
    assert not free.all()


def test_the_annual_path_returns_a_lawful_year_plan_with_ferie_kept(year, monkeypatch):
    assert annual.is_annual(year)
    monkeypatch.setattr(annual, "BASE_MOVES", 5)  # one worker: the base plan's LNS stops after 5 moves
    roster = solve(year, SolveOptions(time_limit_s=120, workers=1, seed=1, max_moves=1))
    assert roster.lawful, [v.rule for v in roster.violations if v.level == "REQUIRED"]
    assert roster.solve is not None and roster.solve.engine == "lns"
    away = {
        (p.id, a.start_date + dt.timedelta(days=k))
        for p in year.staff
        for a in p.absences
        if a.start_date and a.end_date
        for k in range((a.end_date - a.start_date).days + 1)
    }
    assert away and not any((a.staff, a.date) in away for a in roster.assignments)


def test_a_line_the_repair_finds_nothing_for_is_tried_again(year, monkeypatch):
    """The first repair of the first broken line finds nothing (as a busy machine's time limit would): the retry
    repairs it with another seed and the start is lawful, with nobody left for the monolithic explain path."""
    import time

    from solver.search.domain import DomainProblem
    from solver.search.subproblem import state_view
    from solver.checker import audit_all

    monkeypatch.setattr(annual, "BASE_MOVES", 5)
    real = annual.solve_line
    seen: list[int] = []

    def unlucky(problem, state, s, *args, **kwargs):
        if not seen or seen[0] == s and len(seen) < 3:  # every attempt of the first person's first repair
            seen.append(s)
            return None, "UNKNOWN"
        return real(problem, state, s, *args, **kwargs)

    monkeypatch.setattr(annual, "solve_line", unlucky)
    idx = build_index(year)
    problem = DomainProblem(year, idx)
    t0 = time.perf_counter()
    stats = annual.AnnualStats()
    state, failed = annual.annual_start(problem, 120, 1, 1, t0, t0 + 120, stats=stats)
    assert len(seen) == 3 and stats.rolled_bad >= 1  # the first person's three attempts all failed
    assert failed == [] and stats.failed == 0
    assert not [v for v in audit_all(state_view(idx, state)) if v.level == "REQUIRED"]


def test_a_year_re_planned_for_a_raised_position_is_repaired_not_rebuilt(year, monkeypatch):
    """Re-planning a year plan whose hint breaks a REQUIRED rule (one position raised: too few hours for it) repairs
    that person's line around what breaks and keeps everyone else's."""
    from scenarios.runner import with_positions

    monkeypatch.setattr(annual, "BASE_MOVES", 5)
    first = solve(year, SolveOptions(time_limit_s=120, workers=1, seed=1, max_moves=1))
    assert first.lawful
    part = next(p for p in year.staff if p.position_pct <= 80)
    raised = with_positions(year, {p.id: p.position_pct + (20 if p is part else 0) for p in year.staff})
    again = solve(raised, SolveOptions(time_limit_s=60, workers=1, seed=1, max_moves=0, hint=first.assignments))
    assert again.lawful, [v.rule for v in again.violations if v.level == "REQUIRED"]
    before = {(a.staff, a.date): a.shift for a in first.assignments}
    after = {(a.staff, a.date): a.shift for a in again.assignments}
    others = {k for k in before.keys() | after.keys() if k[0] != part.id}
    assert all(before.get(k) == after.get(k) for k in others)  # nobody else moved
    mine = sum(1 for k in after if k[0] == part.id) - sum(1 for k in before if k[0] == part.id)
    assert mine > 0  # more shifts for the bigger position
