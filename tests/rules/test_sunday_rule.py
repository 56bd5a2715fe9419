"""sunday_rule (AML §10-8(4)): at most 3 Sundays or holidays worked in a row; Sunday work is work inside the window
from 18:00 the day before to 22:00 (AML §10-10), so a Saturday evening or night shift is Sunday work."""

from __future__ import annotations

from helpers import check, solve, solver_edges, tiny, violations, assert_lawful_solve
from solver.weights import HARD_WEIGHT

SUNDAYS = [6, 13, 20, 27]


def inst(**kw):
    return tiny(1, shifts=("D", "A", "N"), weeks=4, active=["sunday_rule"], **kw)


def test_checker_three_in_a_row_is_fine():
    assert check(inst(), [("p1", d, "D") for d in SUNDAYS[:3]]).violations == []


def test_checker_four_in_a_row():
    got = violations(check(inst(), [("p1", d, "D") for d in SUNDAYS]), "sunday_rule")
    assert len(got) == 1 and got[0].penalty == HARD_WEIGHT
    assert [d.day for d in got[0].dates] == [10, 17, 24, 31]


def test_checker_saturday_night_counts_as_sunday():
    cells = [("p1", d, "D") for d in SUNDAYS[:3]] + [("p1", 26, "N")]
    assert len(violations(check(inst(), cells), "sunday_rule")) == 1
    # so does a Saturday evening shift ending 22:00 (it covers 18:00-22:00 on the eve) ...
    cells = [("p1", d, "D") for d in SUNDAYS[:3]] + [("p1", 26, "A")]
    assert len(violations(check(inst(), cells), "sunday_rule")) == 1
    # ... but not a Saturday day shift ending 15:00
    cells = [("p1", d, "D") for d in SUNDAYS[:3]] + [("p1", 26, "D")]
    assert check(inst(), cells).violations == []


def test_checker_holidays_count_as_sundays():
    # March 2027: Sundays 14 and 21, then Maundy Thursday 25 + Good Friday 26 (one window: Wed 18:00 - Fri 22:00),
    # then Easter (window from påskeaften Sat 15:00 to Easter Monday 22:00)
    easter = {"start": "2027-03-08", "weeks": 4}
    i = tiny(1, shifts=("D", "A", "N"), active=["sunday_rule"], period=easter)
    # days are offsets from Monday 4 Jan in the helpers: use dates through a small shim
    cells = [(6, "D"), (13, "D"), (17, "D"), (21, "D")]  # Sun 14, Sun 21, Thu 25, Mon 29 (Easter Monday)
    got = check_dates(i, cells)
    assert len(violations(got, "sunday_rule")) == 1
    # without the Easter Monday: three in a row, fine; and Easter Saturday's day shift is no Sunday work
    assert violations(check_dates(i, cells[:3] + [(19, "D")]), "sunday_rule") == []
    # Easter Saturday's evening (from 15:00, påskeaften) is
    assert len(violations(check_dates(i, cells[:3] + [(19, "A")]), "sunday_rule")) == 1


def check_dates(i, cells):
    import datetime as dt

    from models import Assignment
    from solver import check as _check

    return _check(i, [Assignment(staff="p1", date=i.period.start + dt.timedelta(days=d), shift=t) for d, t in cells])


def test_checker_sunday_night_counts():
    cells = [("p1", d, "D") for d in SUNDAYS[:3]] + [("p1", 27, "N")]
    assert len(violations(check(inst(), cells), "sunday_rule")) == 1


def test_checker_a_free_sunday_resets():
    cells = [("p1", d, "D") for d in (6, 13, 27)]
    assert check(inst(), cells).violations == []


def test_checker_max_consecutive_one():
    r = check(inst(rules={"sunday_rule": {"max_consecutive": 1}}), [("p1", 6, "D"), ("p1", 13, "D")])
    assert len(violations(r, "sunday_rule")) == 1


def test_solver_edges():
    solver_edges("sunday_rule", [("p1", d, "D") for d in SUNDAYS[:3]], [("p1", d, "D") for d in SUNDAYS],
                 n_bad=1, staff=1, shifts=("D", "A", "N"), weeks=4, active=["sunday_rule"])


def test_solver_leaves_a_sunday_open():
    demand = [{"shift": "D", "weekdays": ["sun"], "slots": [{"min": 1}]}]
    r = solve(inst(demand=demand, rules={"demand_coverage": {}}))
    assert_lawful_solve(r)
    assert sum(a.shift == "D" and a.date.weekday() == 6 for a in r.assignments) == 3
    assert r.score.total == 10_000
