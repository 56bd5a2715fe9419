"""Large-neighbourhood search with CP-SAT as sub-solver (the default `auto` method).

Why: with 2 workers CP-SAT's own LNS workers barely get CPU time, and on the 182- and
364-day instances the monolithic search spends most of its minute improving the first
roster slowly.  Here we (1) get a first lawful roster -- from construct.py (one employee at a
time), or on small instances from the monolithic model, which may prove optimality outright
and gives the global lower bound -- then (2) repeatedly
free a neighbourhood -- a few employees over the whole horizon, all employees over a
window of days, a block of employees × 1-4 weeks, or a window around a costly cover cell
with people who could work it -- fix everything else to the incumbent,
hint the incumbent, and accept the sub-solve's answer if it is no worse.  One search thread
per worker, each running single-worker sub-solves with the full LP (``SUB_PARAMS``); each
neighbourhood kind adapts its size and its share of the draws (``_Search``).
"""

from __future__ import annotations

import random
import threading
import time

from .construct import construct, run_threads
from .evaluator import evaluate
from .model import CurtoisModel, SolveResult, _Progress
from .reader import Instance
from .writer import Roster, roster_to_cells

# Above this many shift variables phase 1 is construct.py, not the monolithic model
# (construct is faster and better on Instances 11, 13, 17, 21; see RESULTS.md).
CONSTRUCT_ABOVE = 1_000


# Neighbourhood kinds; drawn with adaptive weights (``_Search._draw``).
KINDS: tuple[str, ...] = ("staff", "window", "block", "cover")

# CP-SAT parameters of every single-worker sub-solve.  With most of the roster fixed the LP
# relaxation is tight, and level 2 (all constraints + cuts) solves 4-8x more sub-problems to
# optimality than level 1 or 0 (RESULTS.md, item 11).
SUB_PARAMS: dict = {"linearization_level": 2}


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
    rng = random.Random(seed)

    def elapsed() -> float:
        return time.perf_counter() - t0

    if n_vars(instance) > CONSTRUCT_ABOVE:
        # Phase 1: one employee per thread at a time (construct.py) is faster and better than the
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

    # Phase 2: LNS, one thread per worker (each sub-solve single-threaded).
    search = _Search(instance, roster, best, trace, t0, time_limit, target_vars, sub_limit, log)
    run_threads(search.run, workers, rng)
    if log:
        print(f"  lns: {search.iterations} iterations, {search.improved} improvements, "
              f"{search.merged} merged, {search.stats}, {search.build_s:.1f}s building sub-models")
        print("  kind   target  score")
        for k in KINDS:
            print(f"  {k:<6} {search.target[k]:6.0f} {search.score[k]:6.1f}")
    return SolveResult(search.roster, search.best, bound, "FEASIBLE", search.trace[0][0], search.trace[-1][0],
                       elapsed(), search.trace)


def _neighbourhood(kind: str, instance: Instance, roster: Roster, rng: random.Random, target: float,
                   vpd: float) -> tuple[list[int], tuple[int, int] | None]:
    """Employees set free and the window of days (None: whole horizon) for one LNS move."""
    H, E = instance.horizon, instance.n_staff
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
        return free, (lo, lo + days)
    if kind == "staff":
        # at least two people, so that shifts can move between them
        k = max(2, min(E, round(target / (vpd * H))))
        return rng.sample(range(E), k), None
    if kind == "window":
        days = max(2, min(H, round(target / (vpd * E))))
        lo = rng.randrange(0, H - days + 1)
        return list(range(E)), (lo, lo + days)
    days = rng.randint(min(H, 7), min(H, 28))
    k = max(2, min(E, round(target / (vpd * days))))
    lo = rng.randrange(0, H - days + 1)
    return rng.sample(range(E), k), (lo, lo + days)


