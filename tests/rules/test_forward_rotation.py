"""forward_rotation: a backward step on consecutive days (evening then day, night then day or evening) costs
`weight`; day -> evening -> night is free."""

from __future__ import annotations

from helpers import assert_consistent, check, solve, solver_edges, tiny, violations
from models import Level

RULE = "forward_rotation"
SHIFTS = ("D", "M", "A", "N")


def inst(rules=None, **kw):
    return tiny(1, shifts=SHIFTS, weeks=1, active=[RULE], rules=rules, **kw)


def steps(cells, **kw) -> list:
    return violations(check(inst(**kw), cells), RULE)


def test_checker_forward_is_free():
    assert steps([("p1", 0, "D"), ("p1", 1, "A"), ("p1", 2, "N"), ("p1", 3, "N")]) == []
    assert steps([("p1", 0, "A"), ("p1", 2, "D")]) == []  # a day off between: not consecutive


def test_checker_backward_steps():
    got = steps([("p1", 0, "A"), ("p1", 1, "M"), ("p1", 3, "N"), ("p1", 4, "A")])
    assert [v.detail for v in got] == ["A then M", "N then A"]
    assert all(v.penalty == 50 and v.level == Level.PREFERRED for v in got)


def test_solver_prices_a_forced_backward_step():
    r = solve(inst(pinned=[("p1", 0, "A"), ("p1", 1, "M")]))
    assert_consistent(r)
    assert len(violations(r, RULE)) == 1 and r.solve.objective == 50


def test_hard_daily_rest_leaves_no_group_for_impossible_steps():
    """Night then day can never follow under 11 h rest: the rule adds no group for it (a compact model)."""
    from solver.build import build_model

    alone = build_model(inst(rules={RULE: {"weight": 1}}))
    with_rest = build_model(inst(rules={RULE: {"weight": 1}, "daily_rest": {}}))
    rule_terms = lambda ctx: sum(1 for t in ctx.terms if t.rule == RULE)  # noqa: E731
    assert rule_terms(with_rest) < rule_terms(alone)


def test_solver_edges():
    solver_edges(RULE, [("p1", 0, "M"), ("p1", 1, "A")], [("p1", 0, "A"), ("p1", 1, "M")], n_bad=1, staff=1,
                 shifts=SHIFTS, weeks=1, active=[RULE], rules={RULE: {"level": "REQUIRED"}})
