"""The line DP against brute force on tiny specs, and one hand example per limit.

Brute force enumerates all (V+1)^D lines and checks them with a checker written here from the
rule text (maximal runs, explicit weekend sets), independent of both the DP and ``line_cost``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from solver.search.lines import LineSpec, best_line, line_cost, solve_line

INF = np.inf


def lawful(spec: LineSpec, line: tuple[int, ...]) -> bool:
    D = len(line)
    for d, v in enumerate(line):
        if v >= 0 and not np.isfinite(spec.cost[d, v]):
            return False
    for d in range(D - 1):
        if line[d] >= 0 and line[d + 1] >= 0 and spec.forbidden_next[line[d], line[d + 1]]:
            return False
    for v in range(spec.types):
        if sum(1 for x in line if x == v) > spec.max_per_type[v]:
            return False
    total = sum(int(spec.minutes[x]) for x in line if x >= 0)
    if total < spec.min_minutes or total > spec.max_minutes:
        return False
    d = 0
    while d < D:
        e = d
        while e < D and (line[e] >= 0) == (line[d] >= 0):
            e += 1
        n, working = e - d, line[d] >= 0
        edge = spec.exempt_edges and (d == 0 or e == D)
        if working and n > spec.max_consecutive_work:
            return False
        need = spec.min_consecutive_work if working else spec.min_consecutive_off
        if n < need and not edge:
            return False
        d = e
    weekends = {int(spec.weekend_of_day[d]) for d in range(D) if line[d] >= 0 and spec.weekend_of_day[d] >= 0}
    return len(weekends) <= spec.max_weekends


def total(spec: LineSpec, line: tuple[int, ...]) -> float:
    return float(sum(spec.cost[d, v] if v >= 0 else spec.off_cost[d] for d, v in enumerate(line)))


def brute(spec: LineSpec) -> float | None:
    costs = [total(spec, ln) for ln in itertools.product(range(-1, spec.types), repeat=spec.days) if lawful(spec, ln)]
    return min(costs) if costs else None


def spec_of(D: int, V: int, **kw) -> LineSpec:
    base = dict(
        cost=np.zeros((D, V)), off_cost=np.zeros(D), minutes=np.full(V, 60), min_minutes=0,
        max_minutes=10**6, max_per_type=np.full(V, D), forbidden_next=np.zeros((V, V), bool),
        max_consecutive_work=D, min_consecutive_work=0, min_consecutive_off=0,
        weekend_of_day=np.full(D, -1), max_weekends=D, exempt_edges=True,
    )
    base.update(kw)
    for k in ("cost", "off_cost", "minutes", "max_per_type", "forbidden_next", "weekend_of_day"):
        base[k] = np.asarray(base[k])
    return LineSpec(**base)


def random_spec(rng: np.random.Generator) -> LineSpec:
    D, V = int(rng.integers(1, 8)), int(rng.integers(1, 3))
    cost = rng.integers(-5, 6, size=(D, V)).astype(float)
    cost[rng.random((D, V)) < 0.15] = INF
    minutes = rng.choice([2, 3, 4, 6], size=V)
    lo = int(rng.integers(0, 3 * D + 1))
    wk = np.full(D, -1)
    for k, start in enumerate(range(int(rng.integers(0, 3)), D, 4)):  # weekends of 1-2 days
        wk[start: start + int(rng.integers(1, 3))] = k
    return spec_of(
        D, V, cost=cost, off_cost=rng.integers(-2, 4, size=D).astype(float), minutes=minutes,
        min_minutes=lo, max_minutes=lo + int(rng.integers(0, 4 * D)),
        max_per_type=rng.integers(0, D + 1, size=V), forbidden_next=rng.random((V, V)) < 0.3,
        max_consecutive_work=int(rng.integers(1, D + 2)), min_consecutive_work=int(rng.integers(0, 4)),
        min_consecutive_off=int(rng.integers(0, 4)), weekend_of_day=wk,
        max_weekends=int(rng.integers(0, 3)), exempt_edges=bool(rng.random() < 0.5),
    )


@pytest.mark.parametrize("seed", range(400))
def test_matches_brute_force(seed: int) -> None:
    spec = random_spec(np.random.default_rng(seed))
    want = brute(spec)
    got = best_line(spec)
    if want is None:
        assert got is None
        return
    assert got is not None
    line, cost = got
    assert lawful(spec, tuple(int(x) for x in line))
    assert cost == pytest.approx(want)
    assert line_cost(spec, line) == pytest.approx(cost)


@pytest.mark.parametrize("seed", range(150))
def test_lagrangian_lines_are_lawful(seed: int) -> None:
    """With no room for exact axes every limit is priced: lines are lawful, never better than optimal."""
    spec = random_spec(np.random.default_rng(1000 + seed))
    res = solve_line(spec, max_states=1, rounds=30)
    want = brute(spec)
    if want is None:
        assert res is None
        return
    if res is None:
        return  # allowed: no lawful line found by the rounds
    assert lawful(spec, tuple(int(x) for x in res.line))
    assert res.cost >= want - 1e-9
    if res.optimal:
        assert res.cost == pytest.approx(want)


@pytest.mark.parametrize("seed", range(60))
def test_line_cost_agrees_with_checker(seed: int) -> None:
    rng = np.random.default_rng(5000 + seed)
    spec = random_spec(rng)
    for _ in range(30):
        line = tuple(int(x) for x in rng.integers(-1, spec.types, size=spec.days))
        want = total(spec, line) if lawful(spec, line) else None
        got = line_cost(spec, np.array(line))
        assert (got is None) == (want is None)
        if want is not None:
            assert got == pytest.approx(want)


# Hand examples: all-negative costs make "work every day" attractive; each limit must cut it back.


def test_forbidden_succession() -> None:
    # Type 0 then type 1 is forbidden; type 1 is much better on day 1.
    spec = spec_of(2, 2, cost=[[-5, 0], [0, -10]], forbidden_next=[[False, True], [False, False]])
    line, cost = best_line(spec)
    assert cost == -10 and line[1] == 1 and line[0] != 0


@pytest.mark.parametrize("exempt", [True, False])
def test_max_consecutive(exempt: bool) -> None:
    spec = spec_of(7, 1, cost=np.full((7, 1), -1.0), max_consecutive_work=3, exempt_edges=exempt)
    line, cost = best_line(spec)
    assert list(line) == [0, 0, 0, -1, 0, 0, 0] and cost == -6  # max applies to edge runs too


def test_min_consecutive_work_edge_exemption() -> None:
    # Only day 0 and day 5 are worth working; a lone middle shift is not allowed with min 2.
    cost = np.full((6, 1), 3.0)
    cost[0, 0] = cost[3, 0] = -10
    exempt = spec_of(6, 1, cost=cost, min_consecutive_work=2, exempt_edges=True)
    line, c = best_line(exempt)
    assert line_cost(exempt, line) == c == -17  # day 0 alone (edge) + days 3-4 (or 2-3)
    assert line[0] == 0 and sum(line >= 0) == 3
    strict = spec_of(6, 1, cost=cost, min_consecutive_work=2, exempt_edges=False)
    line, c = best_line(strict)
    assert c == -14 and list(line[:2]) == [0, 0]  # day 0 needs a partner now


def test_min_consecutive_off() -> None:
    # Working every day but day 2 would leave a one-day break; min 2 days off forbids it.
    cost = np.full((5, 1), -1.0)
    cost[2, 0] = 5
    spec = spec_of(5, 1, cost=cost, min_consecutive_off=2, exempt_edges=True)
    line, c = best_line(spec)
    assert c == -3 and sum(line == -1) == 2
    # Exempt edges: a single day off on day 0 is fine.
    cost2 = np.full((4, 1), -1.0)
    cost2[0, 0] = 5
    line, c = best_line(spec_of(4, 1, cost=cost2, min_consecutive_off=2, exempt_edges=True))
    assert list(line) == [-1, 0, 0, 0] and c == -3
    line, c = best_line(spec_of(4, 1, cost=cost2, min_consecutive_off=2, exempt_edges=False))
    assert c == -2 and list(line) == [-1, -1, 0, 0]


def test_weekends() -> None:
    wk = np.array([-1, -1, 0, 0, -1, -1, 1, 1])
    spec = spec_of(8, 1, cost=np.full((8, 1), -1.0), weekend_of_day=wk, max_weekends=1)
    line, c = best_line(spec)
    assert c == -6  # one of the two weekends stays off entirely
    assert (line[2:4] == -1).all() or (line[6:8] == -1).all()


def test_minutes_band() -> None:
    # Types of 2 and 3 hours; total must be exactly 7 hours: e.g. 2+2+3.
    spec = spec_of(4, 2, cost=np.zeros((4, 2)), off_cost=np.full(4, -1.0), minutes=np.array([120, 180]),
                   min_minutes=420, max_minutes=420)
    line, c = best_line(spec)
    assert c == -1 and line_cost(spec, line) == -1
    assert best_line(spec_of(2, 1, minutes=np.array([120]), min_minutes=300, max_minutes=300)) is None


def test_per_type_max_exact_and_priced() -> None:
    cost = np.array([[-5.0, -1.0]] * 6)
    spec = spec_of(6, 2, cost=cost, max_per_type=np.array([2, 6]))
    res = solve_line(spec)
    assert res.optimal and res.cost == -14 and sum(res.line == 0) == 2
    priced = solve_line(spec, max_states=1, rounds=30)
    assert priced is not None and sum(priced.line == 0) <= 2
    assert priced.cost == -14 and priced.optimal


def test_none_when_no_day_may_be_worked_but_minutes_required() -> None:
    spec = spec_of(3, 1, cost=np.full((3, 1), INF), min_minutes=60)
    assert best_line(spec) is None


def test_rejects_long_weekends() -> None:
    with pytest.raises(ValueError):
        spec_of(4, 1, weekend_of_day=np.array([0, 0, 0, -1]))


# Curtois use: the DP costs are the evaluator's objective differences.

CURTOIS = "/work/shared/data/curtois/Instance1.txt"


@pytest.fixture(scope="module")
def curtois_roster():
    from benchmarks.curtois.lines import construct_dp
    from benchmarks.curtois.reader import read_instance

    inst = read_instance(CURTOIS)
    roster = construct_dp(inst, seed=3)
    assert roster is not None
    return inst, roster


def test_curtois_line_cost_is_objective_change(curtois_roster) -> None:
    from benchmarks.curtois.evaluator import evaluate
    from benchmarks.curtois.lines import line_spec, objective_of
    from benchmarks.curtois.writer import roster_to_cells

    inst, roster = curtois_roster
    full = evaluate(inst, roster_to_cells(roster))
    assert full.lawful and objective_of(inst, roster) == full.objective
    for e in range(inst.n_staff):
        spec = line_spec(inst, e, roster)
        without = [list(r) for r in roster]
        without[e] = [-1] * inst.horizon
        change = full.objective - evaluate(inst, roster_to_cells(without)).objective
        assert line_cost(spec, np.array(roster[e])) == change
        assert objective_of(inst, without) == full.objective - change


def test_curtois_passes_lawful_and_no_worse(curtois_roster) -> None:
    import time

    from benchmarks.curtois.evaluator import evaluate
    from benchmarks.curtois.lines import construct_dp
    from benchmarks.curtois.writer import roster_to_cells

    inst, first = curtois_roster
    roster = construct_dp(inst, seed=3, deadline=time.perf_counter() + 1.0)
    ev = evaluate(inst, roster_to_cells(roster))
    assert ev.lawful and ev.objective <= evaluate(inst, roster_to_cells(first)).objective
