"""Build the CP-SAT model: one boolean per allowed (staff, day, shift), then every rule module in turn."""

from __future__ import annotations

import gc
from contextlib import contextmanager

import numpy as np
from ortools.sat.python import cp_model

from models import Instance

from .context import Ctx
from .index import Index, build_index
from .registry import active


def build_model(
    inst: Instance,
    idx: Index | None = None,
    *,
    diagnose: bool = False,
    relaxed: set[tuple[str, int]] | None = None,
    relax_all: bool = False,
) -> Ctx:
    """The model only: hints are the solve loop's business (solver/run.py, solver/search)."""
    idx = idx or build_index(inst)
    with gc_paused():
        return _build(inst, idx, diagnose, relaxed, relax_all)


@contextmanager
def gc_paused():
    """Building creates ~10^5 small objects that are all alive at the end: the cyclic collector's passes over
    them are pure overhead (measured ~20-30 % of build time on the large unit)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _build(inst: Instance, idx: Index, diagnose: bool, relaxed: set[tuple[str, int]] | None, relax_all: bool) -> Ctx:
    model = cp_model.CpModel()
    x = {}
    for s, d, t in np.argwhere(idx.allowed).tolist():
        x[s, d, t] = model.new_bool_var(f"x_{s}_{d}_{t}")
    ctx = Ctx(inst, idx, model, x, diagnose=diagnose, relaxed=relaxed or set(), relax_all=relax_all)
    for rule, setting in active(inst):
        rule.add_to_model(ctx, setting)
    if not diagnose:
        model.minimize(ctx.objective_expr())
    else:
        model.add_assumptions(list(ctx.assumptions.values()))
    return ctx
