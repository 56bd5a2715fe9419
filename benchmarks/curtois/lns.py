"""Curtois & Qu through turnus's search engine (the default `auto` method).

Phase 1 gets a first lawful roster: on small instances from the monolithic model (which may prove optimality
outright and gives the global lower bound), otherwise by construction (one employee at a time against the cover
the others leave: the DP line builder, lines.py, with the CP-SAT construction of construct.py as fallback).
Phase 2 is solver/search/engine.py on `CurtoisProblem` (problem.py): the same adaptive LNS that `turnus solve`
runs, with the benchmark's own sub-models and evaluator.
"""

from __future__ import annotations

import threading
import time

from solver.search.engine import Limits, Search

from .construct import construct
from .evaluator import evaluate
from .lines import construct_dp
from .model import CurtoisModel, SolveResult, _Progress
from .problem import CurtoisProblem
from .reader import Instance
from .writer import roster_to_cells

# Above this many shift variables phase 1 is construction, not the monolithic model
# (construction is faster and better on Instances 11, 13, 17, 21; see RESULTS.md).
CONSTRUCT_ABOVE = 1_000


# priced rounds per construction line: one round made the 364-day constructions 3.2-3.7x faster and better
# (Instance23 ~20 s, 364x150x32 ~43 s at load 4), so the DP constructs every size of the family within a minute
CONSTRUCT_ROUNDS = 1


def n_vars(instance: Instance) -> int:
    return sum(len(instance.allowed(e, d)) for e in range(instance.n_staff) for d in range(instance.horizon))


def _vars_per_emp_day(instance: Instance) -> float:
    return max(1.0, n_vars(instance) / (instance.n_staff * instance.horizon))


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

    def elapsed() -> float:
        return time.perf_counter() - t0

    if n_vars(instance) > CONSTRUCT_ABOVE:
        # DP lines are 2-8x better starts than CP-SAT lines (RESULTS.md, run D); past the limit it gives up
        start = construct_dp(instance, seed=seed, deadline=t0 + 0.95 * time_limit, rounds=CONSTRUCT_ROUNDS,
                             improve=False)
        if start is None:  # no DP line for someone (or out of time): CP-SAT lines, one thread taking DP lines
            start = construct(instance, seed=seed, workers=workers, deadline=t0 + time_limit,
                              dp_threads=1 if workers > 1 else 0)
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

    problem = CurtoisProblem(instance)
    vpd = _vars_per_emp_day(instance)
    limits = Limits(deadline=t0 + time_limit, workers=workers, seed=seed, sub_limit_s=sub_limit,
                    min_cells=max(2, round(100 / vpd)), start_cells=max(4, round(target_vars / vpd)),
                    max_cells=max(8, round(20 * target_vars / vpd)))
    search = Search(problem, roster, problem.evaluate(roster), limits, t0,
                    on_improve=lambda move, st, ev: trace.append((move.elapsed_s, ev.objective)))
    search.run()
    if log:
        st = search.stats
        print(f"  lns: {st.moves} moves, {st.improved} improvements, {st.merged} merged, {st.status}, "
              f"{st.build_s:.1f}s building sub-models")
        print("  kind   cells  score")
        for k in search.kinds:
            print(f"  {k:<6} {search.cells[k]:6.0f} {search.score[k]:8.1f}")
    return SolveResult(search.state, search.best.objective, bound, "FEASIBLE", trace[0][0], trace[-1][0],
                       elapsed(), trace)


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
