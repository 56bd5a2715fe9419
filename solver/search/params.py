"""CP-SAT parameters in one place: every solve of turnus (sub-solves, lines, the monolithic model) sets up its
solver here."""

from __future__ import annotations

import logging

from ortools.sat.python import cp_model

log = logging.getLogger("turnus.cpsat")

# With most of a roster fixed the LP relaxation is tight: level 2 (all constraints and cuts) solved 4-8x more
# Curtois sub-problems to optimality than levels 1 or 0 in the same time (benchmarks/curtois/RESULTS.md, item 11).
SUB_LINEARIZATION = 2


def cp_solver(
    time_s: float,
    workers: int,
    seed: int,
    *,
    dtime: float | None = None,
    gap: float = 0.0,
    first_solution: bool = False,
    log_search: bool = False,
    params: dict[str, object] | None = None,
) -> cp_model.CpSolver:
    """A CpSolver with a wall budget (and optionally a deterministic one, for load-independent results)."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(0.01, time_s)
    p.num_workers = max(1, workers)
    p.random_seed = seed
    if dtime is not None:
        p.max_deterministic_time = dtime
    if gap:
        p.relative_gap_limit = gap
    if first_solution:
        p.stop_after_first_solution = True
    if log_search:
        p.log_search_progress = True
        solver.log_callback = lambda line: log.debug("cp-sat: %s", line)
    for key, value in (params or {}).items():
        setattr(p, key, value)
    return solver


# Sub-models are small (10^3-10^4 variables): full presolve dominates their time, so one light pass. Measured on
# demo-size neighbourhoods with a complete hint: first solution 0.06-0.13 s instead of 0.16-0.56 s, and as many
# sub-problems solved to optimality (the old warm start measured 2.4x on one-person lines).
LIGHT_PRESOLVE: dict[str, object] = {"symmetry_level": 0, "cp_model_probing_level": 0, "max_presolve_iterations": 1}


def sub_solver(
    time_s: float, seed: int, *, dtime: float | None = None, first_solution: bool = False, line: bool = False
) -> cp_model.CpSolver:
    """One worker for one neighbourhood: the engine runs one sub-solve per core. `line`: a one-person shift line,
    where the LP does not pay; elsewhere linearization level 2 proved 3-5x more neighbourhoods optimal."""
    extra: dict[str, object] = dict(LIGHT_PRESOLVE)
    if not line:
        extra["linearization_level"] = SUB_LINEARIZATION
    return cp_solver(time_s, 1, seed, dtime=dtime, first_solution=first_solution, params=extra)


def complete_hint(model: cp_model.CpModel, time_s: float = 1.0) -> bool:
    """Extend a hint of the decision variables to every variable by a solve with them fixed (propagation only,
    ~0.02-0.06 s on a sub-model): CP-SAT then starts from the hinted solution at once (0.06-0.13 s instead of
    0.1-1.3 s measured on demo neighbourhoods). False (hint left as it was) when the hint is not feasible."""
    solver = cp_solver(time_s, 1, 0, params={"fix_variables_to_their_hinted_value": True, **LIGHT_PRESOLVE})
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    hint_solution(model, solver)
    return True


def hint_solution(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Hint every variable of `model` with `solver`'s solution of a model with the same variables (the model itself
    or a clone of it). Set as a whole: add_hint per variable was half of `complete_hint`'s time."""
    values = list(solver.response_proto.solution)  # one value per proto variable, in order
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)
