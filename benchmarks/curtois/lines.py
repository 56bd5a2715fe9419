"""Curtois rosters from the line DP (``solver.search.lines``): one employee at a time, then line passes.

Why: every hard rule is per employee and only the cover couples them, so an employee's best
line against the cover the others leave is an exact one-person problem.  The DP solves it
directly (no model to build, no search to time out), which gives a construction that places
each employee optimally given the ones before, and a whole-line improvement move.

``line_spec`` prices each (day, shift) by what putting the employee there does to the
objective with everyone else fixed: the cover term changes by +over_weight when the others
already meet the requirement and by -under_weight when they fall short; the employee's own
on/off requests add their weights.  A line's DP cost is therefore exactly the change of the
evaluator's objective between "this line" and "all days off", so comparing two lines' DP
costs compares the rosters' objectives.

Run ``python -m benchmarks.curtois.lines [seconds] [instances...]`` for the measurements in
RESULTS.md.
"""

from __future__ import annotations

import random
import time

import numpy as np

from solver.search.lines import LineSpec, line_cost, solve_line

from .evaluator import evaluate
from .reader import Instance
from .writer import Roster, roster_to_cells

Prices = dict[int, tuple[np.ndarray | None, float]]  # employee -> warm-start multipliers

# Subgradient rounds per line when a limit is priced.  On Instance15's construction 3 rounds
# found the same line costs as 30 on every line where both found one (the solver's fallback to a
# larger exact budget covers the lines the short rounds miss), at a quarter of the time.
LINE_ROUNDS = 4


def others_count(instance: Instance, roster: Roster, e: int) -> np.ndarray:
    """[H, S] how many employees other than ``e`` work shift s on day d."""
    arr = np.asarray(roster, dtype=int)
    arr = np.delete(arr, e, axis=0)
    counts = np.zeros((instance.horizon, instance.n_shifts), dtype=int)
    _, d = np.nonzero(arr >= 0)
    np.add.at(counts, (d, arr[arr >= 0]), 1)
    return counts


