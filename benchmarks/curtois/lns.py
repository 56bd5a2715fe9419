"""Large-neighbourhood search with CP-SAT as sub-solver (the default `auto` method).

Why: with 2 workers CP-SAT's own LNS workers barely get CPU time, and on the 182- and
364-day instances the monolithic search spends most of its minute improving the first
roster slowly.  Here we (1) get a first lawful roster -- from construct.py (one employee at a
time), or on small instances from the monolithic model, which may prove optimality outright
and gives the global lower bound -- then (2) repeatedly
free a neighbourhood -- a few employees over the whole horizon, all employees over a
window of days, a block of employees × 1-4 weeks, or a window around a costly cover cell
with people who could work it -- fix everything else to the incumbent,
hint the incumbent, and accept the sub-solve's answer if it is no worse.  The neighbourhood
size adapts: grow after a sub-problem is solved to optimality, shrink after a timeout.
"""

from __future__ import annotations

import random
import threading
import time

from .construct import construct
from .evaluator import evaluate
from .model import CurtoisModel, SolveResult, _Progress
from .reader import Instance
from .writer import Roster, roster_to_cells

# Above this many shift variables phase 1 is construct.py, not the monolithic model
# (construct is faster and better on Instances 11, 13, 17, 21; see RESULTS.md).
CONSTRUCT_ABOVE = 1_000


# Neighbourhood kinds drawn uniformly; "cover" was added after the 60 s table (RESULTS.md).
KINDS: tuple[str, ...] = ("staff", "window", "block", "cover")


def _costly_cell(instance: Instance, roster: Roster, rng: random.Random) -> tuple[int, int]:
    """A (day, shift) cover cell drawn with probability proportional to its penalty."""
    counts: dict[tuple[int, int], int] = {}
    for row in roster:
        for d, s in enumerate(row):
            if s >= 0:
                counts[d, s] = counts.get((d, s), 0) + 1
    cells, weights = [], []
    for c in instance.cover:
        n = counts.get((c.day, c.shift), 0)
        pen = c.under_weight * max(0, c.requirement - n) + c.over_weight * max(0, n - c.requirement)
        if pen > 0:
            cells.append((c.day, c.shift))
            weights.append(pen)
    if not cells:
        return rng.randrange(instance.horizon), rng.randrange(instance.n_shifts)
    return rng.choices(cells, weights)[0]


def n_vars(instance: Instance) -> int:
    return sum(len(instance.allowed(e, d)) for e in range(instance.n_staff) for d in range(instance.horizon))


def _vars_per_emp_day(instance: Instance) -> float:
    total = sum(len(instance.allowed(e, d)) for e in range(instance.n_staff) for d in range(instance.horizon))
    return max(1.0, total / (instance.n_staff * instance.horizon))


