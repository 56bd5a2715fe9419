"""off_runs: consecutive days off in series of min_days (2) to max_days, per day short or over (soft). A whole-day
absence (ferie, sick leave) is neither a day off nor work: it breaks a series without making it short and does not
count toward the maximum; history days without a shift are days off."""

from __future__ import annotations

from helpers import assert_consistent, check, person, solve, tiny, violations
from runs_helpers import hist, model_price

RULE = "off_runs"


def inst(staff=1, weeks=2, rules=None, **kw):
    return tiny(staff, shifts=("D", "A", "N"), weeks=weeks, active=[RULE], rules=rules, **kw)


def priced(i, cells):
    r = check(i, cells)
    assert model_price(i, cells) == r.score.total
    return sorted((v.amount, v.penalty) for v in violations(r, RULE))


def work_except(off_days, n=14):
    return [("p1", d, "D") for d in range(n) if d not in off_days]


def test_single_day_off_costs_one_day_short():
    assert priced(inst(), work_except({4})) == [(1, 100)]


def test_days_off_in_pairs_are_fine():
    assert priced(inst(), work_except({4, 5, 10, 11, 12})) == []


def test_edges_pay_no_shortfall():
    # a day off on day 0 (nothing known before) and on the last day (the series may go on)
    assert priced(inst(), work_except({0, 13})) == []


def test_maximum_days_off():
    i = inst(rules={RULE: {"min_days": 1, "max_days": 3, "weight": 4}})
    assert priced(i, work_except({2, 3, 4, 5, 6})) == [(2, 8)]


def test_absence_is_not_a_day_off():
    staff = [person("p1", absences=[{"start_date": "2027-01-08", "end_date": "2027-01-12"}])]  # days 4-8
    i = inst(staff=staff, rules={RULE: {"max_days": 2}})
    absent = {4, 5, 6, 7, 8}
    # day 3 off just before the ferie and day 9 just after it: cut by the absence, not short
    assert priced(i, work_except(absent | {3, 9})) == []
    # the ferie does not lengthen the days off around it toward the maximum: 2 + 2
    assert priced(i, work_except(absent | {2, 3, 9, 10})) == []
    # a single day off elsewhere still pays
    assert priced(i, work_except(absent | {11})) == [(1, 100)]


def test_history_continues_the_first_series():
    # worked on day -2, off on day -1: the day off on day 0 completes a pair
    i = inst(history=hist([("p1", -2, "D")]))
    assert priced(i, work_except({0})) == []
    # worked on day -3, off on day -2, worked on day -1: the history's lone day off ended on day -1, inside the
    # history, so nothing is priced; a lone day off on day 1 is
    i = inst(history=hist([("p1", -3, "D"), ("p1", -1, "D")]))
    assert priced(i, work_except({1})) == [(1, 100)]


def test_person_limits_override_the_unit():
    staff = [person("p1", limits={"min_consecutive_days_off": 3}), person("p2")]
    cells = work_except({4, 5}) + [("p2", d, "D") for d in range(14) if d not in (4, 5)]
    assert priced(inst(staff=staff), cells) == [(1, 100)]


def test_solver_gives_days_off_in_pairs():
    # D on Monday, Wednesday, Friday and Sunday: alone they would leave three single days off (and four single work
    # days); the solver closes the gaps instead
    demand = [{"shift": "D", "weekdays": ["mon", "wed", "fri", "sun"], "slots": [{"min": 1}]}]
    i = tiny(1, shifts=("D",), weeks=1, active=[RULE, "demand_coverage", "work_runs"], demand=demand)
    r = solve(i)
    assert_consistent(r)
    assert r.score.total == 0 and not r.unfilled
