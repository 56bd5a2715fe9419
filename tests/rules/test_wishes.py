"""wishes (ønsketurnus): want/avoid × date/weekday/shift; each unmet wish day costs wish weight × rule weight."""

from __future__ import annotations

import pytest

from helpers import assert_lawful_solve, check, person, solve, tiny, violations


def inst(wishes, rules=None, weeks=1, **kw):
    return tiny([person("p1", wishes=wishes)], shifts=("D", "A", "N"), weeks=weeks, active=["wishes"],
                rules=rules, **kw)


@pytest.mark.parametrize("wish,cells,broken", [
    ({"kind": "want", "date": "2027-01-06"}, [], 1),
    ({"kind": "want", "date": "2027-01-06"}, [("p1", 2, "N")], 0),
    ({"kind": "want", "date": "2027-01-06", "shift": "A"}, [("p1", 2, "D")], 1),
    ({"kind": "want", "date": "2027-01-06", "shift": "A"}, [("p1", 2, "A")], 0),
    ({"kind": "avoid", "date": "2027-01-06"}, [("p1", 2, "D")], 1),
    ({"kind": "avoid", "date": "2027-01-06"}, [("p1", 3, "D")], 0),
    ({"kind": "avoid", "date": "2027-01-06", "shift": "N"}, [("p1", 2, "D")], 0),
    ({"kind": "avoid", "date": "2027-01-06", "shift": "N"}, [("p1", 2, "N")], 1),
    ({"kind": "want", "weekday": "sat"}, [], 2),
    ({"kind": "want", "weekday": "sat"}, [("p1", 5, "D")], 1),
    ({"kind": "avoid", "weekday": "sun"}, [("p1", 6, "D"), ("p1", 13, "A")], 2),
    ({"kind": "avoid", "weekday": "sun", "shift": "A"}, [("p1", 6, "D"), ("p1", 13, "A")], 1),
    ({"kind": "want", "weekday": "mon", "shift": "D"}, [("p1", 0, "D"), ("p1", 7, "A")], 1),
    ({"kind": "want", "shift": "D"}, [("p1", 0, "D"), ("p1", 1, "A"), ("p1", 2, "N")], 2),  # off days are fine
    ({"kind": "avoid", "shift": "N"}, [("p1", 0, "N"), ("p1", 1, "N"), ("p1", 2, "D")], 2),
])
def test_checker(wish, cells, broken):
    r = check(inst([{**wish, "weight": 4}], weeks=2), cells)
    got = violations(r, "wishes")
    assert len(got) == broken
    assert all(v.amount == 4 and v.penalty == 4 and v.level.value == "PREFERRED" for v in got)
    assert r.lawful


def test_checker_rule_weight_multiplies():
    r = check(inst([{"kind": "avoid", "shift": "N", "weight": 10}], rules={"wishes": {"weight": 3}}),
              [("p1", 0, "N")])
    assert r.score.total == 30


def test_checker_wish_date_outside_period_is_ignored():
    i = tiny([person("p1", wishes=[{"kind": "want", "date": "2027-03-01"}])], shifts=("D",), active=["wishes"])
    assert check(i, []).violations == []


def test_solver_grants_wishes():
    wishes = [{"kind": "want", "date": "2027-01-06", "shift": "A"}, {"kind": "avoid", "shift": "N"},
              {"kind": "want", "weekday": "sat"}]
    r = solve(inst(wishes))
    assert_lawful_solve(r)
    assert r.score.total == 0
    got = {(a.date.day, a.shift) for a in r.assignments}
    assert (6, "A") in got and any(d == 9 for d, _ in got) and all(t != "N" for _, t in got)


def test_solver_prices_a_pinned_unwanted_shift():
    r = solve(inst([{"kind": "avoid", "shift": "N", "weight": 7}], pinned=[("p1", 0, "N")]))
    assert_lawful_solve(r)
    assert r.solve.objective == 7
