"""Solve a converted INRC-II instance with `solver.solve` (turnus's own engine) and compare objectives term by
term: turnus's score per rule against the independent evaluator's S1-S7."""

from __future__ import annotations

import time
from dataclasses import dataclass

from models import Instance, Roster

from .convert import roster_cells, to_instance
from .evaluator import Cell, Evaluation, evaluate
from .problem import Problem

# turnus score ids -> the competition's term
TERM_OF_RULE = {
    "demand_ideal": "S1",
    "work_runs": "S2",
    "shift_runs": "S2",
    "off_runs": "S3",
    "wishes": "S4",
    "complete_weekends": "S5",
    "total_assignments": "S6",
    "max_working_weekends": "S7",
}


@dataclass
class Result:
    roster: Roster
    cells: list[Cell]
    evaluation: Evaluation
    wall: float

    @property
    def turnus_terms(self) -> dict[str, int]:
        """turnus's own score folded into the competition's terms (`other`: anything that has no term)."""
        out: dict[str, int] = {}
        for rs in self.roster.score.rules:
            key = TERM_OF_RULE.get(rs.rule, rs.rule)
            out[key] = out.get(key, 0) + rs.penalty
        return out


def solve_problem(
    p: Problem, time_limit: float, workers: int, seed: int, inst: Instance | None = None, engine: str = "auto"
) -> Result:
    """`engine`: SolveOptions.engine ("auto": the monolithic model up to 2 500 cells, else the LNS)."""
    from solver import SolveOptions, solve

    inst = inst or to_instance(p)
    t0 = time.perf_counter()
    roster = solve(inst, SolveOptions(time_limit_s=time_limit, workers=workers, seed=seed, engine=engine))
    wall = time.perf_counter() - t0
    cells = roster_cells(p, inst, roster)
    return Result(roster, cells, evaluate(p, cells), wall)