def solve_lns(
    instance: Instance,
    time_limit: float,
    workers: int,
    seed: int,
    log: bool = False,
    init_fraction: float = 0.2,
    sub_limit: float = 0.5,
    target_vars: float = 300.0,
) -> SolveResult:
    t0 = time.perf_counter()
    rng = random.Random(seed)
    H, E = instance.horizon, instance.n_staff

    def elapsed() -> float:
        return time.perf_counter() - t0

    if n_vars(instance) > CONSTRUCT_ABOVE:
        # Phase 1: one employee at a time (construct.py) is faster and better than the
        # monolithic model's first rosters at 2 workers; the monolithic model would also
        # take tens of seconds just to build on Instances 21 and 23.
        start = construct(instance, seed=seed, workers=workers, deadline=t0 + time_limit)
        if start is None:
            return SolveResult(None, None, 0.0, "UNKNOWN", None, None, elapsed(), [])
        roster = start
        best = evaluate(instance, roster_to_cells(roster)).objective
        trace = [(elapsed(), best)]
        bound = 0.0
        if log:
            print(f"  constructed {best} @ {elapsed():.1f}s")
    else:
        found = _monolithic_phase(instance, time_limit, workers, seed, init_fraction, t0)
        if found.roster is None or found.status == "OPTIMAL":
            return found
        roster, best, trace, bound = found.roster, int(found.objective or 0), found.trace, found.bound
        if log:
            print(f"  monolithic {best} @ {elapsed():.1f}s")

    # Phase 2: LNS.
    vpd = _vars_per_emp_day(instance)
    target = target_vars
    it = improved = 0
    stats: dict[str, int] = {}
    while elapsed() < time_limit - 0.2:
        it += 1
        kind = rng.choice(KINDS)
        if kind == "cover":
            # Aim at a costly cover cell: a window around it and people who could work it.
            d0, s0 = _costly_cell(instance, roster, rng)
            days = rng.randint(min(H, 3), min(H, 14))
            lo = max(0, min(H - days, d0 - rng.randrange(days)))
            k = max(2, min(E, round(target / (vpd * days))))
            cands = [e for e in range(E) if s0 in instance.allowed(e, d0)]
            free = rng.sample(cands, min(k, len(cands)))
            if len(free) < k:
                free += rng.sample([e for e in range(E) if e not in free], min(E - len(free), k - len(free)))
            window = (lo, lo + days)
        elif kind == "staff":
            # at least two people, so that shifts can move between them
            k = max(2, min(E, round(target / (vpd * H))))
            free = rng.sample(range(E), k)
            window = None
        elif kind == "window":
            days = max(2, min(H, round(target / (vpd * E))))
            lo = rng.randrange(0, H - days + 1)
            free, window = list(range(E)), (lo, lo + days)
        else:
            days = rng.randint(min(H, 7), min(H, 28))
            k = max(2, min(E, round(target / (vpd * days))))
            lo = rng.randrange(0, H - days + 1)
            free, window = rng.sample(range(E), k), (lo, lo + days)
        sub = CurtoisModel(instance, free=free, base=roster, window=window)
        sub.hint(roster)
        budget = min(sub_limit, time_limit - elapsed())
        if budget < 0.2:
            break
        r = sub.solve(budget, workers, rng.randrange(1 << 30), t_offset=elapsed())
        stats[r.status] = stats.get(r.status, 0) + 1
        if r.status == "OPTIMAL":
            target = min(target * 1.1, 20.0 * target_vars)
        else:
            target = max(100.0, target / 1.1)
        if r.roster is not None and r.objective is not None and r.objective <= best:
            if r.objective < best:
                improved += 1
                trace.append((elapsed(), r.objective))
                if log:
                    print(f"  lns it {it} {kind} {len(free)} staff {window}: {best} -> {r.objective} @ {elapsed():.1f}s")
            best, roster = r.objective, r.roster
    if log:
        print(f"  lns: {it} iterations, {improved} improvements, final target {target:.0f} vars, {stats}")
    return SolveResult(roster, best, bound, "FEASIBLE", trace[0][0], trace[-1][0], elapsed(), trace)


def _monolithic_phase(instance: Instance, time_limit: float, workers: int, seed: int,
                      init_fraction: float, t0: float) -> SolveResult:
    """Monolithic CP-SAT until it has a roster and ``init_fraction`` of the time is spent."""
    from ortools.sat.python import cp_model

    def elapsed() -> float:
        return time.perf_counter() - t0

    mono = CurtoisModel(instance)
    state = {"have": False}
    init_budget = init_fraction * time_limit
    stopper = threading.Event()
    solver = cp_model.CpSolver()

    def on_solution(t: float, obj: int) -> None:
        state["have"] = True

    def watchdog() -> None:
        while not stopper.wait(0.1):
            if state["have"] and elapsed() >= init_budget:
                solver.stop_search()
                return

    p = solver.parameters
    p.max_time_in_seconds = max(0.01, time_limit - elapsed())
    p.num_workers = workers
    p.random_seed = seed
    cb = _Progress(time.perf_counter(), elapsed(), on_solution)
    th = threading.Thread(target=watchdog, daemon=True)
    th.start()
    status = solver.solve(mono.m, cb)
    stopper.set()
    th.join()
    trace = list(cb.trace)
    bound = solver.best_objective_bound
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SolveResult(None, None, bound, name, None, None, elapsed(), trace)
    return SolveResult(mono.extract(solver), int(round(solver.objective_value)), bound, name,
                       trace[0][0], trace[-1][0], elapsed(), trace)
