"""Curtois rosters from the line DP (``solver.search.lines``): one employee at a time, then line passes.

Why: every hard rule is per employee and only the cover couples them, so an employee's best
line against the cover the others leave is an exact one-person problem.  The DP solves it
directly (no model to build, no search to time out), which gives a construction that places
each employee optimally given the ones before, and a whole-line improvement move.

``line_spec`` prices each (day, shift) by what putting the employee there does to the
objective with everyone else fixed: the cover term changes by +over_weight when the others
already meet the requirement and by -under_weight when they fall short; the employee's own
on/off requests add (off) or save (on) their weights.  A line's DP cost is therefore exactly
the change of the evaluator's objective between "this line" and "all days off", so comparing
two lines' DP costs compares the rosters' objectives.

Run ``python -m benchmarks.curtois.lines [seconds] [instances...]`` for the measurements in
RESULTS.md.
"""

from __future__ import annotations

import random
import time
from collections import Counter

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

# Measurement aid: how the line solves ended ("optimal" = proven, "heuristic" = best lawful line
# found by the priced rounds, "none" = no lawful line found).  Reset by ``measure``.
SOLVES: Counter[str] = Counter()


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
    off_cost = np.zeros(H)  # all costs are relative to "off that day", so an off day costs 0
    for r in instance.on_requests:
        if r.employee == e:  # only working the requested shift avoids the penalty
            cost[r.day, r.shift] -= r.weight
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


def best_line_for(instance: Instance, e: int, roster: Roster, prices: Prices | None = None,
                  rounds: int = LINE_ROUNDS) -> list[int] | None:
    """Employee ``e``'s DP-best lawful line against the others in ``roster`` (None if none found).

    ``prices`` (optional) carries each employee's Lagrangian multipliers from one call to the
    next, so repeated solves of a line start near the prices that worked before. ``rounds``: priced
    rounds per line (fewer is faster; a line not found so is solved again with ``LINE_ROUNDS``).
    """
    return _solve(instance, e, roster, prices, rounds)[0]


def _solve(instance: Instance, e: int, roster: Roster, prices: Prices | None, rounds: int = LINE_ROUNDS
           ) -> tuple[list[int] | None, LineSpec]:
    spec = line_spec(instance, e, roster)
    tp, wp = (prices or {}).get(e, (None, 0.0))
    res = solve_line(spec, rounds=rounds, type_prices=tp, weekend_price=wp, fallback=1 if rounds < LINE_ROUNDS else 5)
    if res is None and rounds < LINE_ROUNDS:
        res = solve_line(spec, rounds=LINE_ROUNDS, type_prices=tp, weekend_price=wp)
    SOLVES["none" if res is None else "optimal" if res.optimal else "heuristic"] += 1
    if res is None:
        return None, spec
    if prices is not None and res.type_prices is not None:
        prices[e] = (res.type_prices, res.weekend_price)
    return [int(x) for x in res.line], spec


def construct_dp(instance: Instance, seed: int = 0, deadline: float | None = None,
                 stats: dict | None = None, prices: Prices | None = None, rounds: int = LINE_ROUNDS,
                 improve: bool = True) -> Roster | None:
    """Greedy DP construction, then (``improve``) line passes until ``deadline`` (``time.perf_counter()`` clock).
    ``rounds``: priced rounds per construction line (one round made the 364-day constructions 3.2-3.7x faster and
    better: Instance23 19.8 s / 64 624 against 69-74 s / 73 743, load ~4).

    Construction: employees in a random order, each given its best line against the cover of
    those already placed (the rest count as off).  None if some employee has no lawful line
    or the deadline passes before every employee is placed.  Passes: each employee in a fresh
    random order is re-optimised against all the others; the new line is kept when its DP cost
    (= the objective change, see the module docstring) is no higher than the current line's.
    After each pass the evaluator confirms the roster is lawful and no worse; otherwise the pass
    is undone and the passes stop (this would be a bug in the costs, not an expected event).
    When a pass improves nothing, ruin-and-recreate moves use the rest of the time.
    """
    rng = random.Random(seed)
    H = instance.horizon
    roster: Roster = [[-1] * H for _ in range(instance.n_staff)]
    prices = {} if prices is None else prices  # the caller may keep them for later line solves
    order = list(range(instance.n_staff))
    rng.shuffle(order)
    t0 = time.perf_counter()
    for e in order:
        if deadline is not None and time.perf_counter() > deadline:
            return None
        line = best_line_for(instance, e, roster, prices, rounds)
        if line is None:
            return None
        roster[e] = line
    t1 = time.perf_counter()
    first = evaluate(instance, roster_to_cells(roster))
    _note(stats, construct_s=t1 - t0, per_line_s=(t1 - t0) / max(1, instance.n_staff),
          construct_objective=first.objective, construct_lawful=first.lawful)
    if not first.lawful:
        return None
    if deadline is not None and improve:
        _improve(instance, roster, prices, rng, deadline, first.objective, stats)
    return roster


