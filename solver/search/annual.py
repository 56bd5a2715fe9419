"""Årsturnus: the start of a year plan (issue 14), built by rolling a grunnturnus over the year and repairing it.

A planner makes an årsturnus by laying the unit's grunnturnus (a cyclic plan of a few ordinary weeks) over the
calendar and then re-planning around the year's holidays and each person's ferie with as few changes as possible.
This module does the same for the start of a long period:

1. *Base plan*: the same staff, shift types, rules and weekly demand over `BASE_WEEKS` ordinary weeks (no ferie or
   other absences, no dated demand, wishes or pins; cyclic where the model supports it, so its rules wrap around
   the end), solved by `solver.solve` on a short budget.
2. *Rolling*: each person's base line repeated over the year (`roll`); a cell the person may not work there (ferie,
   absence, a competence out of date) is off.
3. *Repair*: each person whose rolled line breaks a REQUIRED rule is re-planned on a few free days only: the days
   around each broken rule's dates and, for rules over the whole period (contract hours), the weeks either side
   of their ferie; everything else keeps the rolled line (`solve_line`: the one-person sub-model of the full rule
   set with those cells free, a bonus for each rolled shift kept, so the fewest changes win). A line that does not
   come right gets wider windows, then its whole year.

The lawful start then goes to the normal LNS. Every phase keeps the solve's deadline and stop event; with one
worker every CP-SAT call is limited in deterministic time, so a seed gives the same start.

Measured (medium unit, 35 staff, 52 weeks, 2 workers, load 3-6; benchmarks/annual_bench.py): construction of
whole-year lines alone found no lawful roster in 300 s (one line UNKNOWN after 20 s); a whole-year line repaired
from its rolled hint took ~20 s per person and was often still UNKNOWN; see README for the path's figures.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from models import Instance, Level, Roster

from ..checker import audit_all
from ..index import Index, build_index
from ..view import shift_array
from .domain import LINE_DTIME, DomainProblem
from .params import sub_solver
from .subproblem import DomainState, state_view

log = logging.getLogger("turnus.search")

# From this many weeks a period gets the årsturnus start (the generator's year units start at 26 weeks too).
ANNUAL_MIN_WEEKS = 26
# The grunnturnus length: a multiple of 3 so that "one weekend in three" and "off every 4th Sunday" patterns
# repeat exactly; 6 rather than 12 weeks (see README: the 12-week base took three times as long to a first lawful
# plan and left more unfilled).
BASE_WEEKS = 6
# Share of the time limit the base plan may take (its own LNS improves it meanwhile), with a floor and a ceiling.
BASE_SHARE = 0.15
BASE_MIN_S, BASE_MAX_S = 10.0, 60.0
# Moves of the base plan's LNS with one worker (reproducible: the engine's `max_moves`; the budget a backstop).
BASE_MOVES = 150
# Days re-planned either side of a broken rule's dates, and either side of each ferie block for rules over the
# whole period; each retry widens both by this factor.
MARGIN_DAYS = 7
WIDEN = 3
# A kept rolled shift is worth this much in the repair's objective (the unit's units: 10 000 per unfilled
# person-shift, 1 per minute off the contract hours): between two equal repairs, the one with fewer changes.
KEEP_BONUS = 20
# repairs with another seed for lines the first repair found nothing for (then construction: `retry_failed`)
REPAIR_RETRIES = 2
# Deterministic CP-SAT seconds of one repair line (per free day, floor): one person's line on a few weeks.
REPAIR_DTIME_PER_DAY = 0.004


@dataclass
class AnnualStats:
    base_s: float = 0.0
    base_objective: int = 0
    base_lawful: bool = False
    rolled_bad: int = 0  # people whose rolled line broke a REQUIRED rule
    repaired: int = 0
    failed: int = 0
    changed_cells: int = 0  # person-days whose shift differs from the rolled plan
    repair_s: float = 0.0


def is_annual(inst: Instance) -> bool:
    """A year plan (long and not itself a grunnturnus) that gets the rolled start."""
    return inst.period.weeks >= ANNUAL_MIN_WEEKS and not getattr(inst.period, "cyclic", False)


def base_instance(inst: Instance, weeks: int = BASE_WEEKS) -> tuple[Instance, int]:
    """(the grunnturnus unit, offset): the same staff, shift types, rules and weekly demand over `weeks` ordinary
    weeks starting on the plan week that holds the period's first day; day d of the period is day
    (d + offset) % (7 * weeks) of the base. No absences, dated demand, dated wishes, pins, history or tasks."""
    offset = inst.period.week_offset
    start = inst.period.start - dt.timedelta(days=offset)
    update: dict[str, object] = {"start": start, "weeks": weeks}
    if "cyclic" in type(inst.period).model_fields:
        update["cyclic"] = True
    period = inst.period.model_copy(update=update)
    staff = [
        s.model_copy(update={"absences": [], "wishes": [w for w in s.wishes if w.date is None]}) for s in inst.staff
    ]
    base = inst.model_copy(
        update={
            "id": f"{inst.id}-base",
            "period": period,
            "staff": staff,
            "demand": [d for d in inst.demand if not d.dates],
            "pinned": [],
            "assignments": None,
            "history": [],
            "history_start": None,
            "tasks": [],
            "users": [],
            "roles": [],
        }
    )
    return base, offset


def roll(base_shift: np.ndarray, days: int, offset: int = 0) -> np.ndarray:
    """[S, days] each person's base line [S, L] repeated: day d takes base day (d + offset) % L."""
    L = base_shift.shape[1]
    return base_shift[:, (np.arange(days) + offset) % L]


