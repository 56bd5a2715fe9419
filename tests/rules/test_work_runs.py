"""work_runs: consecutive working days in series of min_days (2) to max_days, per day short or over (soft).
Series conventions (solver/rules/runs.py): a series still running on the last day, or starting where nothing is
known, pays no shortfall; history continues the first series; a whole-day absence breaks a series without making
it short; only period days are priced beyond the maximum."""

from __future__ import annotations

from helpers import assert_consistent, check, person, solve, tiny, violations
from runs_helpers import hist, model_price

RULE = "work_runs"


def inst(staff=1, weeks=2, rules=None, **kw):
    return tiny(staff, shifts=("D", "A", "N"), weeks=weeks, active=[RULE], rules=rules, **kw)


def priced(i, cells):
    """The checker's work_runs records as (days short or over, penalty), and the model agrees on the total."""
    r = check(i, cells)
    assert model_price(i, cells) == r.score.total
    return sorted((v.amount, v.penalty) for v in violations(r, RULE))


def test_isolated_day_costs_one_day_short():
    assert priced(inst(), [("p1", 2, "D")]) == [(1, 100)]


def test_pairs_and_longer_series_are_fine():
    assert priced(inst(), [("p1", d, "D") for d in (1, 2, 4, 5, 6)]) == []


def test_series_at_the_period_edges_pay_no_shortfall():
    # day 0 (nothing known before it) and the last day (the series may go on)
    assert priced(inst(), [("p1", 0, "D"), ("p1", 13, "A")]) == []


def test_minimum_three_prices_each_day_short():
    i = inst(rules={RULE: {"min_days": 3, "weight": 7}})
    assert priced(i, [("p1", 2, "D"), ("p1", 5, "D"), ("p1", 6, "D")]) == [(1, 7), (2, 14)]


def test_maximum_prices_each_day_over():
    i = inst(rules={RULE: {"min_days": 1, "max_days": 3, "weight": 5}})
    assert priced(i, [("p1", d, "D") for d in range(2, 8)]) == [(3, 15)]
    # still running at the period end: the days over count all the same
    assert priced(i, [("p1", d, "D") for d in range(9, 14)]) == [(2, 10)]


def test_history_continues_the_first_series():
    # a day before the start, then day 0: a series of 2
    i = inst(history=hist([("p1", -1, "D")]))
    assert priced(i, [("p1", 0, "D")]) == []
    # the history's own single day ends on day 0 (known off before it): one day short
    i = inst(history=hist([("p1", -1, "D"), ("p1", -3, "D")]))
    assert priced(i, []) == [(1, 100)]
    # a series reaching the history's first day: its length is unknown, no shortfall
    assert priced(inst(history=hist([("p1", -1, "D")])), []) == []


def test_history_days_count_toward_the_maximum_but_only_period_days_are_priced():
    i = inst(rules={RULE: {"min_days": 1, "max_days": 3}}, history=hist([("p1", d, "D") for d in (-5, -4, -3, -2, -1)]))
    # 5 + 2 days in a row, max 3: 4 over, 2 of them in the period
    assert priced(i, [("p1", 0, "D"), ("p1", 1, "D")]) == [(2, 200)]
    assert priced(i, []) == []


def test_absence_breaks_a_series_without_making_it_short():
    staff = [person("p1", absences=[{"start_date": "2027-01-07", "end_date": "2027-01-08"}])]  # days 3-4
    i = inst(staff=staff, rules={RULE: {"max_days": 3}})
    # day 2 ends at the absence (not short); 5-8 is one over 3; day 10 alone is one short
    cells = [("p1", 2, "D")] + [("p1", d, "D") for d in (5, 6, 7, 8)] + [("p1", 10, "D")]
    assert priced(i, cells) == [(1, 100), (1, 100)]
    # the absence is not work: 1-2 and 5-7 are two series of at most 3
    assert priced(i, [("p1", d, "D") for d in (1, 2, 5, 6, 7)]) == []


def test_person_limits_override_the_unit():
    staff = [person("p1", limits={"min_consecutive_work_days": 3, "max_consecutive_work_days": 4}), person("p2")]
    i = inst(staff=staff)
    cells = [("p1", 1, "D"), ("p1", 2, "D"), ("p2", 1, "D"), ("p2", 2, "D")]
    cells += [("p1", d, "D") for d in range(5, 10)] + [("p2", d, "D") for d in range(5, 10)]
    # p1: 2 in a row is 1 short of 3, 5 in a row is 1 over 4; p2: the unit's min 2, no maximum
    assert priced(i, cells) == [(1, 100), (1, 100)]


def test_solver_avoids_isolated_days():
    demand = [{"shift": "D", "dates": ["2027-01-05", "2027-01-07"], "slots": [{"min": 1}]}]
    i = tiny(1, shifts=("D",), weeks=1, active=[RULE, "demand_coverage"], demand=demand)
    r = solve(i)
    assert_consistent(r)
    assert not r.unfilled and not violations(r, RULE)


def test_solver_joins_a_pinned_day_to_a_neighbour():
    r = solve(inst(pinned=[("p1", 3, "D")]))
    assert_consistent(r)
    assert r.score.total == 0 and {a.date.day for a in r.assignments} & {6, 8}


def test_solver_prices_an_unavoidable_isolated_day():
    # at most 1 working day in a row (REQUIRED): the pinned day stays alone and costs its day short
    i = tiny(1, shifts=("D",), weeks=1, active=[RULE, "max_consecutive_days"], pinned=[("p1", 3, "D")],
             rules={RULE: {"weight": 3}, "max_consecutive_days": {"max_days": 1}})
    r = solve(i)
    assert_consistent(r)
    days = {a.date.weekday() for a in r.assignments}  # other work days cost nothing here (no demand, no hours)
    assert r.score.total == 3 and 3 in days and not days & {2, 4}


def test_closed_ends_a_work_day_cut_by_the_end_or_an_absence_is_isolated():
    staff = [person("p1", absences=[{"start_date": "2027-01-07", "end_date": "2027-01-08"}])]  # days 3-4
    cells = [("p1", 2, "D"), ("p1", 13, "D")]  # before the absence, on the last day
    assert priced(inst(staff=staff), cells) == []  # the default reading: both may go on
    closed = inst(staff=staff, rules={RULE: {"closed_ends": True}})
    assert priced(closed, cells) == [(1, 100), (1, 100)]
    assert priced(closed, [("p1", 1, "D"), ("p1", 2, "D"), ("p1", 12, "D"), ("p1", 13, "D")]) == []
