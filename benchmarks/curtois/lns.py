"""Large-neighbourhood search with CP-SAT as sub-solver, for instances too big for one model.

Why: with 2 workers CP-SAT's own LNS workers barely get CPU time, and on the 182- and
364-day instances the monolithic search spends most of its minute improving the first
roster slowly.  Here we (1) run the monolithic model until it has a first lawful roster
(plus a short extra budget, which also gives the global lower bound), then (2) repeatedly
free a neighbourhood -- a few employees over the whole horizon, all employees over a
window of weeks, or a block of employees × weeks -- fix everything else to the incumbent,
hint the incumbent, and accept the sub-solve's answer if it is no worse.  The neighbourhood
size adapts: grow after a sub-problem is solved to optimality, shrink after a timeout.
"""

from __future__ import annotations

import random
import threading
import time

from .model import CurtoisModel, SolveResult
from .reader import Instance
from .writer import Roster


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
    sub_limit: float = 3.0,
    target_vars: float = 1500.0,
) -> SolveResult:
    t0 = time.perf_counter()
    rng = random.Random(seed)
    H, E = instance.horizon, instance.n_staff
    weeks = H // 7

    def elapsed() -> float:
        return time.perf_counter() - t0

    # Phase 1: monolithic model until a first roster exists and init budget is spent.
    mono = CurtoisModel(instance)
    state = {"have": False}
    solver_ref: dict[str, object] = {}

    def on_solution(t: float, obj: int) -> None:
        state["have"] = True

    init_budget = init_fraction * time_limit
    stopper = threading.Event()

    def watchdog() -> None:
        while not stopper.wait(0.1):
            if state["have"] and elapsed() >= init_budget:
                s = solver_ref.get("solver")
                if s is not None:
                    s.stop_search()  # type: ignore[attr-defined]
                return

    # We need the CpSolver object to stop it: re-implement the small part of solve() here.
    from ortools.sat.python import cp_model

    from .model import _Progress

    solver = cp_model.CpSolver()
    solver_ref["solver"] = solver
    p = solver.parameters
    p.max_time_in_seconds = max(0.01, time_limit - elapsed())
    p.num_workers = workers
    p.random_seed = seed
    p.log_search_progress = log
    cb = _Progress(time.perf_counter(), elapsed(), on_solution)
    th = threading.Thread(target=watchdog, daemon=True)
    th.start()
    status = solver.solve(mono.m, cb)
    stopper.set()
    th.join()
    trace = list(cb.trace)
    bound = solver.best_objective_bound
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SolveResult(None, None, bound, solver.status_name(status), None, None, elapsed(), trace)
    roster: Roster = mono.extract(solver)
    best = int(round(solver.objective_value))
    if status == cp_model.OPTIMAL:
        return SolveResult(roster, best, bound, "OPTIMAL", trace[0][0], trace[-1][0], elapsed(), trace)
    del mono

    # Phase 2: LNS.
    vpd = _vars_per_emp_day(instance)
    target = target_vars
    it = improved = 0
    while elapsed() < time_limit - 0.2:
        it += 1
        kind = rng.choice(("staff", "window", "block"))
        if kind == "staff":
            k = max(1, min(E, round(target / (vpd * H))))
            free = rng.sample(range(E), k)
            window = None
        elif kind == "window":
            days = max(7, min(H, 7 * round(target / (vpd * E * 7))))
            lo = rng.randrange(0, H - days + 1)
            free, window = list(range(E)), (lo, lo + days)
        else:
            days = 7 * rng.randint(1, max(1, min(weeks, 4)))
            k = max(2, min(E, round(target / (vpd * days))))
            lo = rng.randrange(0, H - days + 1)
            free, window = rng.sample(range(E), k), (lo, lo + days)
        sub = CurtoisModel(instance, free=free, base=roster, window=window)
        sub.hint(roster)
        budget = min(sub_limit, time_limit - elapsed())
        if budget < 0.2:
            break
        r = sub.solve(budget, workers, rng.randrange(1 << 30), t_offset=elapsed())
        if r.status == "OPTIMAL":
            target *= 1.15
        else:
            target = max(200.0, target / 1.15)
        if r.roster is not None and r.objective is not None and r.objective <= best:
            if r.objective < best:
                improved += 1
                trace.append((elapsed(), r.objective))
                if log:
                    print(f"  lns it {it} {kind} {len(free)} staff {window}: {best} -> {r.objective} @ {elapsed():.1f}s")
            best, roster = r.objective, r.roster
    if log:
        print(f"  lns: {it} iterations, {improved} improvements, final target {target:.0f} vars")
    return SolveResult(roster, best, bound, "FEASIBLE", trace[0][0], trace[-1][0], elapsed(), trace)