def rolled_state(idx: Index, base_shift: np.ndarray, offset: int) -> DomainState:
    """The rolled plan on the unit's index, off wherever the person may not work the rolled shift (ferie)."""
    shift = roll(base_shift, idx.D, offset)
    s_, d_ = np.nonzero(shift >= 0)
    ok = idx.allowed[s_, d_, shift[s_, d_]]
    shift[s_[~ok], d_[~ok]] = -1
    return DomainState(shift)


def broken(idx: Index, state: DomainState) -> dict[int, list[list[int]]]:
    """Person -> the days of each REQUIRED violation of their line ([] for a rule over the whole period)."""
    out: dict[int, list[list[int]]] = {}
    for v in audit_all(state_view(idx, state)):
        if v.level == Level.REQUIRED and v.staff in idx.staff_pos:
            out.setdefault(idx.staff_pos[v.staff], []).append([idx.date_pos[d] for d in v.dates if d in idx.date_pos])
    return out


def absence_blocks(idx: Index, s: int) -> list[tuple[int, int]]:
    """Runs [a, b) of days person s is away (ferie and other whole-day absences)."""
    away = np.asarray(idx.absent_day[s], dtype=bool)
    edges = np.diff(np.concatenate([[0], away.astype(np.int8), [0]]))
    return list(zip(np.nonzero(edges == 1)[0].tolist(), np.nonzero(edges == -1)[0].tolist(), strict=True))


