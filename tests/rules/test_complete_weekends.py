"""complete_weekends: Saturday and Sunday worked together or both free; `weight` per split weekend. With
`friday_night` (default) a half is worked when a shift overlaps that calendar day (a Friday night works the
Saturday, a Saturday night both days); without, when a shift starts on it (INRC-II S5)."""

from __future__ import annotations

import datetime as dt

from helpers import (assert_consistent, assert_lawful_solve, check, person, solve, solver_edges, tiny, tiny_dict,
                     violations)
from models import Assignment, Level, validate_instance
from solver import check as run_check

RULE = "complete_weekends"


def inst(staff=1, rules=None, weeks=1, **kw):
    return tiny(staff, shifts=("D", "A", "N"), weeks=weeks, active=[RULE], rules=rules, **kw)


def split(cells, **kw) -> list:
    return violations(check(inst(**kw), cells), RULE)


def test_checker_both_days_or_none_is_complete():
    assert split([("p1", 5, "D"), ("p1", 6, "A")]) == []
    assert split([("p1", 0, "D"), ("p1", 4, "D")]) == []


def test_checker_one_day_is_split():
    for cells in ([("p1", 5, "D")], [("p1", 6, "A")]):
        got = split(cells)
        assert len(got) == 1 and got[0].penalty == 100 and got[0].level == Level.PREFERRED
        assert [d.isoformat() for d in got[0].dates] == ["2027-01-09", "2027-01-10"]


def test_checker_friday_night_counts_with_its_weekend():
    assert len(split([("p1", 4, "N")])) == 1  # Friday night alone works Saturday only
    assert split([("p1", 4, "N"), ("p1", 5, "N")]) == []  # Friday and Saturday nights: both days
    assert split([("p1", 5, "N")]) == []  # a Saturday night works Saturday and Sunday
    assert len(split([("p1", 6, "N")])) == 1  # Sunday night: Sunday only
    assert split([("p1", 4, "A")]) == []  # Friday evening ends 22:00 Friday


def test_checker_by_start_date_without_friday_night():
    by_date = {RULE: {"friday_night": False}}
    assert split([("p1", 4, "N")], rules=by_date) == []  # INRC-II: Friday is not the weekend
    assert len(split([("p1", 5, "N")], rules=by_date)) == 1  # Saturday's assignment only
    assert split([("p1", 5, "N"), ("p1", 6, "D")], rules=by_date) == []


def test_checker_counts_every_split_weekend_and_weight():
    got = split([("p1", 5, "D"), ("p1", 13, "D"), ("p1", 19, "D"), ("p1", 20, "D")], weeks=3,
                rules={RULE: {"weight": 7}})
    assert len(got) == 2 and sum(v.penalty for v in got) == 14


def test_checker_person_exempted_by_limits():
    staff = [person("p1", limits={"complete_weekends": False}), person("p2", limits={"complete_weekends": True})]
    r = check(inst(staff), [("p1", 5, "D"), ("p2", 5, "D")])
    assert [v.staff for v in violations(r, RULE)] == ["p2"]


def test_checker_edge_weekends_are_not_judged():
    # a period from a Sunday to a Saturday: its first and last weekends have one day inside
    data = tiny_dict(1, shifts=("D",), weeks=2, active=[RULE], lawful=False)
    data["period"]["start"] = "2027-01-10"
    unit = validate_instance(data, legal_floors=False)[0]
    cells = [Assignment(staff="p1", date=dt.date(2027, 1, 10), shift="D"),
             Assignment(staff="p1", date=dt.date(2027, 1, 23), shift="D")]
    assert violations(run_check(unit, cells), RULE) == []
    cells.append(Assignment(staff="p1", date=dt.date(2027, 1, 16), shift="D"))
    assert len(violations(run_check(unit, cells), RULE)) == 1


def test_solver_gives_whole_weekends():
    demand = [{"shift": "D", "weekdays": ["sat", "sun"], "slots": [{"min": 1}]}]
    r = solve(inst(2, weeks=2, demand=demand, rules={"demand_coverage": {}}))
    assert_lawful_solve(r)
    assert r.unfilled == [] and r.score.total == 0
    by_weekend = {}
    for a in r.assignments:
        if a.date.weekday() >= 5:
            by_weekend.setdefault((a.staff, a.date.isocalendar()[1]), set()).add(a.date.weekday())
    assert by_weekend and all(days == {5, 6} for days in by_weekend.values())


def test_solver_prices_a_forced_split():
    away = [person("p1", absences=[{"start_date": "2027-01-10"}])]  # Sunday off: the pinned Saturday splits
    r = solve(inst(away, pinned=[("p1", 5, "D")]))
    assert_consistent(r)
    assert len(violations(r, RULE)) == 1 and r.solve.objective == 100


def test_solver_edges():
    away = [person("p1", absences=[{"start_date": "2027-01-17"}])]  # the second Sunday off
    solver_edges(RULE, [("p1", 5, "D"), ("p1", 6, "D")], [("p1", 12, "D")], n_bad=1, staff=away,
                 shifts=("D", "A", "N"), weeks=2, active=[RULE], rules={RULE: {"level": "REQUIRED"}})
