"""The Curtois & Qu benchmark as a problem of turnus's search engine (solver/search/engine.py).

The benchmark keeps its own faithful model of the format (model.py) and evaluator (evaluator.py); this adapter
gives the engine what it needs: a CP-SAT sub-model of some employees over a window with the rest fixed (the
model's sub-model mode), the evaluator as judge, a cover-driven focus and a whole-line move by dynamic
programming (lines.py). So the engine measured here is the one `turnus solve` runs.
"""

from __future__ import annotations

import random
import time

from solver.search.problem import Evaluation, Neighbourhood, SubResult

from .evaluator import evaluate
from .lines import best_line_for
from .model import CurtoisModel
from .reader import Instance
from .writer import Roster, roster_to_cells

# CP-SAT parameters of every single-worker sub-solve: with most of the roster fixed the LP relaxation is tight,
# and level 2 (all constraints + cuts) solves 4-8x more sub-problems to optimality than level 1 or 0 (RESULTS.md,
# item 11).
SUB_PARAMS: dict = {"linearization_level": 2}


class CurtoisProblem:
    """`solver.search.problem.Problem` for one benchmark instance; a state is a Roster (rows of shift or -1)."""

    # a costly cover cell and people who could work it; one employee's DP-best line against the others
    focus_kinds = ("cover", "line")

    def __init__(self, instance: Instance) -> None:
        self.inst = instance
        self.S, self.D = instance.n_staff, instance.horizon

    def evaluate(self, state: Roster) -> Evaluation:
        ev = evaluate(self.inst, roster_to_cells(state))
        return Evaluation(ev.lawful, ev.objective, 0 if ev.lawful else len(ev.violations), 0, ev.objective)

    def solve_sub(self, state: Roster, hood: Neighbourhood, budget_s: float, seed: int,
                  dtime: float | None = None, first_solution: bool = False) -> SubResult:
        t0 = time.perf_counter()
        if hood.kind == "line":
            e = hood.people[0]
            line = best_line_for(self.inst, e, state)
            if line is None:
                return SubResult(None, "INFEASIBLE", time.perf_counter() - t0)
            out = [list(r) for r in state]
            out[e] = line
            return SubResult(out, "OPTIMAL", time.perf_counter() - t0)
        window = None if hood.window == (0, self.D) else hood.window
        sub = CurtoisModel(self.inst, free=list(hood.people), base=state, window=window)
        sub.hint(state)
        build_s = time.perf_counter() - t0
        params = dict(SUB_PARAMS)
        if dtime is not None:
            params["max_deterministic_time"] = dtime
        if first_solution:
            params["stop_after_first_solution"] = True
        r = sub.solve(budget_s, 1, seed, extra_params=params)
        return SubResult(r.roster, r.status, r.wall, build_s)

    def merge(self, current: Roster, found: Roster, hood: Neighbourhood) -> Roster:
        return merge_rows(current, found, list(hood.people), hood.window)

    def focus(self, kind: str, state: Roster, rng: random.Random, people: int, days: int) -> Neighbourhood | None:
        if kind == "line":
            return Neighbourhood(kind, (rng.randrange(self.S),), (0, self.D))
        d0, s0 = costly_cell(self.inst, state, rng)
        lo = max(0, min(self.D - days, d0 - rng.randrange(days)))
        cands = [e for e in range(self.S) if s0 in self.inst.allowed(e, d0)]
        free = rng.sample(cands, min(people, len(cands)))
        if len(free) < people:
            rest = [e for e in range(self.S) if e not in free]
            free += rng.sample(rest, min(len(rest), people - len(free)))
        return Neighbourhood(kind, tuple(free), (lo, lo + days))


def costly_cell(instance: Instance, roster: Roster, rng: random.Random) -> tuple[int, int]:
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


def merge_rows(current: Roster, found: Roster, free: list[int], window: tuple[int, int]) -> Roster:
    """``current`` with the cells a sub-solve was free to change taken from ``found``."""
    lo, hi = window
    out = [list(row) for row in current]
    for e in free:
        out[e][lo:hi] = found[e][lo:hi]
    return out
