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


def open_ends():
    return {RULE: {"closed_ends": False}}


def test_closed_ends_a_night_on_the_last_day_is_single():
    assert priced(inst(), [("p1", 13, "N")]) == [(1, 100)]  # two weeks: day 13 is the last
    assert priced(inst(rules=open_ends()), [("p1", 13, "N")]) == []  # INRC-II: it may go on
    assert priced(inst(), [("p1", 12, "N"), ("p1", 13, "N")]) == []


def test_closed_ends_a_night_on_day_0_without_history_is_single():
    assert priced(inst(), [("p1", 0, "N")]) == [(1, 100)]
    assert priced(inst(rules=open_ends()), [("p1", 0, "N")]) == []
    # with history the days before it are known: a night after a known day shift is single either way, a night
    # continuing the history's night is a block, and the day before the history stays unknown
    assert priced(inst(history=hist([("p1", -1, "D")])), [("p1", 0, "N")]) == [(1, 100)]
    assert priced(inst(history=hist([("p1", -1, "N")])), [("p1", 0, "N")]) == []
    assert priced(inst(history=hist([("p1", -1, "N")])), []) == []


def test_closed_ends_a_night_next_to_an_absence_is_single():
    staff = [person("p1", absences=[{"start_date": "2027-01-07", "end_date": "2027-01-08"}])]  # days 3-4
    # (a night on day 2 would run into the absence: `availability` forbids it, so the night after it is the case)
    assert priced(inst(staff=staff), [("p1", 5, "N")]) == [(1, 100)]
    assert priced(inst(staff=staff, rules=open_ends()), [("p1", 5, "N")]) == []
    assert priced(inst(staff=staff), [("p1", 5, "N"), ("p1", 6, "N")]) == []


def test_closed_ends_on_a_grunnturnus_an_absence_ends_a_block():
    staff = [person("p1", absences=[{"start_date": "2027-01-06", "end_date": "2027-01-06"}])]  # day 2
    i = inst(staff=staff, period={"start": "2027-01-04", "weeks": 2, "cyclic": True})
    assert priced(i, [("p1", 3, "N")]) == [(1, 100)]
    assert priced(i, [("p1", 3, "N"), ("p1", 4, "N")]) == []
    # a block over the wrap is one block of 2
    assert priced(i, [("p1", 13, "N"), ("p1", 0, "N")]) == []


def test_solver_keeps_nights_in_blocks_at_the_period_end():
    demand = [{"shift": "N", "dates": ["2027-01-10"], "slots": [{"min": 1}]}]  # the last day of one week
    i = tiny(1, shifts=("D", "N"), weeks=1, active=[RULE, "demand_coverage"], demand=demand)
    r = solve(i)
    assert_consistent(r)
    assert r.score.total == 0 and not r.unfilled
    nights = {a.date.day for a in r.assignments if a.shift == "N"}
    assert {9, 10} <= nights  # the block runs back from the last day (with open ends one night would do)