def line_spec(instance: Instance, e: int, roster: Roster) -> LineSpec:
    """Employee ``e``'s exact marginal costs against the cover of everyone else, with e's contract."""
    H, S = instance.horizon, instance.n_shifts
    st = instance.staff[e]
    n = others_count(instance, roster, e)
    cost = np.zeros((H, S))
    for c in instance.cover:
        cost[c.day, c.shift] += c.over_weight if n[c.day, c.shift] >= c.requirement else -c.under_weight
    off_cost = np.zeros(H)
    for r in instance.on_requests:
        if r.employee == e:  # penalty unless that shift is worked: every other choice pays it
            off_cost[r.day] += r.weight
            cost[r.day, [s for s in range(S) if s != r.shift]] += r.weight
    for r in instance.off_requests:
        if r.employee == e:
            cost[r.day, r.shift] += r.weight
    for d in st.days_off:
        cost[d, :] = np.inf
    forbidden = np.zeros((S, S), dtype=bool)
    for s, sh in enumerate(instance.shifts):
        forbidden[s, list(sh.forbidden_next)] = True
    days = np.arange(H)
    return LineSpec(
        cost=cost, off_cost=off_cost, minutes=np.array([sh.minutes for sh in instance.shifts]),
        min_minutes=st.min_minutes, max_minutes=st.max_minutes, max_per_type=np.array(st.max_shifts),
        forbidden_next=forbidden, max_consecutive_work=st.max_consecutive,
        min_consecutive_work=st.min_consecutive, min_consecutive_off=st.min_days_off,
        weekend_of_day=np.where(days % 7 >= 5, days // 7, -1), max_weekends=st.max_weekends,
        exempt_edges=True,  # FORMAT.md: runs touching either end are exempt from the minimums
    )


def best_line_for(instance: Instance, e: int, roster: Roster, prices: Prices | None = None) -> list[int] | None:
    """Employee ``e``'s DP-best lawful line against the others in ``roster`` (None if none found).

    ``prices`` (optional) carries each employee's Lagrangian multipliers from one call to the
    next, so repeated solves of a line start near the prices that worked before.
    """
    return _solve(instance, e, roster, prices)[0]


def _solve(instance: Instance, e: int, roster: Roster, prices: Prices | None) -> tuple[list[int] | None, LineSpec]:
    spec = line_spec(instance, e, roster)
    tp, wp = (prices or {}).get(e, (None, 0.0))
    res = solve_line(spec, rounds=LINE_ROUNDS, type_prices=tp, weekend_price=wp)
    if res is None:
        return None, spec
    if prices is not None and res.type_prices is not None:
        prices[e] = (res.type_prices, res.weekend_price)
    return [int(x) for x in res.line], spec


def construct_dp(instance: Instance, seed: int = 0, deadline: float | None = None,
                 stats: dict | None = None) -> Roster | None:
    """Greedy DP construction, then line passes until ``deadline`` (``time.perf_counter()`` clock).

    Construction: employees in a random order, each given its best line against the cover of
    those already placed (the rest count as off).  None if some employee has no lawful line
    or the deadline passes before every employee is placed.  Passes: each employee in a fresh
    random order is re-optimised against all the others; the new line is kept when its DP cost
    (= the objective change, see the module docstring) is no higher than the current line's.
    After each pass the evaluator confirms the roster is lawful and no worse; otherwise the pass
    is undone and the passes stop (this would be a bug in the costs, not an expected event).
    """
    rng = random.Random(seed)
    H = instance.horizon
    roster: Roster = [[-1] * H for _ in range(instance.n_staff)]
    prices: Prices = {}
    order = list(range(instance.n_staff))
    rng.shuffle(order)
    t0 = time.perf_counter()
    for e in order:
        if deadline is not None and time.perf_counter() > deadline:
            return None
        line = best_line_for(instance, e, roster, prices)
        if line is None:
            return None
        roster[e] = line
    t1 = time.perf_counter()
    first = evaluate(instance, roster_to_cells(roster))
    _note(stats, construct_s=t1 - t0, per_line_s=(t1 - t0) / max(1, instance.n_staff),
          construct_objective=first.objective, construct_lawful=first.lawful, passes=0, lines=0)
    if not first.lawful:
        return None
    if deadline is not None:
        _improve(instance, roster, prices, rng, deadline, first.objective, stats)
    return roster


def _improve(instance: Instance, roster: Roster, prices: Prices, rng: random.Random, deadline: float,
             objective: int, stats: dict | None) -> int:
    """Line passes until the deadline or a pass without change; returns the final objective."""
    passes = lines = 0
    while time.perf_counter() < deadline:
        before = [list(r) for r in roster]
        changed = False
        order = list(range(instance.n_staff))
        rng.shuffle(order)
        for e in order:
            if time.perf_counter() >= deadline:
                break
            line, spec = _solve(instance, e, roster, prices)
            lines += 1
            old = line_cost(spec, np.array(roster[e]))
            new = None if line is None else line_cost(spec, np.array(line))
            if new is not None and (old is None or new <= old) and line != roster[e]:
                changed |= old is None or new < old
                roster[e] = line
        ev = evaluate(instance, roster_to_cells(roster))
        if not ev.lawful or ev.objective > objective:
            roster[:] = before
            break
        objective, passes = ev.objective, passes + 1
        _note(stats, passes=passes, lines=lines, objective=objective)
        if not changed:
            break
    return objective


def _note(stats: dict | None, **kw: object) -> None:
    if stats is not None:
        stats.update(kw)


# ----------------------------------------------------------------------------------------------
# Measurements


def _load() -> str:
    with open("/proc/loadavg", encoding="ascii") as f:
        return " ".join(f.read().split()[:3])


def measure(path: str, seconds: float, cpsat: bool = True) -> dict:
    """DP construction + ``seconds`` of passes, and the CP-SAT construction, on one instance."""
    from .construct import construct
    from .reader import read_instance

    inst = read_instance(path)
    row: dict = {"instance": inst.name, "load_before": _load()}
    stats: dict = {}
    r = construct_dp(inst, seed=0, deadline=None, stats=stats)
    row.update(stats)
    if r is not None:
        end = time.perf_counter() + seconds
        obj = _improve(inst, r, {}, random.Random(1), end, stats["construct_objective"], stats)
        ev = evaluate(inst, roster_to_cells(r))
        row.update(after_passes=obj, passes_lawful=ev.lawful, passes=stats["passes"], pass_lines=stats["lines"])
    if cpsat:
        t0 = time.perf_counter()
        rc = construct(inst, seed=0, workers=2)
        row["cpsat_s"] = time.perf_counter() - t0
        evc = evaluate(inst, roster_to_cells(rc)) if rc else None
        row["cpsat_objective"] = evc.objective if evc else None
        row["cpsat_lawful"] = evc.lawful if evc else None
    row["load_after"] = _load()
    return row


if __name__ == "__main__":  # pragma: no cover - manual measurement
    import sys

    secs = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    names = sys.argv[2:] or ["11", "15", "21", "23"]
    for nm in names:
        print(measure(f"/work/shared/data/curtois/Instance{nm}.txt", secs), flush=True)