class _Search:
    """Shared incumbent of the LNS threads.

    Why threads: a sub-solve is small, and one CP-SAT worker solves it about as fast as two;
    running one single-worker sub-solve per core doubles the moves per second (CP-SAT releases
    the GIL while it searches).  A thread whose base roster went stale while it searched
    applies its change (its employees × its window) to the new incumbent and keeps it only if
    the independent evaluator finds the merged roster lawful and no worse.

    Each neighbourhood kind keeps its own size (grown after a sub-problem solved to
    optimality, shrunk after a timeout: a window over all staff and two whole lines differ in
    how hard they are per variable) and its own weight in the draw, an adaptive-LNS score:
    exponentially smoothed objective gain per second of sub-solve, with a floor so that no
    kind is starved.
    """

    def __init__(self, instance: Instance, roster: Roster, best: int, trace: list[tuple[float, int]],
                 t0: float, time_limit: float, target_vars: float, sub_limit: float, log: bool) -> None:
        self.inst, self.roster, self.best, self.trace = instance, roster, best, trace
        self.t0, self.time_limit, self.sub_limit, self.log = t0, time_limit, sub_limit, log
        self.target_vars = target_vars
        self.target = {k: target_vars for k in KINDS}
        self.score = {k: 1.0 for k in KINDS}  # relative; normalised when drawn
        self.vpd = _vars_per_emp_day(instance)
        self.version = 0
        self.lock = threading.Lock()
        self.iterations = self.improved = self.merged = 0
        self.build_s = 0.0  # seconds spent building sub-models (all threads)
        self.stats: dict[str, int] = {}

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def run(self, seed: int) -> None:
        rng = random.Random(seed)
        while self.elapsed() < self.time_limit - 0.2:
            with self.lock:
                roster, version = self.roster, self.version
                self.iterations += 1
                kind = self._draw(rng)
                target = self.target[kind]
            t_build = time.perf_counter()
            free, window = _neighbourhood(kind, self.inst, roster, rng, target, self.vpd)
            sub = CurtoisModel(self.inst, free=free, base=roster, window=window)
            sub.hint(roster)
            self.build_s += time.perf_counter() - t_build
            budget = min(self.sub_limit, self.time_limit - self.elapsed())
            if budget < 0.2:
                break
            r = sub.solve(budget, 1, rng.randrange(1 << 30), t_offset=self.elapsed(), extra_params=SUB_PARAMS)
            gain = self._report(r, kind, free, window, version)
            self._learn(kind, r, gain)

    def _draw(self, rng: random.Random) -> str:
        total = sum(self.score.values())
        floor = 0.1 / len(KINDS)
        weights = [max(floor, self.score[k] / total) for k in KINDS]
        return rng.choices(KINDS, weights)[0]

    def _learn(self, kind: str, r: SolveResult, gain: int) -> None:
        with self.lock:
            t = self.target[kind]
            self.target[kind] = (min(t * 1.1, 20.0 * self.target_vars) if r.status == "OPTIMAL"
                                 else max(100.0, t / 1.1))
            rate = gain / max(r.wall, 0.01)
            self.score[kind] = 0.8 * self.score[kind] + 0.2 * rate

    def _report(self, r: SolveResult, kind: str, free: list[int], window: tuple[int, int] | None,
                version: int) -> int:
        """Accept the sub-solve's roster if it is no worse; return the objective gain."""
        with self.lock:
            self.stats[r.status] = self.stats.get(r.status, 0) + 1
            if r.roster is None or r.objective is None:
                return 0
            roster, obj = r.roster, r.objective
            if version != self.version:
                roster = _merge(self.roster, r.roster, free, window, self.inst.horizon)
                ev = evaluate(self.inst, roster_to_cells(roster))
                if not ev.lawful:
                    return 0
                obj = ev.objective
                self.merged += 1
            if obj > self.best:
                return 0
            gain = self.best - obj
            if obj < self.best:
                self.improved += 1
                self.trace.append((self.elapsed(), obj))
                if self.log:
                    print(f"  lns {kind} {len(free)} staff {window}: {self.best} -> {obj} @ {self.elapsed():.1f}s")
            self.best, self.roster = obj, roster
            self.version += 1
            return gain


def _merge(current: Roster, found: Roster, free: list[int], window: tuple[int, int] | None, horizon: int) -> Roster:
    """``current`` with the cells a sub-solve was free to change taken from ``found``."""
    lo, hi = window if window is not None else (0, horizon)
    out = [list(row) for row in current]
    for e in free:
        out[e][lo:hi] = found[e][lo:hi]
    return out


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
