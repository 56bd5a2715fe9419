"""demand_coverage with `exclusive_slots`: each person on a shift fills one slot (INRC-II: one skill per
assignment), the checker scores the best allocation and the solver's objective equals it."""

from __future__ import annotations

import itertools
import random

import numpy as np
from helpers import assert_lawful_solve, check, person, solve, tiny

from solver.rules.demand_coverage import _allocate_group


def grant(*codes):
    return [{"code": c} for c in codes]


def inst(staff, slots, exclusive=True, weight=200, days=1):
    dem = {"shift": "D", "dates": [f"2027-01-0{4 + d}" for d in range(days)], "slots": slots}
    return tiny(staff, shifts=("D", "A"), active=["demand_coverage"], demand=[dem],
                rules={"demand_coverage": {"exclusive_slots": exclusive, "weight": weight}})


HN = {"competences": ["HN"], "min": 1, "ideal": 1}
NU = {"competences": ["NU"], "min": 1, "ideal": 2}


def test_one_person_fills_one_slot_only():
    staff = [person("a", competences=grant("HN", "NU"))]
    assert check(inst(staff, [HN, NU], exclusive=False), [("a", 0, "D")]).score.unfilled == 0
    r = check(inst(staff, [HN, NU]), [("a", 0, "D")])
    assert r.score.unfilled == 10_000 and sum(u.missing for u in r.unfilled) == 1
    assert r.score.soft == 200  # the unfilled NU slot is also below its ideal by one above its min


def test_best_allocation_moves_people_between_slots():
    # a (HN+NU) must take HN so that b (NU only) and c (NU) fill NU: no shortfall, ideal met
    staff = [person("a", competences=grant("HN", "NU")), person("b", competences=grant("NU")),
             person("c", competences=grant("NU"))]
    r = check(inst(staff, [HN, NU]), [("b", 0, "D"), ("a", 0, "D"), ("c", 0, "D")])
    assert r.score.total == 0
    r = check(inst(staff, [HN, NU]), [("a", 0, "D"), ("b", 0, "D")])
    assert r.score.total == 200  # NU at 1 of ideal 2


def _brute(workers, slots_of, mins, ideals, U=10_000, w=200):
    best = None
    for choice in itertools.product(*[[None, *slots_of[s]] for s in workers]):
        cnt = [0] * len(mins)
        for j in choice:
            if j is not None:
                cnt[j] += 1
        cost = sum(U * max(0, m - c) + w * max(0, i - max(c, m)) for c, m, i in zip(cnt, mins, ideals, strict=True))
        best = cost if best is None else min(best, cost)
    return best


def test_greedy_allocation_is_optimal_on_random_groups():
    rng = random.Random(7)
    for _ in range(300):
        k = rng.randint(1, 4)
        workers = list(range(rng.randint(0, 6)))
        slots_of = {s: sorted(rng.sample(range(k), rng.randint(1, k))) for s in workers}
        mins = [rng.randint(0, 2) for _ in range(k)]
        ideals = [m + rng.randint(0, 2) for m in mins]
        alloc = _allocate_group(workers, slots_of, mins, ideals, True)
        assert all(j in slots_of[s] for s, j in alloc.items())
        cnt = np.bincount(list(alloc.values()), minlength=k)
        got = sum(10_000 * max(0, m - c) + 200 * max(0, i - max(c, m))
                  for c, m, i in zip(cnt, mins, ideals, strict=True))
        assert got == _brute(workers, slots_of, mins, ideals)


def test_solver_objective_equals_checker():
    staff = [person("a", competences=grant("HN", "NU")), person("b", competences=grant("NU")),
             person("c", competences=grant("HN")), person("d", competences=grant("NU", "HN"))]
    r = solve(inst(staff, [HN, NU, {"competences": ["HN"], "min": 0, "ideal": 1}], days=3))
    assert_lawful_solve(r)
    assert r.score.unfilled == 0