def _improve(instance: Instance, roster: Roster, prices: Prices, rng: random.Random, deadline: float,
             objective: int, stats: dict | None) -> int:
    """Line passes until none improves, then ruin-and-recreate, until the deadline; final objective."""
    objective = _line_passes(instance, roster, prices, rng, deadline, objective, stats)
    if time.perf_counter() < deadline:
        objective = _ruin_recreate(instance, roster, prices, rng, deadline, objective, stats)
    return objective


def _line_passes(instance: Instance, roster: Roster, prices: Prices, rng: random.Random, deadline: float,
                 objective: int, stats: dict | None) -> int:
    """Re-optimise every line against the others, pass after pass, until a pass improves nothing.

    Equal-cost changes are taken (they move the roster sideways) but do not count as progress,
    so the passes end at a roster where no single line can be improved.
    """
    passes = lines = 0
    _note(stats, passes=0, lines=0)
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
            if line is not None and new is not None and (old is None or new <= old) and line != roster[e]:
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


def _ruin_recreate(instance: Instance, roster: Roster, prices: Prices, rng: random.Random, deadline: float,
                   objective: int, stats: dict | None) -> int:
    """Take ~10 % of the lines out, put them back one by one with the DP; keep if no worse.

    Why: at a line-pass optimum no single line can improve, but several lines rebuilt together
    against each other often can (the first one re-inserted sees the gaps the others left).
    Moves are scored by :func:`objective_of` (numpy, exact); the evaluator confirms the end.
    """
    k = max(2, instance.n_staff // 10)
    start = [list(r) for r in roster]
    current = objective_of(instance, roster)
    tried = kept = 0
    while time.perf_counter() < deadline:
        chosen = rng.sample(range(instance.n_staff), k)
        saved = {e: roster[e] for e in chosen}
        for e in chosen:
            roster[e] = [-1] * instance.horizon
        ok = True
        for e in chosen:
            line = best_line_for(instance, e, roster, prices)
            if line is None:
                ok = False
                break
            roster[e] = line
        value = objective_of(instance, roster) if ok else None
        tried += 1
        if value is not None and value <= current:
            current, kept = value, kept + (value < current)
        else:
            for e, line in saved.items():
                roster[e] = line
    ev = evaluate(instance, roster_to_cells(roster))
    if not ev.lawful or ev.objective != current or ev.objective > objective:
        roster[:] = start
        return objective
    _note(stats, ruin_tried=tried, ruin_kept=kept, objective=ev.objective)
    return ev.objective


def objective_of(instance: Instance, roster: Roster) -> int:
    """The evaluator's objective of a lawful roster, vectorised (cover and requests only)."""
    arr = np.asarray(roster, dtype=int)
    H, S = instance.horizon, instance.n_shifts
    counts = np.zeros((H, S), dtype=int)
    _, d = np.nonzero(arr >= 0)
    np.add.at(counts, (d, arr[arr >= 0]), 1)
    total = 0
    if instance.cover:
        cov = np.array([(c.day, c.shift, c.requirement, c.under_weight, c.over_weight) for c in instance.cover])
        n = counts[cov[:, 0], cov[:, 1]]
        total += int((cov[:, 3] * np.maximum(cov[:, 2] - n, 0) + cov[:, 4] * np.maximum(n - cov[:, 2], 0)).sum())
    for reqs, missed in ((instance.on_requests, True), (instance.off_requests, False)):
        if reqs:
            r = np.array([(q.employee, q.day, q.shift, q.weight) for q in reqs])
            hit = arr[r[:, 0], r[:, 1]] == r[:, 2]
            total += int(r[:, 3][~hit if missed else hit].sum())
    return total


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
    SOLVES.clear()
    stats: dict = {}
    prices: Prices = {}
    r = construct_dp(inst, seed=0, deadline=None, stats=stats, prices=prices)
    row.update(stats, construct_solves=dict(SOLVES))
    SOLVES.clear()
    if r is not None:
        end = time.perf_counter() + seconds
        obj = _improve(inst, r, prices, random.Random(1), end, stats["construct_objective"], stats)
        ev = evaluate(inst, roster_to_cells(r))
        row.update(after_passes=obj, passes_lawful=ev.lawful, passes=stats["passes"], pass_lines=stats["lines"],
                   ruin_tried=stats.get("ruin_tried", 0), ruin_kept=stats.get("ruin_kept", 0),
                   pass_solves=dict(SOLVES))
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
