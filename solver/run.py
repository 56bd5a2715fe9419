"""The solve loop: a start (construction or the previous roster), then the search engine or, for tiny units, the
monolithic model; explain and relax on infeasibility; re-check with the checker.

Every unit goes through the same engine (solver/search): construction person by person against the residual
demand, tasks and roles, then adaptive LNS with CP-SAT sub-solves of the full rule set, each accepted state scored
by the checker. Units small enough that the monolithic model solves them outright (`MONOLITHIC_MAX_VARS`) get the
monolithic model, hinted with the constructed start.

Over-constrained units still get a roster: unfilled demand is already soft (its own tier); when REQUIRED rules
contradict each other (pins, absences, contract hours), an assumption core names the rules and staff involved,
those groups become soft at HARD_WEIGHT, and the solve is repeated. The checker then lists the broken groups.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from models import Assignment, Conflict, Instance, Roster, SolveInfo

from .build import build_model
from .checker import check
from .context import Ctx
from .index import Index, build_index
from .registry import RELAXABLE
from .search.construct import allocate_tasks, construct
from .search.domain import DomainProblem, hint_state
from .search.engine import Limits, Move, Search
from .search.params import complete_hint, cp_solver, hint_solution
from .search.problem import Evaluation
from .search.subproblem import DomainState, state_assignments, state_from_roster, state_roster
from .tasks.report import with_tasks

log = logging.getLogger("turnus.solver")

MAX_RELAX_ROUNDS = 5
# Units up to this many decision variables (person-day-shift cells and person-task pairs) get the monolithic model:
# CP-SAT solves them to optimality or close within seconds (the test units). Larger ones get the LNS. At 2500 the
# generated small unit (13 staff, 6 weeks, 1867 variables) went monolithic and CP-SAT never improved its start under
# the law issue's rules: 60 s side by side (load 10), 1 worker: monolithic 366 477 / 36 unfilled, LNS 175 369 / 17;
# 2 workers: 364 586 / 36 against 245 340 / 24. At 580 and 902 variables both ended equal.
MONOLITHIC_MAX_VARS = 1000


@dataclass
class SolveOptions:
    time_limit_s: float = 30.0
    workers: int = 2
    seed: int = 0
    gap: float = 0.0  # relative gap limit; 0 = prove optimality or run to the time limit
    log_search: bool = False
    hint: list[Assignment] | None = None  # a previous roster to start from (re-planning)
    warm_start: bool = True  # construct a lawful start person by person (solver/search/construct.py)
    warm_start_share: float = 0.4  # past this share of the time limit construction takes first lawful lines
    engine: str = "auto"  # "lns", "monolithic" or "auto" (monolithic up to MONOLITHIC_MAX_VARS)
    max_moves: int | None = None  # stop the LNS after this many moves (with workers=1: reproducible)


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
    def __init__(
        self,
        ctx: Ctx,
        t0: float,
        on_progress: ProgressFn | None,
        on_solution: SolutionFn | None,
        phase: str,
        stop: threading.Event | None,
    ):
        super().__init__()
        self.ctx, self.t0, self.on_progress, self.on_solution, self.phase, self.stop = (
            ctx,
            t0,
            on_progress,
            on_solution,
            phase,
            stop,
        )
        self.count = 0
        self.first_s: float | None = None

    def on_solution_callback(self) -> None:
        self.count += 1
        now = time.perf_counter() - self.t0
        if self.first_s is None:
            self.first_s = now
        if self.on_progress:
            self.on_progress(
                Progress(now, int(self.objective_value), int(self.best_objective_bound), self.count, self.phase)
            )
        if self.on_solution:
            self.on_solution(extract(self.ctx, self.value), int(self.objective_value))
        if self.stop is not None and self.stop.is_set():
            self.stop_search()


def extract(ctx: Ctx, value) -> list[Assignment]:
    idx = ctx.idx
    return [
        Assignment(staff=idx.staff_ids[s], date=idx.dates[d], shift=idx.shift_codes[t])
        for (s, d, t), v in ctx.x.items()
        if value(v)
    ]


def solver_breakdown(ctx: Ctx, solver: cp_model.CpSolver) -> dict[str, int]:
    """Penalty per rule as the solver sees it (compare with the checker's `score.rules`)."""
    out: dict[str, int] = {}
    for term in ctx.terms:
        out[term.rule] = out.get(term.rule, 0) + ctx.term_value(term, solver)
    return out


def settle_choices(ctx: Ctx, solver: cp_model.CpSolver, opts: SolveOptions, budget_s: float) -> cp_model.CpSolver:
    """The found shifts fixed, the other choices (which slot a person fills under `exclusive_slots`, who does a
    task) re-solved to their optimum. A FEASIBLE solution can leave them short of it: the shifts are priced as the
    checker prices them, by its best allocation, only once they are. INRC-II n005w4 at 10 s: CP-SAT's allocation
    left 3 slots unfilled that its own shifts could fill (82 800 against the checker's 52 890). Returns the
    settled solver, or `solver` when the sub-solve finds nothing in its budget."""
    model = ctx.model.clone()
    hint_solution(model, solver)
    for x in ctx.x.values():
        model.add(model.get_bool_var_from_proto_index(x.index) == int(solver.value(x)))
    settled = _params(opts, budget_s)
    status = settled.solve(model)
    return settled if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else solver


def _params(opts: SolveOptions, time_limit: float, workers: int | None = None) -> cp_model.CpSolver:
    return cp_solver(time_limit, workers or opts.workers, opts.seed, gap=opts.gap, log_search=opts.log_search)


def diagnose(
    inst: Instance, idx: Index, relaxed: set[tuple[str, int]], opts: SolveOptions, time_limit: float
) -> list[tuple[str, int]]:
    """An infeasibility core as (rule, staff) groups (minimised by CP-SAT, not guaranteed minimal)."""
    ctx = build_model(inst, idx, diagnose=True, relaxed=relaxed)
    solver = _params(opts, time_limit, workers=1)
    status = solver.solve(ctx.model)
    if status != cp_model.INFEASIBLE:
        return []
    lit_index = {v.index: key for key, v in ctx.assumptions.items()}
    return [lit_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in lit_index]


def solve(
    inst: Instance,
    opts: SolveOptions | None = None,
    on_progress: ProgressFn | None = None,
    on_solution: SolutionFn | None = None,
    stop: threading.Event | None = None,
) -> Roster:
    """Solve one unit and return the roster, re-checked by the checker (its score is the one reported)."""
    opts = opts or SolveOptions()
    t0 = time.perf_counter()
    deadline = t0 + opts.time_limit_s
    idx = build_index(inst)
    problem = DomainProblem(inst, idx)
    start, failed = _start(problem, opts, t0, deadline, stop)
    first = problem.evaluate(start) if start is not None else None
    monolithic = opts.engine == "monolithic" or (opts.engine == "auto" and problem.n_vars <= MONOLITHIC_MAX_VARS)
    # an unlawful start with time left and no stop (someone without a lawful line, or a rule broken by no one
    # person) goes to the monolithic loop, which explains and relaxes it; past the limit the LNS path reports it
    stopped = stop is not None and stop.is_set()
    explain = bool(failed) or (
        first is not None and not first.lawful and not stopped and time.perf_counter() < deadline
    )
    if start is None or first is None or explain or monolithic:
        # tiny units, units to explain, or no start at all (warm_start off)
        return _monolithic(
            inst,
            idx,
            opts,
            t0,
            deadline,
            start,
            on_progress,
            on_solution,
            stop,
            fallback=start is not None and not failed,
        )
    return _lns(problem, start, first, opts, t0, deadline, on_progress, on_solution, stop)


def _start(
    problem: DomainProblem, opts: SolveOptions, t0: float, deadline: float, stop: threading.Event | None
) -> tuple[DomainState | None, list[int]]:
    """The previous roster (re-planning; people whose line breaks a REQUIRED rule are placed anew, or on a year
    plan repaired around what breaks, `search/annual.py`) or a constructed one; and the people who got no lawful
    line."""
    idx = problem.idx
    prev = state_from_roster(idx, opts.hint or idx.inst.assignments)
    hurry_at = t0 + opts.warm_start_share * opts.time_limit_s
    if prev is not None:
        if problem.has_tasks and not (prev.tasks or prev.roles):  # a previous roster of shifts only
            allocate_tasks(idx, prev)
        bad = _unlawful_people(problem, prev)
        if not bad:
            return prev, []
        from .search.annual import is_annual, repair, retry_failed

        if is_annual(idx.inst):  # a year re-planned: broken lines repaired around what breaks, the rest kept
            rolled = prev.shift.copy()
            state, failed = repair(problem, prev, rolled, deadline, opts.seed, opts.workers == 1, stop)
            state, failed = retry_failed(problem, state, rolled, failed, deadline, opts.seed, opts.workers, stop)
            if problem.has_tasks:  # tasks on the repaired shifts
                allocate_tasks(idx, state)
            return state, failed
        for s in bad:
            prev.shift[s] = -1
        prev.tasks = {o: st for o, st in prev.tasks.items() if not set(st) & set(bad)}
        prev.roles = {k: s for k, s in prev.roles.items() if s not in bad}
        return construct(
            problem, hurry_at, opts.seed, opts.workers, start=prev, people=bad, stop=stop, give_up=deadline
        )
    if not opts.warm_start:
        return None, []
    from .search.annual import annual_start, is_annual

    if is_annual(idx.inst):  # a year plan: a grunnturnus rolled over the year and repaired (search/annual.py)
        return annual_start(problem, opts.time_limit_s, opts.workers, opts.seed, t0, deadline, stop)
    return construct(problem, hurry_at, opts.seed, opts.workers, stop=stop, give_up=deadline)


def _unlawful_people(problem: DomainProblem, state: DomainState) -> list[int]:
    from .checker import audit_all
    from .search.subproblem import state_view

    view = state_view(problem.idx, state)
    pos = problem.idx.staff_pos
    return sorted({pos[v.staff] for v in audit_all(view) if v.level == "REQUIRED" and v.staff in pos})


def _lns(
    problem: DomainProblem,
    start: DomainState,
    first: Evaluation,
    opts: SolveOptions,
    t0: float,
    deadline: float,
    on_progress: ProgressFn | None,
    on_solution: SolutionFn | None,
    stop: threading.Event | None,
) -> Roster:
    idx, inst = problem.idx, problem.inst
    first_s = time.perf_counter() - t0
    log.info(
        "start: objective %d (hard %d, unfilled %d) at %.2f s", first.objective, first.hard, first.unfilled, first_s
    )

    def improved(move: Move, state: DomainState, ev: Evaluation) -> None:
        if on_progress:
            on_progress(Progress(move.elapsed_s, ev.objective, 0, move.moves + 1, "search"))
        if on_solution:
            on_solution(state_assignments(idx, state), ev.objective)

    if not first.lawful:  # stopped, or out of time during construction (a unit too large for it): say so
        roster = check(inst, state_roster(idx, start), idx)
        log.warning(
            "time limit reached during construction: %d people without a line", int((start.shift < 0).all(axis=1).sum())
        )
        return roster.model_copy(
            update={
                "solve": SolveInfo(
                    status="INCOMPLETE",
                    objective=roster.score.total,
                    wall_time_s=round(time.perf_counter() - t0, 3),
                    time_limit_s=opts.time_limit_s,
                    workers=opts.workers,
                    seed=opts.seed,
                    engine="lns",
                    start_objective=first.objective,
                    moves=0,
                )
            }
        )
    improved(Move(first_s, first.objective, "start", 0), start, first)
    # one worker: reproducible (deterministic sub-solves, no threads); more: one extra thread builds while the
    # others solve (large unit with tasks, 40 s: 111 moves and objective 1.00 M against 72 and 1.20 M)
    limits = Limits(
        deadline=deadline,
        max_moves=opts.max_moves,
        stop=stop,
        workers=opts.workers,
        seed=opts.seed,
        deterministic=opts.workers == 1,
        extra_threads=1 if opts.workers > 1 else 0,
    )
    search = Search(problem, start, first, limits, t0, on_improve=improved)
    search.run()
    st = search.stats
    log.info(
        "search: %d moves, %d improved, %d merged, %d rejected; %.1f s building, %.1f s solving; %s",
        st.moves,
        st.improved,
        st.merged,
        st.rejected,
        st.build_s,
        st.solve_s,
        st.status,
    )
    log.info(
        "search kinds (moves, improved, cells): %s", {k: (*v, round(search.cells[k])) for k, v in st.by_kind.items()}
    )
    roster = check(inst, state_roster(idx, search.state), idx)
    if roster.score.total != search.best.objective:  # the score-only path and the full check must agree
        log.error("checker score %d differs from the search's %d", roster.score.total, search.best.objective)
    info = SolveInfo(
        status="FEASIBLE" if st.improved else "CONSTRUCTED",
        objective=roster.score.total,
        wall_time_s=round(time.perf_counter() - t0, 3),
        first_solution_s=round(first_s, 3),
        time_limit_s=opts.time_limit_s,
        workers=opts.workers,
        seed=opts.seed,
        engine="lns",
        start_objective=first.objective,
        moves=st.moves,
        late_gain=late_gain(search.trace, 0.8 * opts.time_limit_s),
    )
    return roster.model_copy(update={"solve": info})


def late_gain(trace: list[Move], since_s: float) -> float:
    """Share of the objective gained after `since_s` seconds (0 when nothing improved after it)."""
    before = [m.objective for m in trace if m.elapsed_s <= since_s]
    if not before or not trace:
        return 0.0
    at, end = before[-1], trace[-1].objective
    return round((at - end) / max(1, abs(at)), 4)


def _monolithic(
    inst: Instance,
    idx: Index,
    opts: SolveOptions,
    t0: float,
    deadline: float,
    start: DomainState | None,
    on_progress: ProgressFn | None,
    on_solution: SolutionFn | None,
    stop: threading.Event | None,
    fallback: bool,
) -> Roster:
    """One CP-SAT model of the whole unit, hinted with the start; relaxed and explained when infeasible."""
    fallback_roster: Roster | None = None
    if start is not None and fallback:
        fallback_roster = check(inst, state_roster(idx, start), idx)
        elapsed = time.perf_counter() - t0
        if fallback_roster.lawful:
            if on_progress:
                on_progress(Progress(elapsed, fallback_roster.score.total, 0, 1, "construct"))
            if on_solution:
                on_solution(fallback_roster.assignments, fallback_roster.score.total)
            fallback_roster = fallback_roster.model_copy(
                update={
                    "solve": SolveInfo(
                        status="CONSTRUCTED",
                        objective=fallback_roster.score.total,
                        wall_time_s=round(elapsed, 3),
                        first_solution_s=round(elapsed, 3),
                        time_limit_s=opts.time_limit_s,
                        workers=opts.workers,
                        seed=opts.seed,
                        engine="monolithic",
                        start_objective=fallback_roster.score.total,
                    )
                }
            )
        else:
            fallback_roster = None
    relaxed: set[tuple[str, int]] = set()
    relax_all = False
    conflicts: list[Conflict] = []
    rounds = 0
    while True:
        if stop is not None and stop.is_set() and fallback_roster is not None:
            return fallback_roster
        ctx = build_model(inst, idx, relaxed=relaxed, relax_all=relax_all)
        if start is not None:  # in relaxed rounds too: broken groups are soft there, so the hint usually fits
            hint_state(ctx, start, np.arange(idx.S), (0, idx.D))
            done = complete_hint(ctx.model, 0.25 * (deadline - time.perf_counter()))
            log.info("hint %s", "completed" if done else "not lawful: kept as a partial hint")
        log.info(
            "model ready: %d vars, %d constraints, %.2f s",
            len(ctx.model.proto.variables),
            len(ctx.model.proto.constraints),
            time.perf_counter() - t0,
        )
        phase = "solve" if not (relaxed or relax_all) else "relaxed"
        cb = _Callback(ctx, t0, on_progress, on_solution, phase, stop)
        solver = _params(opts, deadline - time.perf_counter())
        status = solver.solve(ctx.model, cb)
        name = solver.status_name(status)
        log.info("cp-sat %s after %.2f s", name, solver.wall_time)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        if fallback_roster is not None:
            return fallback_roster
        if relax_all or time.perf_counter() >= deadline - 0.2 or stop is not None and stop.is_set():
            return _empty(inst, idx, name, opts, t0, conflicts)
        if status == cp_model.INFEASIBLE and rounds < MAX_RELAX_ROUNDS:
            rounds += 1
            core = diagnose(inst, idx, relaxed, opts, max(1.0, (deadline - time.perf_counter()) / 3))
            staff_in_core = {s for _, s in core}
            new = {(r, s) for r, s in core if r in RELAXABLE}
            if not new:  # only pins and structure in the core: relax every rule of those people
                new = {(r, s) for r in RELAXABLE for s in staff_in_core}
            conflicts += [
                Conflict(rule=r, staff=idx.staff_ids[s] if s >= 0 else None, detail="in an infeasibility core")
                for r, s in sorted(core)
            ]
            log.warning("infeasible: core of %d groups over %d staff; relaxing", len(core), len(staff_in_core))
            if not new - relaxed:
                relax_all = True
            relaxed |= new
        else:
            relax_all = True
    bound = int(round(solver.best_objective_bound))
    if status != cp_model.OPTIMAL:
        solver = settle_choices(ctx, solver, opts, min(2.0, max(0.5, deadline - time.perf_counter())))
    roster = check(inst, with_tasks(ctx, solver.boolean_value, extract(ctx, solver.boolean_value)), idx)
    first = cb.first_s if fallback_roster is None else fallback_roster.solve.first_solution_s  # type: ignore[union-attr]
    info = SolveInfo(
        status=name if not (relaxed or relax_all) else f"{name}_RELAXED",
        # the objective of the returned solution, priced exactly: CP-SAT's own objective_value can sit above it
        # when presolve turned an exact max-equality into an inequality and postsolve restored the exact (lower)
        # value, or before optimality where a pattern's penalty is implied one way (Ctx.penalize_all)
        objective=ctx.objective_value(solver),
        bound=bound,
        wall_time_s=round(time.perf_counter() - t0, 3),
        first_solution_s=round(first, 3) if first is not None else None,
        time_limit_s=opts.time_limit_s,
        workers=opts.workers,
        seed=opts.seed,
        relaxed_rules=sorted({r for r, _ in relaxed}) if not relax_all else ["*"],
        engine="monolithic",
        start_objective=fallback_roster.score.total if fallback_roster is not None else None,
    )
    if relax_all:  # no (complete) core: still name every REQUIRED rule the returned roster breaks, and for whom
        conflicts += [
            Conflict(rule=v.rule, staff=v.staff, detail="relaxed without a core (diagnosis ran out of time)")
            for v in roster.violations
            if v.level == "REQUIRED"
        ]
    if roster.score.total != info.objective:
        mine = solver_breakdown(ctx, solver)
        theirs = {r.rule: r.penalty for r in roster.score.rules}
        diff = {
            k: (mine.get(k, 0), theirs.get(k, 0)) for k in set(mine) | set(theirs) if mine.get(k, 0) != theirs.get(k, 0)
        }
        log.error("checker score %d differs from solver objective %d: %s", roster.score.total, info.objective, diff)
    if fallback_roster is not None and fallback_roster.score.total < roster.score.total:  # hint not taken up
        log.info(
            "keeping the constructed roster (%d) over CP-SAT's (%d)", fallback_roster.score.total, roster.score.total
        )
        kept = fallback_roster.solve or info
        return fallback_roster.model_copy(
            update={"solve": kept.model_copy(update={"bound": info.bound, "wall_time_s": info.wall_time_s})}
        )
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


def _empty(inst: Instance, idx: Index, status: str, opts: SolveOptions, t0: float, conflicts: list[Conflict]) -> Roster:
    roster = check(inst, [], idx)
    info = SolveInfo(
        status=status,
        wall_time_s=round(time.perf_counter() - t0, 3),
        time_limit_s=opts.time_limit_s,
        workers=opts.workers,
        seed=opts.seed,
    )
    return roster.model_copy(update={"solve": info, "conflicts": _dedupe(conflicts, roster)})
