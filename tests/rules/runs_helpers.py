"""Shared by the run-length rule tests (work_runs, off_runs, shift_runs): history entries and the CP-SAT model's
price of a fixed roster."""

from __future__ import annotations

from ortools.sat.python import cp_model

from helpers import day
from solver.build import build_model
from solver.index import build_index


def hist(cells) -> list[dict]:
    """History entries from (staff, day offset < 0, shift) triples."""
    return [{"staff": s, "date": day(d).isoformat(), "shift": t} for s, d, t in cells]


def fixed_model(inst, cells):
    """The unit's model (its Ctx) with every shift variable fixed to the roster `cells` ((staff, day, shift))."""
    idx = build_index(inst)
    ctx = build_model(inst, idx)
    on = {(idx.staff_pos[s], d, idx.shift_pos[t]) for s, d, t in cells}
    for key, v in ctx.x.items():
        ctx.model.add(v == int(key in on))
    return ctx


def model_price(inst, cells) -> int:
    """The model's objective with every variable fixed to the roster `cells` ((staff, day, shift) triples)."""
    ctx = fixed_model(inst, cells)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    status = solver.solve(ctx.model)
    assert status == cp_model.OPTIMAL, solver.status_name(status)
    return round(solver.objective_value)
