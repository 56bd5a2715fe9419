"""The turnus domain model as a search problem: sub-models of the full rule set, the checker as the judge.

Sub-models are built by `build_model` from the same rule modules as the monolithic model, on a sub-problem's
index (subproblem.py), so the search optimises exactly what the checker scores; every accepted state is scored by
the checker's score-only path (`evaluate`).
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from ortools.sat.python import cp_model

from models import Instance, Level

from ..build import build_model
from ..checker import audit_all, score_view
from ..context import Ctx
from ..index import Index
from ..registry import setting
from ..rules.demand_coverage import DemandCoverage
from ..rules.total_assignments import TotalAssignments
from ..tasks.occurrences import task_index
from ..view import RosterView
from .params import complete_hint, sub_solver
from .problem import Evaluation, Neighbourhood, SubResult
from .subproblem import DomainState, SubProblem, merge, merge_people, state_view, sub_problem

log = logging.getLogger("turnus.search")

# CP-SAT deterministic seconds for one person's shift line in construction. With the rules of the law issue
# (weekly rest per week and rolling, 54 h in any 7 x 24 h, tariff hours) most demo lines found no solution in 0.03
# and were solved again for a first one; at 0.06 most finish in one go: the demo's construction over seeds 1-3
# scored 179 k on average against 222 k, at the same CPU time (6.9 s against 7.3 s). Earlier, 12 lines of the large
# unit reached the same objective at 0.03 as at 0.1; 0.02 was worse.
LINE_DTIME = 0.06

# the rules whose priced maxima construction lines keep (`cap_maxima`)
CAPPED = (TotalAssignments(),)
# the share of pairs of people qualifying for a common demand slot above which the mates kind is not drawn
MATES_SHARE = 0.75

# the soft rules whose violations lie on a few days of one person: the "soft" neighbourhood's material
SOFT_FOCUS = frozenset(
    {
        "complete_weekends",
        "work_runs",
        "off_runs",
        "shift_runs",
        "quick_return",
        "forward_rotation",
        "shift_mix_week",
        "wishes",
        "short_rest",
    }
)


@dataclass
class Built:
    sub: SubProblem
    model: cp_model.CpModel
    ctx: Ctx
    build_s: float


def hint_state(ctx: Ctx, state: DomainState, people: np.ndarray, window: tuple[int, int]) -> None:
    """`state` as the hint of a model's shift (inside `window`), task and role variables. The model's person p is
    the unit's `people[p]`; a sub-problem's occurrences and roles map to the unit's by `occ_ids` / `role_ids`
    (empty for a unit's own model: the same numbers)."""
    model = ctx.model
    lo, hi = window
    for (p, d, t), v in ctx.x.items():
        if lo <= d < hi:
            model.add_hint(v, int(state.shift[people[p], d] == t))
    tv = ctx.task_vars
    if tv is None:
        return
    pos = {int(s): i for i, s in enumerate(people.tolist())}
    occ_ids, role_ids = tv.ti.occ_ids, tv.ti.role_ids
    had = {(o, pos[s]) for o, staff in state.tasks.items() for s in staff if s in pos}
    for (o, p), v in tv.y.items():
        model.add_hint(v, int((occ_ids[o] if occ_ids else o, p) in had))
    held = {(k, pos[s]) for k, s in state.roles.items() if s in pos}
    for (k, p), v in tv.r.items():
        model.add_hint(v, int((role_ids[k] if role_ids else k, p) in held))


def pin_days(sub: SubProblem, state: DomainState, pinned: np.ndarray, lo: int) -> None:
    """The sub-problem's people keep the state's shift (or stay off) on the `pinned` days of its window ([hi - lo]
    mask from day `lo`): a window of any shape, as a one-value domain per day like the days outside it."""
    gap = np.nonzero(pinned)[0] + lo
    if not gap.size:
        return
    allowed = sub.idx.allowed  # the sub-problem's own copy
    for p, s in enumerate(sub.people.tolist()):
        cur = state.shift[s, gap]
        on = cur >= 0
        mask = np.zeros((gap.size, allowed.shape[2]), dtype=bool)
        mask[np.nonzero(on)[0], cur[on]] = True
        allowed[p, gap, :] &= mask
        sub.fixed[p, gap] = np.where(on & allowed[p, gap, np.maximum(cur, 0)], cur, -1)


def cap_maxima(ctx: Ctx) -> None:
    """Each person's priced maximum of shifts over the period (total_assignments) as a hard cap. For construction:
    a line placed early sees every slot open, and a slot's cover is worth more than a shift over the maximum
    (INRC-II: 30 against 20), so the first people placed took work beyond their contracts that the people placed
    after them could have done within theirs (n110w4: 1 857 shifts constructed for at most 1 450 within the
    contracts and 1 480 wanted). Overtime that pays is for the search, once everybody has a line. The same cap on
    worked weekends (max_working_weekends) did not pay: INRC-II at 60 s, n110w4 4 140 -> 4 355, n070w8_0
    10 455 -> 10 740, n040w4_0 2 265 -> 2 220."""
    for rule in CAPPED:
        st = setting(rule, ctx.inst)
        if st.active and not st.hard:
            rule.cap(ctx, st)


class DomainProblem:
    """`Problem` (problem.py) for a turnus instance."""

    # problem-driven neighbourhoods: around what is unfilled (demand slots, roles, tasks); one user's carers; around
    # one person's priced pattern (a split weekend, a lone work day, a single night: soft rules on few days); the
    # tasks and roles of everyone on duty on a day or two, shifts kept
    # one person's priced soft rules with people who fill the same demand slots ("mates")
    focus_kinds: tuple[str, ...] = ("demand", "carers", "soft", "mates", "tasks")

    def __init__(self, inst: Instance, idx: Index) -> None:
        self.inst, self.idx = inst, idx
        self.S, self.D = idx.S, idx.D
        self.has_tasks = bool(inst.tasks or inst.roles)
        # a unit without tasks for users has no carers to draw: the kind would only spend draws (INRC-II n035w8:
        # 25 of 240 moves in a minute)
        if not any(t.user for t in inst.tasks):
            self.focus_kinds = tuple(k for k in self.focus_kinds if k != "carers")
        if not self.has_tasks:
            self.focus_kinds = tuple(k for k in self.focus_kinds if k != "tasks")
        # where most pairs of people qualify for a common slot, mates are about everyone and the kind is the soft
        # kind with random people: it only spends draws (the demo ward: every pair; INRC-II n110w4: 47 %)
        if self.mates.mean() > MATES_SHARE:
            self.focus_kinds = tuple(k for k in self.focus_kinds if k != "mates")
        # people wanted per task occurrence (the task index is built here, once, before threads share it)
        self.task_counts = {occ.o: occ.task.count for occ in task_index(idx).occs} if self.has_tasks else {}
        # decision variables of the monolithic model: shift cells and person-task pairs
        self.n_vars = int(idx.allowed.sum())
        if self.has_tasks:
            self.n_vars += sum(len(occ.cands) for occ in task_index(idx).occs)
            sub_problem(idx, self.empty_state(), [0], (0, 0))  # fills the unit's derived tables (idx.cache)

    # ---- judging -----------------------------------------------------------------------------------------------
    def evaluate(self, state: DomainState) -> Evaluation:
        score = score_view(state_view(self.idx, state))
        return Evaluation(score.hard == 0, score.total, score.hard, score.unfilled, score.soft)

    # ---- sub-models --------------------------------------------------------------------------------------------
    def build(
        self,
        state: DomainState,
        people,
        window: tuple[int, int],
        *,
        tasks: bool = True,
        bonus: np.ndarray | None = None,
        free: np.ndarray | None = None,
        cap: bool = False,
    ) -> Built:
        """The sub-model of `people` over `window`. Without `tasks`, only the shift rules (construction lines);
        `bonus` [P, D, T] is then a value per worked cell (the open roles and tasks, or a kept shift). `free` [D]:
        the days of `window` that are free (default all); on the others the people keep the state's shift."""
        t0 = time.perf_counter()
        sub = sub_problem(self.idx, state, people, window, tasks=tasks)
        if free is not None:
            pin_days(sub, state, ~free[window[0] : window[1]], window[0])
        sub.idx.cache["fixed_shift"] = sub.fixed  # rules may fold the fixed cells into constants (Ctx.fixed_shift)
        ctx = build_model(sub.inst, sub.idx)
        model = ctx.model
        if cap:
            cap_maxima(ctx)
        if bonus is not None:
            cells = [(v, int(bonus[p, d, t])) for (p, d, t), v in ctx.x.items() if bonus[p, d, t]]
            model.minimize(ctx.objective_expr() - ctx.weighted([v for v, _ in cells], [c for _, c in cells]))
        for p, d in zip(*np.nonzero(sub.fixed >= 0), strict=True):
            var = ctx.x[int(p), int(d), int(sub.fixed[p, d])]
            model.proto.variables[var.index].domain[0] = 1  # [0, 1] -> [1, 1]: fixed in place, no constraint
        hint_state(ctx, state, sub.people, window)
        return Built(sub, model, ctx, time.perf_counter() - t0)

    def extract(self, built: Built, state: DomainState, value) -> DomainState:
        ctx, sub = built.ctx, built.sub
        shift = np.full((len(sub.people), self.D), -1, dtype=np.int64)
        for (p, d, t), v in ctx.x.items():
            if value(v):
                shift[p, d] = t
        tasks: dict[int, list[int]] = {}
        roles: dict[int, int] = {}
        tv = ctx.task_vars
        if tv is not None:
            ti = tv.ti
            for (o, p), v in tv.y.items():
                if value(v):
                    tasks.setdefault(ti.occ_ids[o], []).append(p)
            for (k, p), v in tv.r.items():
                if value(v):
                    roles[ti.role_ids[k]] = p
        return merge(self.idx, state, sub, shift, tasks, roles)

    def solve_sub(
        self,
        state: DomainState,
        hood: Neighbourhood,
        budget_s: float,
        seed: int,
        dtime: float | None = None,
        first_solution: bool = False,
        *,
        tasks: bool = True,
        bonus: np.ndarray | None = None,
        cap: bool = False,
    ) -> SubResult:
        free = None if hood.shifts else np.zeros(self.D, dtype=bool)
        built = self.build(state, hood.people, hood.window, tasks=tasks, bonus=bonus, free=free, cap=cap)
        t0 = time.perf_counter()
        if tasks:  # lines start from an empty (unlawful) hint: nothing to complete
            complete_hint(built.model, budget_s / 4)
        solver = sub_solver(
            budget_s - (time.perf_counter() - t0), seed, dtime=dtime, first_solution=first_solution, line=not tasks
        )
        status = solver.solve(built.model)
        wall = time.perf_counter() - t0
        name = solver.status_name(status)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return SubResult(None, name, wall, built.build_s)
        return SubResult(self.extract(built, state, solver.boolean_value), name, wall, built.build_s)

    def merge(self, current: DomainState, found: DomainState, hood: Neighbourhood) -> DomainState:
        return merge_people(current, found, hood.people, self.task_counts)

    def focus(self, kind: str, state: DomainState, rng: random.Random, people: int, days: int) -> Neighbourhood | None:
        D = self.D
        if kind == "carers":
            carers = self.carers(state, rng)
            if len(carers) < 2:
                return None
            k = max(2, min(len(carers), people * days // D))
            return Neighbourhood(kind, tuple(rng.sample(carers, k)), (0, D))
        if kind == "soft":
            return self.soft_hood(state, rng, people, days)
        if kind == "tasks":
            return self.tasks_hood(state, rng)
        if kind == "mates":
            return self.mates_hood(state, rng, people, days)
        cells, weights = self.hot_cells(state)
        if not cells:
            return None
        d, t, cands = rng.choices(cells, weights)[0]
        # people who could fill it, with people working that day (whose shift could move) and others
        chosen = set(rng.sample(cands, min(len(cands), max(1, people // 2))))
        self.add_others(chosen, rng, people)
        lo = max(0, min(D - days, d - rng.randrange(days)))
        return Neighbourhood(kind, tuple(sorted(chosen)), (lo, lo + days))

    def soft_hood(self, state: DomainState, rng: random.Random, people: int, days: int) -> Neighbourhood | None:
        """One priced soft violation of one person on a few days, drawn by its penalty: that person, half the rest
        from those who work those days (a split weekend or a lone shift moves by a swap), the others at random, over
        a window around its days."""
        picks = [
            (self.idx.staff_pos[v.staff], [self.idx.date_pos[d] for d in v.dates], v.penalty)
            for v in audit_all(state_view(self.idx, state))
            if v.level == Level.PREFERRED and v.staff is not None and v.dates and v.rule in SOFT_FOCUS
        ]
        picks = [p for p in picks if max(p[1]) - min(p[1]) < days]
        if not picks:
            return None
        s, on, _ = rng.choices(picks, [p[2] for p in picks])[0]
        lo = max(0, min(self.D - days, min(on) - rng.randrange(max(1, days - (max(on) - min(on))))))
        hi = min(self.D, lo + days)
        working = [p for p in np.nonzero((state.shift[:, lo:hi] >= 0).any(axis=1))[0].tolist() if p != s]
        chosen = {s, *rng.sample(working, min(len(working), max(1, people // 2)))}
        self.add_others(chosen, rng, people)
        return Neighbourhood("soft", tuple(sorted(chosen)), (lo, hi))

    def mates_hood(self, state: DomainState, rng: random.Random, people: int, days: int) -> Neighbourhood | None:
        """One priced soft violation of one person, whatever its span (shifts over her maximum, a weekend too many,
        a run too long), with people who qualify for the same demand slots, over a window on one of its days: what
        she works too much or badly only moves to someone who can fill the same slots, and random people rarely
        can. The rule is drawn first, uniformly over the rules priced now, then the violation by its penalty: by
        penalty alone the draws went to the shifts over contracts' maxima (INRC-II n110w4: 2 660 of 4 310), which
        the best-known roster pays too (2 140 of 2 330), and not to its weekends (510 against 0)."""
        by_rule: dict[str, list] = {}
        for v in audit_all(state_view(self.idx, state)):
            if v.level == Level.PREFERRED and v.staff is not None and v.penalty > 0:
                by_rule.setdefault(v.rule, []).append(v)
        if not by_rule:
            return None
        found = by_rule[rng.choice(sorted(by_rule))]
        v = rng.choices(found, [x.penalty for x in found])[0]
        s = self.idx.staff_pos[v.staff]
        on = [self.idx.date_pos[d] for d in v.dates if d in self.idx.date_pos]
        d = rng.choice(on) if on else rng.randrange(self.D)
        lo = max(0, min(self.D - days, d - rng.randrange(days)))
        mates = [p for p in np.nonzero(self.mates[s])[0].tolist() if p != s]
        chosen = {s, *rng.sample(mates, min(len(mates), people - 1))}
        self.add_others(chosen, rng, people)
        return Neighbourhood("mates", tuple(sorted(chosen)), (lo, lo + days))

    def add_others(self, chosen: set[int], rng: random.Random, people: int) -> None:
        """Fill a neighbourhood's `chosen` people up to `people` with others drawn at random."""
        others = [p for p in range(self.S) if p not in chosen]
        chosen.update(rng.sample(others, min(len(others), max(0, people - len(chosen)))))

    @cached_property
    def mates(self) -> np.ndarray:
        """[S, S] bool: the two people qualify for a common demand slot. float32 for BLAS: the int64 product took
        0.63 s at start-up on a 52-week large unit (13 396 slots x 118 people), float32 5 ms (exact far past
        these counts, and only > 0 is read)."""
        members = self.idx.requirement_arrays[2].astype(np.float32)
        return (members.T @ members) > 0

    def tasks_hood(self, state: DomainState, rng: random.Random) -> Neighbourhood | None:
        """Everyone on duty on one or two days, shifts kept: tasks and roles move between them (a qualified person
        busy with a task anyone could do hands it over; continuity and oppgavedeling re-balance). Sub-models of
        tasks only are solved to optimality in 0.1-0.3 s on the large unit; a pass over its 42 days from a 60 s
        roster took the objective 1.162 M -> 1.091 M in 16 s. Half the draws go to a day with open tasks or roles."""
        days = [d for d, _, _ in self.open_work(state)[0]]
        lo = rng.choice(days) if days and rng.random() < 0.5 else rng.randrange(self.D)
        hi = min(self.D, lo + rng.choice((1, 2)))  # one day or two
        people = np.nonzero((state.shift[:, lo:hi] >= 0).any(axis=1))[0].tolist()
        if not people:
            return None
        return Neighbourhood("tasks", tuple(people), (lo, hi), shifts=False)

    # ---- neighbourhood material --------------------------------------------------------------------------------
    def empty_state(self) -> DomainState:
        return DomainState(np.full((self.S, self.D), -1, dtype=np.int64))

    def hot_cells(self, state: DomainState) -> tuple[list[tuple[int, int, list[int]]], list[int]]:
        """Demand slots short of their min, role occurrences without holder and task occurrences short of people,
        each as (day, shift or -1, people who could change it), with a weight (what it costs)."""
        idx = self.idx
        cells: list[tuple[int, int, list[int]]] = []
        weights: list[int] = []
        if idx.requirements:
            counts = DemandCoverage().counts(RosterView(idx, state.shift))
            mins, ideals = DemandCoverage.bounds(idx)
            # slots short of their minimum (unfilled demand, its own tier) while there are any, then slots short of
            # their ideal (demand_ideal): without the ideals the kind had nothing to draw once every minimum was met
            # (INRC-II n035w8: 1 gain in 31 moves); drawn beside the minima they diluted them (the demo at 30 s)
            short = counts < mins
            if not short.any() and idx.inst.rules.demand_coverage.weight > 0:
                short = counts < ideals
            for r in np.nonzero(short)[0].tolist():
                req = idx.requirements[r]
                cells.append((req.day, req.shift, req.members.tolist()))
                weights.append(10 * int(mins[r] - counts[r]) if counts[r] < mins[r] else int(ideals[r] - counts[r]))
        more, more_weights = self.open_work(state)
        return cells + more, weights + more_weights

    def open_work(self, state: DomainState) -> tuple[list[tuple[int, int, list[int]]], list[int]]:
        """Role occurrences without holder and task occurrences short of people, as `hot_cells` gives them."""
        cells: list[tuple[int, int, list[int]]] = []
        weights: list[int] = []
        if self.has_tasks:
            ti = task_index(self.idx)
            for ro in ti.roles:
                if ro.k not in state.roles and ro.cands:
                    cells.append((ro.d, ro.t, ro.cands))
                    weights.append(5)
            for occ in ti.occs:
                if len(state.tasks.get(occ.o, ())) < occ.task.count and occ.cands:
                    cells.append((occ.d, -1, occ.cands))
                    weights.append(occ.task.priority)
        return cells, weights

    def carers(self, state: DomainState, rng: random.Random) -> list[int]:
        """The people who did tasks for one user (drawn), with the user's contacts: a continuity neighbourhood."""
        if not self.has_tasks:
            return []
        ti = task_index(self.idx)
        by_user: dict[int, set[int]] = {}
        for o, staff in state.tasks.items():
            u = ti.occs[o].user
            if u is not None:
                by_user.setdefault(u, set()).update(staff)
        if not by_user:
            return []
        u = rng.choice(sorted(by_user))
        out = set(by_user[u])
        out.update(s for s in ti.contacts.get(u, (None, None)) if s is not None)
        return sorted(out)
