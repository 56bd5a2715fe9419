"""The checker's score-only path (`score_view`) prices a roster exactly as the full check does:
same total, same per-rule penalties and violation counts, on random (mostly unlawful) rosters and on a
solved one; and it leaves the view usable for the full check afterwards."""

from __future__ import annotations

import numpy as np
import pytest

from models.generate import generate
from solver import SolveOptions, solve
from solver.checker import check_view, score_view
from solver.index import build_index
from solver.view import RosterView


@pytest.fixture(scope="module")
def small():
    inst = generate("small", 3, seed=5)
    return inst, build_index(inst)


@pytest.mark.parametrize("seed", range(8))
def test_score_only_equals_full_check_on_random_rosters(small, seed):
    inst, idx = small
    rng = np.random.default_rng(seed)
    density = rng.uniform(0.2, 0.9)
    shift = np.where(rng.random((idx.S, idx.D)) < density, rng.integers(0, idx.T, (idx.S, idx.D)), -1)
    full = check_view(RosterView(idx, shift.copy()))[1]
    fast = score_view(RosterView(idx, shift.copy()))
    assert fast == full
    assert fast.total > 0  # random rosters break rules: the comparison is not between two zeros


def test_score_only_equals_full_check_on_a_solved_roster(small):
    inst, idx = small
    roster = solve(inst, SolveOptions(time_limit_s=5, workers=1, seed=1))
    shift = np.full((idx.S, idx.D), -1)
    for a in roster.assignments:
        shift[idx.staff_pos[a.staff], idx.date_pos[a.date]] = idx.shift_pos[a.shift]
    view = RosterView(idx, shift)
    fast = score_view(view)
    violations, full, _, _ = check_view(view)  # the same view afterwards: full records again
    assert fast == full == roster.score
    assert all(hasattr(v, "dates") for v in violations)