def test_solver_matches_checker_with_hall_counts_and_with_choice_variables():
    """Random units solved to optimality: the objective (Hall-bounded counts up to HALL_MAX_SLOTS slots, choice
    variables above) equals the checker's best allocation, and both encodings reach the same optimum."""
    import solver.rules.demand_coverage as dc

    rng = random.Random(3)
    codes = ["A", "B", "C"]
    for _ in range(4):
        staff = [person(f"p{i}", competences=grant(*rng.sample(codes, rng.randint(1, 3)))) for i in range(4)]
        slots = [{"competences": [c], "min": rng.randint(0, 1), "ideal": rng.randint(1, 2)} for c in codes]
        slots = [{**x, "ideal": max(x["min"], x["ideal"])} for x in slots]
        unit = inst(staff, slots, days=2)
        totals = []
        for limit in (dc.HALL_MAX_SLOTS, 0):
            old, dc.HALL_MAX_SLOTS = dc.HALL_MAX_SLOTS, limit
            try:
                r = solve(unit)
            finally:
                dc.HALL_MAX_SLOTS = old
            assert_lawful_solve(r)
            assert r.solve.status == "OPTIMAL"
            totals.append(r.score.total)
        assert totals[0] == totals[1]


def test_closed_hall_rows_cut_the_same_counts():
    """Only the closed slot sets get a Hall row; the counts they allow are the ones all 2^k - 1 rows allow."""
    from solver.rules.demand_coverage import _closed_sets

    rng = random.Random(11)
    for _ in range(200):
        k = rng.randint(1, 4)
        masks = [rng.randint(1, (1 << k) - 1) for _ in range(rng.randint(1, 4))]

        def ok(c, rows, k=k, masks=masks):
            return all(sum(c[j] for j in range(k) if K >> j & 1) <= sum(1 for m in masks if m & K) for K in rows)

        closed = _closed_sets(k, masks)
        every = range(1, 1 << k)
        for c in itertools.product(range(3), repeat=k):
            live = all(any(m >> j & 1 for m in masks) or c[j] == 0 for j in range(k))  # unfillable: count 0
            assert (ok(c, closed) and live) == (ok(c, every) and live)


def test_one_person_goes_where_she_is_worth_most():
    """A unit of one: her shift variable counts in the slot with a missing minimum before one with a missing ideal
    (the model's static choice equals the checker's allocation)."""
    staff = [person("a", competences=grant("HN", "NU"))]
    slots = [{"competences": ["HN"], "min": 0, "ideal": 1}, {"competences": ["NU"], "min": 1, "ideal": 1}]
    r = solve(inst(staff, slots, days=2))
    assert_lawful_solve(r)
    assert r.score.unfilled == 0 and r.score.soft == 2 * 200  # HN below its ideal on both days


def test_settling_a_feasible_solution_prices_its_shifts_by_the_best_allocation():
    """A solution CP-SAT has not finished improving can count a person in the wrong slot; `settle_choices` fixes
    its shifts and re-solves the allocation, so the reported objective is the checker's."""
    from solver import SolveOptions
    from solver.build import build_model
    from solver.index import build_index
    from solver.search.params import cp_solver
    from solver.run import settle_choices

    staff = [person("a", competences=grant("HN", "NU")), person("b", competences=grant("NU")),
             person("c", competences=grant("NU"))]
    unit = inst(staff, [HN, NU])
    ctx = build_model(unit, build_index(unit))
    forced = ctx.model.clone()  # the same variables: all three work D, one slot counted empty (a poor allocation)
    for (_, _, t), x in ctx.x.items():
        forced.add(forced.get_bool_var_from_proto_index(x.index) == int(ctx.idx.shift_codes[t] == "D"))
    fill = next(i for i, v in enumerate(forced.proto.variables) if v.name.startswith("fill_"))
    forced.add(forced.get_int_var_from_proto_index(fill) == 0)
    poor = cp_solver(5, 1, 0)
    poor.solve(forced)
    assert ctx.objective_value(poor) > 0
    settled = settle_choices(ctx, poor, SolveOptions(workers=1), 5)
    assert ctx.objective_value(settled) == 0
    assert all(settled.value(x) == poor.value(x) for x in ctx.x.values())  # the shifts kept
