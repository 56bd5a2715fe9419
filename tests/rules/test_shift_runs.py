"""shift_runs: consecutive days on one shift type or kind, per limit (defaults: night blocks of at least 2 for
staff who are not night staff, at most 4 evenings in a row), per day short or over (soft)."""

from __future__ import annotations

from helpers import assert_consistent, check, person, solve, tiny, violations
from runs_helpers import hist, model_price

RULE = "shift_runs"


def inst(staff=1, weeks=2, rules=None, **kw):
    return tiny(staff, shifts=("D", "A", "N", "N8"), weeks=weeks, active=[RULE], rules=rules, **kw)


def priced(i, cells):
    r = check(i, cells)
    assert model_price(i, cells) == r.score.total
    return sorted((v.amount, v.penalty) for v in violations(r, RULE))


def test_single_night_costs_one_day_short():
    assert priced(inst(), [("p1", 3, "N")]) == [(1, 100)]


def test_night_blocks_of_any_night_type_are_fine():
    assert priced(inst(), [("p1", 3, "N"), ("p1", 4, "N8"), ("p1", 8, "N"), ("p1", 9, "N"), ("p1", 10, "N")]) == []


def test_a_day_shift_ends_a_night_block():
    # day 2 D, day 3 N, day 4 D: the night is alone whatever surrounds it
    assert priced(inst(), [("p1", 2, "D"), ("p1", 3, "N"), ("p1", 4, "A")]) == [(1, 100)]


def test_night_staff_are_exempt_from_the_night_minimum():
    staff = [person("p1", night_only=True)]
    assert priced(inst(staff=staff), [("p1", 3, "N")]) == []


def test_five_evenings_in_a_row_cost_one_day_over():
    assert priced(inst(), [("p1", d, "A") for d in range(2, 7)]) == [(1, 100)]
    assert priced(inst(), [("p1", d, "A") for d in range(2, 6)]) == []


def test_limits_per_shift_code_with_their_own_weight():
    runs = [{"shifts": ["D"], "min_days": 2, "max_days": 3, "weight": 15}]
    i = inst(rules={RULE: {"runs": runs}})
    # D alone (1 short), then 4 D in a row (1 over); the evening does not count
    cells = [("p1", 1, "D"), ("p1", 2, "A")] + [("p1", d, "D") for d in range(5, 9)]
    assert priced(i, cells) == [(1, 15), (1, 15)]


def test_history_night_continues_the_first_block():
    i = inst(history=hist([("p1", -1, "N")]))
    assert priced(i, [("p1", 0, "N")]) == []
    # the history's lone night (after a known day shift) ended on day 0: one day short
    i = inst(history=hist([("p1", -2, "D"), ("p1", -1, "N")]))
    assert priced(i, [("p1", 0, "D")]) == [(1, 100)]


def test_solver_builds_night_blocks():
    demand = [{"shift": "N", "dates": ["2027-01-06"], "slots": [{"min": 1}]}]
    i = tiny(1, shifts=("D", "N"), weeks=1, active=[RULE, "demand_coverage"], demand=demand)
    r = solve(i)
    assert_consistent(r)
    assert r.score.total == 0 and not r.unfilled
    nights = sorted(a.date.day for a in r.assignments if a.shift == "N")
    assert 6 in nights and len(nights) >= 2