def repair_days(idx: Index, s: int, violations: list[list[int]], margin: int) -> np.ndarray:
    """[D] the days re-planned for person s: `margin` days either side of each violation's days; for rules over
    the whole period, `margin` days either side of each absence block (or, without any, evenly spread
    windows), where the line has to give or take hours."""
    D = idx.D
    free = np.zeros(D, dtype=bool)
    whole = False
    for days in violations:
        if not days:
            whole = True
            continue
        free[max(0, min(days) - margin) : min(D, max(days) + margin + 1)] = True
    if whole:
        blocks = absence_blocks(idx, s)
        if not blocks:
            step = max(1, D // 5)
            blocks = [(a, a) for a in range(step // 2, D, step)]
        for a, b in blocks:
            free[max(0, a - margin) : min(D, b + margin)] = True
    return free


def solve_line(
    problem: DomainProblem,
    state: DomainState,
    s: int,
    free: np.ndarray,
    budget_s: float,
    seed: int,
    *,
    dtime: float | None,
    keep: np.ndarray | None = None,
    first_solution: bool = False,
) -> tuple[DomainState | None, str]:
    """Person s's line re-planned on the `free` days (a [D] mask, any shape of windows), the rest of the line and
    everyone else as in `state`: the one-person sub-model of the full rule set (`DomainProblem.build` with the
    days not free pinned to the state's shift), hinted with `state`, with `KEEP_BONUS` per shift of `keep` ([D]
    the rolled line) kept. (state or None, CP-SAT status.)"""
    idx = problem.idx
    days = np.nonzero(free)[0]
    if days.size == 0:
        return None, "EMPTY"
    window = (int(days[0]), int(days[-1]) + 1)
    bonus = None
    if keep is not None:
        bonus = np.zeros((1, idx.D, idx.T), dtype=np.int64)
        kept = np.nonzero(free & (keep >= 0))[0]
        bonus[0, kept, keep[kept]] = KEEP_BONUS
    built = problem.build(state, [s], window, tasks=False, bonus=bonus, free=free)
    solver = sub_solver(budget_s, seed, dtime=dtime, first_solution=first_solution, line=True)
    status = solver.solve(built.model)
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, name
    return problem.extract(built, state, solver.boolean_value), name


def base_plan(
    inst: Instance,
    time_limit_s: float,
    workers: int,
    seed: int,
    stop: threading.Event | None,
    weeks: int = BASE_WEEKS,
    max_moves: int | None = None,
) -> tuple[np.ndarray, int, Instance, Roster]:
    """([S, 7 * weeks] the base plan's lines, offset, base unit, its roster) solved by `solver.solve`."""
    from ..run import SolveOptions, solve

    base, offset = base_instance(inst, weeks)
    roster = solve(
        base, SolveOptions(time_limit_s=time_limit_s, workers=workers, seed=seed, max_moves=max_moves), stop=stop
    )
    bidx = build_index(base)
    lines = shift_array(bidx, roster.assignments)
    if lines is None:
        lines = np.full((bidx.S, bidx.D), -1, dtype=np.int64)
    return lines, offset, base, roster


def repair(
    problem: DomainProblem,
    state: DomainState,
    rolled: np.ndarray,
    deadline: float,
    seed: int,
    deterministic: bool,
    stop: threading.Event | None = None,
    stats: AnnualStats | None = None,
) -> tuple[DomainState, list[int]]:
    """Every person whose line breaks a REQUIRED rule re-planned around what breaks (`repair_days`), wider on
    each retry, the whole year last. (state, people still without a lawful line)."""
    idx = problem.idx
    stats = stats or AnnualStats()
    bad = broken(idx, state)
    stats.rolled_bad = len(bad)
    failed: list[int] = []
    queue = sorted(bad)
    for i, s in enumerate(queue):
        if stop is not None and stop.is_set() or time.perf_counter() > deadline:
            failed += queue[i:]
            break
        violations = bad[s]
        margin = MARGIN_DAYS
        done = False
        for attempt in range(3):
            left = deadline - time.perf_counter()
            if left <= 0.05:
                break
            free = repair_days(idx, s, violations, margin) if attempt < 2 else np.ones(idx.D, dtype=bool)
            n = int(free.sum())
            dtime = max(LINE_DTIME, REPAIR_DTIME_PER_DAY * n) * (1 if attempt < 2 else 5)
            found, status = solve_line(
                problem,
                state,
                s,
                free,
                min(left, 10.0 * (attempt + 1)),
                seed + s,
                dtime=dtime if deterministic or attempt < 2 else None,
                keep=rolled[s],
                first_solution=attempt == 2,
            )
            if found is not None:
                state = found
                done = True
                log.debug("repair: line %d/%d on %d days, attempt %d, %s", i + 1, len(queue), n, attempt + 1, status)
                break
            margin *= WIDEN
        if done:
            stats.repaired += 1
        else:
            failed.append(s)
    stats.failed = len(failed)
    return state, failed


def retry_failed(
    problem: DomainProblem,
    state: DomainState,
    rolled: np.ndarray,
    failed: list[int],
    deadline: float,
    seed: int,
    workers: int,
    stop: threading.Event | None,
) -> tuple[DomainState, list[int]]:
    """The lines the repair found nothing for in time (a busy machine, an unlucky seed), tried again: the repair
    with other seeds, then construction's whole-period line against everyone else. Only what still fails goes to
    the solve's explain path, whose monolithic model of a year is no way out (medium unit, 52 weeks: 3.3 GB and
    no roster in 300 s, in one run of four where one repaired line had failed)."""
    from .construct import construct

    for k in range(1, REPAIR_RETRIES + 1):
        if not failed or (stop is not None and stop.is_set()) or time.perf_counter() > deadline:
            return state, failed
        log.info("årsturnus: %d lines without a lawful repair, retry %d", len(failed), k)
        state, failed = repair(problem, state, rolled, deadline, seed + 7919 * k, workers == 1, stop)
    if failed and time.perf_counter() < deadline:
        state, failed = construct(problem, deadline, seed, workers, start=state, people=failed, stop=stop)
    return state, failed


def annual_start(
    problem: DomainProblem,
    time_limit_s: float,
    workers: int,
    seed: int,
    t0: float,
    deadline: float,
    stop: threading.Event | None = None,
    stats: AnnualStats | None = None,
) -> tuple[DomainState, list[int]]:
    """The rolled and repaired start of a year plan: (state, people without a lawful line)."""
    from .construct import allocate_tasks

    stats = stats or AnnualStats()
    idx = problem.idx
    budget = min(BASE_MAX_S, max(BASE_MIN_S, BASE_SHARE * time_limit_s))
    budget = min(budget, max(1.0, 0.5 * (deadline - time.perf_counter())))
    tb = time.perf_counter()
    # one worker: the base solve stops after a fixed number of moves (reproducible), its budget a backstop
    lines, offset, _, roster = base_plan(
        idx.inst, budget, workers, seed, stop, max_moves=BASE_MOVES if workers == 1 else None
    )
    stats.base_s = time.perf_counter() - tb
    stats.base_objective = roster.score.total
    stats.base_lawful = roster.lawful
    log.info(
        "årsturnus: base plan of %d weeks, objective %d, %s, %.1f s",
        lines.shape[1] // 7,
        stats.base_objective,
        "lawful" if stats.base_lawful else "not lawful",
        stats.base_s,
    )
    state = rolled_state(idx, lines, offset)
    rolled = state.shift.copy()
    tr = time.perf_counter()
    state, failed = repair(problem, state, rolled, deadline, seed, workers == 1, stop, stats)
    state, failed = retry_failed(problem, state, rolled, failed, deadline, seed, workers, stop)
    stats.failed = len(failed)
    stats.repair_s = time.perf_counter() - tr
    stats.changed_cells = int((state.shift != rolled).sum())
    log.info(
        "årsturnus: %d rolled lines broke a rule, %d repaired, %d without a lawful line; %d person-days changed, "
        "%.1f s (%.1f s since the solve started)",
        stats.rolled_bad,
        stats.repaired,
        stats.failed,
        stats.changed_cells,
        stats.repair_s,
        time.perf_counter() - t0,
    )
    if problem.has_tasks:
        allocate_tasks(idx, state)
    return state, failed
