"""The solve loop: build, solve with progress, explain and relax on infeasibility, re-check with the checker.

Over-constrained units still get a roster: unfilled demand is already soft (its own tier); when REQUIRED rules
contradict each other (pins, absences, contract hours), an assumption core names the rules and staff involved,
those groups become soft at HARD_WEIGHT, and the solve is repeated. The checker then lists the broken groups.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from ortools.sat.python import cp_model

from models import Assignment, Conflict, Instance, Roster, SolveInfo

from .build import build_model
from .checker import check
from .context import Ctx
from .index import Index, build_index
from .rules import RELAXABLE
from .tasks.hint import with_greedy_tasks
from .tasks.report import with_tasks
from .view import shift_array
from .warmstart import greedy_roster

log = logging.getLogger("turnus.solver")

MAX_RELAX_ROUNDS = 5


@dataclass
class SolveOptions:
    time_limit_s: float = 30.0
    workers: int = 2
    seed: int = 0
    gap: float = 0.0  # relative gap limit; 0 = prove optimality or run to the time limit
    log_search: bool = False
    hint: list[Assignment] | None = None
    warm_start: bool = True  # build a lawful person-by-person roster as the hint (see warmstart.py)
    warm_start_share: float = 0.4  # at most this share of the time limit goes to the warm start


@dataclass
class Progress:
    """One progress event: best objective and bound so far, seconds since the solve started."""

    elapsed_s: float
    objective: int
    bound: int
    solutions: int
    phase: str = "solve"


ProgressFn = Callable[[Progress], None]
SolutionFn = Callable[[list[Assignment], int], None]


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, ctx: Ctx, t0: float, on_progress: ProgressFn | None, on_solution: SolutionFn | None,
                 phase: str, stop: threading.Event | None):
        super().__init__()
        self.ctx, self.t0, self.on_progress, self.on_solution, self.phase, self.stop = (
            ctx, t0, on_progress, on_solution, phase, stop)
        self.count = 0
        self.first_s: float | None = None

    def on_solution_callback(self) -> None:
        self.count += 1
        now = time.perf_counter() - self.t0
        if self.first_s is None:
            self.first_s = now
        if self.on_progress:
            self.on_progress(Progress(now, int(self.objective_value), int(self.best_objective_bound), self.count,
                                      self.phase))
        if self.on_solution:
            self.on_solution(extract(self.ctx, self.value), int(self.objective_value))
        if self.stop is not None and self.stop.is_set():
            self.stop_search()


def extract(ctx: Ctx, value) -> list[Assignment]:
    idx = ctx.idx
    return [Assignment(staff=idx.staff_ids[s], date=idx.dates[d], shift=idx.shift_codes[t])
            for (s, d, t), v in ctx.x.items() if value(v)]


def solver_breakdown(ctx: Ctx, value) -> dict[str, int]:
    """Penalty per rule as the solver sees it (compare with the checker's `score.rules`)."""
    out: dict[str, int] = {}
    for term in ctx.terms:
        out[term.rule] = out.get(term.rule, 0) + term.coef * (int(value(term.var)) if term.var is not None else 1)
    return out


def _params(opts: SolveOptions, time_limit: float, workers: int | None = None) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(0.1, time_limit)
    p.num_workers = workers or opts.workers
    p.random_seed = opts.seed
    if opts.gap:
        p.relative_gap_limit = opts.gap
    if opts.log_search:
        p.log_search_progress = True
        solver.log_callback = lambda line: log.debug("cp-sat: %s", line)
    return solver


def complete_hint(ctx: Ctx, hint: np.ndarray, time_limit: float, seed: int) -> bool:
    """Turn a shift-level hint into a hint for every variable (auxiliaries included) by solving with the
    shifts assumed; CP-SAT then starts from that solution at once instead of repairing a partial hint."""
    model = ctx.model
    model.add_assumptions([v if hint[s, d] == t else v.Not() for (s, d, t), v in ctx.x.items()])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.stop_after_first_solution = True
    status = solver.solve(model)
    model.clear_assumptions()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    model.clear_hints()
    for i in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(i)
        model.add_hint(var, solver.value(var))
    return True


def diagnose(inst: Instance, idx: Index, relaxed: set[tuple[str, int]], opts: SolveOptions,
             time_limit: float) -> list[tuple[str, int]]:
    """An infeasibility core as (rule, staff) groups (minimised by CP-SAT, not guaranteed minimal)."""
    ctx = build_model(inst, idx, diagnose=True, relaxed=relaxed)
    solver = _params(opts, time_limit, workers=1)
    status = solver.solve(ctx.model)
    if status != cp_model.INFEASIBLE:
        return []
    lit_index = {v.index: key for key, v in ctx.assumptions.items()}
    return [lit_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in lit_index]


def _warm_start(inst: Instance, idx: Index, opts: SolveOptions, t0: float, on_progress: ProgressFn | None,
                on_solution: SolutionFn | None) -> tuple[np.ndarray | None, Roster | None]:
    """The person-by-person roster as hint; also a fallback result when the checker finds it lawful."""
    budget = opts.warm_start_share * opts.time_limit_s
    arr = greedy_roster(inst, idx, deadline=t0 + budget, seed=opts.seed)
    assignments = [Assignment(staff=idx.staff_ids[s], date=idx.dates[d], shift=idx.shift_codes[t])
                   for s, d in zip(*np.nonzero(arr >= 0)) for t in [int(arr[s, d])]]
    roster = check(inst, with_greedy_tasks(idx, arr, assignments), idx)
    if not roster.lawful:
        return arr, None
    elapsed = time.perf_counter() - t0
    if on_progress:
        on_progress(Progress(elapsed, roster.score.total, 0, 1, "warm_start"))
    if on_solution:
        on_solution(assignments, roster.score.total)
    info = SolveInfo(status="WARM_START", objective=roster.score.total, wall_time_s=round(elapsed, 3),
                     first_solution_s=round(elapsed, 3), time_limit_s=opts.time_limit_s, workers=opts.workers,
                     seed=opts.seed)
    return arr, roster.model_copy(update={"solve": info})


def solve(inst: Instance, opts: SolveOptions | None = None, on_progress: ProgressFn | None = None,
          on_solution: SolutionFn | None = None, stop: threading.Event | None = None) -> Roster:
    """Solve one unit and return the roster, re-checked by the checker (its score is the one reported)."""
    opts = opts or SolveOptions()
    t0 = time.perf_counter()
    deadline = t0 + opts.time_limit_s
    idx = build_index(inst)
    hint = shift_array(idx, opts.hint or inst.assignments)
    fallback: Roster | None = None
    if hint is None and opts.warm_start:
        hint, fallback = _warm_start(inst, idx, opts, t0, on_progress, on_solution)
    relaxed: set[tuple[str, int]] = set()
    relax_all = False
    conflicts: list[Conflict] = []
    rounds = 0
    while True:
        if stop is not None and stop.is_set() and fallback is not None:
            return fallback
        ctx = build_model(inst, idx, relaxed=relaxed, relax_all=relax_all, hint=hint)
        if hint is not None:  # in relaxed rounds too: broken groups are soft there, so the hint usually fits
            done = complete_hint(ctx, hint, 0.25 * (deadline - time.perf_counter()), opts.seed)
            log.info("hint %s", "completed" if done else "not lawful: kept as a partial hint")
        log.info("model ready: %d vars, %d constraints, %.2f s", len(ctx.model.proto.variables),
                 len(ctx.model.proto.constraints), time.perf_counter() - t0)
        phase = "solve" if not (relaxed or relax_all) else "relaxed"
        cb = _Callback(ctx, t0, on_progress, on_solution, phase, stop)
        solver = _params(opts, deadline - time.perf_counter())
        status = solver.solve(ctx.model, cb)
        name = solver.status_name(status)
        log.info("cp-sat %s after %.2f s", name, solver.wall_time)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        if fallback is not None:
            return fallback
        if relax_all or time.perf_counter() >= deadline - 0.2 or stop is not None and stop.is_set():
            return _empty(inst, idx, name, opts, t0, conflicts)
        if status == cp_model.INFEASIBLE and rounds < MAX_RELAX_ROUNDS:
            rounds += 1
            core = diagnose(inst, idx, relaxed, opts, max(1.0, (deadline - time.perf_counter()) / 3))
            staff_in_core = {s for _, s in core}
            new = {(r, s) for r, s in core if r in RELAXABLE}
            if not new:  # only pins and structure in the core: relax every rule of those people
                new = {(r, s) for r in RELAXABLE for s in staff_in_core}
            conflicts += [Conflict(rule=r, staff=idx.staff_ids[s] if s >= 0 else None,
                                   detail="in an infeasibility core") for r, s in sorted(core)]
            log.warning("infeasible: core of %d groups over %d staff; relaxing", len(core), len(staff_in_core))
            if not new - relaxed:
                relax_all = True
            relaxed |= new
        else:
            relax_all = True
    roster = check(inst, with_tasks(ctx, solver.boolean_value, extract(ctx, solver.boolean_value)), idx)
    first = cb.first_s if fallback is None else fallback.solve.first_solution_s  # type: ignore[union-attr]
    info = SolveInfo(
        status=name if not (relaxed or relax_all) else f"{name}_RELAXED",
        # the objective of the returned solution: CP-SAT's own objective_value can sit above it when presolve
        # turned an exact max-equality into an inequality and postsolve then restored the exact (lower) value
        objective=int(solver.value(ctx.objective_expr())),
        bound=int(round(solver.best_objective_bound)),
        wall_time_s=round(time.perf_counter() - t0, 3),
        first_solution_s=round(first, 3) if first is not None else None,
        time_limit_s=opts.time_limit_s, workers=opts.workers, seed=opts.seed,
        relaxed_rules=sorted({r for r, _ in relaxed}) if not relax_all else ["*"],
    )
    if relax_all:  # no (complete) core: still name every REQUIRED rule the returned roster breaks, and for whom
        conflicts += [Conflict(rule=v.rule, staff=v.staff, detail="relaxed without a core (diagnosis ran out of time)")
                      for v in roster.violations if v.level == "REQUIRED"]
    if roster.score.total != info.objective:
        mine = solver_breakdown(ctx, solver.value)
        theirs = {r.rule: r.penalty for r in roster.score.rules}
        diff = {k: (mine.get(k, 0), theirs.get(k, 0)) for k in set(mine) | set(theirs)
                if mine.get(k, 0) != theirs.get(k, 0)}
        log.error("checker score %d differs from solver objective %d: %s", roster.score.total, info.objective, diff)
    if fallback is not None and fallback.score.total < roster.score.total:  # hint not taken up in time
        log.info("keeping the warm-start roster (%d) over CP-SAT's (%d)", fallback.score.total, roster.score.total)
        return fallback.model_copy(update={"solve": fallback.solve.model_copy(update={  # type: ignore[union-attr]
            "bound": info.bound, "wall_time_s": info.wall_time_s})})
    return roster.model_copy(update={"solve": info, "conflicts": _dedupe(conflicts, roster)})


def _dedupe(conflicts: list[Conflict], roster: Roster) -> list[Conflict]:
    """One entry per (rule, person), with the dates where the returned roster breaks that rule."""
    broken: dict[tuple[str, str | None], set] = {}
    for v in roster.violations:
        broken.setdefault((v.rule, v.staff), set()).update(v.dates)
    seen, out = set(), []
    for c in conflicts:
        if (c.rule, c.staff) not in seen:
            seen.add((c.rule, c.staff))
            out.append(c.model_copy(update={"dates": sorted(broken.get((c.rule, c.staff), ()))}))
    return out


def _empty(inst: Instance, idx: Index, status: str, opts: SolveOptions, t0: float,
           conflicts: list[Conflict]) -> Roster:
    roster = check(inst, [], idx)
    info = SolveInfo(status=status, wall_time_s=round(time.perf_counter() - t0, 3), time_limit_s=opts.time_limit_s,
                     workers=opts.workers, seed=opts.seed)
    return roster.model_copy(update={"solve": info, "conflicts": _dedupe(conflicts, roster)})
